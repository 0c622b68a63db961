// Statistics of guardian accounts (admin guide §6.1), read from counter rows the database keeps
// per school, class and level (services/stats-counters.ts), and stored
// as snapshots (always shown with their computation time). A guardian counts once in the
// summary, but once in each class and each level of their children: detail totals differ
// from the summary, as the guide explains.
//   % accounts activated = activated accounts / accounts
//   % pupils with at least one activated guardian = such pupils / pupils of the scope
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import type { ServiceContext } from './context.js';
import type { Tx } from './db/index.js';
import { forbidden, notFound } from './errors.js';
import { levelLabel, levelRank } from './accounts/levels.js';
import { requireSchool, requireStaff } from './accounts/scope.js';
import { aggregateCounters, rebuildAllCounters, refreshDirty, schoolCounters, scopeLevels, type RawCounts } from './stats-counters.js';
import { countPastActivationDeadline } from './accounts/reminders.js';
import { startPeriodic, type Periodic } from './periodic.js';
import { replicaRead } from './read-replica.js';

export type StatsCounts = {
  accounts: number;
  notNotified: number;
  notified: number;
  activating: number;
  activated: number;
  /** 0–100, two decimals. */
  activatedPct: number;
  pupils: number;
  pupilsWithActivated: number;
  pupilsWithActivatedPct: number;
};

export type ClassStats = StatsCounts & { classId: number; className: string; level: string };
export type LevelStats = StatsCounts & { level: string; label: string };
export type SchoolRowStats = StatsCounts & { uai: string; name: string };

export type SchoolStatsData = {
  kind: 'school';
  uai: string;
  name: string;
  summary: StatsCounts;
  classes: ClassStats[];
  classesTotal: StatsCounts;
  levels: LevelStats[];
  levelsTotal: StatsCounts;
  /** Accounts notified more than 3 months ago and still not activated (guide §1.3.3); absent in older snapshots. */
  pastActivationDeadline?: number;
};

export type AggregateStatsData = {
  kind: 'aggregate';
  scope: 'ACADEMY' | 'NATIONAL';
  key: string;
  summary: StatsCounts;
  schools: SchoolRowStats[];
  levels: LevelStats[];
  levelsTotal: StatsCounts;
};

export type Stats<T> = T & { computedAt: Date };

export const NATIONAL_KEY = 'FR';

const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n * 10000) / d) / 100);

/** Zero figures (a unit with no account). */
export function emptyCounts(): StatsCounts {
  return {
    accounts: 0,
    notNotified: 0,
    notified: 0,
    activating: 0,
    activated: 0,
    activatedPct: 0,
    pupils: 0,
    pupilsWithActivated: 0,
    pupilsWithActivatedPct: 0,
  };
}

function finish(c: StatsCounts): StatsCounts {
  return { ...c, activatedPct: pct(c.activated, c.accounts), pupilsWithActivatedPct: pct(c.pupilsWithActivated, c.pupils) };
}

function total(rows: StatsCounts[]): StatsCounts {
  const t = emptyCounts();
  for (const r of rows) {
    t.accounts += r.accounts;
    t.notNotified += r.notNotified;
    t.notified += r.notified;
    t.activating += r.activating;
    t.activated += r.activated;
    t.pupils += r.pupils;
    t.pupilsWithActivated += r.pupilsWithActivated;
  }
  return finish(t);
}

/** The figures of a counter row (services/stats-counters.ts). */
function fromRaw(c: RawCounts | undefined): StatsCounts {
  if (!c) return emptyCounts();
  return finish({ ...emptyCounts(), ...c, accounts: c.notNotified + c.notified + c.activating + c.activated });
}

function levelRows(counts: ReadonlyMap<string, RawCounts>, levels: Iterable<string>, prefix: string): LevelStats[] {
  return [...new Set(levels)]
    .sort((a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b))
    .map((level) => ({ level, label: levelLabel(level), ...fromRaw(counts.get(`${prefix}${level}`)) }));
}

