// The nightly register extract (shared/formats/extract.md): one row per pupil–guardian link.
//
// How a file is applied
// - The whole file is first proven readable (UTF-8, CSV, header): otherwise nothing changes.
// - Rows are then streamed and applied in batches (one transaction each, bulk SQL). A row is
//   validated, then applied entirely (school, class, pupil, guardian, link) or rejected with
//   its line number; the other rows of its batch are applied.
// - The file is a full extract of every school it contains: at the end, the links of pupils of
//   those schools that the file did not mention are removed. Schools absent from the file are
//   untouched, and a link mentioned by a rejected row is kept as it is.
// - The register is the source of names and contacts: a non-empty email or mobile replaces
//   the account's (its confirmation flag becomes the file's, else false); an empty one keeps
//   what the account has (the parent may have given it at activation). `account_*` columns
//   only apply when the account is created: afterwards the state belongs to the account
//   service.
// - Within one file, the same school, class, pupil or guardian_ref must always carry the same
//   data (a later contradicting row is rejected), so that importing a file twice changes
//   nothing. When two refs lead to one account (merged accounts), the first row met updates it.
// - Memory: the per-run state is a few compact arrays (16 bytes per pupil, guardian and
//   link met), never the rows themselves.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { resolveCasesAfterImport } from '../cases.js';
import type { ServiceContext } from '../context.js';
import type { AccountState } from '../db/index.js';
import { encryptSecret, generateTemporaryPassword, hashPassword } from '../passwords.js';
import { CompactNumberMap } from './compact-map.js';
import { checkCsvFile, readCsvRows, withFile, type CsvRow } from './csv.js';
import { BatchPlan, type BatchOutcome } from './extract-plan.js';
import { EXTRACT_REQUIRED_COLUMNS, validate, type ExtractRow, type Rejected } from './extract-rows.js';
import { LINK_GUARDIAN_BITS, type RunState } from './extract-run.js';
import { writePlan } from './extract-write.js';
import { MAX_KEPT_REJECTIONS, type ImportReport, type RowRejection } from './report.js';

export { ImportFileError } from './csv.js';
export { EXTRACT_REQUIRED_COLUMNS } from './extract-rows.js';
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
  /** Runs after the import with the register changes; returns how many cases it resolved. Default: resolveCasesAfterImport. */
  afterImport?: (ctx: ServiceContext, changes: RegisterChanges) => Promise<number>;
  /** Demo data only: the password given to accounts created `activating`/`activated` (else a random secret nobody knows). */
  knownPassword?: string;
}

