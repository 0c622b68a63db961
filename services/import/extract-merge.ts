// Writing the decided extract (import_dec, extract-decide.ts) to the real tables: set-based
// statements (INSERT … SELECT … ON CONFLICT, UPDATE … FROM), all in the import's transaction,
// so that nothing is ever half-applied. Every statement is idempotent over any range of lines
// (an entity's accepted rows all carry the same data), which is what makes the refusal rule
// work: when the database refuses a statement (a constraint, a trigger), the merge is rolled
// back to its savepoint and retried on halves of its lines until the single refused rows are
// found; each of them is rejected with the database's message, every other row is applied.
import type { Logger } from '../logger.js';
import { createAccounts, NEW_ACCOUNTS_TABLES, type Credentials } from './identifiers.js';
import type { BulkLoad } from './extract-bulk.js';
import { PLACEHOLDER, rawStatement, sqlState, type Sql } from './sql.js';

/** Every line (the merge's first attempt). */
const ALL_LINES = 2_147_483_647;

/** SQLSTATE classes of a refusal that belongs to the data (not the connection, nor a timeout). */
const REFUSAL = /^(22|23|P0)/;

/** An ON CONFLICT clause, left out of the plain INSERTs of a first load (empty tables without their unique indexes). */
const unlessPlain = (plain: boolean, clause: string): string => (plain ? '' : clause);

/**
 * The rows of lines $0..$0 (two placeholders, in that order) that carry the data of each entity
 * (`keys`): with `heads` (the whole file), its head row, one per entity, read as it is (no sort:
 * ~0.5-1 s per statement at 1,000,000 rows); otherwise the first accepted row of each (DISTINCT ON).
 */
function entityRows(heads: boolean, columns: string, head: string, keys: string, from = 'import_dec d', where = ''): string {
  if (heads) return `SELECT ${columns} FROM ${from} WHERE d.${head}${where} AND d.line BETWEEN $0::int AND $0::int`;
  return `SELECT DISTINCT ON (${keys}) ${columns} FROM ${from} WHERE d.accepted${where} AND d.line BETWEEN $0::int AND $0::int ORDER BY ${keys}, d.line`;
}

/**
 * Keys are sorted bytewise (COLLATE "C": abbreviated keys, no strcoll); which rows are kept does
 * not depend on it, equality being the same under the database's collation.
 * `heads`: only the rows that carry an entity's changes are read (the whole file at once);
 * otherwise every accepted row of the range (a part of the file, while looking for refused rows).
 * `plain`: a first load's whole file (withBulkLoad), each pupil, account and link written once
 * with a plain INSERT (ON CONFLICT cost ~40 % of these inserts at 1,000,000 rows).
 */
async function mergeLines(sql: Sql, from: number, to: number, heads: boolean, plain: boolean, now: string, credentials: Credentials): Promise<void> {
  await sql.execute`
    INSERT INTO "School" AS t (uai, name, academy, degree, "createdAt", "updatedAt")
    SELECT uai, school_name, academy, degree::"Degree", ${now}::timestamp, ${now}::timestamp FROM (
      SELECT DISTINCT ON (uai) uai, school_name, academy, degree, line FROM import_dec
      WHERE accepted AND (s_head OR NOT ${heads}::boolean) AND line BETWEEN ${from}::int AND ${to}::int ORDER BY uai, line
    ) x ORDER BY line
    ON CONFLICT (uai) DO UPDATE SET name = excluded.name, academy = excluded.academy, degree = excluded.degree, "updatedAt" = excluded."updatedAt"
    WHERE (t.name, t.academy, t.degree) IS DISTINCT FROM (excluded.name, excluded.academy, excluded.degree)`;
  await sql.execute`
    INSERT INTO "SchoolClass" AS t ("schoolUai", name, level)
    SELECT uai, class_name, level FROM (
      SELECT DISTINCT ON (uai, class_name) uai, class_name, level, line FROM import_dec
      WHERE accepted AND (c_head OR NOT ${heads}::boolean) AND line BETWEEN ${from}::int AND ${to}::int ORDER BY uai, class_name, line
    ) x ORDER BY line
    ON CONFLICT ("schoolUai", name) DO UPDATE SET level = excluded.level WHERE t.level <> excluded.level`;
  await sql.execute(
    rawStatement(
      `
    INSERT INTO "Pupil" AS t (ine, "lastName", "firstName", "searchName", "birthDate", "schoolUai", "classId", "createdAt", "updatedAt")
    SELECT x.ine, x.p_last, x.p_first, x.p_search, x.birth, x.uai, c.id, $1::timestamp, $2::timestamp FROM (
      ${entityRows(heads, 'd.ine, d.p_last, d.p_first, d.p_search, d.birth, d.uai, d.class_name, d.line', 'p_head', 'd.ine COLLATE "C"')}
    ) x JOIN "SchoolClass" c ON c."schoolUai" = x.uai AND c.name = x.class_name
    ORDER BY x.line
    ${unlessPlain(
      plain,
      `ON CONFLICT (ine) DO UPDATE SET "lastName" = excluded."lastName", "firstName" = excluded."firstName", "searchName" = excluded."searchName",
      "birthDate" = excluded."birthDate", "schoolUai" = excluded."schoolUai", "classId" = excluded."classId", "updatedAt" = excluded."updatedAt"
    WHERE (t."lastName", t."firstName", t."birthDate", t."schoolUai", t."classId")
      IS DISTINCT FROM (excluded."lastName", excluded."firstName", excluded."birthDate", excluded."schoolUai", excluded."classId")`,
    )}`,
      PLACEHOLDER,
    ),
    now,
    now,
    from,
    to,
  );
  await createAccounts(sql, { from, to, plain }, now, credentials);
  await sql.execute`
    UPDATE "Guardian" t SET "lastName" = d.g_last, "firstName" = d.g_first, "searchName" = d.g_search, email = d.n_email, "emailConfirmed" = d.n_ec,
      mobile = d.n_mobile, "mobileConfirmed" = d.n_mc, "registerEmail" = d.n_remail, "registerMobile" = d.n_rmobile, "updatedAt" = ${now}::timestamp
    FROM import_dec d WHERE d.g_update AND d.line BETWEEN ${from}::int AND ${to}::int AND t.id = d.g_id`;
  // Links have no id: written in the order the join gives them (sorting them by line first cost
  // ~0.6 s at 1,000,000 rows).
  await sql.execute(
    rawStatement(
      `
    INSERT INTO "PupilGuardian" AS t ("pupilId", "guardianId", kind, "createdAt")
    SELECT p.id, x.guardian, x.kind::"LinkKind", $1::timestamp FROM (
      ${entityRows(
        heads,
        'd.ine, coalesce(d.g_id, r."guardianId") AS guardian, d.kind, d.line',
        'l_head',
        'd.ine COLLATE "C", guardian',
        'import_dec d LEFT JOIN "GuardianRef" r ON d.g_id IS NULL AND r.ref = d.ref',
        ' AND NOT d.refused',
      )}
    ) x JOIN "Pupil" p ON p.ine = x.ine
    ${unlessPlain(plain, 'ON CONFLICT ("pupilId", "guardianId") DO UPDATE SET kind = excluded.kind WHERE t.kind <> excluded.kind')}`,
      PLACEHOLDER,
    ),
    now,
    from,
    to,
  );
}

