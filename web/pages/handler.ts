// Route handlers of the self-service pages: service errors become a French page with the
// right status, anything else a generic page (details only in the log); CSRF is checked on
// every POST before the handler runs.
import type restify from 'restify';
import type { ServiceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { checkCsrf, sendHtml } from './http.js';
import { messagePage } from './layout.js';

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

const STATUS: Record<ServiceError['code'], number> = { forbidden: 403, not_found: 404, invalid: 400, rate_limited: 429, conflict: 409, expired: 410 };

export function page(ctx: ServiceContext, fn: Handler): Handler {
  return async (req, res) => {
    try {
      if (req.method === 'POST' && !checkCsrf(ctx, req)) {
        sendHtml(res, 403, messagePage('Formulaire expiré', "Ce formulaire n'est plus valable. Revenez à la page précédente, rechargez-la puis recommencez."));
        return;
      }
      await fn(req, res);
    } catch (err) {
      if (err instanceof ServiceError) {
        sendHtml(res, STATUS[err.code], messagePage(err.code === 'expired' ? 'Lien ou session expiré' : 'Action impossible', err.userMessage));
        return;
      }
      ctx.log.error({ err, path: req.path() }, 'self-service page failed');
      sendHtml(res, 500, messagePage('Erreur', 'Une erreur technique est survenue. Réessayez dans quelques minutes.'));
    }
  };
}
