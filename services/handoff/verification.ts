// What the assistant verified in a parent's chat conversation, for a request for a person made
// afterwards: the parent typed the SMS code of a lost password (sent to the account's confirmed
// mobile), so the conversation holds that account. Agents then open that account from the
// request's thread (bot/handoff/interceptor.ts). Kept VERIFICATION_VALID_MINUTES.
import type { ServiceContext } from '../context.js';
import type { Tx } from '../db/index.js';

/** How long a verification in the chat stands for a request for a person. */
export const VERIFICATION_VALID_MINUTES = 60;

export type ChatVerificationMethod = 'sms_code';

export interface ChatVerified {
  guardianId: number;
  method: ChatVerificationMethod;
  verifiedAt: Date;
}

/** Records that the parent of this conversation proved they hold `guardianId` (in the caller's transaction). */
export async function recordChatVerification(
  ctx: ServiceContext,
  tx: Tx,
  conversationKey: string,
  guardianId: number,
  method: ChatVerificationMethod,
): Promise<void> {
  const verifiedAt = ctx.now();
  await tx.chatVerification.upsert({
    where: { conversationKey },
    create: { conversationKey, guardianId, method, verifiedAt },
    update: { guardianId, method, verifiedAt },
  });
}

/** The account this conversation's parent proved to hold lately, if any. */
export async function chatVerification(ctx: ServiceContext, conversationKey: string): Promise<ChatVerified | null> {
  const since = new Date(ctx.now().getTime() - VERIFICATION_VALID_MINUTES * 60_000);
  const row = await ctx.db.chatVerification.findFirst({ where: { conversationKey, verifiedAt: { gte: since } } });
  return row?.method === 'sms_code' ? { guardianId: row.guardianId, method: row.method, verifiedAt: row.verifiedAt } : null;
}

/** Housekeeping (services/maintenance.ts): verifications past their use. */
export async function purgeChatVerifications(ctx: ServiceContext, olderThan: Date): Promise<number> {
  const r = await ctx.db.chatVerification.deleteMany({ where: { verifiedAt: { lt: olderThan } } });
  return r.count;
}
