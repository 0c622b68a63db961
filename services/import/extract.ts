// The nightly register extract (shared/formats/extract.md): one row per pupil–guardian link.
//
// How a file is applied
// - The whole file is first proven readable (UTF-8, CSV, header): otherwise nothing changes.
//   The same reading measures what the file would remove per school (extract-safety.ts): a
//   school is held back, entirely, when the file looks cut or would remove more than
//   maxRemovalPercent of its links or pupils, unless forced. Duplicate rows are reported.
// - Rows are then streamed and applied in batches (one transaction each, bulk SQL). A row is
//   validated, then applied entirely (school, class, pupil, guardian, link) or rejected with
//   its line number; the other rows of its batch are applied.
// - The file is a full extract of every school it contains: at the end, the links of pupils of
//   those schools that the file did not mention are removed. Schools absent from the file are
//   untouched, and a link mentioned by a rejected row is kept as it is.
// - The register is the source of names; the account's email and mobile belong to the parent
//   once set or confirmed, the register's are kept apart (extract-contacts.ts). An unusable
//   email or mobile is left out with a warning, never costing the row. A link the guardian
//   refused is reported, not recreated. `account_*` columns only apply when the account is
//   created: afterwards the state belongs to the account service.
// - Within one file, the same school, class, pupil or guardian_ref must always carry the same
//   data (a later contradicting row is rejected), so that importing a file twice changes
//   nothing. When two refs lead to one account (merged accounts), the first row met updates it.
// - Memory: the per-run state is a few compact arrays (16 bytes per pupil, guardian and
//   link met), never the rows themselves.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { resolveCasesAfterImport } from '../case-import.js';
import type { ServiceContext } from '../context.js';
import type { AccountState } from '../db/index.js';
import { encryptSecret, generateTemporaryPassword, hashPassword } from '../passwords.js';
import { CompactNumberMap } from './compact-map.js';
import { readCsvRows, withFile, type CsvRow } from './csv.js';
import { BatchPlan, type BatchOutcome } from './extract-plan.js';
import { validate, type ExtractRow, type KeptLink, type RowWarning } from './extract-rows.js';
import { LINK_GUARDIAN_BITS, type RunState } from './extract-run.js';
import { checkExtract, DEFAULT_MAX_REMOVAL_PERCENT, type HeldSchool, type SafetyCheck } from './extract-safety.js';
import { writePlan } from './extract-write.js';
import { inTransaction } from './sql.js';
import type { Credentials } from './identifiers.js';
import { MAX_KEPT_REJECTIONS, type ImportReport, type RowRejection } from './report.js';

export { ImportFileError } from './csv.js';
export { EXTRACT_REQUIRED_COLUMNS, type RowWarning } from './extract-rows.js';
export { DEFAULT_MAX_REMOVAL_PERCENT, describeRemoval, type HeldSchool } from './extract-safety.js';
export { MAX_KEPT_REJECTIONS, type ImportReport, type RowRejection } from './report.js';

/** Rows per transaction: large enough to amortise round trips (PGlite), small enough to keep transactions short. */
const DEFAULT_BATCH = 1000;

