// A director's statistics across their schools (admin guide §6.1, one school at a time there):
// each school's latest figures (services/stats.ts, computed on demand when missing or asked)
// and their sum. A guardian with children in two of the schools counts in each, as the guide
// counts a guardian with children in two classes in both.
import type { Actor } from './actor.js';
import type { ServiceContext } from './context.js';
import { forbidden } from './errors.js';
import { requireStaff } from './accounts/scope.js';
import { computeSchoolStats, getSchoolStats, type SchoolStatsData, type Stats, type StatsCounts } from './stats.js';

export interface DirectorStats {
  schools: Stats<SchoolStatsData>[];
  /** The schools' summaries added up (percentages recomputed on the sums). */
  combined: StatsCounts;
}

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n * 10000) / d) / 100);

/** Counts added up, percentages recomputed on the sums. */
export function sumCounts(rows: readonly StatsCounts[]): StatsCounts {
  const sum = (field: keyof StatsCounts): number => rows.reduce((n, r) => n + r[field], 0);
  const accounts = sum('accounts');
  const activated = sum('activated');
  const pupils = sum('pupils');
  const pupilsWithActivated = sum('pupilsWithActivated');
  return {
    accounts,
    notNotified: sum('notNotified'),
    notified: sum('notified'),
    activating: sum('activating'),
    activated,
    activatedPct: pct(activated, accounts),
    pupils,
    pupilsWithActivated,
    pupilsWithActivatedPct: pct(pupilsWithActivated, pupils),
  };
}

/** Every school of the director (UAI order), latest figures or computed now (`recompute`). */
export async function getDirectorStats(ctx: ServiceContext, actor: Actor, options: { recompute?: boolean } = {}): Promise<DirectorStats> {
  const staff = requireStaff(actor);
  if (staff.kind !== 'director') throw forbidden('combined school statistics are for directors');
  // A UAI of the directory that is not in the register yet has no figures.
  const known = await ctx.db.school.findMany({ where: { uai: { in: staff.uais } }, select: { uai: true }, orderBy: { uai: 'asc' } });
  const schools: Stats<SchoolStatsData>[] = [];
  for (const { uai } of known) schools.push(options.recompute ? await computeSchoolStats(ctx, staff, uai) : await getSchoolStats(ctx, staff, uai));
  return { schools, combined: sumCounts(schools.map((s) => s.summary)) };
}
