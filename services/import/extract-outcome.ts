// What an applied extract reports, read from the import's tables (extract-stage.ts,
// extract-decide.ts, extract-merge.ts) before its transaction commits: the counts, the
// rejections and warnings in line order (streamed through a cursor, never all in memory), and
// the audit row.
import type { Actor } from '../actor.js';
import { auditRow } from '../audit.js';
import type { HeldSchool, SafetyCheck } from './extract-safety.js';
import type { RowWarning } from './extract-rows.js';
import { rawStatement, type Sql } from './sql.js';
import { reportCounts, type ImportReport, type RowRejection } from './report.js';

/**
 * Counts are per row (pupil–guardian link): `created` the link is new; `updated` the link or
 * something it carries (school, class, pupil, guardian) changed; `removed` links of the
 * extracted schools that the file no longer contains.
 */
export interface ExtractReport extends ImportReport {
  /** Schools of the file (at least one row applied): their links were reconciled. */
  schools: string[];
  /** Schools held back (nothing applied, nothing removed), with the figures that held them. */
  held: HeldSchool[];
  /** Valid rows of held schools (not applied). */
  heldRows: number;
  /** The first MAX_KEPT_REJECTIONS warnings (rows applied without something: a contact left out, a refused link, a duplicate). */
  warnings: RowWarning[];
  /** Number of warnings. */
  warned: number;
  /** Rows repeating an earlier row's pupil and guardian. */
  duplicates: number;
  /** Rows whose link the guardian refused: not recreated. */
  refusedLinks: number;
  /** The file's last line had no line break (the file was probably cut). */
  truncated: boolean;
  forced: boolean;
  /** Pupils whose birth date changed. */
  changedBirthDates: number[];
  /** Guardians whose mobile changed. */
  changedMobiles: number[];
  /** Cases resolved after the import (by `afterImport`). */
  casesResolved: number;
}

export function emptyReport(rows: number, check: SafetyCheck, forced: boolean): ExtractReport {
  return {
    rows,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    rejected: 0,
    rejections: [],
    schools: [],
    held: check.held,
    heldRows: 0,
    warnings: [],
    warned: 0,
    duplicates: check.duplicateCount,
    refusedLinks: 0,
    truncated: check.truncated,
    forced,
    changedBirthDates: [],
    changedMobiles: [],
    casesResolved: 0,
  };
}

/** Rows per FETCH of a cursor. */
const FETCH = 5000;

/** import_dec with `applied`: the row was accepted and its guardian had not refused the link (import_refusal). */
const DECISIONS = `(SELECT d.*, d.accepted AND f.line IS NULL AS applied FROM import_dec d LEFT JOIN import_refusal f ON f.line = d.line)`;

const REJECTIONS = `
  SELECT line, reason, 0 AS n FROM import_row WHERE NOT ok
  UNION ALL SELECT line, reject, 0 FROM import_dec WHERE reject IS NOT NULL
  UNION ALL SELECT line, reason, 0 FROM import_refusal
  ORDER BY line, n`;

const WARNINGS = `
  SELECT d.line, w.reason, w.n FROM ${DECISIONS} d
  CROSS JOIN LATERAL unnest(string_to_array(d.warnings, E'\\x1F')) WITH ORDINALITY AS w(reason, n)
  WHERE d.warnings IS NOT NULL AND d.applied
  UNION ALL
  SELECT d.line, 'élève ' || d.ine || ' – responsable ' || d.ref
    || ' : lien refusé par le responsable, non recréé (l''école ou l''assistance peut le rétablir)', 1000000
  FROM ${DECISIONS} d WHERE d.refused_warning AND d.applied
  ORDER BY line, n`;

/** Calls `each` for every row of `query`, in order, a cursor page at a time. */
async function stream(sql: Sql, query: string, each: (row: RowRejection) => void): Promise<void> {
  await sql.unsafe(`DECLARE import_cursor NO SCROLL CURSOR FOR ${query}`);
  for (;;) {
    const rows = await sql.query<RowRejection>(rawStatement(`FETCH ${FETCH} FROM import_cursor`));
    rows.forEach((r) => each({ line: r.line, reason: r.reason }));
    if (rows.length < FETCH) break;
  }
  await sql.unsafe('CLOSE import_cursor');
}

