// The forced choice of a new password after a mass reset (April 2024 notice): reached from
// a login with the usual password (ticket in a signed cookie), it shows why, then the new
// password typed twice; done -> "changed, log in with it" and a link back to the login.
import type restify from 'restify';
import { PAGES } from '../../services/public-paths.js';
import type { ServiceContext } from '../../services/context.js';
import { completeForcedChange, forcedChangeInfo } from '../../services/selfservice/forced-change.js';
import { html } from './html.js';
import { anonymousActor, clearCookie, csrf, field, redirect, sendHtml, signedCookie } from './http.js';
import { form, layout, messagePage, newPasswordFields, passwordErrors, type FieldError } from './layout.js';
import { page, ticketStep } from './handler.js';

const TICKET_COOKIE = 'ec_renew';
const DONE = PAGES.forcedChangeDone;

/** The Set-Cookie of a forced-change ticket, for the login pages that redirect here. */
export const forcedChangeCookie = (ctx: ServiceContext, ticket: string): string => signedCookie(ctx, TICKET_COOKIE, ticket, 20 * 60);

export function registerForcedChangePages(server: restify.Server, ctx: ServiceContext): void {
  const show = async (req: restify.Request, res: restify.Response, ticket: string, errors: FieldError[] = []): Promise<void> => {
    const info = await forcedChangeInfo(ctx, ticket);
    const c = csrf(ctx, req);
    const body = html`<div class="notice"><p>Votre mot de passe a été réinitialisé par mesure de sécurité. Pour accéder à vos services en ligne, choisissez dès maintenant un nouveau mot de passe, différent de l’ancien.</p></div>
${form(PAGES.forcedChange, c.field, newPasswordFields(info.identifier, errors, true), 'Enregistrer mon nouveau mot de passe')}`;
    sendHtml(res, errors.length ? 400 : 200, layout({ title: 'Je choisis mon nouveau mot de passe', body, errors }), c.cookies);
  };

  ticketStep(server, ctx, {
    path: PAGES.forcedChange,
    cookie: TICKET_COOKIE,
    start: PAGES.account,
    show,
    submit: async (req, res, ticket) => {
      const r = await completeForcedChange(ctx, anonymousActor(req), ticket, field(req, 'password'), field(req, 'confirmation'));
      if (r.ok) return redirect(res, DONE, [clearCookie(ctx, TICKET_COOKIE)]);
      await show(req, res, ticket, passwordErrors(r.reasons));
    },
  });

  server.get(
    DONE,
    page(ctx, async (_req, res) => {
      sendHtml(
        res,
        200,
        messagePage(
          'Mot de passe changé',
          'Votre mot de passe a été changé avec succès. Vous pouvez vous connecter avec votre nouveau mot de passe EduConnect.',
          'success',
          { href: PAGES.account, text: 'Retour à la connexion' },
        ),
      );
    }),
  );
}
