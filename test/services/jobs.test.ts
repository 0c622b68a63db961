import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../services/db/index.js';
import { NIGHTLY_STATS, lastDueTime, runDueJobs, startScheduler } from '../../services/jobs.js';
import { SNAPSHOT_HISTORY_DAYS, SNAPSHOT_RETENTION_DAYS } from '../../services/stats.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { createClass, createGuardian, createPupil, createSchool } from './accounts/fixtures.js';

// Two "instances": two clients (two connection pools) on the same database.
const db1: PrismaClient = testPrisma();
const db2: PrismaClient = testPrisma();
let a: TestContext;
let b: TestContext;
// 03:30 in Paris (winter, UTC+1): the 02:00 run is due.
const NIGHT = new Date('2026-11-20T02:30:00Z');

afterAll(async () => {
  await db1.$disconnect();
  await db2.$disconnect();
});

beforeAll(async () => {
  await resetDatabase(db1);
  for (const [uai, academy] of [
    ['0311478N', 'TOULOUSE'],
    ['0330001A', 'BORDEAUX'],
  ] as const) {
    await createSchool(db1, uai, `ECOLE ${uai}`, academy);
    const p = await createPupil(db1, { schoolUai: uai, classId: await createClass(db1, uai, 'CP', 'CP'), lastName: 'E', firstName: 'F' });
    await createGuardian(db1, { lastName: 'G', firstName: 'H', state: 'ACTIVATED', pupilIds: [p] });
  }
});

beforeEach(async () => {
  await db1.jobLease.deleteMany();
  await db1.statsSnapshot.deleteMany();
  a = testContext(db1);
  b = testContext(db2);
  a.setNow(NIGHT);
  b.setNow(NIGHT);
});

describe('nightly statistics job', () => {
  it('runs on exactly one of two instances started together', async () => {
    const [ra, rb] = await Promise.all([runDueJobs(a, 'instance-a', { hour: 2 }), runDueJobs(b, 'instance-b', { hour: 2 })]);
    const runs = [...ra, ...rb];
    expect(runs).toEqual([{ job: NIGHTLY_STATS, snapshots: 2 + 2 + 1 }]);
    expect(await db1.statsSnapshot.count()).toBe(5);
    const lease = await db1.jobLease.findUniqueOrThrow({ where: { name: NIGHTLY_STATS } });
    expect(lease).toMatchObject({ holder: null, leaseEnd: null, lastRunAt: NIGHT });
    // Once a night: later the same night nothing runs.
    a.setNow(new Date('2026-11-20T05:00:00Z'));
    expect(await runDueJobs(a, 'instance-a', { hour: 2 })).toEqual([]);
    // The next night it runs again.
    b.setNow(new Date('2026-11-21T01:05:00Z'));
    expect(await runDueJobs(b, 'instance-b', { hour: 2 })).toHaveLength(1);
    expect(await db1.statsSnapshot.count()).toBe(10);
    // An extra snapshot the same day (a director's "compute now"): kept while recent.
    await db1.statsSnapshot.create({ data: { scope: 'NATIONAL', scopeKey: 'FR', computedAt: new Date('2026-11-20T09:00:00Z'), data: {} } });
    // Past retention, only the last snapshot of each day is kept (the year's activation curve)…
    b.setNow(new Date(NIGHT.getTime() + (SNAPSHOT_RETENTION_DAYS + 1) * 86_400_000));
    expect(await runDueJobs(b, 'instance-b', { hour: 2 })).toHaveLength(1);
    expect(await db1.statsSnapshot.count()).toBe(15);
    expect(await db1.statsSnapshot.count({ where: { computedAt: new Date('2026-11-20T09:00:00Z') } })).toBe(1);
    expect(await db1.statsSnapshot.count({ where: { scope: 'NATIONAL', computedAt: NIGHT } })).toBe(0);
    // …and past the history, none: only the two last nights' snapshots remain.
    b.setNow(new Date(NIGHT.getTime() + (SNAPSHOT_HISTORY_DAYS + 2) * 86_400_000));
    expect(await runDueJobs(b, 'instance-b', { hour: 2 })).toHaveLength(1);
    expect(await db1.statsSnapshot.count()).toBe(10);
    expect(await db1.statsSnapshot.count({ where: { computedAt: { lt: new Date(NIGHT.getTime() + 2 * 86_400_000) } } })).toBe(0);
    expect(await db1.auditLog.count({ where: { action: 'stats.nightly', outcome: 'success' } })).toBeGreaterThanOrEqual(2);
  });

  it('does not run before the hour, nor while another instance holds a live lease', async () => {
    a.setNow(new Date('2026-11-20T00:30:00Z')); // 01:30 in Paris; last due time was the day before
    await db1.jobLease.create({ data: { name: NIGHTLY_STATS, lastRunAt: new Date('2026-11-19T01:10:00Z') } });
    expect(await runDueJobs(a, 'instance-a', { hour: 2 })).toEqual([]);
    await db1.jobLease.update({ where: { name: NIGHTLY_STATS }, data: { holder: 'crashed', leaseEnd: new Date(NIGHT.getTime() + 10 * 60_000) } });
    expect(await runDueJobs(b, 'instance-b', { hour: 2 })).toEqual([]);
    // The crashed holder's lease expires: another instance takes over.
    b.setNow(new Date(NIGHT.getTime() + 11 * 60_000));
    expect(await runDueJobs(b, 'instance-b', { hour: 2 })).toHaveLength(1);
  });

  it('computes the due time in Paris time across daylight saving', () => {
    expect(lastDueTime(new Date('2026-11-20T02:30:00Z'), 2)).toEqual(new Date('2026-11-20T01:00:00Z'));
    expect(lastDueTime(new Date('2026-07-10T00:30:00Z'), 2)).toEqual(new Date('2026-07-10T00:00:00Z'));
    expect(lastDueTime(new Date('2026-07-09T23:30:00Z'), 2)).toEqual(new Date('2026-07-09T00:00:00Z'));
  });

  it('the scheduler runs the due job on start and stops', async () => {
    const s = startScheduler(a, { hour: 2, instanceId: 'instance-a', intervalMs: 60_000 });
    for (let i = 0; i < 200 && !(await db1.jobLease.findUnique({ where: { name: NIGHTLY_STATS } }))?.lastRunAt; i++)
      await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(await db1.statsSnapshot.count()).toBe(5);
    expect(() => startScheduler(a, { hour: 24, instanceId: 'x' })).toThrow();
  });
});