async function computeSchool(tx: Tx, school: { uai: string; name: string }): Promise<SchoolStatsData> {
  const { rows: counts, classes } = await schoolCounters(tx, school.uai);
  const classRows: ClassStats[] = classes
    .sort((a, b) => levelRank(a.level) - levelRank(b.level) || a.name.localeCompare(b.name, 'fr'))
    .map((c) => ({ classId: c.id, className: c.name, level: c.level, ...fromRaw(counts.get(`class:${c.id}`)) }));
  const levels = levelRows(
    counts,
    classes.map((c) => c.level),
    'level:',
  );
  return {
    kind: 'school',
    uai: school.uai,
    name: school.name,
    summary: fromRaw(counts.get('school:')),
    classes: classRows,
    classesTotal: total(classRows),
    levels,
    levelsTotal: total(levels),
  };
}

/** Reads only: the scope's dirty schools are recounted before (refreshDirty, on the primary). */
async function computeAggregate(tx: Tx, scope: 'ACADEMY' | 'NATIONAL', key: string): Promise<AggregateStatsData> {
  const academy = scope === 'ACADEMY' ? key : null;
  // Independent reads, at once.
  const [counts, levels] = await Promise.all([aggregateCounters(tx, academy), scopeLevels(tx, academy)]);
  const levelStats = levelRows(counts.levels, levels, '');
  return {
    kind: 'aggregate',
    scope,
    key,
    summary: fromRaw(counts.summary),
    schools: counts.schools.map(({ uai, name, ...c }) => ({ uai, name, ...fromRaw(c) })),
    levels: levelStats,
    levelsTotal: total(levelStats),
  };
}

async function store<T extends SchoolStatsData | AggregateStatsData>(
  tx: Tx,
  scope: 'SCHOOL' | 'ACADEMY' | 'NATIONAL',
  key: string,
  data: T,
  at: Date,
): Promise<Stats<T>> {
  await tx.statsSnapshot.create({ data: { scope, scopeKey: key, computedAt: at, data } });
  return { ...data, computedAt: at };
}

async function latest<T extends SchoolStatsData | AggregateStatsData>(
  tx: Tx,
  scope: 'SCHOOL' | 'ACADEMY' | 'NATIONAL',
  key: string,
  kind: T['kind'],
): Promise<Stats<T> | null> {
  const snap = await tx.statsSnapshot.findFirst({ where: { scope, scopeKey: key }, orderBy: [{ computedAt: 'desc' }, { id: 'desc' }] });
  if (!snap || typeof snap.data !== 'object' || snap.data === null || Array.isArray(snap.data) || snap.data.kind !== kind) return null;
  // Written by store() above with the same type; the kind tag guards against foreign rows.
  return { ...(snap.data as unknown as T), computedAt: snap.computedAt };
}

/** Computes now, stores the snapshot and returns it ("Calculer les statistiques"). */
export async function computeSchoolStats(ctx: ServiceContext, actor: Actor, uai: string): Promise<Stats<SchoolStatsData>> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const now = ctx.now();
  // Independent reads at once, then independent writes at once: three round trips in all.
  const [figures, pastActivationDeadline] = await Promise.all([computeSchool(ctx.db, school), countPastActivationDeadline(ctx.db, school.uai, now)]);
  const [stats] = await Promise.all([
    store(ctx.db, 'SCHOOL', school.uai, { ...figures, pastActivationDeadline }, now),
    audit(ctx.db, { actor, at: now, action: 'stats.compute', schoolUai: school.uai, outcome: 'success', details: { scope: 'SCHOOL' } }),
  ]);
  return stats;
}

/** The latest snapshot, computed at once when there is none. */
export async function getSchoolStats(ctx: ServiceContext, actor: Actor, uai: string): Promise<Stats<SchoolStatsData>> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  return (await latest<SchoolStatsData>(ctx.db, 'SCHOOL', school.uai, 'school')) ?? computeSchoolStats(ctx, actor, school.uai);
}

async function aggregateScope(ctx: ServiceContext, actor: Actor, scope: 'ACADEMY' | 'NATIONAL', academy?: string): Promise<string> {
  const staff = requireStaff(actor);
  if (staff.kind === 'director') throw forbidden('aggregate statistics are for agents');
  if (scope === 'NATIONAL') return NATIONAL_KEY;
  const name = academy?.trim() ?? '';
  if (!name || (await ctx.db.school.count({ where: { academy: name } })) === 0) throw notFound(`academy ${name}`);
  return name;
}

