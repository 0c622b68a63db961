// The counter rows behind the statistics (migration 20261203060010_incremental_stats): the
// database marks the schools a change concerns ("StatsDirty", by triggers, in the changing
// transaction); before reading a scope we recount its dirty schools (stats_refresh), then
// figures are sums over a few hundred rows ("StatsCounter") instead of scans of every link.
import type { Tx } from './db/index.js';

export interface RawCounts {
  notNotified: number;
  notified: number;
  activating: number;
  activated: number;
  pupils: number;
  pupilsWithActivated: number;
}

/**
 * Schools recounted per statement: bounds the work (and locks) of one refresh. A school of
 * 1,000 pupils takes 30-60 ms on an idle 2-core machine, so ten stay well under the
 * statement timeout (DATABASE_STATEMENT_TIMEOUT_MS, 15 s) even on a machine under load
 * (a hundred took 3.4-5.8 s idle and hit the timeout under load).
 */
const REFRESH_CHUNK = 10;

/** Recounts the dirty schools of the scope (one school, one academy, or all). Returns how many. */
export async function refreshDirty(db: Tx, scope: { uai?: string; academy?: string } = {}): Promise<number> {
  if (scope.uai !== undefined) {
    // One round trip: recount only if the school is dirty.
    const done = await db.$queryRaw<{ n: number }[]>`
      SELECT stats_refresh(ARRAY[${scope.uai}]::text[]) AS n FROM (SELECT 1 FROM "StatsDirty" WHERE "schoolUai" = ${scope.uai} LIMIT 1) d`;
    return done.length;
  }
  const academy = scope.academy ?? null;
  const rows = await db.$queryRaw<{ uai: string }[]>`
    SELECT DISTINCT d."schoolUai" AS uai FROM "StatsDirty" d
    WHERE ${academy}::text IS NULL OR EXISTS (SELECT 1 FROM "School" s WHERE s.uai = d."schoolUai" AND s.academy = ${academy})`;
  const uais = rows.map((r) => r.uai).sort();
  for (let i = 0; i < uais.length; i += REFRESH_CHUNK) {
    await db.$queryRaw`SELECT stats_refresh(${uais.slice(i, i + REFRESH_CHUNK)}::text[])`;
  }
  return uais.length;
}

/** Marks every school dirty and recounts them all (the nightly check; also after a restore). */
export async function rebuildAllCounters(db: Tx): Promise<number> {
  await db.$executeRaw`INSERT INTO "StatsDirty" ("schoolUai") SELECT uai FROM "School"`;
  return refreshDirty(db);
}

interface CounterRow extends RawCounts {
  dim: string;
  key: string;
}

export interface SchoolCounters {
  /** `school:`, `class:<id>`, `level:<level>`. */
  rows: Map<string, RawCounts>;
  /** Every class of the school, with or without pupils. */
  classes: { id: number; name: string; level: string }[];
}

/** The counter rows of a school and its classes, with a flag row when the school is dirty. */
async function readSchool(db: Tx, uai: string): Promise<{ dirty: boolean; out: SchoolCounters }> {
  const rows = await db.$queryRaw<(CounterRow & { classId: number | null; className: string | null; level: string | null })[]>`
    SELECT sc.dim, sc.key, sc."notNotified", sc.notified, sc.activating, sc.activated, sc.pupils, sc."pupilsWithActivated",
           NULL::int AS "classId", NULL AS "className", NULL AS level
    FROM "StatsCounter" sc WHERE sc."schoolUai" = ${uai}
    UNION ALL
    SELECT 'schoolClass', '', 0, 0, 0, 0, 0, 0, c.id, c.name, c.level FROM "SchoolClass" c WHERE c."schoolUai" = ${uai}
    UNION ALL
    SELECT 'dirty', '', 0, 0, 0, 0, 0, 0, NULL, NULL, NULL FROM (SELECT 1 FROM "StatsDirty" WHERE "schoolUai" = ${uai} LIMIT 1) d`;
  const out: SchoolCounters = { rows: new Map(), classes: [] };
  let dirty = false;
  for (const { dim, key, classId, className, level, ...c } of rows) {
    if (dim === 'dirty') dirty = true;
    else if (dim === 'schoolClass' && classId !== null) out.classes.push({ id: classId, name: className ?? '', level: level ?? '' });
    else out.rows.set(`${dim}:${key}`, c);
  }
  return { dirty, out };
}

