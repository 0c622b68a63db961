// The Direct Line 3.0 wire format of the facade: errors, bearer tokens, query and route
// values, what a browser may send, and the activity as the bot receives it.
import type { IncomingMessage } from 'node:http';
import type restify from 'restify';
import type { Activity } from 'botbuilder';
import type { Prisma } from '../../services/db/index.js';
import type { ChatActivityJson, ChatParticipant } from '../../services/chat-store.js';
import { normalizeInput } from '../../services/text.js';

export const DIRECTLINE_BASE = '/v3/directline';
/** The channel id of the activities the facade hands to the bot. */
export const DIRECTLINE_CHANNEL_ID = 'directline';
export const BOT_ACCOUNT = { id: 'educonnect-assistant', name: 'Assistance EduConnect', role: 'bot' } as const;

const MAX_TEXT_LENGTH = 4000;
/** Card submissions and channel data: deeper or bigger is not what Web Chat sends. */
const MAX_VALUE_DEPTH = 16;
const MAX_VALUE_CHARS = 20_000;
const USER_ACTIVITY_TYPES = new Set(['message', 'typing', 'event', 'invoke']);
/** Never sent to the browser (the facade's own start signal). */
export const HIDDEN_TYPES: readonly string[] = ['conversationUpdate'];

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, sent as Retry-After (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** Wraps a route's work with the facade's error answers. */
export type Handle = (work: (req: restify.Request, res: restify.Response) => Promise<void>) => (req: restify.Request, res: restify.Response) => Promise<void>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

export function parseWatermark(raw: unknown): number {
  const n = typeof raw === 'string' ? Number.parseInt(raw, 10) : NaN;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function queryValue(req: restify.Request, name: string): string | undefined {
  const query: unknown = req.query;
  const value = isObject(query) ? query[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function routeParam(req: restify.Request, name: string): string {
  const params: unknown = req.params;
  const value = isObject(params) ? params[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * The body of a page of activities ({ activities, watermark }) from the activities' stored
 * JSON texts (services/chat-store.ts listChatActivityTexts, without HIDDEN_TYPES), as they are.
 */
export const pageJson = (texts: readonly string[], watermark: number): string => `{"activities":[${texts.join(',')}],"watermark":"${watermark}"}`;

/**
 * A JSON value with every string made safe (normalizeInput), or undefined when it is nested
 * deeper than `maxDepth`. Iterative, so that no input can exhaust the stack.
 */
export function cleanJson(value: unknown, maxDepth = MAX_VALUE_DEPTH): Prisma.JsonValue | undefined {
  const clean = (v: unknown, depth: number): Prisma.JsonValue | undefined => {
    if (depth > maxDepth) return undefined;
    if (typeof v === 'string') return normalizeInput(v);
    if (typeof v === 'number') return Number.isFinite(v) ? v : null;
    if (typeof v === 'boolean' || v === null) return v;
    if (Array.isArray(v)) {
      const out: Prisma.JsonValue[] = [];
      for (const item of v) {
        const c = clean(item, depth + 1);
        if (c === undefined) return undefined;
        out.push(c);
      }
      return out;
    }
    if (isObject(v)) {
      const out: Record<string, Prisma.JsonValue> = {};
      for (const [k, item] of Object.entries(v)) {
        const c = clean(item, depth + 1);
        if (c === undefined) return undefined;
        out[normalizeInput(k)] = c;
      }
      return out;
    }
    return null;
  };
  return clean(value, 0);
}

/** Keeps what a browser may legitimately send; identity fields are set by the server. */
export function sanitizeUserActivity(body: unknown, conversation: ChatParticipant): ChatActivityJson {
  if (!isObject(body) || typeof body.type !== 'string' || !USER_ACTIVITY_TYPES.has(body.type)) {
    throw new HttpError(400, 'BadArgument', 'Unsupported activity');
  }
  const activity: ChatActivityJson = { type: body.type, from: { id: conversation.userId, role: 'user' } };
  if (typeof body.text === 'string') activity.text = normalizeInput(body.text.slice(0, MAX_TEXT_LENGTH));
  if (body.textFormat === 'plain' || body.textFormat === 'markdown') activity.textFormat = body.textFormat;
  if (typeof body.locale === 'string') activity.locale = normalizeInput(body.locale.slice(0, 20));
  if (typeof body.name === 'string') activity.name = normalizeInput(body.name.slice(0, 100));
  if (body.value !== undefined) {
    const value = cleanJson(body.value);
    if (value === undefined || JSON.stringify(value).length > MAX_VALUE_CHARS) throw new HttpError(400, 'BadArgument', 'Activity value too large or too deep');
    activity.value = value;
  }
  if (isObject(body.channelData)) {
    const { clientActivityID, clientTimestamp } = body.channelData;
    activity.channelData = {
      ...(typeof clientActivityID === 'string' ? { clientActivityID: normalizeInput(clientActivityID.slice(0, 100)) } : {}),
      ...(typeof clientTimestamp === 'string' ? { clientTimestamp: normalizeInput(clientTimestamp.slice(0, 40)) } : {}),
    };
  }
  return activity;
}

/**
 * A bot's activity as the facade stores it, as JSON text: from the bot, to the conversation's
 * user, without the service URL (botbuilder's activity goes through JSON once: undefined
 * fields dropped, dates as strings).
 */
export const botActivityJson = (activity: object, userId: string): string =>
  JSON.stringify({ ...activity, serviceUrl: undefined, from: { ...BOT_ACCOUNT }, recipient: { id: userId, role: 'user' } });

/** The activity as the bot receives it: with the channel's own fields. */
export function toBotActivity(stored: ChatActivityJson, conversation: ChatParticipant, serviceUrl: string): Activity {
  return {
    ...(stored as unknown as Activity),
    channelId: DIRECTLINE_CHANNEL_ID,
    serviceUrl,
    from: { id: conversation.userId, name: '', role: 'user' },
    recipient: { ...BOT_ACCOUNT },
    conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
  };
}

/** Loopback, or a connection from this host to itself (server bound to one address). */
export const fromThisMachine = (remote: string | undefined, local: string | undefined): boolean =>
  remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1' || (remote !== undefined && remote === local);
