// Import safety: before anything is changed, the file is read once and what it would remove is
// measured per school. A school is held back (none of its rows applied, none of its links
// removed) when the file looks cut (its last line has no line break) or when it would remove
// more than `maxRemovalPercent` of the school's pupil–guardian links or of its linked pupils,
// unless the run is forced. Duplicate rows (same pupil and guardian_ref) are found here too.
//
// The rows' keys (line, UAI, INE, guardian_ref) go to a temporary table of the check's own
// transaction (dropped at its end), so that the figures are set-based SQL and memory stays flat.
// (COPY FROM STDIN would be faster but the embedded PGlite's socket does not support it:
// multi-row INSERTs of 5,000 rows work on both.)
import type { ServiceContext } from '../context.js';
import { normalizeUai } from '../text.js';
import { checkCsvFile, type CsvCheck } from './csv.js';
import { EXTRACT_REQUIRED_COLUMNS, INE_PATTERN, type RowWarning } from './extract-rows.js';
import { inTransaction, type Sql } from './sql.js';

/** Default of IMPORT_MAX_REMOVAL_PERCENT. */
export const DEFAULT_MAX_REMOVAL_PERCENT = 10;
/** Duplicate rows listed (all are counted). */
const MAX_LISTED_DUPLICATES = 1000;
/** Rows per INSERT into the temporary table. */
const SCAN_CHUNK = 5000;

export interface SchoolFigures {
  uai: string;
  /** Pupil–guardian links of the school today, and how many the file would remove. */
  links: number;
  linksRemoved: number;
  /** Pupils of the school with at least one link today, and how many would lose all of theirs. */
  pupils: number;
  pupilsRemoved: number;
}

export interface HeldSchool extends SchoolFigures {
  reason: 'truncated' | 'removal';
}

export interface SafetyOptions {
  force: boolean;
  maxRemovalPercent: number;
}

export interface SafetyCheck extends CsvCheck {
  /** Schools not applied by this run (empty when forced). */
  held: HeldSchool[];
  duplicates: RowWarning[];
  duplicateCount: number;
  /** The file's last line has no line break. */
  truncated: boolean;
}

const percent = (part: number, whole: number): number => (whole === 0 ? 0 : (part * 100) / whole);

/** Would applying the file remove too much of this school? */
export function removesTooMuch(f: SchoolFigures, maxRemovalPercent: number): boolean {
  return percent(f.linksRemoved, f.links) > maxRemovalPercent || percent(f.pupilsRemoved, f.pupils) > maxRemovalPercent;
}

/** "84 liens sur 87 (97 %)" */
export function describeRemoval(part: number, whole: number, what: string): string {
  return `${part} ${what} sur ${whole} (${Math.round(percent(part, whole))} %)`;
}

class ScanTable {
  private line: number[] = [];
  private uai: (string | null)[] = [];
  private ine: string[] = [];
  private ref: string[] = [];

  constructor(private readonly sql: Sql) {}

  async create(): Promise<void> {
    await this.sql.unsafe('CREATE TEMP TABLE import_scan (line int NOT NULL, uai text, ine text NOT NULL, ref text NOT NULL) ON COMMIT DROP');
  }

  /** Keeps the keys of a row whose INE and ref are readable (a rejected row's link is kept too). */
  async add(record: string[], line: number, header: string[]): Promise<void> {
    if (record.length !== header.length) return;
    const field = (name: string): string => (record[header.indexOf(name)] ?? '').trim();
    const ine = field('ine').toUpperCase();
    const ref = field('guardian_ref');
    if (!INE_PATTERN.test(ine) || !ref) return;
    this.line.push(line);
    this.uai.push(normalizeUai(field('uai')));
    this.ine.push(ine);
    this.ref.push(ref);
    if (this.line.length >= SCAN_CHUNK) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.line.length) return;
    await this.sql.execute`
      INSERT INTO import_scan SELECT * FROM unnest(${this.line}::int[], ${this.uai}::text[], ${this.ine}::text[], ${this.ref}::text[])`;
    this.line = [];
    this.uai = [];
    this.ine = [];
    this.ref = [];
  }
}