export interface ImportProgress {
  rowsRead: number;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** What the register changed that open cases may be waiting for. */
export interface RegisterChanges {
  pupilIds: number[];
  guardianIds: number[];
}

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

export interface ExtractOptions {
  /** Who runs the import (audit). Default: the system job "import". */
  actor?: Actor;
  /** Rows per transaction. */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Every rejected row, as soon as its batch is done (the report keeps only the first ones). */
  onRejection?: (rejection: RowRejection) => void;
  /** Every warning, as soon as known. */
  onWarning?: (warning: RowWarning) => void;
  /** Apply schools even when the file looks cut or would remove too much (`--force`). */
  force?: boolean;
  /** A school whose links or pupils would shrink by more than this percentage is held back. Default 10. */
  maxRemovalPercent?: number;
  /** Runs after the import with the register changes; returns how many cases it resolved. Default: resolveCasesAfterImport. */
  afterImport?: (ctx: ServiceContext, changes: RegisterChanges) => Promise<number>;
  /** Demo data only: the password given to accounts created `activating`/`activated` (else a random secret nobody knows). */
  knownPassword?: string;
}

function emptyReport(check: SafetyCheck, forced: boolean): ExtractReport {
  return {
    rows: 0,
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

/** Credentials of accounts created in a state that has one: a temporary password, or a personal one nobody knows (hashed once per import). */
function credentialsFor(ctx: ServiceContext, knownPassword: string | undefined): Credentials {
  let unknownSecretHash: Promise<string> | undefined;
  return async (state: AccountState) => {
    if (state === 'NOTIFIED') return { tempPasswordEnc: encryptSecret(generateTemporaryPassword(), ctx.settings.secretKey), passwordHash: null };
    // The parent uses "mot de passe perdu" (demo data: the documented password).
    unknownSecretHash ??= hashPassword(knownPassword ?? randomBytes(32).toString('base64url'));
    return { tempPasswordEnc: null, passwordHash: await unknownSecretHash };
  };
}

/** A batch of rows, validated. */
interface PreparedBatch {
  rows: number;
  valid: ExtractRow[];
  invalid: RowRejection[];
  kept: KeptLink[];
  warnings: RowWarning[];
}

/** One import run: its compact state, its report, and how a batch of rows is applied. */
class ExtractRun {
  readonly state: RunState = {
    schools: new Map(),
    classes: new Map(),
    pupils: new CompactNumberMap(),
    guardians: new CompactNumberMap(),
    links: new CompactNumberMap(),
    extracted: new Set(),
    identifierCursors: new Map(),
  };
  private readonly held: Set<string>;
  private readonly credentials: Credentials;

  constructor(
    private readonly ctx: ServiceContext,
    readonly report: ExtractReport,
    private readonly options: ExtractOptions,
    private readonly headerLength: number,
  ) {
    this.held = new Set(report.held.map((h) => h.uai));
    this.credentials = credentialsFor(ctx, options.knownPassword);
  }

  warn(w: RowWarning): void {
    this.report.warned++;
    if (this.report.warnings.length < MAX_KEPT_REJECTIONS) this.report.warnings.push(w);
    this.options.onWarning?.(w);
  }

  private reject(r: RowRejection): void {
    this.report.rejected++;
    if (this.report.rejections.length < MAX_KEPT_REJECTIONS) this.report.rejections.push({ line: r.line, reason: r.reason });
    this.options.onRejection?.({ line: r.line, reason: r.reason });
  }

  private async runBatch(rows: ExtractRow[], kept: KeptLink[]): Promise<BatchOutcome> {
    return inTransaction(
      this.ctx.db,
      async (sql) => {
        const plan = new BatchPlan(sql, this.state);
        await plan.plan(rows, kept);
        await writePlan(sql, plan, this.ctx.now().toISOString(), this.state.identifierCursors, this.credentials);
        return plan.outcome();
      },
      120_000,
    );
  }

  /** Validates one batch of rows (no I/O: it runs while the previous batch is being written). */
  prepare(csvRows: CsvRow[]): PreparedBatch {
    const today = this.ctx.now();
    const batch: PreparedBatch = { rows: csvRows.length, valid: [], invalid: [], kept: [], warnings: [] };
    for (const r of csvRows) {
      const v = validate(r, this.headerLength, today);
      if (!v.ok) {
        batch.invalid.push(v.rejected);
        batch.kept.push(v.rejected);
      } else if (this.held.has(v.row.uai)) {
        this.report.heldRows++;
        batch.kept.push(v.row);
      } else {
        batch.valid.push(v.row);
        batch.warnings.push(...v.warnings);
      }
    }
    return batch;
  }

  /** Applies one prepared batch; held schools' rows are only read (their links are kept). */
  async apply({ rows, valid, invalid, kept, warnings }: PreparedBatch): Promise<void> {
    const rejections: RowRejection[] = [...invalid];
    const outcomes: BatchOutcome[] = [];
    try {
      outcomes.push(await this.runBatch(valid, kept));
    } catch (err) {
      // Unexpected database refusal: apply the rows one by one so that only the guilty row is rejected.
      this.ctx.log.warn({ err }, 'import batch failed, retrying row by row');
      outcomes.push(await this.runBatch([], kept));
      for (const row of valid) {
        try {
          const single = await this.runBatch([row], []);
          single.commit();
          outcomes.push(single);
        } catch (rowErr) {
          this.ctx.log.error({ err: rowErr, line: row.line }, 'import row refused by the database');
          rejections.push({ line: row.line, reason: `refusée par la base de données : ${(rowErr as Error).message.split('\n')[0]}` });
        }
      }
    }
    (outcomes[0] as BatchOutcome).commit();
    const report = this.report;
    for (const o of outcomes) {
      report.created += o.created;
      report.updated += o.updated;
      report.unchanged += o.unchanged;
      report.refusedLinks += o.refusedLinks.length;
      report.changedBirthDates.push(...o.changedBirthDates);
      report.changedMobiles.push(...o.changedMobiles);
      rejections.push(...o.rejected);
      warnings.push(...o.refusedLinks);
    }
    const rejectedLines = new Set(rejections.map((r) => r.line));
    warnings
      .filter((w) => !rejectedLines.has(w.line))
      .sort((a, b) => a.line - b.line)
      .forEach((w) => this.warn(w));
    rejections.sort((a, b) => a.line - b.line).forEach((r) => this.reject(r));
    report.rows += rows;
  }

  /** Removes the links of the applied schools that the file no longer has, and writes the audit row, in one transaction. */
  async finish(actor: Actor): Promise<void> {
    const { report, ctx } = this;
    report.schools = [...this.state.extracted].sort();
    report.changedBirthDates = [...new Set(report.changedBirthDates)];
    report.changedMobiles = [...new Set(report.changedMobiles)];
    const kept = { pupils: [] as number[], guardians: [] as number[] };
    this.state.links.forEach((key) => {
      kept.pupils.push(Math.floor(key / LINK_GUARDIAN_BITS));
      kept.guardians.push(key % LINK_GUARDIAN_BITS);
    });
    report.removed = await ctx.db.$transaction(
      async (tx) => {
        const removed = report.schools.length
          ? await tx.$executeRaw`
              DELETE FROM "PupilGuardian" l USING "Pupil" p
              WHERE l."pupilId" = p.id AND p."schoolUai" = ANY(${report.schools}::text[])
                AND NOT EXISTS (
                  SELECT 1 FROM unnest(${kept.pupils}::int[], ${kept.guardians}::int[]) AS k(p, g) WHERE k.p = l."pupilId" AND k.g = l."guardianId")`
          : 0;
        await audit(tx, {
          actor,
          action: 'import.extract',
          outcome: report.rejected || report.held.length ? 'partial' : 'success',
          at: ctx.now(),
          details: {
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            removed,
            rejected: report.rejected,
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
        return removed;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
  }
}

/** Imports a register extract (a path or a stream). Throws ImportFileError, changing nothing, when the file cannot be read. */
export async function importExtract(ctx: ServiceContext, source: string | Readable, options: ExtractOptions = {}): Promise<ExtractReport> {
  return withFile(source, async (file) => {
    const forced = options.force ?? false;
    const check = await checkExtract(ctx, file, { force: forced, maxRemovalPercent: options.maxRemovalPercent ?? DEFAULT_MAX_REMOVAL_PERCENT });
    const started = Date.now();
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const run = new ExtractRun(ctx, emptyReport(check, forced), options, check.header.length);
    const report = run.report;
    check.duplicates.forEach((w) => run.warn(w));
    if (check.truncated && forced)
      run.warn({ line: check.lastLine, reason: 'dernière ligne sans saut de ligne (fichier peut-être coupé) : appliquée à la demande (--force)' });
    const progress = (): void => {
      options.onProgress?.({
        rowsRead: report.rows,
        rowsTotal: check.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
      });
    };

    // Batches are written in file order, one at a time; while one is being written the next one
    // is read and validated (node and PostgreSQL work side by side). Progress is reported once a
    // batch is released: only the run's compact state remains.
    let inFlight: Promise<void> = Promise.resolve();
    const submit = async (csvRows: CsvRow[]): Promise<void> => {
      const prepared = run.prepare(csvRows);
      await inFlight;
      inFlight = run.apply(prepared).then(progress);
      // Awaited by the next submit or below: a failure is not "unhandled" meanwhile.
      inFlight.catch(() => undefined);
    };
    let pending: CsvRow[] = [];
    try {
      for await (const row of readCsvRows(file)) {
        pending.push(row);
        if (pending.length >= batchSize) {
          const batch = pending;
          pending = [];
          await submit(batch);
        }
      }
      if (pending.length) await submit(pending);
      pending = [];
    } finally {
      // Never leave a batch transaction running behind a failure.
      await inFlight.catch(() => undefined);
    }
    await inFlight;
    await run.finish(options.actor ?? { kind: 'system', job: 'import' });
    const afterImport = options.afterImport ?? resolveCasesAfterImport;
    report.casesResolved = await afterImport(ctx, { pupilIds: report.changedBirthDates, guardianIds: report.changedMobiles });
    ctx.log.info(
      {
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        removed: report.removed,
        rejected: report.rejected,
        held: report.held.length,
        ms: Date.now() - started,
      },
      'register extract imported',
    );
    return report;
  });
}
