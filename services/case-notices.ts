// Telling the parent when their case moves: an email and/or SMS through the outbox (same
// transaction as the change), and a message for their chat conversation, written here and
// sent proactively by a bot instance (bot/case-worker.ts), with a lease and retries, so
// that the import CLI and any instance can queue it and exactly one instance sends it.
import type { ServiceContext } from './context.js';
import type { CaseKind, Tx } from './db/index.js';
import { caseChatText, caseNoteSms, NOTICE_KIND, type ToldState } from './case-wording.js';

/** The case as the notice needs it (load it with TELL_SELECT). */
export interface CaseToTell {
  id: number;
  reference: string;
  kind: CaseKind;
  guardianId: number | null;
  contactEmail: string | null;
  contactMobile: string | null;
  chatRefKey: string | null;
  school: { name: string };
  guardian: { firstName: string; email: string | null; mobile: string | null; mergedIntoId: number | null; deletedAt: Date | null } | null;
}

export const TELL_SELECT = {
  id: true,
  reference: true,
  kind: true,
  guardianId: true,
  contactEmail: true,
  contactMobile: true,
  chatRefKey: true,
  school: { select: { name: true } },
  guardian: { select: { firstName: true, email: true, mobile: true, mergedIntoId: true, deletedAt: true } },
} as const;

/** How the parent was told. */
export interface Told {
  email: boolean;
  sms: boolean;
  chat: boolean;
}

/**
 * Queues what the parent is told about `state` (with the school's `note`): to the contact they
 * gave, else the account's; and to their chat conversation when known. In the caller's transaction.
 */
export async function tellParent(ctx: ServiceContext, tx: Tx, c: CaseToTell, state: ToldState, note: string | null): Promise<Told> {
  const visible = c.guardian?.mergedIntoId === null && c.guardian.deletedAt === null ? c.guardian : null;
  const email = c.contactEmail ?? visible?.email ?? null;
  const mobile = c.contactMobile ?? visible?.mobile ?? null;
  const kind = NOTICE_KIND[c.kind];
  const opts = c.guardianId !== null ? { guardianId: c.guardianId } : {};
  if (email) {
    await ctx.messages.enqueue(
      tx,
      { template: 'case_update', to: email, firstName: visible?.firstName ?? null, caseReference: c.reference, kind, state, schoolName: c.school.name, note },
      opts,
    );
  }
  if (mobile) {
    await ctx.messages.enqueue(tx, { template: 'sms_case_update', to: mobile, caseReference: c.reference, kind, state }, opts);
    const text = note ? caseNoteSms(c.reference, note) : null;
    if (text) await ctx.messages.enqueue(tx, { template: 'sms_case_note', to: mobile, text }, opts);
  }
  if (c.chatRefKey) {
    await tx.caseChatNotice.create({
      data: { caseId: c.id, chatRefKey: c.chatRefKey, text: caseChatText(c.reference, kind, state, note), nextAttemptAt: ctx.now(), createdAt: ctx.now() },
    });
  }
  return { email: email !== null, sms: mobile !== null, chat: c.chatRefKey !== null };
}

// ---------------------------------------------------------------------------------------
// Chat notices: claimed with a lease (FOR UPDATE SKIP LOCKED), sent, then marked.

export const CHAT_NOTICE_MAX_ATTEMPTS = 5;
const LEASE_MS = 60_000;

export interface ChatNotice {
  id: string;
  chatRefKey: string;
  text: string;
  attempts: number;
}

/** Takes up to `limit` due notices for this instance (another instance never gets the same ones). */
export async function claimChatNotices(ctx: ServiceContext, limit = 20): Promise<ChatNotice[]> {
  const now = ctx.now();
  return ctx.db.$queryRaw<ChatNotice[]>`
    UPDATE "CaseChatNotice" SET "lockedUntil" = ${new Date(now.getTime() + LEASE_MS)}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM "CaseChatNotice"
      WHERE "sentAt" IS NULL AND "failedAt" IS NULL AND "nextAttemptAt" <= ${now}
        AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
      ORDER BY "createdAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id, "chatRefKey", text, attempts`;
}

export async function chatNoticeSent(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.db.caseChatNotice.update({ where: { id }, data: { sentAt: ctx.now(), lockedUntil: null, lastError: null } });
}

/**
 * A notice that could not be sent: retried later (1, 2, 4… minutes), given up after
 * CHAT_NOTICE_MAX_ATTEMPTS or at once when the conversation is gone (`final`).
 */
export async function chatNoticeFailed(ctx: ServiceContext, notice: ChatNotice, error: string, final: boolean): Promise<void> {
  const now = ctx.now();
  const giveUp = final || notice.attempts >= CHAT_NOTICE_MAX_ATTEMPTS;
  await ctx.db.caseChatNotice.update({
    where: { id: notice.id },
    data: {
      lockedUntil: null,
      lastError: error.slice(0, 500),
      ...(giveUp ? { failedAt: now } : { nextAttemptAt: new Date(now.getTime() + 60_000 * 2 ** (notice.attempts - 1)) }),
    },
  });
}