/**
 * Applies the accepted rows; rows the database refuses go to import_refusal (line, reason).
 * `bulk`: a first load (withBulkLoad), whose whole file is first merged with plain INSERTs.
 */
export async function mergeExtract(sql: Sql, now: string, credentials: Credentials, log: Logger, bulk?: BulkLoad): Promise<void> {
  await sql.unsafe('CREATE UNLOGGED TABLE import_refusal (line int PRIMARY KEY, reason text NOT NULL)');
  for (const table of NEW_ACCOUNTS_TABLES) await sql.unsafe(table);
  const attempt = async (from: number, to: number): Promise<void> => {
    await sql.unsafe('SAVEPOINT import_merge');
    try {
      const whole = from === 0 && to === ALL_LINES;
      await mergeLines(sql, from, to, whole, whole && bulk !== undefined, now, credentials);
      await sql.unsafe('RELEASE SAVEPOINT import_merge');
      return;
    } catch (err) {
      if (!REFUSAL.test(sqlState(err))) throw err;
      await sql.unsafe('ROLLBACK TO SAVEPOINT import_merge');
      await sql.unsafe('RELEASE SAVEPOINT import_merge');
      const [part] = await sql.query<{ n: number; mid: number | null }>`
        SELECT count(*)::int AS n, percentile_disc(0.5) WITHIN GROUP (ORDER BY line) AS mid
        FROM import_dec WHERE accepted AND line BETWEEN ${from}::int AND ${to}::int`;
      if (!part?.n || part.mid === null) return;
      if (part.n === 1) {
        log.error({ err, line: part.mid }, 'import row refused by the database');
        const reason = `refusée par la base de données : ${(err as Error).message.split('\n')[0] ?? ''}`;
        await sql.execute`INSERT INTO import_refusal VALUES (${part.mid}::int, ${reason}::text)`;
        return;
      }
      if (from === 0 && to === ALL_LINES) {
        log.warn({ err }, 'import refused by the database, looking for the rows');
        await bulk?.restoreUnique();
      }
      await attempt(from, part.mid);
      await attempt(part.mid + 1, to);
    }
  };
  await attempt(0, ALL_LINES);
}

/**
 * Removes the links of the applied schools that no row of the file names; returns the schools and
 * the count. `fresh`: the tables were empty before this import (every link is one of its rows).
 */
export async function removeLinks(sql: Sql, fresh: boolean): Promise<{ schools: string[]; removed: number }> {
  const schools = (
    await sql.query<{ uai: string }>`
      SELECT DISTINCT uai FROM import_judged d WHERE accepted AND NOT EXISTS (SELECT 1 FROM import_refusal f WHERE f.line = d.line) ORDER BY uai`
  ).map((s) => s.uai);
  if (!schools.length || fresh) return { schools, removed: 0 };
  // Every link a row names stays (a rejected or held row's too).
  await sql.unsafe(`
    CREATE UNLOGGED TABLE import_kept AS
    SELECT DISTINCT p.id AS pupil, coalesce(ir.g_id, gr."guardianId") AS guardian
    FROM import_row r JOIN "Pupil" p ON p.ine = r.ine
    LEFT JOIN import_ref ir ON ir.ref = r.ref LEFT JOIN "GuardianRef" gr ON ir.ref IS NULL AND gr.ref = r.ref
    WHERE r.ine IS NOT NULL AND r.ref IS NOT NULL`);
  await sql.unsafe('ANALYZE import_kept');
  const removed = await sql.execute`
    DELETE FROM "PupilGuardian" l USING "Pupil" p
    WHERE l."pupilId" = p.id AND p."schoolUai" = ANY(${schools}::text[])
      AND NOT EXISTS (SELECT 1 FROM import_kept k WHERE k.pupil = l."pupilId" AND k.guardian = l."guardianId")`;
  return { schools, removed };
}
