// Statistics figures of `npm run bench`, on the generated data set, through the service
// functions the dialogs call ("Calculer les statistiques"): each measure follows a few
// account changes, so that it reflects the database as it is now ("computed fresh").
//   - national statistics at 1,000,000 accounts: <= 1 s
//   - one school's statistics (1,000 accounts) in a database of 1,000,000: <= 20 ms
import { performance } from 'node:perf_hooks';
import type { Actor } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import type { PrismaClient } from '../services/db/index.js';
import { computeAggregateStats, computeSchoolStats } from '../services/stats.js';
import type { BenchData } from './data.js';
import { figure, median } from './lib.js';

/**
 * What a day of parents does: a few accounts change state (activation, notification). Not a
 * figure: run on `changes`, a client without the application's statement timeouts (picking one
 * guardian in 997 scans them all, longer than 15 s on a loaded machine at 1,000,000 accounts).
 */
async function someChanges(changes: PrismaClient, data: BenchData, round: number, uai?: string): Promise<void> {
  const states = ['NOTIFIED', 'ACTIVATING', 'ACTIVATED'];
  await changes.$executeRaw`
    UPDATE "Guardian" g SET state = ${states[round % 3]}::"AccountState", "updatedAt" = now()
    FROM "PupilGuardian" pg JOIN "Pupil" p ON p.id = pg."pupilId"
    WHERE pg."guardianId" = g.id AND (${uai ?? null}::text IS NULL OR p."schoolUai" = ${uai ?? null})
      AND g.id % 997 = ${round}::int % 997 AND g.id <= ${data.accounts}::int`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function statsFigures(ctx: ServiceContext, data: BenchData, changes: PrismaClient): Promise<Record<string, unknown>[]> {
  const agent: Actor = { kind: 'agent', staffId: 'bench-agent', name: 'Bench' };
  const director: Actor = { kind: 'director', staffId: 'bench-director', name: 'Bench', uais: [data.sampleUai] };
  const size = data.accounts.toLocaleString('en');
  // Warm-up: plans, prepared statements.
  await computeSchoolStats(ctx, director, data.sampleUai);
  await computeAggregateStats(ctx, agent, 'NATIONAL');

  const national: number[] = [];
  const academy: number[] = [];
  for (let round = 1; round <= 3; round++) {
    await someChanges(changes, data, round);
    national.push(await timed(() => computeAggregateStats(ctx, agent, 'NATIONAL')));
    await someChanges(changes, data, round + 10);
    academy.push(await timed(() => computeAggregateStats(ctx, agent, 'ACADEMY', data.sampleAcademy)));
  }
  const school: number[] = [];
  for (let round = 1; round <= 7; round++) {
    await someChanges(changes, data, round, data.sampleUai);
    school.push(await timed(() => computeSchoolStats(ctx, director, data.sampleUai)));
  }
  return [
    figure(
      `national statistics computed fresh, ${size} accounts`,
      median(national),
      'ms',
      { op: '<=', value: 1000 },
      { runsMs: national.map(Math.round), schools: data.schools },
    ),
    figure(`academy statistics computed fresh, ${size} accounts`, median(academy), 'ms', { op: '<=', value: 1000 }, { runsMs: academy.map(Math.round) }),
    figure(
      `one school's statistics (1,000 accounts) in a database of ${size}`,
      median(school),
      'ms',
      { op: '<=', value: 20 },
      { runsMs: school.map(Math.round) },
    ),
  ];
}
