// "Mon compte" for a guardian: login (personal password only), children with "je ne suis pas
// le représentant légal", regrouping another account, change of email; and the page of the
// email confirmation link (/email/:token). The session is a SESSION token in a signed cookie.
import type restify from 'restify';
import { PAGES, tokenRoute } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import type { Actor } from '../../services/actor.js';
import { login, logout, SESSION_TTL_MS } from '../../services/selfservice/session.js';
import { listMyChildren, removeChildLink } from '../../services/selfservice/child-link.js';
import { regroupAccounts } from '../../services/selfservice/regroup.js';
import { confirmEmailChange, requestEmailChange } from '../../services/selfservice/email-change.js';
import { ServiceError } from '../../services/errors.js';
import { html, type SafeHtml } from './html.js';
import { anonymousActor, clearCookie, csrf, field, param, readSignedCookie, redirect, sendHtml, signedCookie } from './http.js';
import { form, input, layout, messagePage, type FieldError } from './layout.js';
import { page, type PageOptions } from './handler.js';
import { currentSession, SESSION_COOKIE } from './session.js';
import { myInformationSection } from './account-info.js';
import { myInformation } from '../../services/selfservice/my-account.js';
import { forcedChangeCookie } from './forced-change.js';

/** Messages shown after a redirect (the query carries only a key, never data). */
const DONE: Record<string, string> = {
  regroupe: 'Les comptes ont été regroupés : les enfants de l’autre compte apparaissent maintenant ici.',
  retire: 'L’élève a été retiré de votre compte.',
  'mot-de-passe': 'Votre mot de passe a été modifié. Utilisez-le dès votre prochaine connexion.',
  portable: 'Votre nouveau numéro de portable est enregistré et confirmé.',
  email:
    'Votre demande est prise en compte. Un e-mail de confirmation vient d’être envoyé à la nouvelle adresse : cliquez sur son lien. Un message d’information a été envoyé à l’ancienne adresse.',
};

const dateFr = (d: Date): string => d.toISOString().slice(0, 10).split('-').reverse().join('/');

