// Fixed-window rate limits kept in the database (RateLimitCounter), so that every instance
// shares them. Keys never hold a contact in clear: callers pass `contactKey(...)`.
import { createHmac } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import { preparedStatement, rawQuery } from '../db/raw-query.js';

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

/** Counters to increment in one statement: full keys, their limits, the window. */
export interface CounterHits {
  keys: string[];
  limits: number[];
  /** ISO instant of the window's start. */
  windowStart: string;
  /** Minutes until the window ends (at least 1). */
  retryAfterMinutes: number;
}

/** The counters of `keys` (one scope and window) in the current window. */
export function counterHits(ctx: ServiceContext, scope: LimitScope, keys: { key: string; limit?: number }[], windowMinutes?: number): CounterHits {
  const windowMs = (windowMinutes ?? ctx.settings.selfService.rateLimits.windowMinutes) * 60_000;
  const now = ctx.now().getTime();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  return {
    keys: keys.map((k) => `${scope}:${k.key}`),
    limits: keys.map((k) => k.limit ?? limitFor(ctx, scope)),
    windowStart: new Date(windowStart).toISOString(),
    retryAfterMinutes: Math.max(1, Math.ceil((windowStart + windowMs - now) / 60_000)),
  };
}

/**
 * The atomic upsert-increment of counters, as SQL with the placeholders of the window start
 * (an ISO instant) and of the keys (text[]); `condition` limits it (e.g. to an existing
 * conversation). Returns "key", "count". Also used inside the web chat's append statement
 * (services/chat-store.ts), which counts and stores in one round trip.
 */
export const countHitsSql = (windowStart: string, keys: string, condition = 'true'): string => `
  INSERT INTO "RateLimitCounter" ("key", "windowStart", "count")
  SELECT DISTINCT k, ${windowStart}::timestamptz AT TIME ZONE 'UTC', 1 FROM unnest(${keys}::text[]) AS k WHERE ${condition}
  ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
  RETURNING "key", "count"`;

const COUNT_HITS = preparedStatement('ratelimit.count_hits', countHitsSql('$1', '$2'));

/** Like hit(), for several keys of one scope and window in one statement (one round trip); results in the order of `keys`. */
export async function hitEach(ctx: ServiceContext, scope: LimitScope, keys: { key: string; limit?: number }[], windowMinutes?: number): Promise<LimitResult[]> {
  const hits = counterHits(ctx, scope, keys, windowMinutes);
  const rows = await rawQuery<{ key: string; count: number }>(ctx.db, COUNT_HITS, [hits.windowStart, hits.keys]);
  const counts = new Map(rows.map((r) => [r.key, r.count]));
  return hits.keys.map((key, i) => {
    const count = counts.get(key) ?? 1;
    return { allowed: count <= (hits.limits[i] ?? 0), count, retryAfterMinutes: hits.retryAfterMinutes };
  });
}
