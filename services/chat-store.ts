// Database side of the web chat's Direct Line facade: conversations (who, expiry, stream) and
// their ordered activities. Several instances share them; nothing lives in process memory.
// The HTTP protocol itself, and the signed bearer tokens, are in bot/directline/.
//
// Every request of a turn is one prepared statement on the pg pool (services/db/raw-query.ts): the
// conversation's expiry is checked inside the statement that does the work (append, list),
// and the flood counters are counted by the append itself.
import { randomBytes } from 'node:crypto';
import type { Prisma } from './db/index.js';
import { preparedStatement, rawQuery } from './db/raw-query.js';
import { countHitsSql, type CounterHits } from './selfservice/ratelimit.js';
import { activeRequestIdSql } from './handoff/requests.js';
import { stateDocumentSql, statesOf, type StoredState } from './state-store.js';
import type { ServiceContext } from './context.js';

/** A Direct Line activity as stored: plain JSON, with the id and timestamp set by the facade. */
export type ChatActivityJson = Prisma.JsonObject;

/** A conversation and its user, as a bearer token names them. */
export interface ChatParticipant {
  id: string;
  userId: string;
}

export interface ChatConversationInfo extends ChatParticipant {
  expiresAt: Date;
  createdAt: Date;
}

/** Token lifetime; the browser refreshes every 15 minutes (DirectLineJS). */
export const CHAT_TOKEN_TTL_SECONDS = 30 * 60;
/** A conversation cannot be refreshed beyond this age. */
export const CHAT_MAX_AGE_SECONDS = 12 * 60 * 60;

const randomId = (bytes: number): string => randomBytes(bytes).toString('base64url');

/** Timestamps of the schema are UTC without a zone: compared with and returned as instants. */
const AT = (placeholder: string): string => `${placeholder}::timestamptz AT TIME ZONE 'UTC'`;
const CONVERSATION_COLUMNS = `id, "userId", "expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"`;

const CREATE_CONVERSATION = preparedStatement(
  'chat.conversation_create',
  `WITH counted AS (${countHitsSql('$5', '$6')})
   INSERT INTO "ChatConversation" (id, "userId", "createdAt", "expiresAt")
   SELECT $1, $2, ${AT('$3')}, ${AT('$4')}
   WHERE NOT EXISTS (SELECT 1 FROM counted JOIN unnest($6::text[], $7::int[]) AS l(k, lim) ON l.k = counted.key WHERE counted.count > l.lim)
   RETURNING ${CONVERSATION_COLUMNS}`,
);

/**
 * Creates a conversation for `userId` (random when not given), alive for
 * CHAT_TOKEN_TTL_SECONDS. With `counters`, the same statement counts them first and creates
 * nothing (null) when one is over its limit.
 */
export async function createChatConversation(ctx: ServiceContext, userId?: string, counters?: CounterHits): Promise<ChatConversationInfo | null> {
  const now = ctx.now();
  const hits = counters ?? { keys: [], limits: [], windowStart: now.toISOString() };
  const [row] = await rawQuery<ChatConversationInfo>(ctx.db, CREATE_CONVERSATION, [
    randomId(16),
    userId ?? `dl_${randomId(12)}`,
    now.toISOString(),
    new Date(now.getTime() + CHAT_TOKEN_TTL_SECONDS * 1000).toISOString(),
    hits.windowStart,
    hits.keys,
    hits.limits,
  ]);
  return row ?? null;
}

const FIND_CONVERSATION = preparedStatement(
  'chat.conversation_find',
  `SELECT ${CONVERSATION_COLUMNS} FROM "ChatConversation" WHERE id = $1 AND ($2::timestamptz IS NULL OR "expiresAt" > ${AT('$2')})`,
);

/** The conversation, or null; with `aliveAt`, null also when its token has expired by then. */
export async function findChatConversation(ctx: ServiceContext, id: string, aliveAt?: Date): Promise<ChatConversationInfo | null> {
  const [row] = await rawQuery<ChatConversationInfo>(ctx.db, FIND_CONVERSATION, [id, aliveAt?.toISOString() ?? null]);
  return row ?? null;
}

