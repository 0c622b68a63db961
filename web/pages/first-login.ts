// First login with the temporary password (/premiere-connexion): identifier + temporary
// password, then the new password, the email and the birth date of a named child.
// The activation link of the mail (/activation/:token) confirms with a button (no change on GET).
import type restify from 'restify';
import { PAGES, tokenRoute } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { activateWithToken, completeFirstLogin, firstLoginInfo, startFirstLogin, type FirstLoginField } from '../../services/selfservice/activation.js';
import { html } from './html.js';
import { anonymousActor, clearCookie, csrf, field, param, redirect, sendHtml, signedCookie } from './http.js';
import { form, input, layout, messagePage, newPasswordFields, type FieldError } from './layout.js';
import { page, ticketStep } from './handler.js';
import { forcedChangeCookie } from './forced-change.js';

const TICKET_COOKIE = 'ec_first';
const FIELD_ORDER: FirstLoginField[] = ['password', 'confirmation', 'email', 'birthDate'];

export function registerFirstLoginPages(server: restify.Server, ctx: ServiceContext): void {
  const step1 = (req: restify.Request, res: restify.Response, identifier = '', errors: FieldError[] = [], status = 400): void => {
    const c = csrf(ctx, req);
    const body = html`<p>Connectez-vous avec l'identifiant et le mot de passe provisoire du courrier remis par l'école ou l'établissement. Vous choisirez ensuite votre mot de passe personnel.</p>
${form(
  PAGES.firstLogin,
  c.field,
  html`${input({ name: 'identifier', label: 'Identifiant', autocomplete: 'username', value: identifier, errors, spellcheck: false, maxlength: 100 })}
${input({ name: 'temporaryPassword', label: 'Mot de passe provisoire', type: 'password', autocomplete: 'current-password', errors, maxlength: 128 })}`,
  'Continuer',
)}`;
    sendHtml(res, errors.length ? status : 200, layout({ title: 'Première connexion', body, errors }), c.cookies);
  };

  server.get(
    PAGES.firstLogin,
    page(ctx, async (req, res) => step1(req, res)),
  );

  server.post(
    PAGES.firstLogin,
    page(
      ctx,
      async (req, res) => {
        const identifier = field(req, 'identifier');
        const r = await startFirstLogin(ctx, anonymousActor(req), identifier, field(req, 'temporaryPassword'));
        if (!r.ok && r.reason === 'forced_change') return redirect(res, PAGES.forcedChange, [forcedChangeCookie(ctx, r.forcedChangeTicket)]);
        if (!r.ok) return step1(req, res, identifier, [{ field: 'identifier', messages: [r.text] }], r.reason === 'rate_limited' ? 429 : 400);
        redirect(res, PAGES.firstLoginNext, [signedCookie(ctx, TICKET_COOKIE, r.ticket, 20 * 60)]);
      },
      { once: true, replay: true },
    ),
  );

  const step2 = async (
    req: restify.Request,
    res: restify.Response,
    ticket: string,
    values: { email?: string; birthDate?: string } = {},
    errors: FieldError[] = [],
  ): Promise<void> => {
    const info = await firstLoginInfo(ctx, ticket);
    const c = csrf(ctx, req);
    const body = html`<p>Bonjour ${info.firstName}. Votre mot de passe est provisoire : choisissez votre mot de passe personnel${info.needsActivation ? ', indiquez votre adresse e-mail et confirmez la date de naissance de votre enfant' : ''}.</p>
${form(
  PAGES.firstLoginNext,
  c.field,
  html`${newPasswordFields(info.identifier, errors, true)}
${
  info.needsActivation
    ? html`${input({ name: 'email', label: 'Adresse e-mail', type: 'email', autocomplete: 'email', hint: 'Un e-mail d’activation y sera envoyé : cliquez sur son lien pour terminer.', value: values.email, errors, maxlength: 254, spellcheck: false })}
${input({ name: 'birthDate', label: `Date de naissance de ${info.childFirstName ?? 'votre enfant'}`, type: 'text', autocomplete: 'off', inputmode: 'numeric', hint: 'Au format jj/mm/aaaa, par exemple 14/07/2016.', value: values.birthDate, errors, maxlength: 10 })}`
    : ''
}`,
  'Valider',
)}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Choisir votre mot de passe', body, errors }), c.cookies);
  };

  ticketStep(server, ctx, {
    path: PAGES.firstLoginNext,
    cookie: TICKET_COOKIE,
    start: PAGES.firstLogin,
    show: step2,
    submit: async (req, res, ticket) => {
      const email = field(req, 'email');
      const birthDate = field(req, 'birthDate');
      const r = await completeFirstLogin(ctx, anonymousActor(req), ticket, {
        password: field(req, 'password'),
        confirmation: field(req, 'confirmation'),
        email,
        birthDate,
      });
      if (!r.ok) {
        const errors = FIELD_ORDER.flatMap((f) => (r.errors[f] ? [{ field: f, messages: r.errors[f] ?? [] }] : []));
        return step2(req, res, ticket, { email, birthDate }, errors);
      }
      redirect(res, r.activationMailTo ? PAGES.firstLoginDone : PAGES.passwordChanged, [clearCookie(ctx, TICKET_COOKIE)]);
    },
  });

  server.get(
    PAGES.firstLoginDone,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage(
          'Activez votre compte',
          "Votre mot de passe personnel est enregistré. Un e-mail d'activation vient d'être envoyé à l'adresse indiquée : cliquez sur le lien qu'il contient pour terminer l'activation de votre compte. Pensez à regarder dans vos courriers indésirables.",
          'success',
          { href: PAGES.activationEmail, text: 'Adresse erronée ? Corrigez-la et recevez un nouvel e-mail' },
        ),
      );
    }),
  );

  server.get(
    tokenRoute(PAGES.activation),
    page(ctx, async (req, res) => {
      const c = csrf(ctx, req);
      const body = html`<p>Cliquez sur le bouton pour terminer l'activation de votre compte EduConnect.</p>
${form(`${PAGES.activation}/${param(req, 'token')}`, c.field, html``, 'Activer mon compte')}`;
      sendHtml(res, 200, layout({ title: 'Activer mon compte', body }), c.cookies);
    }),
  );

  server.post(
    tokenRoute(PAGES.activation),
    page(
      ctx,
      async (req, res) => {
        const r = await activateWithToken(ctx, anonymousActor(req), param(req, 'token'));
        redirect(res, r.alreadyActivated ? `${PAGES.activationDone}?deja=1` : PAGES.activationDone);
      },
      { once: true, replay: true },
    ),
  );

  server.get(
    PAGES.activationDone,
    page(ctx, async (req, res) => {
      const already = (req.url ?? '').includes('deja=1');
      sendHtml(
        res,
        200,
        messagePage(
          already ? 'Compte déjà activé' : 'Compte activé',
          already
            ? 'Votre compte est déjà activé. Connectez-vous avec votre identifiant et votre mot de passe.'
            : 'Votre compte EduConnect est activé et votre adresse e-mail est confirmée. Vous pouvez vous connecter à vos services.',
          'success',
        ),
      );
    }),
  );
}
