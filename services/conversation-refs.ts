// Conversation references kept in the database, so that any instance, even after a restart,
// can write first to someone (proactive messages, see bot/proactive.ts):
//   conversation:<channelId>:<conversationId>  a parent's conversation (web chat, Emulator…)
//   staff:<aadObjectId>                        a staff member's personal chat with the bot
//   team:<teamId>                              a Teams team: its serviceUrl and tenant
//   thread:<conversationId>                    an agents' thread in the help-desk channel
// The bot records them as activities arrive (bot/references.ts). Plain JSON here: services
// never import botbuilder; the shape is botbuilder's ConversationReference.
import type { ServiceContext } from './context.js';
import { preparedStatement, rawQuery } from './db/raw-query.js';

export interface ChannelAccountJson {
  id: string;
  name?: string;
  aadObjectId?: string;
  role?: string;
}

/** botbuilder's ConversationReference, as JSON. */
export interface ConversationReferenceJson {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; isGroup?: boolean; conversationType?: string; tenantId?: string; name?: string };
  bot?: ChannelAccountJson;
  user?: ChannelAccountJson;
  locale?: string;
  activityId?: string;
}

export type ConversationRefKind = 'conversation' | 'staff' | 'team' | 'thread';

export interface StoredConversationRef {
  key: string;
  kind: ConversationRefKind;
  tenantId: string | null;
  staffId: string | null;
  reference: ConversationReferenceJson;
  updatedAt: Date;
}

export const conversationKey = (channelId: string, conversationId: string): string => `conversation:${channelId}:${conversationId}`;
export const staffKey = (aadObjectId: string): string => `staff:${aadObjectId}`;
export const teamKey = (teamId: string): string => `team:${teamId}`;
export const threadKey = (conversationId: string): string => `thread:${conversationId}`;

const KINDS: readonly ConversationRefKind[] = ['conversation', 'staff', 'team', 'thread'];
const isKind = (k: string): k is ConversationRefKind => KINDS.some((x) => x === k);

function isReference(value: unknown): value is ConversationReferenceJson {
  if (typeof value !== 'object' || value === null) return false;
  const conversation: unknown = Reflect.get(value, 'conversation');
  return (
    typeof Reflect.get(value, 'channelId') === 'string' &&
    typeof Reflect.get(value, 'serviceUrl') === 'string' &&
    typeof conversation === 'object' &&
    conversation !== null &&
    typeof Reflect.get(conversation, 'id') === 'string'
  );
}

/** An unchanged reference is written again (its updatedAt refreshed) after this long. */
export const REFERENCE_REFRESH_MS = 60_000;

const SAVE_REFERENCE = preparedStatement(
  'refs.save',
  `INSERT INTO "ConversationRef" (key, kind, "channelId", "serviceUrl", "tenantId", "staffId", reference, "updatedAt")
   VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::timestamptz AT TIME ZONE 'UTC')
   ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, "channelId" = EXCLUDED."channelId", "serviceUrl" = EXCLUDED."serviceUrl",
     "tenantId" = EXCLUDED."tenantId", "staffId" = EXCLUDED."staffId", reference = EXCLUDED.reference, "updatedAt" = EXCLUDED."updatedAt"
   WHERE "ConversationRef".reference IS DISTINCT FROM EXCLUDED.reference OR "ConversationRef"."updatedAt" < $9::timestamptz AT TIME ZONE 'UTC'`,
);

/**
 * Records (or refreshes) a reference. Writes only when something changed, or once a minute:
 * one conditional upsert (no read first), a prepared statement (services/db/raw-query.ts: a
 * parent's first message sent it through Prisma's query path, ~1.5 ms of the bot's CPU in the
 * web chat profile). The bot calls it only when the conversation's references changed or were
 * recorded over a minute ago (bot/references.ts).
 */
export async function saveConversationRef(
  ctx: ServiceContext,
  key: string,
  kind: ConversationRefKind,
  reference: ConversationReferenceJson,
  extra: { tenantId?: string; staffId?: string } = {},
): Promise<void> {
  const staleBefore = new Date(ctx.now().getTime() - REFERENCE_REFRESH_MS);
  await rawQuery(ctx.db, SAVE_REFERENCE, [
    key,
    kind,
    reference.channelId,
    reference.serviceUrl,
    extra.tenantId ?? null,
    extra.staffId ?? null,
    JSON.stringify(reference),
    new Date().toISOString(),
    staleBefore.toISOString(),
  ]);
}

export async function findConversationRef(ctx: ServiceContext, key: string): Promise<StoredConversationRef | null> {
  const row = await ctx.db.conversationRef.findUnique({ where: { key } });
  if (!row || !isReference(row.reference) || !isKind(row.kind)) return null;
  return { key: row.key, kind: row.kind, tenantId: row.tenantId, staffId: row.staffId, reference: row.reference, updatedAt: row.updatedAt };
}

/** A staff member's personal chat with the bot (e.g. a director to notify), if they have talked to it. */
export async function findStaffChatRef(ctx: ServiceContext, aadObjectId: string): Promise<StoredConversationRef | null> {
  return findConversationRef(ctx, staffKey(aadObjectId));
}