/** Academy or national statistics (agents and admins only), computed now and stored. */
export async function computeAggregateStats(
  ctx: ServiceContext,
  actor: Actor,
  scope: 'ACADEMY' | 'NATIONAL',
  academy?: string,
): Promise<Stats<AggregateStatsData>> {
  const key = await aggregateScope(ctx, actor, scope, academy);
  const now = ctx.now();
  // The recount of the scope's dirty schools writes: on the primary. The sums are then read on
  // the read replica once it has replayed that recount (services/read-replica.ts), so they are
  // the primary's figures as of this moment; the snapshot and the audit row go to the primary.
  await refreshDirty(ctx.db, scope === 'ACADEMY' ? { academy: key } : {});
  const data = await replicaRead(ctx, (db) => computeAggregate(db, scope, key));
  const [stats] = await Promise.all([
    store(ctx.db, scope, key, data, now),
    audit(ctx.db, { actor, at: now, action: 'stats.compute', outcome: 'success', details: { scope, key } }),
  ]);
  return stats;
}

export async function getAggregateStats(
  ctx: ServiceContext,
  actor: Actor,
  scope: 'ACADEMY' | 'NATIONAL',
  academy?: string,
): Promise<Stats<AggregateStatsData>> {
  const key = await aggregateScope(ctx, actor, scope, academy);
  return (await latest<AggregateStatsData>(ctx.db, scope, key, 'aggregate')) ?? computeAggregateStats(ctx, actor, scope, key);
}

/** Every snapshot is kept this long; older ones are thinned to the last of each day. */
export const SNAPSHOT_RETENTION_DAYS = 35;
/** The last snapshot of each day is kept this long: the activation curve of a whole school year (Teams tab). */
export const SNAPSHOT_HISTORY_DAYS = 400;

/** Removes snapshots past retention: all of them after SNAPSHOT_HISTORY_DAYS, all but each day's last (Paris) after SNAPSHOT_RETENTION_DAYS. */
async function pruneSnapshots(tx: Tx, now: Date): Promise<void> {
  const history = new Date(now.getTime() - SNAPSHOT_HISTORY_DAYS * 86_400_000);
  const recent = new Date(now.getTime() - SNAPSHOT_RETENTION_DAYS * 86_400_000);
  await tx.statsSnapshot.deleteMany({ where: { computedAt: { lt: history } } });
  await tx.$executeRaw`
    DELETE FROM "StatsSnapshot" s USING (
      SELECT id, row_number() OVER (
        PARTITION BY scope, "scopeKey", (("computedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris')::date
        ORDER BY "computedAt" DESC, id DESC) AS rank
      FROM "StatsSnapshot" WHERE "computedAt" < ${recent}
    ) old
    WHERE s.id = old.id AND old.rank > 1`;
}

/**
 * Every school, every academy and the national figures (the nightly job), then removes
 * snapshots past retention. Returns the number of snapshots written.
 */
export async function recomputeAllStats(ctx: ServiceContext): Promise<number> {
  const now = ctx.now();
  await pruneSnapshots(ctx.db, now);
  // Recount every school from scratch: the counters are checked against the data each night.
  await rebuildAllCounters(ctx.db);
  const schools = await ctx.db.school.findMany({ select: { uai: true, name: true, academy: true }, orderBy: { uai: 'asc' } });
  for (const s of schools)
    await store(
      ctx.db,
      'SCHOOL',
      s.uai,
      { ...(await computeSchool(ctx.db, s)), pastActivationDeadline: await countPastActivationDeadline(ctx.db, s.uai, now) },
      now,
    );
  const academies = [...new Set(schools.map((s) => s.academy))].sort();
  // On the primary, just recounted: schools changed since then are recounted first.
  await refreshDirty(ctx.db);
  for (const a of academies) await store(ctx.db, 'ACADEMY', a, await computeAggregate(ctx.db, 'ACADEMY', a), now);
  await store(ctx.db, 'NATIONAL', NATIONAL_KEY, await computeAggregate(ctx.db, 'NATIONAL', NATIONAL_KEY), now);
  return schools.length + academies.length + 1;
}

/**
 * Recounts the schools marked by the changes that are not adjusted in place (links, pupils,
 * merges, imports) every `intervalMs`, so that reads rarely find work left. Safe on several
 * instances at once (refreshes of one school are serialised in the database).
 */
export function startStatsRefresher(ctx: ServiceContext, intervalMs = 30_000): Periodic {
  return startPeriodic({ name: 'statistics refresher', intervalMs, log: ctx.log }, async () => {
    const n = await refreshDirty(ctx.db);
    if (n) ctx.log.debug({ schools: n }, 'statistics counters refreshed');
  });
}