export interface OutcomeSinks {
  reject: (rejection: RowRejection) => void;
  warn: (warning: RowWarning) => void;
}

/** Fills the report's counts and lists; passes every rejection and warning on, by line. */
export async function collectOutcome(sql: Sql, report: ExtractReport, sinks: OutcomeSinks): Promise<void> {
  // One pass counts what the lists below would hold: each list is only read when it has rows (at
  // 1,000,000 rows each read costs 0.15-0.45 s, most often for nothing).
  const [counts] = await sql.query<{
    created: number;
    updated: number;
    unchanged: number;
    refused: number;
    held: number;
    births: number;
    mobiles: number;
    warned: number;
    rejected: number;
  }>(
    rawStatement(`
      SELECT count(*) FILTER (WHERE outcome = 'created' AND applied)::int AS created,
        count(*) FILTER (WHERE outcome = 'updated' AND applied)::int AS updated,
        count(*) FILTER (WHERE outcome = 'unchanged' AND applied)::int AS unchanged,
        count(*) FILTER (WHERE refused_warning AND applied)::int AS refused,
        count(*) FILTER (WHERE birth_changed AND applied)::int AS births,
        count(*) FILTER (WHERE mobile_changed AND applied)::int AS mobiles,
        count(*) FILTER (WHERE (warnings IS NOT NULL OR refused_warning) AND applied)::int AS warned,
        count(*) FILTER (WHERE reject IS NOT NULL)::int
          + (SELECT count(*)::int FROM import_row r WHERE NOT r.ok) + (SELECT count(*)::int FROM import_refusal) AS rejected,
        (SELECT count(*)::int FROM import_row r WHERE r.ok AND r.uai IN (SELECT uai FROM import_held)) AS held
      FROM ${DECISIONS} d`),
  );
  report.created = counts?.created ?? 0;
  report.updated = counts?.updated ?? 0;
  report.unchanged = counts?.unchanged ?? 0;
  report.refusedLinks = counts?.refused ?? 0;
  report.heldRows = counts?.held ?? 0;
  const ids = async (count: number | undefined, flag: string, id: string): Promise<number[]> =>
    count
      ? (
          await sql.query<{ id: number }>(
            rawStatement(`SELECT ${id} AS id FROM ${DECISIONS} d WHERE ${flag} AND d.applied GROUP BY ${id} ORDER BY min(d.line)`),
          )
        ).map((r) => r.id)
      : [];
  report.changedBirthDates = await ids(counts?.births, 'd.birth_changed', 'd.p_id');
  report.changedMobiles = await ids(counts?.mobiles, 'd.mobile_changed', 'd.g_id');
  if (counts?.warned) await stream(sql, WARNINGS, sinks.warn);
  if (counts?.rejected) await stream(sql, REJECTIONS, sinks.reject);
}

/** The audit row of the import, in its transaction. */
export async function writeAudit(sql: Sql, report: ExtractReport, actor: Actor, at: Date): Promise<void> {
  const row = auditRow({
    actor,
    action: 'import.extract',
    outcome: report.rejected || report.held.length ? 'partial' : 'success',
    at,
    details: {
      ...reportCounts(report),
      schools: report.schools,
      held: report.held.map((h) => h.uai),
      heldRows: report.heldRows,
      warned: report.warned,
      duplicates: report.duplicates,
      refusedLinks: report.refusedLinks,
      truncated: report.truncated,
      forced: report.forced,
      changedBirthDates: report.changedBirthDates.length,
      changedMobiles: report.changedMobiles.length,
    },
  });
  await sql.execute`
    INSERT INTO "AuditLog" ("actorType", "actorId", action, outcome, at, details)
    VALUES (${row.actorType}, ${row.actorId}, ${row.action}, ${row.outcome}, ${at.toISOString()}::timestamp, ${JSON.stringify(row.details)}::jsonb)`;
}
