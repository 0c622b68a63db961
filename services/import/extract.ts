// The nightly register extract (shared/formats/extract.md): one row per pupil–guardian link.
//
// How a file is applied: in ONE transaction on one connection, under an advisory lock taken
// once the file is read (two imports stage side by side, then apply one after the other).
// - The file is read once, streaming; each row is validated (extract-rows.ts) and staged, valid
//   or not, in a work table (sql.ts withWorkSchema) with COPY FROM STDIN (extract-stage.ts). A
//   file that turns out unreadable (UTF-8, CSV, header) rolls everything back: nothing changes.
// - Safety (extract-safety.ts): a school is held back, entirely, when the file looks cut or
//   would remove more than maxRemovalPercent of its links or pupils, unless forced. Duplicate
//   rows are reported.
// - Decisions (extract-decide.ts), set-based SQL over the staged rows: a row is rejected when it
//   contradicts an earlier row of the file (the same school, class, pupil, guardian_ref or link
//   carrying other data: the first valid row wins, so that importing a file twice changes
//   nothing), names a deleted account, or asks for an account_identifier already used.
// - Merge (extract-merge.ts): set-based statements; a row the database refuses costs only that
//   row (the merge is retried on halves of the file until it is found).
// - The file is a full extract of every school it contains: the links of pupils of the applied
//   schools that no row names are removed. Schools absent from the file are untouched, and a
//   link named by a rejected or held row is kept as it is.
// - The register is the source of names; the account's email and mobile belong to the parent
//   once set or confirmed, the register's are kept apart (extract-contacts.ts). An unusable
//   email or mobile is left out with a warning, never costing the row. A link the guardian
//   refused is reported, not recreated. `account_*` columns only apply when the account is
//   created: afterwards the state belongs to the account service.
// - Memory: Node keeps nothing per row (the rows live in the staging table); rejections and
//   warnings are streamed from the database to the callbacks, the report keeps the first ones.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Actor } from '../actor.js';
import { resolveCasesAfterImport } from '../case-import.js';
import type { ServiceContext } from '../context.js';
import type { AccountState } from '../db/index.js';
import { encryptSecret, generateTemporaryPassword, hashPassword } from '../passwords.js';
import { withFile } from './csv.js';
import { withBulkLoad } from './extract-bulk.js';
import { decideExtract } from './extract-decide.js';
import { mergeExtract, removeLinks } from './extract-merge.js';
import { collectOutcome, emptyReport, writeAudit, type ExtractReport } from './extract-outcome.js';
import type { RowWarning } from './extract-rows.js';
import { checkExtract, DEFAULT_MAX_REMOVAL_PERCENT } from './extract-safety.js';
import { stageExtract } from './extract-stage.js';
import { inTransaction, withWorkSchema } from './sql.js';
import type { Credentials } from './identifiers.js';
import { MAX_KEPT_REJECTIONS, reportCounts, type RowRejection } from './report.js';

export { ImportFileError } from './csv.js';
export type { ExtractReport } from './extract-outcome.js';
export { EXTRACT_REQUIRED_COLUMNS, type RowWarning } from './extract-rows.js';
export { DEFAULT_MAX_REMOVAL_PERCENT, describeRemoval, type HeldSchool } from './extract-safety.js';
export { MAX_KEPT_REJECTIONS, type ImportReport, type RowRejection } from './report.js';

/** Rows per INSERT into the staging table (embedded database) and between two progress calls. */
const DEFAULT_BATCH = 1000;
/** Serialises the imports (from their decisions to their commit): identifiers above all. */
const IMPORT_LOCK = 724_310_002;
/** The import's own statement timeout (the application's default is 15 s). */
const IMPORT_TIMEOUT_MS = 60 * 60_000;

