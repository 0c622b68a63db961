// "Mon compte" > "Mes informations" (self-help guide §4.4): the identifier, and the pages to
// change the password (current + new twice) and the mobile (new number -> code by SMS).
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import type { MyInformation } from '../../services/selfservice/my-account.js';
import { changeMyPassword, confirmMobileChange, requestMobileChange } from '../../services/selfservice/my-account.js';
import { ServiceError } from '../../services/errors.js';
import { PASSWORD_RULE_TEXT } from '../../services/selfservice/policy.js';
import { html, type SafeHtml } from './html.js';
import { clearCookie, csrf, field, readSignedCookie, redirect, sendHtml, signedCookie } from './http.js';
import { form, input, layout, type FieldError } from './layout.js';
import { page } from './handler.js';
import { currentSession } from './session.js';

const MOBILE_COOKIE = 'ec_mobile';

/** The "Mes informations" part of the account page. */
export function myInformationSection(info: MyInformation): SafeHtml {
  return html`<dl class="facts">
<dt>Identifiant</dt><dd class="identifier">${info.identifier}</dd>
<dt>Adresse e-mail</dt><dd>${info.email ?? 'aucune'}${info.email && !info.emailConfirmed ? ' (non confirmée)' : ''}</dd>
<dt>Téléphone portable</dt><dd>${info.mobile ?? 'aucun'}${info.mobile && !info.mobileConfirmed ? ' (non confirmé)' : ''}</dd>
</dl>
<p>${info.canChangePassword ? html`<a href="${PAGES.accountPassword}">Modifier mon mot de passe</a> · ` : ''}<a href="${PAGES.accountMobile}">Modifier mon numéro de portable</a></p>`;
}

export function registerAccountInfoPages(server: restify.Server, ctx: ServiceContext): void {
  const passwordPage = (req: restify.Request, res: restify.Response, errors: FieldError[] = []): void => {
    const c = csrf(ctx, req);
    const body = html`${form(
      PAGES.accountPassword,
      c.field,
      html`${input({ name: 'currentPassword', label: 'Mot de passe actuel', type: 'password', autocomplete: 'current-password', errors, maxlength: 128 })}
${input({ name: 'password', label: 'Nouveau mot de passe', type: 'password', autocomplete: 'new-password', hint: PASSWORD_RULE_TEXT, errors, maxlength: 128 })}
${input({ name: 'confirmation', label: 'Confirmez le nouveau mot de passe', type: 'password', autocomplete: 'new-password', errors, maxlength: 128 })}`,
      'Continuer',
    )}
<p><a href="${PAGES.account}">Annuler et revenir à « Mon compte »</a></p>`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Modifier mon mot de passe', body, errors }), c.cookies);
  };

  server.get(
    PAGES.accountPassword,
    page(ctx, async (req, res) => {
      if (!(await currentSession(ctx, req))) return redirect(res, PAGES.account);
      passwordPage(req, res);
    }),
  );

  server.post(
    PAGES.accountPassword,
    page(
      ctx,
      async (req, res) => {
        const s = await currentSession(ctx, req);
        if (!s) return redirect(res, PAGES.account);
        const r = await changeMyPassword(ctx, s.actor, field(req, 'currentPassword'), field(req, 'password'), field(req, 'confirmation'));
        if (r.ok) return redirect(res, `${PAGES.account}?ok=mot-de-passe`);
        passwordPage(req, res, [{ field: r.field, messages: r.reasons }]);
      },
      { once: true, replay: true },
    ),
  );

  const mobilePage = (req: restify.Request, res: restify.Response, value = '', errors: FieldError[] = [], status = 400): void => {
    const c = csrf(ctx, req);
    const body = html`<p>Un code vous sera envoyé par SMS à ce numéro : il deviendra celui de votre compte une fois le code saisi.</p>
${form(
  PAGES.accountMobile,
  c.field,
  input({
    name: 'mobile',
    label: 'Nouveau numéro de portable',
    type: 'tel',
    autocomplete: 'tel',
    hint: 'Par exemple : 06 12 34 56 78 (hors métropole, indiquez l’indicatif, par exemple +262).',
    value,
    errors,
    maxlength: 20,
  }),
  'Recevoir un code par SMS',
)}
<p><a href="${PAGES.account}">Annuler et revenir à « Mon compte »</a></p>`;
    sendHtml(res, errors.length ? status : 200, layout({ title: 'Modifier mon numéro de portable', body, errors }), c.cookies);
  };

  server.get(
    PAGES.accountMobile,
    page(ctx, async (req, res) => {
      if (!(await currentSession(ctx, req))) return redirect(res, PAGES.account);
      mobilePage(req, res);
    }),
  );

  server.post(
    PAGES.accountMobile,
    page(
      ctx,
      async (req, res) => {
        const s = await currentSession(ctx, req);
        if (!s) return redirect(res, PAGES.account);
        const mobile = field(req, 'mobile');
        try {
          const r = await requestMobileChange(ctx, s.actor, mobile);
          redirect(res, PAGES.accountMobileCode, [signedCookie(ctx, MOBILE_COOKIE, r.requestId, ctx.settings.selfService.codeTtlMinutes * 60)]);
        } catch (err) {
          if (err instanceof ServiceError && (err.code === 'invalid' || err.code === 'rate_limited'))
            return mobilePage(req, res, mobile, [{ field: 'mobile', messages: [err.userMessage] }], err.code === 'rate_limited' ? 429 : 400);
          throw err;
        }
      },
      { once: true },
    ),
  );

  const codePage = (req: restify.Request, res: restify.Response, errors: FieldError[] = []): void => {
    const c = csrf(ctx, req);
    const body = html`<div class="notice"><p>Un code à 6 chiffres vient d'être envoyé par SMS au nouveau numéro. Il est valable ${ctx.settings.selfService.codeTtlMinutes} minutes.</p></div>
${form(PAGES.accountMobileCode, c.field, input({ name: 'code', label: 'Code reçu par SMS', hint: '6 chiffres', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, errors }), 'Continuer')}
<p><a href="${PAGES.accountMobile}">Saisir un autre numéro</a></p>`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Saisir le code reçu par SMS', body, errors }), c.cookies);
  };

  server.get(
    PAGES.accountMobileCode,
    page(ctx, async (req, res) => {
      if (!(await currentSession(ctx, req)) || !readSignedCookie(ctx, req, MOBILE_COOKIE)) return redirect(res, PAGES.account);
      codePage(req, res);
    }),
  );

  server.post(
    PAGES.accountMobileCode,
    page(
      ctx,
      async (req, res) => {
        const s = await currentSession(ctx, req);
        const requestId = readSignedCookie(ctx, req, MOBILE_COOKIE);
        if (!s || !requestId) return redirect(res, PAGES.account);
        const r = await confirmMobileChange(ctx, s.actor, requestId, field(req, 'code'));
        if (!r.ok) return codePage(req, res, [{ field: 'code', messages: [r.text] }]);
        redirect(res, `${PAGES.account}?ok=portable`, [clearCookie(ctx, MOBILE_COOKIE)]);
      },
      { once: true, replay: true },
    ),
  );
}