export function registerAccountPages(server: restify.Server, ctx: ServiceContext): void {
  const currentActor = (req: restify.Request) => currentSession(ctx, req);

  const loginPage = (req: restify.Request, res: restify.Response, identifier = '', errors: FieldError[] = [], status = 400): void => {
    const c = csrf(ctx, req);
    const body = html`${form(
      PAGES.accountLogin,
      c.field,
      html`${input({ name: 'identifier', label: 'Identifiant', autocomplete: 'username', value: identifier, errors, spellcheck: false, maxlength: 100 })}
${input({ name: 'password', label: 'Mot de passe', type: 'password', autocomplete: 'current-password', errors, maxlength: 128 })}`,
      'Se connecter',
    )}
<p><a href="${PAGES.lostPassword}">Mot de passe perdu</a> · <a href="${PAGES.lostIdentifier}">Identifiant perdu</a> · <a href="${PAGES.firstLogin}">Première connexion avec un mot de passe provisoire</a></p>`;
    sendHtml(res, errors.length ? status : 200, layout({ title: 'Mon compte : connexion', body, errors }), c.cookies);
  };

  const accountPage = async (
    req: restify.Request,
    res: restify.Response,
    actor: Actor,
    errors: FieldError[] = [],
    values: { otherIdentifier?: string; email?: string } = {},
  ): Promise<void> => {
    const children = await listMyChildren(ctx, actor);
    const info = await myInformation(ctx, actor);
    const c = csrf(ctx, req);
    const done = DONE[new URL(req.url ?? '/', 'http://x').searchParams.get('ok') ?? ''];
    const section = (id: string, title: string, content: SafeHtml): SafeHtml =>
      html`<section class="card" aria-labelledby="${id}"><h2 id="${id}" tabindex="-1">${title}</h2>${content}</section>`;
    const body = html`${done ? html`<div class="success" role="status"><p>${done}</p></div>` : ''}
${section('mes-informations', 'Mes informations', myInformationSection(info))}
${section(
  'mes-enfants',
  'Mes enfants',
  children.length
    ? html`<ul class="children">${children.map(
        (ch) => html`<li><span>${ch.firstName} ${ch.lastName}, né(e) le ${dateFr(ch.birthDate)}</span>
<form method="post" action="/mon-compte/enfants/${String(ch.pupilId)}/retirer">${c.field}<button type="submit" class="secondary">Je ne suis pas le représentant légal de ${ch.firstName}</button></form></li>`,
      )}</ul>`
    : html`<p>Aucun enfant n'est rattaché à votre compte.</p>`,
)}
${section(
  'regroupement',
  'Ajouter des élèves depuis un autre compte',
  html`<p>Saisissez l'identifiant et le mot de passe (provisoire ou personnel) de l'autre compte, remis par l'école ou l'établissement. Les deux comptes doivent être au même nom et prénom. L'autre compte sera supprimé.</p>
${form(
  PAGES.accountRegroup,
  c.field,
  html`${input({ name: 'otherIdentifier', label: 'Identifiant de l’autre compte', autocomplete: 'off', value: values.otherIdentifier, errors, spellcheck: false, maxlength: 100 })}
${input({ name: 'otherPassword', label: 'Mot de passe de l’autre compte', type: 'password', autocomplete: 'off', errors, maxlength: 128 })}`,
  'Regrouper les comptes',
)}`,
)}
${section(
  'adresse-email',
  'Modifier mon adresse e-mail',
  form(
    PAGES.accountEmail,
    c.field,
    html`${input({ name: 'email', label: 'Nouvelle adresse e-mail', type: 'email', autocomplete: 'email', value: values.email, errors, maxlength: 254, spellcheck: false })}
${input({ name: 'emailConfirmation', label: 'Confirmez la nouvelle adresse e-mail', type: 'email', autocomplete: 'email', errors, maxlength: 254, spellcheck: false })}`,
    'Envoyer',
  ),
)}
<form method="post" action="/mon-compte/deconnexion">${c.field}<button type="submit" class="secondary">Se déconnecter</button></form>`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Mon compte', body, errors }), c.cookies);
  };

  server.get(
    PAGES.account,
    page(ctx, async (req, res) => {
      const s = await currentActor(req);
      if (!s) return loginPage(req, res);
      await accountPage(req, res, s.actor);
    }),
  );

  server.post(
    PAGES.accountLogin,
    page(ctx, async (req, res) => {
      const identifier = field(req, 'identifier');
      const r = await login(ctx, anonymousActor(req), identifier, field(req, 'password'));
      if (r.ok) return redirect(res, PAGES.account, [signedCookie(ctx, SESSION_COOKIE, r.sessionToken, SESSION_TTL_MS / 1000)]);
      if (r.reason === 'must_change') return redirect(res, PAGES.firstLogin);
      if (r.reason === 'must_renew') return redirect(res, PAGES.forcedChange, [forcedChangeCookie(ctx, r.ticket)]);
      loginPage(req, res, identifier, [{ field: 'identifier', messages: [r.text] }], r.reason === 'rate_limited' ? 429 : 400);
    }),
  );

  server.post(
    PAGES.accountLogout,
    page(ctx, async (req, res) => {
      const token = readSignedCookie(ctx, req, SESSION_COOKIE);
      if (token) await logout(ctx, token);
      redirect(res, PAGES.account, [clearCookie(ctx, SESSION_COOKIE)]);
    }),
  );

  /** Runs a logged-in action; its ServiceError 'invalid'/'conflict' shows on the account page. */
  const action = (fn: (req: restify.Request, actor: Actor) => Promise<string>, errorField: string, options: PageOptions = {}) =>
    page(
      ctx,
      async (req, res) => {
        const s = await currentActor(req);
        if (!s) return redirect(res, PAGES.account);
        try {
          redirect(res, `${PAGES.account}?ok=${await fn(req, s.actor)}`);
        } catch (err) {
          if (err instanceof ServiceError && (err.code === 'invalid' || err.code === 'conflict' || err.code === 'rate_limited' || err.code === 'not_found')) {
            return accountPage(req, res, s.actor, [{ field: errorField, messages: [err.userMessage] }], {
              otherIdentifier: field(req, 'otherIdentifier'),
              email: field(req, 'email'),
            });
          }
          throw err;
        }
      },
      options,
    );

  server.post(
    PAGES.accountRegroup,
    action(
      async (req, actor) => {
        await regroupAccounts(ctx, actor, field(req, 'otherIdentifier'), field(req, 'otherPassword'));
        return 'regroupe';
      },
      'otherIdentifier',
      { once: true, replay: true },
    ),
  );

  server.post(
    `${PAGES.accountChildren}/:pupilId/retirer`,
    action(
      async (req, actor) => {
        await removeChildLink(ctx, actor, Number.parseInt(param(req, 'pupilId'), 10));
        return 'retire';
      },
      'mes-enfants',
      { once: true, replay: true },
    ),
  );

  server.post(
    PAGES.accountEmail,
    action(
      async (req, actor) => {
        await requestEmailChange(ctx, actor, field(req, 'email'), field(req, 'emailConfirmation'));
        return 'email';
      },
      'email',
      { once: true },
    ),
  );

  server.get(
    tokenRoute(PAGES.emailChange),
    page(ctx, async (req, res) => {
      const c = csrf(ctx, req);
      const body = html`<p>Cliquez sur le bouton pour confirmer votre nouvelle adresse e-mail.</p>${form(`${PAGES.emailChange}/${param(req, 'token')}`, c.field, html``, 'Confirmer mon adresse e-mail')}`;
      sendHtml(res, 200, layout({ title: 'Confirmer mon adresse e-mail', body }), c.cookies);
    }),
  );

  server.post(
    tokenRoute(PAGES.emailChange),
    page(
      ctx,
      async (req, res) => {
        await confirmEmailChange(ctx, anonymousActor(req), param(req, 'token'));
        redirect(res, PAGES.emailConfirmed);
      },
      { once: true, replay: true },
    ),
  );

  server.get(
    PAGES.emailConfirmed,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage('Nouvelle adresse e-mail enregistrée', 'Votre nouvelle adresse e-mail est désormais celle de votre compte EduConnect.', 'success'),
      );
    }),
  );
}
