// Database side of the web chat's Direct Line facade: conversations (who, token hash,
// expiry) and their ordered activities. Several instances share them; nothing lives in
// process memory. The HTTP protocol itself is in bot/directline/.
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from './db/index.js';
import type { ServiceContext } from './context.js';

/** A Direct Line activity as stored: plain JSON, with the id and timestamp set by the facade. */
export type ChatActivityJson = Prisma.JsonObject;

export interface ChatConversationInfo {
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
}

export interface IssuedToken {
  conversation: ChatConversationInfo;
  token: string;
}

/** Token lifetime; the browser refreshes every 15 minutes (DirectLineJS). */
export const CHAT_TOKEN_TTL_SECONDS = 30 * 60;
/** A conversation cannot be refreshed beyond this age. */
export const CHAT_MAX_AGE_SECONDS = 12 * 60 * 60;

const randomId = (bytes: number): string => randomBytes(bytes).toString('base64url');
const hashChatToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Creates a conversation for `userId` (random when not given) and its bearer token
 * (256 random bits, stored hashed).
 */
export async function createChatConversation(ctx: ServiceContext, userId?: string): Promise<IssuedToken> {
  const token = randomId(32);
  const row = await ctx.db.chatConversation.create({
    data: {
      id: randomId(16),
      userId: userId ?? `dl_${randomId(12)}`,
      tokenHash: hashChatToken(token),
      expiresAt: new Date(ctx.now().getTime() + CHAT_TOKEN_TTL_SECONDS * 1000),
    },
    select: { id: true, userId: true, expiresAt: true, createdAt: true },
  });
  return { conversation: row, token };
}

/** The conversation a bearer token opens, or null (unknown or expired token). */
export async function findChatConversationByToken(ctx: ServiceContext, token: string): Promise<ChatConversationInfo | null> {
  if (!token) return null;
  const row = await ctx.db.chatConversation.findFirst({
    where: { tokenHash: hashChatToken(token), expiresAt: { gt: ctx.now() } },
    select: { id: true, userId: true, expiresAt: true, createdAt: true },
  });
  return row;
}

export async function findChatConversation(ctx: ServiceContext, id: string): Promise<ChatConversationInfo | null> {
  return ctx.db.chatConversation.findUnique({ where: { id }, select: { id: true, userId: true, expiresAt: true, createdAt: true } });
}

/** Extends the token's life (same token); null when the conversation is too old to go on. */
export async function refreshChatToken(ctx: ServiceContext, conversation: ChatConversationInfo): Promise<Date | null> {
  const now = ctx.now().getTime();
  if (now - conversation.createdAt.getTime() > CHAT_MAX_AGE_SECONDS * 1000) return null;
  const expiresAt = new Date(now + CHAT_TOKEN_TTL_SECONDS * 1000);
  await ctx.db.chatConversation.update({ where: { id: conversation.id }, data: { expiresAt } });
  return expiresAt;
}

/** Makes `streamId` the conversation's one websocket (an older socket, on any instance, then closes). */
export async function claimChatStream(ctx: ServiceContext, conversationId: string, streamId: string): Promise<void> {
  await ctx.db.chatConversation.updateMany({ where: { id: conversationId }, data: { streamId } });
}

/** What open websockets check, for all of an instance's conversations at once: which socket is each one's, and the token's expiry. */
export async function chatStreamStates(ctx: ServiceContext, conversationIds: string[]): Promise<Map<string, { streamId: string | null; expiresAt: Date }>> {
  const rows = await ctx.db.$queryRaw<{ id: string; streamId: string | null; expiresAt: Date }[]>`
    SELECT id, "streamId", "expiresAt" FROM "ChatConversation" WHERE id = ANY(${conversationIds}::text[])`;
  return new Map(rows.map((r) => [r.id, { streamId: r.streamId, expiresAt: r.expiresAt }]));
}

function isForeignKeyViolation(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${JSON.stringify(Reflect.get(err, 'meta') ?? '')}` : '';
  return text.includes('23503') || text.includes('ForeignKeyConstraintViolation');
}

/**
 * Appends an activity in one statement: the next sequence number is taken after the last
 * committed one, and the (conversation, seq) key makes a concurrent append of the same
 * number wait for the first to commit and then try the next, so numbers stay dense and
 * ordered across instances. The activity gets its Direct Line id ("<conversation>|<seq>")
 * and a timestamp. Returns the stored activity. `notify`: a NOTIFY sent by the same statement
 * (delivered when it commits), so that waking the other instances costs no round trip.
 */
export async function appendChatActivity(
  ctx: ServiceContext,
  conversationId: string,
  activity: ChatActivityJson,
  notify?: { channel: string; payload: string },
): Promise<{ seq: number; activity: ChatActivityJson }> {
  const json = JSON.stringify(activity);
  const channel = notify?.channel ?? null;
  const payload = notify?.payload ?? null;
  const timestamp = ctx.now().toISOString();
  for (let attempt = 0; attempt < 50; attempt++) {
    let rows: { seq: number; activity: Prisma.JsonValue }[];
    try {
      rows = await ctx.db.$queryRaw<{ seq: number; activity: Prisma.JsonValue }[]>`
        INSERT INTO "ChatActivity" ("conversationId", seq, activity)
        SELECT ${conversationId}, n.seq,
               ${json}::jsonb || jsonb_build_object('id', ${conversationId} || '|' || lpad(n.seq::text, 7, '0'), 'timestamp', ${timestamp}::text,
                                                    'conversation', jsonb_build_object('id', ${conversationId}::text))
        FROM (SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM "ChatActivity" WHERE "conversationId" = ${conversationId}) n
        ON CONFLICT DO NOTHING
        RETURNING seq, activity, CASE WHEN ${channel}::text IS NOT NULL THEN pg_notify(${channel}::text, ${payload}::text)::text END AS notified`;
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new Error(`Unknown chat conversation ${conversationId}`);
      throw err;
    }
    const row = rows[0];
    if (row && typeof row.activity === 'object' && row.activity !== null && !Array.isArray(row.activity)) return { seq: row.seq, activity: row.activity };
  }
  throw new Error(`Could not append to chat conversation ${conversationId}: too many concurrent appends`);
}

/** Activities after `watermark` (exclusive), in order, and the new watermark. */
export async function listChatActivities(
  ctx: ServiceContext,
  conversationId: string,
  watermark: number,
  limit = 100,
): Promise<{ activities: ChatActivityJson[]; watermark: number }> {
  const rows = await ctx.db.chatActivity.findMany({
    where: { conversationId, seq: { gt: watermark } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, activity: true },
  });
  const activities: ChatActivityJson[] = [];
  for (const row of rows) {
    const a = row.activity;
    if (typeof a === 'object' && a !== null && !Array.isArray(a)) activities.push(a);
  }
  const lastRow = rows[rows.length - 1];
  return { activities, watermark: lastRow ? lastRow.seq : watermark };
}