/**
 * One school's rows and its classes. The common case (school not dirty: states are adjusted
 * in place) is one round trip; a dirty school is recounted, then read again.
 */
export async function schoolCounters(db: Tx, uai: string): Promise<SchoolCounters> {
  const first = await readSchool(db, uai);
  if (!first.dirty) return first.out;
  await refreshDirty(db, { uai });
  return (await readSchool(db, uai)).out;
}

export interface AggregateCounters {
  summary: RawCounts;
  /** Every school of the scope (by UAI), with its own distinct guardians (zeros when it has no rows yet). */
  schools: (RawCounts & { uai: string; name: string })[];
  /** Per level across the scope: each guardian once per level. */
  levels: Map<string, RawCounts>;
}

/**
 * Academy (academy given) or national figures: each guardian counted once in the scope.
 * One statement, read only (the caller recounts the scope's dirty schools first, on the
 * primary: refreshDirty): the sums over the school and level rows, and the schools of the
 * scope with their own rows (a few hundred to a few thousand rows, never the accounts).
 */
export async function aggregateCounters(db: Tx, academy: string | null): Promise<AggregateCounters> {
  const nat = academy === null;
  const rows = await db.$queryRaw<(CounterRow & { uai: string | null; name: string | null })[]>`
    WITH scope AS (SELECT * FROM "StatsCounter" WHERE dim IN ('school', 'level') AND (${academy}::text IS NULL OR academy = ${academy})),
    once AS (
      SELECT dim, key,
             CASE WHEN ${nat} THEN "natNotNotified" ELSE "acaNotNotified" END AS nn, CASE WHEN ${nat} THEN "natNotified" ELSE "acaNotified" END AS nt,
             CASE WHEN ${nat} THEN "natActivating" ELSE "acaActivating" END AS ai, CASE WHEN ${nat} THEN "natActivated" ELSE "acaActivated" END AS ad,
             pupils, "pupilsWithActivated" AS pa
      FROM scope
    )
    SELECT NULL AS uai, NULL AS name, dim, key, SUM(nn)::int AS "notNotified", SUM(nt)::int AS notified, SUM(ai)::int AS activating,
           SUM(ad)::int AS activated, SUM(pupils)::int AS pupils, SUM(pa)::int AS "pupilsWithActivated"
    FROM once GROUP BY dim, key
    UNION ALL
    SELECT s.uai, s.name, 'school', '', COALESCE(c."notNotified", 0), COALESCE(c.notified, 0), COALESCE(c.activating, 0),
           COALESCE(c.activated, 0), COALESCE(c.pupils, 0), COALESCE(c."pupilsWithActivated", 0)
    FROM "School" s LEFT JOIN scope c ON c."schoolUai" = s.uai AND c.dim = 'school'
    WHERE ${academy}::text IS NULL OR s.academy = ${academy}`;
  const zero = (): RawCounts => ({ notNotified: 0, notified: 0, activating: 0, activated: 0, pupils: 0, pupilsWithActivated: 0 });
  const out: AggregateCounters = { summary: zero(), schools: [], levels: new Map() };
  for (const { uai, name, dim, key, ...c } of rows) {
    if (uai !== null) out.schools.push({ uai, name: name ?? '', ...c });
    else if (dim === 'school' && key === '') out.summary = c;
    else if (dim === 'level' && key !== '') out.levels.set(key, c);
  }
  out.schools.sort((a, b) => (a.uai < b.uai ? -1 : a.uai > b.uai ? 1 : 0));
  return out;
}

/**
 * The levels of every class of the scope, with or without pupils. Nationally a loose index
 * scan (one probe per level on "SchoolClass_level_idx", not a scan of every class); for an
 * academy, the classes of its schools by key.
 */
export async function scopeLevels(db: Tx, academy: string | null): Promise<string[]> {
  const rows =
    academy === null
      ? await db.$queryRaw<{ level: string }[]>`
          WITH RECURSIVE l(level) AS (
            SELECT min(level) FROM "SchoolClass"
            UNION ALL SELECT (SELECT min(c.level) FROM "SchoolClass" c WHERE c.level > l.level) FROM l WHERE l.level IS NOT NULL)
          SELECT level FROM l WHERE level IS NOT NULL`
      : await db.$queryRaw<{ level: string }[]>`
          SELECT DISTINCT c.level FROM "School" s JOIN "SchoolClass" c ON c."schoolUai" = s.uai WHERE s.academy = ${academy}`;
  return rows.map((r) => r.level);
}