async function duplicates(sql: Sql): Promise<{ list: RowWarning[]; count: number }> {
  const rows = await sql.query<{ line: number; first: number; total: number }>`
    SELECT line, first, count(*) OVER ()::int AS total FROM (
      SELECT line, min(line) OVER (PARTITION BY ine, ref) AS first FROM import_scan
    ) d WHERE line <> first ORDER BY line LIMIT ${MAX_LISTED_DUPLICATES}`;
  return {
    list: rows.map((r) => ({ line: r.line, reason: `doublon de la ligne ${r.first} (même élève et même responsable)` })),
    count: rows[0]?.total ?? 0,
  };
}

/** Per school of the file: its links and linked pupils today, and what the file would remove. */
async function removalFigures(sql: Sql): Promise<SchoolFigures[]> {
  return sql.query<SchoolFigures>`
    WITH RECURSIVE refs AS (SELECT DISTINCT ref FROM import_scan),
    chain AS (
      SELECT r.ref, g.id, g."mergedIntoId", 0 AS depth
      FROM "GuardianRef" r JOIN refs ON refs.ref = r.ref JOIN "Guardian" g ON g.id = r."guardianId"
      UNION ALL
      SELECT c.ref, g.id, g."mergedIntoId", c.depth + 1 FROM chain c JOIN "Guardian" g ON g.id = c."mergedIntoId" WHERE c.depth < 20
    ),
    kept AS (
      SELECT DISTINCT p.id AS pupil, c.id AS guardian
      FROM import_scan s JOIN "Pupil" p ON p.ine = s.ine JOIN chain c ON c.ref = s.ref AND c."mergedIntoId" IS NULL
    ),
    schools AS (SELECT DISTINCT uai FROM import_scan WHERE uai IS NOT NULL),
    per_pupil AS (
      SELECT p."schoolUai" AS uai, l."pupilId", count(*) AS links, count(*) FILTER (WHERE k.pupil IS NULL) AS removed
      FROM "PupilGuardian" l JOIN "Pupil" p ON p.id = l."pupilId" JOIN schools s ON s.uai = p."schoolUai"
      LEFT JOIN kept k ON k.pupil = l."pupilId" AND k.guardian = l."guardianId"
      GROUP BY p."schoolUai", l."pupilId"
    )
    SELECT s.uai, coalesce(sum(pp.links), 0)::int AS links, coalesce(sum(pp.removed), 0)::int AS "linksRemoved",
      count(pp."pupilId")::int AS pupils, (count(*) FILTER (WHERE pp.removed = pp.links))::int AS "pupilsRemoved"
    FROM schools s LEFT JOIN per_pupil pp ON pp.uai = s.uai
    GROUP BY s.uai ORDER BY s.uai`;
}

/** Reads the whole file (ImportFileError when it cannot be used) and decides which schools are held back. Changes nothing. */
export async function checkExtract(ctx: ServiceContext, file: string, options: SafetyOptions): Promise<SafetyCheck> {
  return inTransaction(
    ctx.db,
    async (sql) => {
      const scan = new ScanTable(sql);
      await scan.create();
      const check = await checkCsvFile(file, EXTRACT_REQUIRED_COLUMNS, (record, line, header) => scan.add(record, line, header));
      await scan.flush();
      await sql.unsafe('ANALYZE import_scan');
      const dup = await duplicates(sql);
      const figures = await removalFigures(sql);
      const truncated = check.rows > 0 && !check.endsWithLineBreak;
      const heldFor = (f: SchoolFigures): HeldSchool[] => {
        if (options.force) return [];
        if (truncated) return [{ ...f, reason: 'truncated' }];
        return removesTooMuch(f, options.maxRemovalPercent) ? [{ ...f, reason: 'removal' }] : [];
      };
      const held = figures.flatMap(heldFor);
      return { ...check, held, duplicates: dup.list, duplicateCount: dup.count, truncated };
    },
    60 * 60_000,
  );
}