const REFRESH_TOKEN = preparedStatement('chat.token_refresh', `UPDATE "ChatConversation" SET "expiresAt" = ${AT('$2')} WHERE id = $1`);

/** Extends the token's life; null when the conversation is too old to go on. */
export async function refreshChatToken(ctx: ServiceContext, conversation: ChatConversationInfo): Promise<Date | null> {
  const now = ctx.now().getTime();
  if (now - conversation.createdAt.getTime() > CHAT_MAX_AGE_SECONDS * 1000) return null;
  const expiresAt = new Date(now + CHAT_TOKEN_TTL_SECONDS * 1000);
  await rawQuery(ctx.db, REFRESH_TOKEN, [conversation.id, expiresAt.toISOString()]);
  return expiresAt;
}

const CLAIM_STREAM = preparedStatement(
  'chat.stream_claim',
  `UPDATE "ChatConversation" SET "streamId" = $2 WHERE id = $1 AND "expiresAt" > ${AT('$3')} RETURNING id`,
);

/**
 * Makes `streamId` the conversation's one websocket (an older socket, on any instance, then
 * closes), if its token is still alive at `now`; false otherwise.
 */
export async function claimChatStream(ctx: ServiceContext, conversationId: string, streamId: string, now: Date): Promise<boolean> {
  const rows = await rawQuery(ctx.db, CLAIM_STREAM, [conversationId, streamId, now.toISOString()]);
  return rows.length === 1;
}

const STREAM_STATES = preparedStatement(
  'chat.stream_states',
  `SELECT id, "streamId", "expiresAt" AT TIME ZONE 'UTC' AS "expiresAt" FROM "ChatConversation" WHERE id = ANY($1::text[])`,
);

/** What open websockets check, for all of an instance's conversations at once: which socket is each one's, and the token's expiry. */
export async function chatStreamStates(ctx: ServiceContext, conversationIds: string[]): Promise<Map<string, { streamId: string | null; expiresAt: Date }>> {
  const rows = await rawQuery<{ id: string; streamId: string | null; expiresAt: Date }>(ctx.db, STREAM_STATES, [conversationIds]);
  return new Map(rows.map((r) => [r.id, { streamId: r.streamId, expiresAt: r.expiresAt }]));
}

function isForeignKeyViolation(err: unknown): boolean {
  if (typeof err === 'object' && err !== null && Reflect.get(err, 'code') === '23503') return true;
  const text = err instanceof Error ? `${err.message} ${JSON.stringify(Reflect.get(err, 'meta') ?? '')}` : '';
  return text.includes('23503') || text.includes('ForeignKeyConstraintViolation');
}

export interface AppendOptions {
  /** A NOTIFY sent by the same statement (delivered when it commits): waking the other instances costs no round trip. */
  notify?: { channel: string; payload: string };
  /** Store only if the conversation's token is alive at this instant. */
  aliveAt?: Date;
  /** Flood counters the append counts first; it stores nothing when one is over its limit. */
  counters?: CounterHits;
  /**
   * Read by the same statement for the bot's turn that the append starts (bot/storage.ts
   * readAhead): a bot state document and the handoff request under way in a conversation.
   */
  readAhead?: { stateKey: string; conversationKey: string };
}

/** What an append read for the turn it starts (AppendOptions.readAhead). */
export interface TurnReadAhead {
  stateKey: string;
  states: Map<string, StoredState>;
  activeRequestId: number | null;
}

/** An append's outcome; stored: its sequence number, Direct Line id and timestamp. */
export type AppendOutcome =
  | { status: 'stored'; seq: number; id: string; timestamp: string; expiresAt: Date; readAhead?: TurnReadAhead }
  /** No such conversation, or (with aliveAt) its token has expired. */
  | { status: 'gone' }
  /** A flood counter is over its limit: nothing stored. */
  | { status: 'limited' };

export type AppendResult =
  Exclude<AppendOutcome, { status: 'stored' }> | { status: 'stored'; seq: number; activity: ChatActivityJson; expiresAt: Date; readAhead?: TurnReadAhead };

