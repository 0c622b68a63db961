// A Direct Line 3.0-compatible facade for the official Web Chat (DirectLineJS), without
// Azure: tokens, conversations, activities (polling and websocket) stored in the database,
// and an internal Bot Connector endpoint that receives the bot's replies.
//
//   POST /api/webchat/token[?as=<aad id>]              -> { token, conversationId, expires_in }
//   POST /v3/directline/conversations                    (Bearer) -> start, greeting
//   GET  /v3/directline/conversations/:id?watermark=     (Bearer) -> reconnect (new streamUrl)
//   POST /v3/directline/tokens/refresh                   (Bearer)
//   POST /v3/directline/conversations/:id/activities     (Bearer) -> { id }
//   GET  /v3/directline/conversations/:id/activities?watermark=N -> { activities, watermark }
//   WS   /v3/directline/conversations/:id/stream?t=…&watermark=N
//   POST /v3/directline/_connector/<secret>/v3/conversations/:id/activities[/:replyTo]
//        (loopback only: the bot's proactive messages; replies within a turn are stored directly)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type restify from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Activity, ActivityHandler, ResourceResponse, TurnContext } from 'botbuilder';
import type { AppConfig } from '../config.js';
import type { ServiceContext } from '../../services/context.js';
import type { Prisma } from '../../services/db/index.js';
import {
  appendChatActivity,
  createChatConversation,
  findChatConversation,
  findChatConversationByToken,
  listChatActivities,
  refreshChatToken,
  CHAT_TOKEN_TTL_SECONDS,
  type ChatActivityJson,
  type ChatConversationInfo,
} from '../../services/chat-store.js';
import type { BotAdapter, TurnTracker } from '../adapter.js';
import { hit } from '../../services/selfservice/ratelimit.js';
import { requestSource } from '../../web/pages/http.js';
import { ChatNotifier } from './notifier.js';
import type { SignalBus } from '../../services/signals.js';
import { connectorSecret, safeEqual, signStream, verifyStream } from './signing.js';

export const DIRECTLINE_BASE = '/v3/directline';
export const BOT_ACCOUNT = { id: 'educonnect-assistant', name: 'Assistance EduConnect', role: 'bot' } as const;

/** How long a stream URL may wait before the browser opens it. */
const STREAM_URL_TTL_MS = 2 * 60 * 1000;
/** How often an open websocket looks for activities written by other instances. */
const STREAM_POLL_MS = 1000;
const MAX_TEXT_LENGTH = 4000;
const USER_ACTIVITY_TYPES = new Set(['message', 'typing', 'event', 'invoke']);
/** Never sent to the browser (the facade's own start signal). */
const HIDDEN_TYPES = new Set(['conversationUpdate']);
const AS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/** New conversations per source and window, as a multiple of the self-service source limit (reloads, several tabs). */
const CONVERSATIONS_PER_SOURCE_FACTOR = 4;

