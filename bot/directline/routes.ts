// The HTTP routes of the Direct Line facade (tokens, conversations, activities), with the
// flood limits in front of what the browser posts.
//
//   POST /api/webchat/token[?as=<aad id>]              -> { token, conversationId, expires_in }
//   POST /v3/directline/conversations                    (Bearer) -> start, greeting
//   GET  /v3/directline/conversations/:id?watermark=     (Bearer) -> reconnect (new streamUrl)
//   POST /v3/directline/tokens/refresh                   (Bearer)
//   POST /v3/directline/conversations/:id/activities     (Bearer) -> { id } | 429 + Retry-After
//   GET  /v3/directline/conversations/:id/activities?watermark=N -> { activities, watermark }
import type restify from 'restify';
import type { AppConfig } from '../config.js';
import type { ServiceContext } from '../../services/context.js';
import {
  createChatConversation,
  findChatConversation,
  listChatActivityTexts,
  refreshChatToken,
  CHAT_TOKEN_TTL_SECONDS,
  type ChatParticipant,
} from '../../services/chat-store.js';
import { counterHits } from '../../services/selfservice/ratelimit.js';
import { isDatabaseUnavailable } from '../../services/db/errors.js';
import { requestSource } from '../../web/pages/http.js';
import type { BotBridge } from './bridge.js';
import { ChatFloodGuard, TokenBuckets, type ChatLimits } from './limits.js';
import { signToken, tokenVerifier } from './signing.js';
import type { DirectLineStreams } from './stream.js';
import {
  DIRECTLINE_BASE,
  HttpError,
  bearer,
  type Handle,
  parseWatermark,
  queryValue,
  routeParam,
  sanitizeUserActivity,
  HIDDEN_TYPES,
  pageJson,
} from './protocol.js';

/** What ?as= may hold (an Entra ID object id or a test user id). */
export const AS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/** New conversations per source and window, as a multiple of the self-service source limit (reloads, several tabs). */
const CONVERSATIONS_PER_SOURCE_FACTOR = 4;
/** Seconds a client is asked to wait when the database does not answer. */
const DATABASE_RETRY_AFTER = 5;
/** At most one "slow down" line per conversation and interval, on this instance. */
const SLOW_DOWN_NOTICE_MS = 30_000;

export const slowDownText = (seconds: number): string =>
  `Vous avez envoyé beaucoup de messages à la suite. Merci de patienter ${seconds} seconde${seconds > 1 ? 's' : ''} avant d’écrire à nouveau : votre dernier message n’a pas été transmis.`;

/** The 503 body's message (the page shows its own French line when the token is refused). */
export const UNAVAILABLE_TEXT = 'L’assistant est momentanément indisponible. Merci de réessayer dans quelques minutes.';

export interface RoutesOptions {
  config: Pick<AppConfig, 'production' | 'secretKey'>;
  ctx: ServiceContext;
  bridge: BotBridge;
  streams: DirectLineStreams;
  limits: ChatLimits;
}

/** The client's address, from the socket (never from a header the client controls). */
export const clientAddress = (req: { socket: { remoteAddress?: string } }): string => requestSource(req as restify.Request);

/** Known errors as Direct Line error bodies; a database that does not answer -> 503 + Retry-After, never 500. */
export function errorHandling(ctx: ServiceContext): Handle {
  return (work) => async (req, res) => {
    try {
      await work(req, res);
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.retryAfter !== undefined) res.setHeader('Retry-After', String(err.retryAfter));
        res.send(err.status, { error: { code: err.code, message: err.message } });
        return;
      }
      if (isDatabaseUnavailable(err)) {
        ctx.log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'direct line facade: database unavailable');
        res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER));
        res.send(503, { error: { code: 'ServiceUnavailable', message: UNAVAILABLE_TEXT } });
        return;
      }
      ctx.log.error({ err }, 'direct line facade error');
      res.send(500, { error: { code: 'ServiceError', message: 'Internal error' } });
    }
  };
}

