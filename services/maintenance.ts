// Housekeeping of rows that only matter for a while: ended web chat conversations (with their
// activities), past rate-limit windows, self-service tokens long expired, the chat
// verifications of a day ago, and quiet failed-password counters. Any instance may run it:
// each statement is idempotent.
import type { ServiceContext } from './context.js';
import { purgeConfirmations } from './confirmations.js';
import { purgeChatVerifications } from './handoff/verification.js';
import { purgeLoginThrottle } from './selfservice/throttle.js';
import { startPeriodic, type Periodic } from './periodic.js';

/** Web chat transcripts are kept 30 days after their token expired (agents may follow up). */
export const CHAT_RETENTION_DAYS = 30;
/** Expired or used tokens are kept a week (support questions), then deleted. */
export const TOKEN_RETENTION_DAYS = 7;

export interface PurgeReport {
  chats: number;
  counters: number;
  tokens: number;
  confirmations: number;
  verifications: number;
  /** Failed-password counters quiet for a day (selfservice/throttle.ts). */
  throttles: number;
}

const DAY = 86_400_000;

export async function purgeStaleRows(ctx: ServiceContext): Promise<PurgeReport> {
  const now = ctx.now().getTime();
  // A counter is useless once its window is over; keep one more window for safety.
  const windowMs = ctx.settings.selfService.rateLimits.windowMinutes * 60_000;
  const [chats, counters, tokens, confirmations, verifications, throttles] = await Promise.all([
    ctx.db.chatConversation.deleteMany({ where: { expiresAt: { lt: new Date(now - CHAT_RETENTION_DAYS * DAY) } } }),
    ctx.db.rateLimitCounter.deleteMany({ where: { windowStart: { lt: new Date(now - 2 * windowMs) } } }),
    ctx.db.selfServiceToken.deleteMany({ where: { expiresAt: { lt: new Date(now - TOKEN_RETENTION_DAYS * DAY) } } }),
    purgeConfirmations(ctx, new Date(now - TOKEN_RETENTION_DAYS * DAY)),
    purgeChatVerifications(ctx, new Date(now - DAY)),
    purgeLoginThrottle(ctx),
  ]);
  return { chats: chats.count, counters: counters.count, tokens: tokens.count, confirmations, verifications, throttles };
}

/** Runs the purge every `intervalMs` (default hourly). */
export function startMaintenance(ctx: ServiceContext, intervalMs = 3_600_000): Periodic {
  return startPeriodic({ name: 'maintenance', intervalMs, log: ctx.log }, async () => {
    ctx.log.info(await purgeStaleRows(ctx), 'stale rows purged');
  });
}
