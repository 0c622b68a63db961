// Route handlers of the self-service pages: service errors become a French page with the
// right status, anything else a generic page (details only in the log); CSRF is checked on
// every POST before the handler runs.
import type restify from 'restify';
import type { ServiceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { claimOnce, isConfirmationId, releaseClaim } from '../../services/confirmations.js';
import { anonymousActor, checkCsrf, field, sendHtml } from './http.js';
import { messagePage } from './layout.js';

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

const STATUS: Record<ServiceError['code'], number> = { forbidden: 403, not_found: 404, invalid: 400, rate_limited: 429, conflict: 409, expired: 410 };

export interface PageOptions {
  /**
   * The form sends a mail or an SMS: the same rendered form (its hidden `once` id) is acted on
   * once; a second submission (double click, retry, back + resubmit) sends nothing more.
   */
  once?: boolean;
}

const SUBMITTED_TWICE = 'Votre demande a déjà été prise en compte : rien n’a été envoyé une seconde fois. Consultez vos e-mails ou vos SMS ; si vous ne recevez rien, recommencez depuis le formulaire dans quelques minutes.';

export function page(ctx: ServiceContext, fn: Handler, options: PageOptions = {}): Handler {
  return async (req, res) => {
    let claimed: string | null = null;
    try {
      if (req.method === 'POST' && !checkCsrf(ctx, req)) {
        sendHtml(res, 403, messagePage('Formulaire expiré', "Ce formulaire n'est plus valable. Revenez à la page précédente, rechargez-la puis recommencez."));
        return;
      }
      if (req.method === 'POST' && options.once) {
        const id = field(req, 'once');
        if (isConfirmationId(id)) {
          const first = await ctx.db.$transaction((tx) => claimOnce(ctx, tx, { kind: `form:${req.path()}`, actor: anonymousActor(req), id }));
          if (!first) {
            sendHtml(res, 409, messagePage('Demande déjà prise en compte', SUBMITTED_TWICE, 'notice', { href: req.path(), text: 'Revenir au formulaire' }));
            return;
          }
          claimed = id;
        }
      }
      await fn(req, res);
    } catch (err) {
      // Nothing was sent: the same form may be submitted again.
      if (claimed) await releaseClaim(ctx.db, claimed).catch(() => undefined);
      if (err instanceof ServiceError) {
        sendHtml(res, STATUS[err.code], messagePage(err.code === 'expired' ? 'Lien ou session expiré' : 'Action impossible', err.userMessage));
        return;
      }
      ctx.log.error({ err, path: req.path() }, 'self-service page failed');
      sendHtml(res, 500, messagePage('Erreur', 'Une erreur technique est survenue. Réessayez dans quelques minutes.'));
    }
  };
}