export interface ImportProgress {
  /** `reading`: the file is being read (counts still 0); `applied`: the import is done. */
  phase: 'reading' | 'applied';
  rowsRead: number;
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

export interface ExtractOptions {
  /** Who runs the import (audit). Default: the system job "import". */
  actor?: Actor;
  /** Rows per INSERT into the staging table (embedded database) and between two progress calls. */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Every rejected row, by line, once the import is decided (the report keeps only the first ones). */
  onRejection?: (rejection: RowRejection) => void;
  /** Every warning, by line, once the import is decided. */
  onWarning?: (warning: RowWarning) => void;
  /** Apply schools even when the file looks cut or would remove too much (`--force`). */
  force?: boolean;
  /** A school whose links or pupils would shrink by more than this percentage is held back. Default 10. */
  maxRemovalPercent?: number;
  /** Time per phase (ms), for the bench. */
  onTimings?: (timings: ImportTimings) => void;
  /** Runs after the import with the register changes; returns how many cases it resolved. Default: resolveCasesAfterImport. */
  afterImport?: (ctx: ServiceContext, changes: RegisterChanges) => Promise<number>;
  /** Demo data only: the password given to accounts created `activating`/`activated` (else a random secret nobody knows). */
  knownPassword?: string;
}

export interface ImportTimings {
  /** Reading, validating and staging the file. */
  stage: number;
  /** Safety check and decisions (SQL). */
  decide: number;
  /** Writing to the real tables, removals. */
  merge: number;
  /** Counts, rejections, warnings, audit, commit. */
  report: number;
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

/** Imports a register extract (a path or a stream). Throws ImportFileError, changing nothing, when the file cannot be read. */
export async function importExtract(ctx: ServiceContext, source: string | Readable, options: ExtractOptions = {}): Promise<ExtractReport> {
  return withFile(source, async (file) => {
    const started = performance.now();
    const forced = options.force ?? false;
    const chunk = options.batchSize ?? DEFAULT_BATCH;
    const timings: ImportTimings = { stage: 0, decide: 0, merge: 0, report: 0 };
    let mark = started;
    const lap = (phase: keyof ImportTimings): void => {
      const t = performance.now();
      timings[phase] = t - mark;
      mark = t;
    };
    const progress = (phase: ImportProgress['phase'], rowsRead: number, r?: ExtractReport): void => {
      options.onProgress?.({ phase, rowsRead, created: r?.created ?? 0, updated: r?.updated ?? 0, unchanged: r?.unchanged ?? 0, rejected: r?.rejected ?? 0 });
    };
    const report = await inTransaction(
      ctx.db,
      async (sql) =>
        withWorkSchema(sql, async () => {
          // This transaction only: its work tables are analysed from 6,000 sampled rows instead of
          // 30,000 (ANALYZE of the staged, judged and decided rows at 1,000,000 rows: 0.9 s -> 0.2 s;
          // the plans, hash joins and aggregates over row counts the sample gives well, stayed as
          // good: whole imports 23,400-28,000 rows/s against 21,000-24,300, four runs each).
          await sql.unsafe(`SET LOCAL default_statistics_target = 20`);
          const check = await stageExtract(sql, file, { today: ctx.now(), chunk, onRows: (n) => progress('reading', n) });
          lap('stage');
          await sql.query`SELECT pg_advisory_xact_lock(${IMPORT_LOCK}::bigint)::text AS locked`;
          // This transaction only: room for the sorts and hashes of a million rows in memory (at
          // 64 MB they spilled to disk), and no JIT (it compiled the decision statement for 5 s
          // at 300,000 rows, for plans that run once).
          await sql.unsafe(`SET LOCAL work_mem = '256MB'`);
          await sql.unsafe('SET LOCAL jit = off');
          const safety = await checkExtract(sql, check, { force: forced, maxRemovalPercent: options.maxRemovalPercent ?? DEFAULT_MAX_REMOVAL_PERCENT });
          await decideExtract(
            sql,
            safety.held.map((h) => h.uai),
          );
          lap('decide');
          const removal = await withBulkLoad(sql, ctx.log, async (bulk) => {
            await mergeExtract(sql, ctx.now().toISOString(), credentialsFor(ctx, options.knownPassword), ctx.log, bulk);
            return removeLinks(sql, bulk !== undefined);
          });
          lap('merge');
          const r = emptyReport(check.rows, safety, forced);
          r.schools = removal.schools;
          r.removed = removal.removed;
          const warn = (w: RowWarning): void => {
            r.warned++;
            if (r.warnings.length < MAX_KEPT_REJECTIONS) r.warnings.push(w);
            options.onWarning?.(w);
          };
          safety.duplicates.forEach(warn);
          if (safety.truncated && forced)
            warn({ line: check.lastLine, reason: 'dernière ligne sans saut de ligne (fichier peut-être coupé) : appliquée à la demande (--force)' });
          await collectOutcome(sql, r, {
            warn,
            reject: (rejection) => {
              r.rejected++;
              if (r.rejections.length < MAX_KEPT_REJECTIONS) r.rejections.push(rejection);
              options.onRejection?.(rejection);
            },
          });
          await writeAudit(sql, r, options.actor ?? { kind: 'system', job: 'import' }, ctx.now());
          return r;
        }),
      IMPORT_TIMEOUT_MS,
    );
    lap('report');
    progress('applied', report.rows, report);
    options.onTimings?.(timings);
    const afterImport = options.afterImport ?? resolveCasesAfterImport;
    report.casesResolved = await afterImport(ctx, { pupilIds: report.changedBirthDates, guardianIds: report.changedMobiles });
    ctx.log.info(
      {
        ...reportCounts(report),
        held: report.held.length,
        ms: Math.round(performance.now() - started),
        timings,
      },
      'register extract imported',
    );
    return report;
  });
}
