// Lost password pages: the request (identifier + email or SMS), the SMS code, and the page
// where the new password is chosen from a link (/mot-de-passe/:token).
import type restify from 'restify';
import { PAGES, tokenRoute } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { passwordPageInfo, requestPasswordReset, setPasswordWithToken, verifyCode, type ResetMethod } from '../../services/selfservice/password.js';
import { texts } from '../../services/selfservice/uniform.js';
import { ServiceError } from '../../services/errors.js';
import { html } from './html.js';
import { anonymousActor, csrf, field, param, redirect, sendHtml, signedCookie } from './http.js';
import { form, input, layout, messagePage, newPasswordFields, passwordErrors, radios, type FieldError } from './layout.js';
import { page } from './handler.js';
import { smsCodeRoutes } from './sms-code.js';

const REQUEST_COOKIE = 'ec_pwreq';

function newPasswordPage(
  ctx: ServiceContext,
  req: restify.Request,
  res: restify.Response,
  token: string,
  info: { identifier: string; firstName: string },
  errors: FieldError[] = [],
): void {
  const c = csrf(ctx, req);
  const body = html`<p>Bonjour ${info.firstName}, choisissez votre nouveau mot de passe EduConnect.</p>
${form(`${PAGES.passwordPage}/${token}`, c.field, newPasswordFields(info.identifier, errors, true), 'Enregistrer le mot de passe')}`;
  sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Choisir un nouveau mot de passe', body, errors }), c.cookies);
}

export function registerPasswordPages(server: restify.Server, ctx: ServiceContext): void {
  server.get(
    tokenRoute(PAGES.passwordPage),
    page(ctx, async (req, res) => {
      const token = param(req, 'token');
      newPasswordPage(ctx, req, res, token, await passwordPageInfo(ctx, token));
    }),
  );

  server.post(
    tokenRoute(PAGES.passwordPage),
    page(
      ctx,
      async (req, res) => {
        const token = param(req, 'token');
        const r = await setPasswordWithToken(ctx, anonymousActor(req), token, field(req, 'password'), field(req, 'confirmation'));
        if (r.ok) return redirect(res, PAGES.passwordChanged);
        newPasswordPage(ctx, req, res, token, await passwordPageInfo(ctx, token), passwordErrors(r.reasons));
      },
      { once: true, replay: true },
    ),
  );

  server.get(
    PAGES.passwordChanged,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage(
          'Mot de passe modifié',
          'Votre mot de passe a bien été modifié. Vous pouvez maintenant vous connecter à vos services avec votre identifiant et ce nouveau mot de passe.',
          'success',
        ),
      );
    }),
  );

  const requestForm = (req: restify.Request, res: restify.Response, values: { identifier?: string; method?: string }, errors: FieldError[] = []): void => {
    const c = csrf(ctx, req);
    const body = form(
      PAGES.lostPassword,
      c.field,
      html`${input({ name: 'identifier', label: 'Identifiant EduConnect', hint: 'Par exemple : c.dupont12. Il figure sur le courrier remis par l’école.', autocomplete: 'username', value: values.identifier, errors, spellcheck: false, maxlength: 100 })}
${radios({
  name: 'method',
  legend: 'Comment souhaitez-vous recevoir de quoi changer votre mot de passe ?',
  value: values.method,
  errors,
  options: [
    { value: 'email', label: 'Par e-mail, à l’adresse e-mail de mon compte' },
    { value: 'sms', label: `Par SMS, au numéro de portable de mon compte (code valable ${ctx.settings.selfService.codeTtlMinutes} minutes)` },
  ],
})}`,
      'Continuer',
    );
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Mot de passe perdu', body, errors }), c.cookies);
  };

  server.get(
    PAGES.lostPassword,
    page(ctx, async (req, res) => requestForm(req, res, {})),
  );

  server.post(
    PAGES.lostPassword,
    page(
      ctx,
      async (req, res) => {
        const identifier = field(req, 'identifier');
        const method: ResetMethod = field(req, 'method') === 'sms' ? 'sms' : 'email';
        try {
          const r = await requestPasswordReset(ctx, anonymousActor(req), identifier, method);
          if (r.status === 'rate_limited') return sendHtml(res, 429, messagePage('Trop de demandes', r.text));
          if ('requestId' in r)
            return redirect(res, PAGES.lostPasswordCode, [signedCookie(ctx, REQUEST_COOKIE, r.requestId, ctx.settings.selfService.codeTtlMinutes * 60)]);
          return redirect(res, PAGES.lostPasswordSent);
        } catch (err) {
          if (err instanceof ServiceError && err.code === 'invalid')
            return requestForm(req, res, { identifier, method }, [{ field: 'identifier', messages: [err.userMessage] }]);
          throw err;
        }
      },
      { once: true },
    ),
  );

  server.get(
    PAGES.lostPasswordSent,
    page(ctx, async (_req, res) => {
      sendHtml(res, 200, messagePage('Vérifiez vos e-mails', texts.passwordByEmail(ctx)));
    }),
  );

  smsCodeRoutes(server, ctx, {
    path: PAGES.lostPasswordCode,
    start: PAGES.lostPassword,
    restartLabel: 'Faire une nouvelle demande',
    requestCookie: REQUEST_COOKIE,
    notice: texts.passwordBySms,
    verify: verifyCode,
    next: (r) => ({ location: r.url }),
  });
}
