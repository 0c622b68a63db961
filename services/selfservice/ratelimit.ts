// Fixed-window rate limits kept in the database (RateLimitCounter), so that every instance
// shares them. Keys never hold a contact in clear: callers pass `contactKey(...)`.
import { createHmac } from 'node:crypto';
import type { ServiceContext } from '../context.js';

export type LimitScope = 'account' | 'contact' | 'source';

export interface LimitResult {
  allowed: boolean;
  count: number;
  /** Minutes until the current window ends (at least 1). */
  retryAfterMinutes: number;
}

function limitFor(ctx: ServiceContext, scope: LimitScope): number {
  const l = ctx.settings.selfService.rateLimits;
  return scope === 'account' ? l.perAccount : scope === 'contact' ? l.perContact : l.perSource;
}

/** A stable, non-reversible key part for an email, a phone number or a name. */
export function contactKey(ctx: ServiceContext, value: string): string {
  return createHmac('sha256', ctx.settings.secretKey).update(`ratelimit|${value}`).digest('base64url').slice(0, 32);
}

/**
 * Counts one request for `key` in the current window (atomic upsert-increment) and says
 * whether it is within the limit of its scope. `limitOverride` replaces the configured limit,
 * `windowMinutes` the configured window (e.g. 1 for the web chat's messages per minute).
 */
export async function hit(ctx: ServiceContext, scope: LimitScope, key: string, limitOverride?: number, windowMinutes?: number): Promise<LimitResult> {
  const [result] = await hitEach(ctx, scope, [{ key, limit: limitOverride }], windowMinutes);
  if (!result) throw new Error('rate limit counter not returned');
  return result;
}

/** Like hit(), for several keys of one scope and window in one statement (one round trip); results in the order of `keys`. */
export async function hitEach(ctx: ServiceContext, scope: LimitScope, keys: { key: string; limit?: number }[], windowMinutes?: number): Promise<LimitResult[]> {
  const windowMs = (windowMinutes ?? ctx.settings.selfService.rateLimits.windowMinutes) * 60_000;
  const now = ctx.now().getTime();
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const fullKeys = keys.map((k) => `${scope}:${k.key}`);
  const rows = await ctx.db.$queryRaw<{ key: string; count: number }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count")
    SELECT DISTINCT k, ${windowStart}::timestamp, 1 FROM unnest(${fullKeys}::text[]) AS k
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "key", "count"`;
  const counts = new Map(rows.map((r) => [r.key, r.count]));
  const retryAfterMinutes = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 60_000));
  return keys.map((k, i) => {
    const count = counts.get(fullKeys[i] ?? '') ?? 1;
    return { allowed: count <= (k.limit ?? limitFor(ctx, scope)), count, retryAfterMinutes };
  });
}
