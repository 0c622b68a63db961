// SMS self-registration (/inscription): names + mobile -> code -> (several accounts found for
// this person: the offer to group them) -> every child's birth date -> identifier shown +
// password chosen.
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import {
  chooseRegistrationGrouping,
  completeRegistration,
  confirmRegistrationChildren,
  registrationCompleted,
  registrationInfo,
  startRegistration,
  verifyRegistrationCode,
} from '../../services/selfservice/registration.js';
import { texts } from '../../services/selfservice/uniform.js';
import { ServiceError } from '../../services/errors.js';
import { html } from './html.js';
import { anonymousActor, clearCookie, csrf, field, redirect, sendHtml, signedCookie } from './http.js';
import { form, input, layout, messagePage, newPasswordFields, passwordErrors, radios, type FieldError } from './layout.js';
import { page, ticketStep, type TicketStep } from './handler.js';
import { smsCodeRoutes } from './sms-code.js';

const REQUEST_COOKIE = 'ec_regreq';
const TICKET_COOKIE = 'ec_reg';

export function registerRegistrationPages(server: restify.Server, ctx: ServiceContext): void {
  const start = (
    req: restify.Request,
    res: restify.Response,
    v: { lastName?: string; firstName?: string; mobile?: string } = {},
    errors: FieldError[] = [],
  ): void => {
    const c = csrf(ctx, req);
    const body = html`<p>Saisissez vos nom, prénom et numéro de portable tels que l'école ou l'établissement de votre enfant les a enregistrés. Un code vous sera envoyé par SMS.</p>
${form(
  PAGES.registration,
  c.field,
  html`${input({ name: 'lastName', label: 'Nom', autocomplete: 'family-name', value: v.lastName, errors, maxlength: 100 })}
${input({ name: 'firstName', label: 'Prénom', autocomplete: 'given-name', value: v.firstName, errors, maxlength: 100 })}
${input({ name: 'mobile', label: 'Numéro de téléphone portable', type: 'tel', autocomplete: 'tel', hint: 'Par exemple : 06 12 34 56 78 (hors métropole, indiquez l’indicatif, par exemple +262).', value: v.mobile, errors, maxlength: 20 })}`,
  'Recevoir un code par SMS',
)}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Créer mon compte par SMS', body, errors }), c.cookies);
  };

  server.get(
    PAGES.registration,
    page(ctx, async (req, res) => start(req, res)),
  );

  server.post(
    PAGES.registration,
    page(
      ctx,
      async (req, res) => {
        const v = { lastName: field(req, 'lastName'), firstName: field(req, 'firstName'), mobile: field(req, 'mobile') };
        try {
          const r = await startRegistration(ctx, anonymousActor(req), { lastName: v.lastName, firstName: v.firstName, mobile: v.mobile });
          if (r.status === 'rate_limited') return sendHtml(res, 429, messagePage('Trop de demandes', r.text));
          if ('requestId' in r)
            return redirect(res, PAGES.registrationCode, [signedCookie(ctx, REQUEST_COOKIE, r.requestId, ctx.settings.selfService.codeTtlMinutes * 60)]);
        } catch (err) {
          if (err instanceof ServiceError && err.code === 'invalid')
            return start(req, res, v, [{ field: /portable|numéro/i.test(err.userMessage) ? 'mobile' : 'lastName', messages: [err.userMessage] }]);
          throw err;
        }
      },
      { once: true },
    ),
  );

  smsCodeRoutes(server, ctx, {
    path: PAGES.registrationCode,
    start: PAGES.registration,
    restartLabel: 'Recommencer',
    requestCookie: REQUEST_COOKIE,
    notice: texts.registrationCode,
    verify: verifyRegistrationCode,
    next: (r) => ({ location: PAGES.registrationChildren, cookies: [signedCookie(ctx, TICKET_COOKIE, r.ticket, 30 * 60)] }),
  });

  const accountsForm = async (req: restify.Request, res: restify.Response, ticket: string): Promise<void> => {
    const info = await registrationInfo(ctx, ticket);
    if (info.step !== 'group') return redirect(res, info.step === 'password' ? PAGES.registrationPassword : PAGES.registrationChildren);
    const c = csrf(ctx, req);
    const body = html`<p>Nous avons trouvé ${info.accounts.length} comptes à votre nom : les écoles ou établissements de vos enfants vous ont enregistré plusieurs fois.</p>
<ul>${info.accounts.map((children, i) => html`<li>Compte ${i + 1} : ${children.length ? children.map((ch) => ch.firstName).join(', ') : 'aucun enfant rattaché pour l’instant'}</li>`)}</ul>
<p>En les regroupant, vous suivez tous vos enfants avec un seul identifiant et un seul mot de passe. Vous confirmerez ensuite la date de naissance de chaque enfant.</p>
${form(
  PAGES.registrationAccounts,
  c.field,
  radios({
    name: 'group',
    legend: 'Voulez-vous regrouper ces comptes ?',
    options: [
      { value: 'yes', label: 'Oui, regrouper mes comptes en un seul (recommandé)' },
      { value: 'no', label: `Non, activer seulement le compte 1` },
    ],
  }),
  'Continuer',
)}`;
    sendHtml(res, 200, layout({ title: 'Vos comptes', body }), c.cookies);
  };

  const step = (path: string, show: TicketStep['show'], submit: TicketStep['submit']): void =>
    ticketStep(server, ctx, { path, cookie: TICKET_COOKIE, start: PAGES.registration, show, submit });

  step(PAGES.registrationAccounts, accountsForm, async (req, res, ticket) => {
    const info = await registrationInfo(ctx, ticket);
    // Submitted twice (the grouping already chosen): on to the next step, as the first submission.
    if (info.step === 'group') await chooseRegistrationGrouping(ctx, anonymousActor(req), ticket, field(req, 'group') !== 'no');
    redirect(res, info.step === 'password' ? PAGES.registrationPassword : PAGES.registrationChildren);
  });

  const childrenForm = async (req: restify.Request, res: restify.Response, ticket: string, errors: FieldError[] = []): Promise<void> => {
    const info = await registrationInfo(ctx, ticket);
    if (info.step === 'password') return redirect(res, PAGES.registrationPassword);
    if (info.step === 'group') return redirect(res, PAGES.registrationAccounts);
    const c = csrf(ctx, req);
    const first = info.children[0];
    const summary = errors.length && first ? [{ field: `child-${first.pupilId}`, messages: errors.flatMap((e) => e.messages) }] : [];
    const body = html`<p>Pour vérifier que vous êtes bien leur responsable, indiquez la date de naissance de chacun de vos enfants.</p>
${form(
  PAGES.registrationChildren,
  c.field,
  html`${info.children.map((ch) => input({ name: `child-${ch.pupilId}`, label: `Date de naissance de ${ch.firstName}`, autocomplete: 'off', inputmode: 'numeric', hint: 'Au format jj/mm/aaaa, par exemple 14/07/2016.', errors: summary, maxlength: 10 }))}`,
  'Continuer',
)}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Vos enfants', body, errors: summary }), c.cookies);
  };

  step(PAGES.registrationChildren, childrenForm, async (req, res, ticket) => {
    const info = await registrationInfo(ctx, ticket);
    // Submitted twice: the children are already confirmed.
    if (info.step === 'password') return redirect(res, PAGES.registrationPassword);
    const dates = Object.fromEntries(info.children.map((ch) => [ch.pupilId, field(req, `child-${ch.pupilId}`)]));
    const r = await confirmRegistrationChildren(ctx, anonymousActor(req), ticket, dates);
    if (!r.ok) return childrenForm(req, res, ticket, [{ field: 'children', messages: [r.text] }]);
    redirect(res, PAGES.registrationPassword);
  });

  const passwordForm = async (req: restify.Request, res: restify.Response, ticket: string, errors: FieldError[] = []): Promise<void> => {
    const info = await registrationInfo(ctx, ticket);
    if (info.step !== 'password' || !info.identifier) return redirect(res, PAGES.registrationChildren);
    const c = csrf(ctx, req);
    const body = html`<div class="success"><p>Votre identifiant EduConnect est :</p><p class="identifier">${info.identifier}</p><p>Notez-le : il vous servira à chaque connexion.</p></div>
${form(PAGES.registrationPassword, c.field, newPasswordFields(info.identifier, errors, false), 'Créer mon compte')}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Choisir votre mot de passe', body, errors }), c.cookies);
  };

  step(PAGES.registrationPassword, passwordForm, async (req, res, ticket) => {
    // Submitted twice: the first submission created the account.
    if (await registrationCompleted(ctx, ticket)) return redirect(res, PAGES.registrationDone, [clearCookie(ctx, TICKET_COOKIE)]);
    const r = await completeRegistration(ctx, anonymousActor(req), ticket, field(req, 'password'), field(req, 'confirmation'));
    if (r.ok) return redirect(res, PAGES.registrationDone, [clearCookie(ctx, TICKET_COOKIE)]);
    await passwordForm(req, res, ticket, passwordErrors(r.reasons));
  });

  server.get(
    PAGES.registrationDone,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage(
          'Compte activé',
          'Votre compte EduConnect est activé. Connectez-vous à vos services avec votre identifiant et votre mot de passe.',
          'success',
        ),
      );
    }),
  );
}