export interface DirectLineOptions {
  config: Pick<AppConfig, 'production' | 'publicUrl' | 'secretKey'>;
  ctx: ServiceContext;
  bot: ActivityHandler;
  adapter: BotAdapter;
  tracker: TurnTracker;
  /** The base URL this instance is reachable at on the loopback interface (for the bot's replies). */
  loopbackUrl(): string;
  /** Cross-instance signals: sockets of every instance are pushed at once. */
  signals?: SignalBus;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Loopback, or a connection from this host to itself (server bound to one address). */
const fromThisMachine = (remote: string | undefined, local: string | undefined): boolean =>
  remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1' || (remote !== undefined && remote === local);

function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

function parseWatermark(raw: unknown): number {
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function queryValue(req: restify.Request, name: string): string | undefined {
  const query: unknown = req.query;
  const value = isObject(query) ? query[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function routeParam(req: restify.Request, name: string): string {
  const params: unknown = req.params;
  const value = isObject(params) ? params[name] : undefined;
  return typeof value === 'string' ? value : '';
}

const visible = (activities: ChatActivityJson[]): ChatActivityJson[] => activities.filter((a) => !HIDDEN_TYPES.has(String(a.type)));

/** Keeps what a browser may legitimately send; identity fields are set by the server. */
function sanitizeUserActivity(body: unknown, conversation: ChatConversationInfo): ChatActivityJson {
  if (!isObject(body) || typeof body.type !== 'string' || !USER_ACTIVITY_TYPES.has(body.type)) {
    throw new HttpError(400, 'BadArgument', 'Unsupported activity');
  }
  const activity: ChatActivityJson = { type: body.type, from: { id: conversation.userId, role: 'user' } };
  if (typeof body.text === 'string') activity.text = body.text.slice(0, MAX_TEXT_LENGTH);
  if (body.textFormat === 'plain' || body.textFormat === 'markdown') activity.textFormat = body.textFormat;
  if (typeof body.locale === 'string') activity.locale = body.locale.slice(0, 20);
  if (typeof body.name === 'string') activity.name = body.name.slice(0, 100);
  if (body.value !== undefined && JSON.stringify(body.value).length <= 20_000) activity.value = body.value as Prisma.JsonValue;
  if (isObject(body.channelData)) {
    const { clientActivityID, clientTimestamp } = body.channelData;
    activity.channelData = {
      ...(typeof clientActivityID === 'string' ? { clientActivityID: clientActivityID.slice(0, 100) } : {}),
      ...(typeof clientTimestamp === 'string' ? { clientTimestamp: clientTimestamp.slice(0, 40) } : {}),
    };
  }
  return activity;
}

/** The activity as the bot receives it: with the channel's own fields. */
function toBotActivity(stored: ChatActivityJson, conversation: ChatConversationInfo, serviceUrl: string): Activity {
  return {
    ...(stored as unknown as Activity),
    channelId: 'directline',
    serviceUrl,
    from: { id: conversation.userId, name: '', role: 'user' },
    recipient: { ...BOT_ACCOUNT },
    conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
  };
}

export interface DirectLineFacade {
  /** Closes the open websockets (shutdown). */
  close(): void;
}

export function registerDirectLine(server: restify.Server, options: DirectLineOptions): DirectLineFacade {
  const { ctx, config, adapter, bot, tracker } = options;
  const notifier = new ChatNotifier(options.signals);
  const secret = connectorSecret(config.secretKey);
  const connectorBase = `${DIRECTLINE_BASE}/_connector/${secret}`;
  const serviceUrl = (): string => `${options.loopbackUrl()}${connectorBase}`;
  const wsBase = config.publicUrl.replace(/^http/, 'ws');

  const streamUrl = (conversationId: string, watermark: number): string => {
    const t = signStream(config.secretKey, conversationId, new Date(ctx.now().getTime() + STREAM_URL_TTL_MS));
    const w = watermark > 0 ? `&watermark=${watermark}` : '';
    return `${wsBase}${DIRECTLINE_BASE}/conversations/${encodeURIComponent(conversationId)}/stream?t=${encodeURIComponent(t)}${w}`;
  };

  async function authenticate(req: restify.Request, conversationId?: string): Promise<ChatConversationInfo> {
    const conversation = await findChatConversationByToken(ctx, bearer(req));
    if (!conversation) throw new HttpError(403, 'TokenExpired', 'Invalid or expired token');
    if (conversationId !== undefined && conversation.id !== conversationId) {
      throw new HttpError(403, 'BadArgument', 'Token not valid for this conversation');
    }
    return conversation;
  }

  /** Stores a bot activity (its identity fixed by us) and returns its Direct Line id. */
  async function storeBotActivity(conversation: ChatConversationInfo, activity: Record<string, unknown>): Promise<string> {
    const json = JSON.parse(JSON.stringify(activity)) as Prisma.JsonObject;
    delete json.serviceUrl;
    const { activity: stored } = await append(conversation.id, { ...json, from: { ...BOT_ACCOUNT }, recipient: { id: conversation.userId, role: 'user' } });
    return String(stored.id);
  }

  /**
   * Runs a bot turn for an activity of the browser. The bot's replies during the turn are
   * stored directly (no HTTP round trip, so they still land while the server shuts down);
   * only proactive messages go through the internal connector endpoint.
   */
  async function deliver(stored: ChatActivityJson, conversation: ChatConversationInfo): Promise<void> {
    const logic = async (turn: TurnContext): Promise<void> => {
      turn.onSendActivities(async (_turn, activities) => {
        const responses: ResourceResponse[] = [];
        for (const activity of activities) {
          if (activity.type === 'delay') await new Promise((r) => setTimeout(r, Math.min(Number(activity.value) || 1000, 5000)));
          // Trace and invoke responses are for the channel, not for the person.
          if (activity.type === 'delay' || activity.type === 'trace' || activity.type === 'invokeResponse') {
            responses.push({ id: '' });
            continue;
          }
          responses.push({ id: await storeBotActivity(conversation, { ...activity }) });
        }
        return responses;
      });
      await bot.run(turn);
    };
    await tracker.track(adapter.adapter.processActivityDirect(adapter.directLineAuthentication(), toBotActivity(stored, conversation, serviceUrl()), logic));
  }

  async function append(conversationId: string, activity: ChatActivityJson): Promise<{ seq: number; activity: ChatActivityJson }> {
    const result = await appendChatActivity(ctx, conversationId, activity);
    notifier.notify(conversationId);
    return result;
  }

  const handle =
    (work: (req: restify.Request, res: restify.Response) => Promise<void>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      try {
        await work(req, res);
      } catch (err) {
        if (err instanceof HttpError) {
          res.send(err.status, { error: { code: err.code, message: err.message } });
          return;
        }
        ctx.log.error({ err, path: req.path() }, 'direct line facade error');
        res.send(500, { error: { code: 'ServiceError', message: 'Internal error' } });
      }
    };

  const conversationReply = (conversation: ChatConversationInfo, token: string, watermark: number) => ({
    conversationId: conversation.id,
    token,
    expires_in: Math.max(0, Math.floor((conversation.expiresAt.getTime() - ctx.now().getTime()) / 1000)),
    streamUrl: streamUrl(conversation.id, watermark),
  });

  // The page's token: a new conversation. Outside production, ?as=<aad id> chooses the user id
  // so that the bot treats the visitor as that staff member; in production it is ignored.
  server.post(
    '/api/webchat/token',
    handle(async (req, res) => {
      const as = config.production ? undefined : queryValue(req, 'as');
      if (as !== undefined && !AS_PATTERN.test(as)) throw new HttpError(400, 'BadArgument', 'Invalid "as" parameter');
      const limit = await hit(ctx, 'source', `webchat:${requestSource(req)}`, ctx.settings.selfService.rateLimits.perSource * CONVERSATIONS_PER_SOURCE_FACTOR);
      if (!limit.allowed) {
        res.setHeader('Retry-After', String(limit.retryAfterMinutes * 60));
        throw new HttpError(429, 'TooManyRequests', 'Too many conversations, try again later');
      }
      const { conversation, token } = await createChatConversation(ctx, as);
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, { token, conversationId: conversation.id, expires_in: CHAT_TOKEN_TTL_SECONDS });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE}/conversations`,
    handle(async (req, res) => {
      const token = bearer(req);
      const conversation = await authenticate(req);
      // The first start tells the bot that the user joined, so that it greets them.
      const start = await append(conversation.id, { type: 'conversationUpdate', membersAdded: [{ id: conversation.userId }, { ...BOT_ACCOUNT }] });
      if (start.seq === 1) await deliver(start.activity, conversation);
      res.setHeader('Cache-Control', 'no-store');
      res.send(start.seq === 1 ? 201 : 200, conversationReply(conversation, token, 0));
    }),
  );

  server.get(
    `${DIRECTLINE_BASE}/conversations/:conversationId`,
    handle(async (req, res) => {
      const conversation = await authenticate(req, routeParam(req, 'conversationId'));
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, conversationReply(conversation, bearer(req), parseWatermark(queryValue(req, 'watermark'))));
    }),
  );

  server.post(
    `${DIRECTLINE_BASE}/tokens/refresh`,
    handle(async (req, res) => {
      const conversation = await authenticate(req);
      const expiresAt = await refreshChatToken(ctx, conversation);
      if (!expiresAt) throw new HttpError(403, 'TokenExpired', 'Conversation too old, start a new one');
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, { conversationId: conversation.id, token: bearer(req), expires_in: CHAT_TOKEN_TTL_SECONDS });
    }),
  );

  server.post(
    `${DIRECTLINE_BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = await authenticate(req, routeParam(req, 'conversationId'));
      const { activity } = await append(conversation.id, sanitizeUserActivity(req.body, conversation));
      await deliver(activity, conversation);
      res.send(200, { id: activity.id });
    }),
  );

  server.get(
    `${DIRECTLINE_BASE}/conversations/:conversationId/activities`,
    handle(async (req, res) => {
      const conversation = await authenticate(req, routeParam(req, 'conversationId'));
      const page = await listChatActivities(ctx, conversation.id, parseWatermark(queryValue(req, 'watermark')));
      res.setHeader('Cache-Control', 'no-store');
      res.send(200, { activities: visible(page.activities), watermark: String(page.watermark) });
    }),
  );

  // The Bot Connector API as the bot's ConnectorClient calls it (send / reply to activity):
  // proactive messages to a web chat conversation (e.g. an agent taking over).
  const receiveFromBot = handle(async (req, res) => {
    if (!fromThisMachine(req.socket.remoteAddress, req.socket.localAddress) || !safeEqual(routeParam(req, 'secret'), secret)) {
      throw new HttpError(403, 'Forbidden', 'Forbidden');
    }
    const conversation = await findChatConversation(ctx, routeParam(req, 'conversationId'));
    if (!conversation) throw new HttpError(404, 'NotFound', 'Unknown conversation');
    const body: unknown = req.body;
    if (!isObject(body) || typeof body.type !== 'string') throw new HttpError(400, 'BadArgument', 'Invalid activity');
    res.send(200, { id: await storeBotActivity(conversation, body) });
  });
  server.post(`${DIRECTLINE_BASE}/_connector/:secret/v3/conversations/:conversationId/activities`, receiveFromBot);
  server.post(`${DIRECTLINE_BASE}/_connector/:secret/v3/conversations/:conversationId/activities/:replyToId`, receiveFromBot);

  // Websocket stream: pushes { activities, watermark } as they arrive.
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const streamPath = new RegExp(`^${DIRECTLINE_BASE}/conversations/([^/]+)/stream$`);

  function openStream(socket: WebSocket, conversationId: string, from: number): void {
    sockets.add(socket);
    let watermark = from;
    let running = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const page = await listChatActivities(ctx, conversationId, watermark);
          if (page.watermark === watermark) break;
          watermark = page.watermark;
          const activities = visible(page.activities);
          if (activities.length && socket.readyState === socket.OPEN) socket.send(JSON.stringify({ activities, watermark: String(watermark) }));
          again = true;
        } while (again && socket.readyState === socket.OPEN);
      } catch (err) {
        ctx.log.warn({ err, conversationId }, 'direct line stream: could not read activities');
      } finally {
        running = false;
      }
    };
    const unsubscribe = notifier.subscribe(conversationId, () => void pump());
    const timer = setInterval(() => void pump(), STREAM_POLL_MS);
    // DirectLineJS sends empty messages as keep-alives; nothing else is expected.
    socket.on('message', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      unsubscribe();
      sockets.delete(socket);
    });
    void pump();
  }

  const refuse = (socket: Duplex, status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = streamPath.exec(url.pathname);
    if (!match?.[1]) {
      refuse(socket, '404 Not Found');
      return;
    }
    const conversationId = decodeURIComponent(match[1]);
    if (!verifyStream(config.secretKey, conversationId, url.searchParams.get('t') ?? '', ctx.now())) {
      refuse(socket, '403 Forbidden');
      return;
    }
    findChatConversation(ctx, conversationId).then(
      (conversation) => {
        if (!conversation || conversation.expiresAt <= ctx.now()) {
          refuse(socket, '403 Forbidden');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => openStream(ws, conversationId, parseWatermark(url.searchParams.get('watermark') ?? undefined)));
      },
      (err: unknown) => {
        ctx.log.error({ err }, 'direct line stream: lookup failed');
        refuse(socket, '500 Internal Server Error');
      },
    );
  });

  return {
    close() {
      for (const socket of sockets) socket.close(1001, 'server shutting down');
      wss.close();
    },
  };
}
