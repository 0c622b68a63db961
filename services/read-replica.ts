// Reads that a moment's lag cannot make wrong (the statistics' academy and national sums, the
// snapshot history) go to the read replica (DATABASE_REPLICA_URL, ServiceContext.readDb) when
// there is one. The replica answers only once it has replayed everything the primary had
// written when the read began (a streaming standby's replay position against the primary's
// WAL position), so its figures are the ones the primary would have given at that moment.
// A replica that fails, times out or stays behind gives way to the primary: a reader always
// gets figures. What must see the caller's own write, or comes before a write, stays on ctx.db.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceContext } from './context.js';
import type { PrismaClient, Tx } from './db/index.js';

/** After a replica failure, this instance reads on the primary this long (one warning per period). */
export const REPLICA_RETRY_MS = 60_000;
/** Waits for a replica still replaying before the primary answers instead (under a second in all). */
const CATCH_UP_WAITS_MS = [25, 50, 100, 200, 400];

/** Per replica client, in this process only: a hint that saves readers the wait on a dead replica. */
interface ReplicaHealth {
  /** Until then, reads go straight to the primary. */
  downUntil: number;
  behindWarnedAt: number;
}

const health = new WeakMap<PrismaClient, ReplicaHealth>();

/** Whether the replica has replayed up to `position`; a server not in recovery (no standby) has nothing to replay. */
async function caughtUp(replica: PrismaClient, position: string): Promise<boolean> {
  for (const wait of [0, ...CATCH_UP_WAITS_MS]) {
    if (wait) await sleep(wait);
    const [row] = await replica.$queryRaw<{ ok: boolean }[]>`
      SELECT NOT pg_is_in_recovery() OR COALESCE(pg_last_wal_replay_lsn() >= ${position}::pg_lsn, false) AS ok`;
    if (row?.ok) return true;
  }
  return false;
}

/**
 * Runs `read` (reads only) on the read replica when there is one and it has caught up with the
 * primary, else on the primary.
 */
export async function replicaRead<T>(ctx: ServiceContext, read: (db: Tx) => Promise<T>): Promise<T> {
  const replica = ctx.readDb;
  if (!replica || replica === ctx.db) return read(ctx.db);
  const state = health.get(replica) ?? { downUntil: 0, behindWarnedAt: Number.NEGATIVE_INFINITY };
  health.set(replica, state);
  const now = ctx.now().getTime();
  if (now < state.downUntil) return read(ctx.db);
  // On the primary, outside the fallback below: a primary that fails fails the read.
  const [{ lsn }] = await ctx.db.$queryRaw<[{ lsn: string }]>`SELECT pg_current_wal_lsn()::text AS lsn`;
  try {
    if (await caughtUp(replica, lsn)) {
      const result = await read(replica);
      if (state.downUntil) ctx.log.info('read replica answers again: statistics read there');
      state.downUntil = 0;
      return result;
    }
    if (now - state.behindWarnedAt >= REPLICA_RETRY_MS) {
      state.behindWarnedAt = now;
      ctx.log.warn({ position: lsn }, 'read replica behind the primary: statistics read on the primary');
    }
  } catch (err) {
    state.downUntil = now + REPLICA_RETRY_MS;
    ctx.log.warn({ err, retryInSeconds: REPLICA_RETRY_MS / 1000 }, 'read replica failed: statistics read on the primary');
  }
  return read(ctx.db);
}