/** Imports a register extract (a path or a stream). Throws ImportFileError, changing nothing, when the file cannot be read. */
export async function importExtract(ctx: ServiceContext, source: string | Readable, options: ExtractOptions = {}): Promise<ExtractReport> {
  return withFile(source, async (file) => {
    const check = await checkCsvFile(file, EXTRACT_REQUIRED_COLUMNS);
    const started = Date.now();
    const actor: Actor = options.actor ?? { kind: 'system', job: 'import' };
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const report: ExtractReport = {
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      rejected: 0,
      rejections: [],
      schools: [],
      changedBirthDates: [],
      changedMobiles: [],
      casesResolved: 0,
    };
    const run: RunState = {
      schools: new Map(),
      classes: new Map(),
      pupils: new CompactNumberMap(),
      guardians: new CompactNumberMap(),
      links: new CompactNumberMap(),
      extracted: new Set(),
      identifierCursors: new Map(),
    };
    let unknownSecretHash: Promise<string> | undefined;
    const credentials = async (state: AccountState): Promise<{ tempPasswordEnc: string | null; passwordHash: string | null }> => {
      if (state === 'NOTIFIED') return { tempPasswordEnc: encryptSecret(generateTemporaryPassword(), ctx.settings.secretKey), passwordHash: null };
      // A personal password nobody knows (the parent uses "mot de passe perdu"), hashed once per import.
      unknownSecretHash ??= hashPassword(options.knownPassword ?? randomBytes(32).toString('base64url'));
      return { tempPasswordEnc: null, passwordHash: await unknownSecretHash };
    };
    const reject = (r: RowRejection): void => {
      report.rejected++;
      if (report.rejections.length < MAX_KEPT_REJECTIONS) report.rejections.push({ line: r.line, reason: r.reason });
      options.onRejection?.({ line: r.line, reason: r.reason });
    };

    const runBatch = async (rows: ExtractRow[], rejected: Rejected[]): Promise<BatchOutcome> =>
      ctx.db.$transaction(
        async (tx) => {
          const plan = new BatchPlan(tx, run);
          await plan.plan(rows, rejected);
          await writePlan(tx, plan, ctx.now().toISOString(), run.identifierCursors, credentials);
          return plan.outcome();
        },
        { timeout: 120_000, maxWait: 60_000 },
      );

    const applyBatch = async (csvRows: CsvRow[]): Promise<void> => {
      const today = ctx.now();
      const valid: ExtractRow[] = [];
      const invalid: Rejected[] = [];
      for (const r of csvRows) {
        const v = validate(r, check.header.length, today);
        if (v.ok) valid.push(v.row);
        else invalid.push(v.rejected);
      }
      const rejections: Rejected[] = [...invalid];
      const outcomes: BatchOutcome[] = [];
      try {
        outcomes.push(await runBatch(valid, invalid));
      } catch (err) {
        // Unexpected database refusal: apply the rows one by one so that only the guilty row is rejected.
        ctx.log.warn({ err }, 'import batch failed, retrying row by row');
        outcomes.push(await runBatch([], invalid));
        for (const row of valid) {
          try {
            const single = await runBatch([row], []);
            single.commit();
            outcomes.push(single);
          } catch (rowErr) {
            ctx.log.error({ err: rowErr, line: row.line }, 'import row refused by the database');
            rejections.push({ line: row.line, reason: `refusée par la base de données : ${(rowErr as Error).message.split('\n')[0]}` });
          }
        }
      }
      (outcomes[0] as BatchOutcome).commit();
      for (const o of outcomes) {
        report.created += o.created;
        report.updated += o.updated;
        report.unchanged += o.unchanged;
        report.changedBirthDates.push(...o.changedBirthDates);
        report.changedMobiles.push(...o.changedMobiles);
        rejections.push(...o.rejected);
      }
      rejections.sort((a, b) => a.line - b.line).forEach(reject);
      report.rows += csvRows.length;
    };
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

    // Progress is reported once the batch is released: only the run's compact state remains.
    let pending: CsvRow[] = [];
    for await (const row of readCsvRows(file)) {
      pending.push(row);
      if (pending.length >= batchSize) {
        const batch = pending;
        pending = [];
        await applyBatch(batch);
        progress();
      }
    }
    if (pending.length) {
      await applyBatch(pending);
      pending = [];
      progress();
    }

    report.schools = [...run.extracted].sort();
    report.changedBirthDates = [...new Set(report.changedBirthDates)];
    report.changedMobiles = [...new Set(report.changedMobiles)];
    const kept = { pupils: [] as number[], guardians: [] as number[] };
    run.links.forEach((key) => {
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
          outcome: report.rejected ? 'partial' : 'success',
          at: ctx.now(),
          details: {
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            removed,
            rejected: report.rejected,
            schools: report.schools,
            changedBirthDates: report.changedBirthDates.length,
            changedMobiles: report.changedMobiles.length,
          },
        });
        return removed;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
    const afterImport = options.afterImport ?? resolveCasesAfterImport;
    report.casesResolved = await afterImport(ctx, { pupilIds: report.changedBirthDates, guardianIds: report.changedMobiles });
    ctx.log.info(
      { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged, removed: report.removed, rejected: report.rejected, ms: Date.now() - started },
      'register extract imported',
    );
    return report;
  });
}