export function registerRoutes(server: restify.Server, options: RoutesOptions): void {
  const { ctx, config, bridge, streams } = options;
  const flood = new ChatFloodGuard(ctx, options.limits);
  // Any facade request, per address, in memory only (a browser polling every second makes 60 a minute).
  const requests = new TokenBuckets(options.limits.requestsPerMinutePerAddress, 100);
  const noticed = new Map<string, number>();

  const verifyToken = tokenVerifier(config.secretKey);
  const guarded = errorHandling(ctx);
  const handle: Handle = (work) =>
    guarded(async (req, res) => {
      const wait = requests.take(clientAddress(req), ctx.now().getTime());
      if (wait > 0) throw new HttpError(429, 'TooManyRequests', 'Too many requests, slow down', wait);
      await work(req, res);
    });

  /**
   * The conversation and user the bearer token names (a signature, no database read). Whether
   * the token is still alive is checked by the statement that serves the request.
   */
  function authenticate(req: restify.Request, conversationId?: string): ChatParticipant {
    const participant = verifyToken(bearer(req));
    if (!participant) throw new HttpError(403, 'TokenExpired', 'Invalid or expired token');
    if (conversationId !== undefined && participant.id !== conversationId) {
      throw new HttpError(403, 'BadArgument', 'Token not valid for this conversation');
    }
    return participant;
  }
  const expired = (): HttpError => new HttpError(403, 'TokenExpired', 'Invalid or expired token');

  /** Tells the person, in the chat, to slow down (once in a while: the notice is itself a write). */
  async function slowDown(participant: ChatParticipant, seconds: number): Promise<void> {
    const now = ctx.now().getTime();
    if ((noticed.get(participant.id) ?? 0) > now) return;
    if (noticed.size > 10_000) noticed.clear();
    noticed.set(participant.id, now + SLOW_DOWN_NOTICE_MS);
    const notice = await bridge.storeBotActivity(participant, { type: 'message', text: slowDownText(seconds), textFormat: 'plain' }, ctx.now());
    if (notice === null) throw expired();
  }
  async function tooFast(participant: ChatParticipant, seconds: number): Promise<never> {
    await slowDown(participant, seconds);
    throw new HttpError(429, 'TooManyRequests', 'Too many messages, slow down', seconds);
  }

  const conversationReply = (conversationId: string, expiresAt: Date, token: string, watermark: number) => ({
    conversationId,
    token,
    expires_in: Math.max(0, Math.floor((expiresAt.getTime() - ctx.now().getTime()) / 1000)),
    streamUrl: streams.url(conversationId, watermark),
  });

  // The page's token: a new conversation. Outside production, ?as=<aad id> chooses the user id
  // so that the bot treats the visitor as that staff member; in production it is ignored.
  server.post(
    '/api/webchat/token',
    handle(async (req, res) => {
      const as = config.production ? undefined : queryValue(req, 'as');
      if (as !== undefined && !AS_PATTERN.test(as)) throw new HttpError(400, 'BadArgument', 'Invalid "as" parameter');
      // One statement counts the new conversation for its source and creates it.
      const counters = counterHits(ctx, 'source', [
        { key: `webchat:${clientAddress(req)}`, limit: ctx.settings.selfService.rateLimits.perSource * CONVERSATIONS_PER_SOURCE_FACTOR },
      ]);
      const conversation = await createChatConversation(ctx, as, counters);
      if (!conversation) throw new HttpError(429, 'TooManyRequests', 'Too many conversations, try again later', counters.retryAfterMinutes * 60);
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, { token: signToken(config.secretKey, conversation), conversationId: conversation.id, expires_in: CHAT_TOKEN_TTL_SECONDS });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE}/conversations`,
    handle(async (req, res) => {
      const participant = authenticate(req);
      // The first start tells the bot that the user joined, so that it greets them.
      const start = await bridge.start(participant, clientAddress(req), ctx.now());
      if (start.status !== 'stored') throw expired();
      res.setHeader('Cache-Control', 'no-store');
      res.send(start.seq === 1 ? 201 : 200, conversationReply(participant.id, start.expiresAt, bearer(req), 0));
    }),
  );

  server.get(
    `${DIRECTLINE_BASE}/conversations/:conversationId`,
    handle(async (req, res) => {
      const participant = authenticate(req, routeParam(req, 'conversationId'));
      const conversation = await findChatConversation(ctx, participant.id, ctx.now());
      if (!conversation) throw expired();
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, conversationReply(conversation.id, conversation.expiresAt, bearer(req), parseWatermark(queryValue(req, 'watermark'))));
    }),
  );

  server.post(
    `${DIRECTLINE_BASE}/tokens/refresh`,
    handle(async (req, res) => {
      const conversation = await findChatConversation(ctx, authenticate(req).id, ctx.now());
      if (!conversation) throw expired();
      const expiresAt = await refreshChatToken(ctx, conversation);
      if (!expiresAt) throw new HttpError(403, 'TokenExpired', 'Conversation too old, start a new one');
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, { conversationId: conversation.id, token: bearer(req), expires_in: CHAT_TOKEN_TTL_SECONDS });
    }),
  );

  // One statement: the token's expiry, the shared flood counters and the append (then the bot's turn).
  server.post(
    `${DIRECTLINE_BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const participant = authenticate(req, routeParam(req, 'conversationId'));
      const incoming = sanitizeUserActivity(req.body, participant);
      const address = clientAddress(req);
      const wait = flood.take(participant.id, address);
      if (wait > 0) return tooFast(participant, wait);
      const result = await bridge.receiveFromUser(participant, incoming, address, { aliveAt: ctx.now(), counters: flood.counters(participant.id, address) });
      if (result.status === 'gone') throw expired();
      if (result.status === 'limited') return tooFast(participant, flood.retryAfterCounters());
      res.send(200, { id: result.activity.id });
    }),
  );

  // One statement: the token's expiry and the activities after the watermark, as stored JSON texts.
  server.get(
    `${DIRECTLINE_BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const participant = authenticate(req, routeParam(req, 'conversationId'));
      const watermark = parseWatermark(queryValue(req, 'watermark'));
      const page = await listChatActivityTexts(ctx, participant.id, watermark, { aliveAt: ctx.now(), hiddenTypes: HIDDEN_TYPES });
      if (!page) throw expired();
      // The activities' stored JSON texts as they are: no parsing and serialising per request.
      res.sendRaw(200, pageJson(page.texts, page.watermark), { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    }),
  );
}
