// Route handlers of the self-service pages: service errors become a French page with the
// right status, anything else a generic page (details only in the log); CSRF is checked on
// every POST before the handler runs.
import { setTimeout as sleep } from 'node:timers/promises';
import type restify from 'restify';
import type { ServiceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { claimOnce, confirmationOutcome, isConfirmationId, releaseClaim, setConfirmationOutcome } from '../../services/confirmations.js';
import { PAGES } from '../../services/public-paths.js';
import { anonymousActor, checkCsrf, field, readSignedCookie, redirect, redirectedTo, sendHtml } from './http.js';
import { messagePage } from './layout.js';

type Handler = (req: restify.Request, res: restify.Response) => Promise<void>;

const STATUS: Record<ServiceError['code'], number> = { forbidden: 403, not_found: 404, invalid: 400, rate_limited: 429, conflict: 409, expired: 410 };

export interface PageOptions {
  /**
   * The same rendered form (its hidden `once` id) is acted on once; a second submission
   * (double click, retry, back + resubmit) does nothing more. A submission that ends in an
   * error page (4xx: nothing done) gives the id back.
   */
  once?: boolean;
  /**
   * With `once`: the form changes the account (a password, a mobile, a link) rather than
   * sending something. A second submission after the first one finished is sent where the first
   * one went (a page of the registry, never a token link), so that it reads the same answer;
   * while the first one is still running it is asked to wait.
   */
  replay?: boolean;
}

/** A redirect target worth replaying: a page of the registry (with a query at most), no token. */
function replayable(location: string | undefined): location is string {
  const path = location?.split('?')[0];
  return path !== undefined && (Object.values(PAGES) as string[]).includes(path);
}

/**
 * Waits between reads of a first submission still running: its answer is recorded just after it
 * is sent, so a second click (or a retry) arriving meanwhile gets the same answer, not "en cours".
 */
const RUNNING_WAITS_MS = [50, 100, 200, 400, 800];

/** What the first submission of a form answered: where it went, or 'done' (elsewhere), or 'running' (still, after the waits). */
async function firstAnswer(ctx: ServiceContext, id: string): Promise<{ location: string } | 'done' | 'running'> {
  for (const wait of [0, ...RUNNING_WAITS_MS]) {
    if (wait) await sleep(wait);
    const outcome = await confirmationOutcome(ctx, id);
    if (outcome && typeof outcome === 'object' && !Array.isArray(outcome)) {
      const location: unknown = outcome.location;
      return typeof location === 'string' && replayable(location) ? { location } : 'done';
    }
  }
  return 'running';
}

const SUBMITTED_TWICE =
  'Votre demande a déjà été prise en compte : rien n’a été envoyé une seconde fois. Consultez vos e-mails ou vos SMS ; si vous ne recevez rien, recommencez depuis le formulaire dans quelques minutes.';
const IN_PROGRESS =
  'Votre demande a déjà été envoyée et elle est en cours de traitement : elle ne sera pas faite deux fois. Patientez quelques secondes, puis rechargez la page.';
const ALREADY_DONE_HERE =
  'Votre demande a déjà été prise en compte : elle n’a pas été refaite. Si la page suivante ne s’est pas affichée, reprenez depuis le début.';

/** After the handler: an error page gives the id back (nothing done); else the first answer is kept for replays. */
async function settleClaim(ctx: ServiceContext, id: string, res: restify.Response, replay: boolean): Promise<void> {
  if (res.statusCode >= 400) return releaseClaim(ctx.db, id);
  if (!replay) return;
  const to = redirectedTo(res);
  await setConfirmationOutcome(ctx.db, id, replayable(to) ? { location: to } : { done: true });
}

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
            const answer = options.replay ? await firstAnswer(ctx, id) : undefined;
            if (answer && typeof answer === 'object') return redirect(res, answer.location);
            const text = answer === undefined ? SUBMITTED_TWICE : answer === 'done' ? ALREADY_DONE_HERE : IN_PROGRESS;
            sendHtml(res, 409, messagePage('Demande déjà prise en compte', text, 'notice', { href: req.path(), text: 'Revenir au formulaire' }));
            return;
          }
          claimed = id;
        }
      }
      await fn(req, res);
      // The answer is sent: settling the claim can no longer change it.
      const id = claimed;
      claimed = null;
      if (id) await settleClaim(ctx, id, res, options.replay === true).catch((err: unknown) => ctx.log.warn({ err }, 'form claim not settled'));
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

type TicketHandler = (req: restify.Request, res: restify.Response, ticket: string) => Promise<void>;

export interface TicketStep {
  path: string;
  /** The signed cookie holding the ticket of the step. */
  cookie: string;
  /** Where a visitor without a valid ticket is sent (the start of the procedure). */
  start: string;
  show: TicketHandler;
  submit: TicketHandler;
}

/**
 * A page reached with a ticket (a signed cookie): without it, back to the start; GET shows the
 * form, POST handles it once and sends a double submission where the first one went.
 */
export function ticketStep(server: restify.Server, ctx: ServiceContext, step: TicketStep): void {
  const withTicket =
    (handler: TicketHandler): Handler =>
    async (req, res) => {
      const ticket = readSignedCookie(ctx, req, step.cookie);
      if (!ticket) return redirect(res, step.start);
      await handler(req, res, ticket);
    };
  server.get(step.path, page(ctx, withTicket(step.show)));
  server.post(step.path, page(ctx, withTicket(step.submit), { once: true, replay: true }));
}