/**
 * The append statement, with the flood counters ($5 window start, $6 keys, $7 limits) or
 * without them (the bot's replies: a statement half as costly for the server to plan).
 */
function appendSql(counted: boolean, readAhead: boolean): string {
  const [channel, payload, stateKey, conversationKey] = counted ? ['$8', '$9', '$10', '$11'] : ['$5', '$6', '$7', '$8'];
  const read = readAhead ? `, (${stateDocumentSql(stateKey)}) AS "readState", (${activeRequestIdSql(conversationKey)}) AS "activeRequestId"` : '';
  const overLimit = 'EXISTS (SELECT 1 FROM counted JOIN unnest($6::text[], $7::int[]) AS l(k, lim) ON l.k = counted.key WHERE counted.count > l.lim)';
  return `
  WITH conversation AS (
    SELECT id, "expiresAt" FROM "ChatConversation" WHERE id = $1 AND ($4::timestamptz IS NULL OR "expiresAt" > ${AT('$4')})
  )${counted ? `, counted AS (${countHitsSql('$5', '$6', 'EXISTS (SELECT 1 FROM conversation)')})` : ''}
  , stored AS (
    INSERT INTO "ChatActivity" ("conversationId", seq, activity)
    SELECT c.id, n.seq,
           $2::jsonb || jsonb_build_object('id', c.id || '|' || lpad(n.seq::text, 7, '0'), 'timestamp', $3::text, 'conversation', jsonb_build_object('id', c.id))
    FROM conversation c, (SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM "ChatActivity" WHERE "conversationId" = $1) n
    ${counted ? `WHERE NOT ${overLimit}` : ''}
    ON CONFLICT DO NOTHING
    RETURNING seq, activity ->> 'id' AS id, CASE WHEN ${channel}::text IS NOT NULL THEN pg_notify(${channel}::text, ${payload}::text)::text END AS notified
  )
  SELECT c."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", s.seq, s.id, ${counted ? overLimit : 'false'} AS limited${read}
  FROM conversation c LEFT JOIN stored s ON true`;
}
/** The append statements, by [counted][read ahead]. */
const APPEND = [
  [preparedStatement('chat.append_id', appendSql(false, false)), preparedStatement('chat.append_id_read', appendSql(false, true))],
  [preparedStatement('chat.append_counted_id', appendSql(true, false)), preparedStatement('chat.append_counted_id_read', appendSql(true, true))],
] as const;

/**
 * Appends an activity, given as its JSON text (an object), in one statement: the next
 * sequence number is taken after the last committed one, and the (conversation, seq) key
 * makes a concurrent append of the same number wait for the first to commit and then try the
 * next, so numbers stay dense and ordered across instances. The activity gets its Direct Line
 * id ("<conversation>|<seq>"), a timestamp and its conversation. The same statement checks the
 * conversation (and its token's expiry), counts the flood counters and sends the NOTIFY of
 * `options`. Only the id comes back (the bot's replies need no more; appendToChat below).
 */
export async function appendJsonToChat(ctx: ServiceContext, conversationId: string, json: string, options: AppendOptions = {}): Promise<AppendOutcome> {
  const timestamp = ctx.now().toISOString();
  const { notify, aliveAt, counters, readAhead } = options;
  for (let attempt = 0; attempt < 50; attempt++) {
    // Counted once: a retry (a concurrent append took the number) only stores.
    const hits = attempt === 0 ? counters : undefined;
    const values: unknown[] = [conversationId, json, timestamp, aliveAt?.toISOString() ?? null];
    if (hits) values.push(hits.windowStart, hits.keys, hits.limits);
    values.push(notify?.channel ?? null, notify?.payload ?? null);
    if (readAhead) values.push(readAhead.stateKey, readAhead.conversationKey);
    let rows: { expiresAt: Date; seq: number | null; id: string | null; limited: boolean; readState?: unknown; activeRequestId?: number | null }[];
    try {
      rows = await rawQuery(ctx.db, APPEND[hits ? 1 : 0][readAhead ? 1 : 0], values);
    } catch (err) {
      if (isForeignKeyViolation(err)) return { status: 'gone' };
      throw err;
    }
    const row = rows[0];
    if (!row) return { status: 'gone' };
    if (row.limited) return { status: 'limited' };
    if (row.seq !== null && row.id !== null) {
      const read = readAhead && {
        stateKey: readAhead.stateKey,
        states: statesOf(readAhead.stateKey, row.readState),
        activeRequestId: row.activeRequestId ?? null,
      };
      return { status: 'stored', seq: row.seq, id: row.id, timestamp, expiresAt: row.expiresAt, ...(read ? { readAhead: read } : {}) };
    }
  }
  throw new Error(`Could not append to chat conversation ${conversationId}: too many concurrent appends`);
}

