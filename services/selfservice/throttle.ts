// Password guessing is slowed, never turned into a lockout (OWASP Authentication Cheat Sheet:
// "account lockout" lets anyone lock the owner out; throttling does not). Failed password
// checks (login, first login, activation address correction) count in the database, shared
// by every instance, under two keys:
//   - one identifier from one client address: 5 free failures, then 1, 2, 4… s between tries,
//     up to 15 minutes; only that address waits, the owner elsewhere is not refused;
//   - one identifier from anywhere (distributed guessing): 50 free failures, then 1, 2, 4… s,
//     up to 60 s: every address waits that long, never more.
// A key is forgotten after a quiet period (1 h, 24 h); a success clears its address's key.
// Identical for known and unknown identifiers (the keys hold no account, only HMACs).
import type { ServiceContext } from '../context.js';
import { contactKey } from './ratelimit.js';

interface Rule {
  prefix: 'pair' | 'id';
  /** Failures without any delay. */
  free: number;
  capSeconds: number;
  forgetAfterMs: number;
}

const PER_ADDRESS: Rule = { prefix: 'pair', free: 5, capSeconds: 15 * 60, forgetAfterMs: 60 * 60_000 };
const PER_IDENTIFIER: Rule = { prefix: 'id', free: 50, capSeconds: 60, forgetAfterMs: 24 * 60 * 60_000 };

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterSeconds: number; text: string };

/** Seconds to wait after `failures` failures under `rule` (0 within the free ones). */
export function delaySeconds(rule: Pick<Rule, 'free' | 'capSeconds'>, failures: number): number {
  return failures < rule.free ? 0 : Math.min(2 ** (failures - rule.free), rule.capSeconds);
}

const keyOf = (ctx: ServiceContext, rule: Rule, identifier: string, source: string): string =>
  `${rule.prefix}:${contactKey(ctx, rule.prefix === 'pair' ? `login|${identifier}|${source}` : `login|${identifier}`)}`;

const wait = (seconds: number): string =>
  seconds < 60 ? `${seconds} seconde${seconds > 1 ? 's' : ''}` : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) > 1 ? 's' : ''}`;

export const throttleText = (seconds: number): string =>
  `Trop d’essais de mot de passe pour cet identifiant. Patientez ${wait(seconds)} avant de réessayer. En cas d’oubli, utilisez « Mot de passe perdu ».`;

/** Whether a password may be tried now for `identifier` (normalised) from `source` (client address). */
export async function checkPasswordThrottle(ctx: ServiceContext, identifier: string, source: string): Promise<ThrottleResult> {
  const rules = [PER_ADDRESS, PER_IDENTIFIER];
  const keys = rules.map((r) => keyOf(ctx, r, identifier, source));
  const rows = await ctx.db.loginThrottle.findMany({ where: { key: { in: keys } } });
  const now = ctx.now().getTime();
  let retryAfterMs = 0;
  rules.forEach((rule, i) => {
    const row = rows.find((r) => r.key === keys[i]);
    if (!row || row.lastFailureAt.getTime() < now - rule.forgetAfterMs) return;
    const until = row.lastFailureAt.getTime() + delaySeconds(rule, row.failures) * 1000;
    retryAfterMs = Math.max(retryAfterMs, until - now);
  });
  if (retryAfterMs <= 0) return { allowed: true };
  const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
  return { allowed: false, retryAfterSeconds, text: throttleText(retryAfterSeconds) };
}

/** Counts a wrong password (one atomic upsert per key; a key quiet for long starts over). */
export async function recordPasswordFailure(ctx: ServiceContext, identifier: string, source: string): Promise<void> {
  const now = ctx.now();
  for (const rule of [PER_ADDRESS, PER_IDENTIFIER]) {
    const key = keyOf(ctx, rule, identifier, source);
    const forgetBefore = new Date(now.getTime() - rule.forgetAfterMs);
    await ctx.db.$executeRaw`
      INSERT INTO "LoginThrottle" ("key", "failures", "lastFailureAt") VALUES (${key}, 1, ${now})
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = CASE WHEN "LoginThrottle"."lastFailureAt" < ${forgetBefore} THEN 1 ELSE "LoginThrottle"."failures" + 1 END,
        "lastFailureAt" = ${now}`;
  }
}

/**
 * The right password from this address: its key is cleared. The identifier's key is kept
 * (it only ever delays, and clearing it would hand a distributed guesser 50 free tries again).
 */
export async function recordPasswordSuccess(ctx: ServiceContext, identifier: string, source: string): Promise<void> {
  await ctx.db.loginThrottle.deleteMany({ where: { key: keyOf(ctx, PER_ADDRESS, identifier, source) } });
}

/** Rows quiet for longer than the longest rule (maintenance). */
export async function purgeLoginThrottle(ctx: ServiceContext): Promise<number> {
  const { count } = await ctx.db.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(ctx.now().getTime() - PER_IDENTIFIER.forgetAfterMs) } } });
  return count;
}
