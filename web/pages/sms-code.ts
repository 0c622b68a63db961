// The "code received by SMS" step shared by the lost-password and registration pages: the
// form and its GET/POST routes, reachable only with the signed cookie of a pending request.
import type restify from 'restify';
import type { Actor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { html } from './html.js';
import { anonymousActor, clearCookie, csrf, field, readSignedCookie, redirect, sendHtml } from './http.js';
import { form, input, layout, type FieldError } from './layout.js';
import { page } from './handler.js';

export interface SmsCodeStep<V extends { ok: true }> {
  /** Path of the step (GET shows the form, POST checks the code). */
  path: string;
  /** Where the request starts (also where to go without a pending request), and the link text to it. */
  start: string;
  restartLabel: string;
  /** Signed cookie holding the pending request id (cleared once the code is right). */
  requestCookie: string;
  notice: (ctx: ServiceContext) => string;
  verify: (ctx: ServiceContext, actor: Actor, requestId: string, code: string) => Promise<V | { ok: false; text: string }>;
  /** Where to go once the code is right, with the cookies to set. */
  next: (result: V) => { location: string; cookies?: string[] };
}

export function smsCodeRoutes<V extends { ok: true }>(server: restify.Server, ctx: ServiceContext, step: SmsCodeStep<V>): void {
  const codeForm = (req: restify.Request, res: restify.Response, errors: FieldError[] = []): void => {
    const c = csrf(ctx, req);
    const body = html`<div class="notice"><p>${step.notice(ctx)}</p></div>
${form(step.path, c.field, input({ name: 'code', label: 'Code reçu par SMS', hint: '6 chiffres', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, errors }), 'Continuer')}
<p><a href="${step.start}">${step.restartLabel}</a></p>`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Saisir le code reçu par SMS', body, errors }), c.cookies);
  };

  server.get(
    step.path,
    page(ctx, async (req, res) => {
      if (!readSignedCookie(ctx, req, step.requestCookie)) return redirect(res, step.start);
      codeForm(req, res);
    }),
  );

  server.post(
    step.path,
    page(
      ctx,
      async (req, res) => {
        const requestId = readSignedCookie(ctx, req, step.requestCookie);
        if (!requestId) return redirect(res, step.start);
        const r = await step.verify(ctx, anonymousActor(req), requestId, field(req, 'code'));
        if (!r.ok) return codeForm(req, res, [{ field: 'code', messages: [r.text] }]);
        const { location, cookies = [] } = step.next(r);
        redirect(res, location, [clearCookie(ctx, step.requestCookie), ...cookies]);
      },
      { once: true, replay: true },
    ),
  );
}
