// Scheduled jobs shared by several instances: the nightly statistics. A JobLease row per job;
// an instance runs a job only after taking its lease with one atomic UPDATE … RETURNING, so
// when several instances wake up together exactly one runs it. A crashed holder's lease
// expires and another instance takes over.
import { audit } from './audit.js';
import type { ServiceContext } from './context.js';
import { parisTimeOnDay } from './paris.js';
import { recomputeAllStats } from './stats.js';
import { startPeriodic, type Periodic } from './periodic.js';

export const NIGHTLY_STATS = 'nightly-stats';
const LEASE_MS = 30 * 60_000;
const DAY_MS = 24 * 3_600_000;

export interface JobOptions {
  /** Hour (0–23, Europe/Paris) from which the nightly run is due. */
  hour: number;
}

/** The most recent scheduled time at or before `now`. */
export function lastDueTime(now: Date, hour: number): Date {
  const today = parisTimeOnDay(now, hour);
  return today.getTime() <= now.getTime() ? today : parisTimeOnDay(new Date(now.getTime() - DAY_MS), hour);
}

/** Takes the lease if the job is due and nobody holds it. */
async function takeLease(ctx: ServiceContext, name: string, instanceId: string, dueAt: Date): Promise<boolean> {
  const now = ctx.now();
  await ctx.db.$executeRaw`INSERT INTO "JobLease" (name) VALUES (${name}) ON CONFLICT (name) DO NOTHING`;
  const taken = await ctx.db.$queryRaw<{ name: string }[]>`
    UPDATE "JobLease" SET holder = ${instanceId}, "leaseEnd" = ${new Date(now.getTime() + LEASE_MS)}
    WHERE name = ${name}
      AND ("leaseEnd" IS NULL OR "leaseEnd" < ${now})
      AND ("lastRunAt" IS NULL OR "lastRunAt" < ${dueAt})
    RETURNING name`;
  return taken.length === 1;
}

async function releaseLease(ctx: ServiceContext, name: string, instanceId: string, ran: boolean): Promise<void> {
  await ctx.db.jobLease.updateMany({ where: { name, holder: instanceId }, data: { leaseEnd: null, holder: null, ...(ran ? { lastRunAt: ctx.now() } : {}) } });
}

export interface JobRun {
  job: string;
  snapshots: number;
}

/** Runs every due job this instance can lease. Returns what it ran (empty when nothing). */
export async function runDueJobs(ctx: ServiceContext, instanceId: string, opts: JobOptions = { hour: 2 }): Promise<JobRun[]> {
  const dueAt = lastDueTime(ctx.now(), opts.hour);
  if (!(await takeLease(ctx, NIGHTLY_STATS, instanceId, dueAt))) return [];
  let ok = false;
  try {
    const snapshots = await recomputeAllStats(ctx);
    ok = true;
    await audit(ctx.db, {
      actor: { kind: 'system', job: NIGHTLY_STATS },
      at: ctx.now(),
      action: 'stats.nightly',
      outcome: 'success',
      details: { snapshots, instanceId },
    });
    return [{ job: NIGHTLY_STATS, snapshots }];
  } catch (err) {
    ctx.log.error({ err, job: NIGHTLY_STATS }, 'nightly statistics failed');
    await audit(ctx.db, { actor: { kind: 'system', job: NIGHTLY_STATS }, at: ctx.now(), action: 'stats.nightly', outcome: 'failed', details: { instanceId } });
    return [];
  } finally {
    await releaseLease(ctx, NIGHTLY_STATS, instanceId, ok);
  }
}

/** Checks for due jobs every `intervalMs` (default one minute), at once the first time. */
export function startScheduler(ctx: ServiceContext, opts: JobOptions & { instanceId: string; intervalMs?: number }): Periodic {
  if (!Number.isInteger(opts.hour) || opts.hour < 0 || opts.hour > 23) throw new Error(`scheduler: hour must be 0–23, got ${opts.hour}`);
  return startPeriodic({ name: 'scheduler', intervalMs: opts.intervalMs ?? 60_000, log: ctx.log, immediate: true }, async () => {
    await runDueJobs(ctx, opts.instanceId, opts);
  });
}