/**
 * appendJsonToChat for an activity object; stored: the activity as stored, with the fields the
 * statement set (id, timestamp, conversation), built here rather than read back.
 */
export async function appendToChat(
  ctx: ServiceContext,
  conversationId: string,
  activity: ChatActivityJson,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const outcome = await appendJsonToChat(ctx, conversationId, JSON.stringify(activity), options);
  if (outcome.status !== 'stored') return outcome;
  const { seq, id, timestamp, expiresAt, readAhead } = outcome;
  return {
    status: 'stored',
    seq,
    activity: { ...activity, id, timestamp, conversation: { id: conversationId } },
    expiresAt,
    ...(readAhead ? { readAhead } : {}),
  };
}

const LIST_ACTIVITIES = preparedStatement(
  'chat.activities_page',
  `SELECT a.seq, CASE WHEN jsonb_typeof(a.activity) = 'object' AND ((a.activity ->> 'type') IS NULL OR NOT (a.activity ->> 'type') = ANY ($5::text[]))
          THEN a.activity::text END AS json
   FROM "ChatConversation" c
   LEFT JOIN LATERAL (SELECT seq, activity FROM "ChatActivity" WHERE "conversationId" = c.id AND seq > $2 ORDER BY seq LIMIT $3) a ON true
   WHERE c.id = $1 AND ($4::timestamptz IS NULL OR c."expiresAt" > ${AT('$4')})
   ORDER BY a.seq`,
);

export interface ChatPageOptions {
  /** Only if the conversation's token is alive at this instant (null otherwise). */
  aliveAt?: Date;
  /** Activities read at most (100). */
  limit?: number;
  /** Activity types left out of the page (the watermark still moves past them). */
  hiddenTypes?: readonly string[];
}

/**
 * Activities after `watermark` (exclusive), in order, each as its stored JSON text (an object:
 * a web page or stream sends it as it is, with no parsing and serialising in between), and the
 * new watermark, in one indexed statement; null when there is no such conversation or (with
 * `aliveAt`) its token has expired.
 */
export async function listChatActivityTexts(
  ctx: ServiceContext,
  conversationId: string,
  watermark: number,
  options: ChatPageOptions = {},
): Promise<{ texts: string[]; watermark: number } | null> {
  const rows = await rawQuery<{ seq: number | null; json: string | null }>(ctx.db, LIST_ACTIVITIES, [
    conversationId,
    watermark,
    options.limit ?? 100,
    options.aliveAt?.toISOString() ?? null,
    options.hiddenTypes ?? [],
  ]);
  if (rows.length === 0) return null;
  const texts: string[] = [];
  let last = watermark;
  for (const row of rows) {
    if (row.seq === null) continue;
    last = row.seq;
    if (row.json !== null) texts.push(row.json);
  }
  return { texts, watermark: last };
}

/** listChatActivityTexts with every activity parsed. */
export async function listChatActivities(
  ctx: ServiceContext,
  conversationId: string,
  watermark: number,
  options: ChatPageOptions = {},
): Promise<{ activities: ChatActivityJson[]; watermark: number } | null> {
  const page = await listChatActivityTexts(ctx, conversationId, watermark, options);
  return page && { activities: page.texts.map((text) => JSON.parse(text) as ChatActivityJson), watermark: page.watermark };
}
