// Account identifiers (`firstinitial.lastname` plus digits) for the accounts an extract creates,
// and the creation of those accounts with their refs and credentials: set-based, over the
// accepted rows of import_dec (extract-decide.ts) whose ref names no account yet.
import type { AccountState } from '../db/index.js';
import { PLACEHOLDER, rawStatement, type Sql } from './sql.js';

/** The credential of an account created in a state that has one (see importExtract). */
export type Credentials = (state: AccountState) => Promise<{ tempPasswordEnc: string | null; passwordHash: string | null }>;

/** Rows per INSERT of temporary passwords. */
const CREDENTIAL_CHUNK = 5000;

/**
 * The columns and rows of the accounts to create (four timestamp placeholders): each named
 * account with the id drawn for it, and its data from its row of the file (the work tables of
 * the naming carry only what it needs: at 1,000,000 rows two copies of the data were ~140 MB
 * each); a new account's contacts are the register's, also as the account's (extract-contacts.ts).
 */
const newGuardians = (where = ''): string => `(id, identifier, "lastName", "firstName", "searchName", email, "emailConfirmed", mobile, "mobileConfirmed",
    "registerEmail", "registerMobile", state, origin, "distributedAt", "activatedAt", "createdAt", "updatedAt")
  SELECT n.id, n.identifier, d.g_last, d.g_first, d.g_search, d.email, coalesce(d.email_confirmed, false), d.mobile, coalesce(d.mobile_confirmed, false),
    d.email, d.mobile, n.state::"AccountState", d.origin::"AccountOrigin",
    CASE WHEN n.state <> 'NOT_NOTIFIED' AND d.origin = 'SCHOOL' THEN $1::timestamp END,
    CASE WHEN n.state = 'ACTIVATED' THEN $2::timestamp END, $3::timestamp, $4::timestamp
  FROM import_new_guardian n JOIN import_dec d ON d.line = n.line ${where}`;

/**
 * The first free identifiers of each base, in file order (`c.dupont`, `c.dupont1`, `c.dupont2`…),
 * skipping the identifiers taken in the database and those the file asks for (account_identifier
 * or already given to another new account). `todo`: the accounts to name (ref, id_base, line,
 * and the `carried` columns, which `named` gives back with each account's identifier: no join
 * maps them back, ~0.6 s at 940,000 new accounts); those whose free identifier lies beyond the
 * base's first `window` candidates past its count are given none (named by allocateLeft).
 *
 * Without pairing every candidate with an account (two window sorts and a merge join on
 * "base:rank" strings: 11 s at 940,000 new accounts): the r-th account of a base (by line) gets
 * the r-th free number n, which is r - 1 plus the taken numbers before it; a taken number t,
 * the i-th taken of its base, precedes the r-th free one when t - (i - 1) <= r - 1 (that many
 * free numbers lie before it). One running count over the accounts and the taken numbers,
 * sorted by that position, gives every account its n. `nothingTaken`: no account exists and the
 * file asks for no identifier, so every n is its account's rank (r - 1).
 */
const freeIdentifiers = (todo: string, window: string, carried: string[] = [], nothingTaken = false): string => {
  const more = carried.map((c) => `, ${c}`).join('');
  const ident = (n: string): string => `CASE WHEN ${n} = 0 THEN id_base ELSE id_base || ${n} END`;
  // At 940,000 new accounts of a first load, the search for taken numbers and the running count
  // over them cost 1.3 s of the naming's 3.0 (EXPLAIN ANALYZE), for nothing.
  if (nothingTaken) {
    return `
  named AS (
    SELECT ref, id_base${more}, ${ident('pos')} AS ident
    FROM (SELECT ref, id_base${more}, row_number() OVER (PARTITION BY id_base COLLATE "C" ORDER BY line) - 1 AS pos FROM ${todo}) x
  )`;
  }
  return `
  ranked AS (
    SELECT ref, id_base${more}, row_number() OVER b - 1 AS pos, count(*) OVER b AS k FROM ${todo}
    WINDOW b AS (PARTITION BY id_base COLLATE "C" ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  ),
  need AS (SELECT id_base, count(*)::int AS k FROM ${todo} GROUP BY id_base),
  candidate AS (
    SELECT need.id_base, n, CASE WHEN n = 0 THEN need.id_base ELSE need.id_base || n END AS ident
    FROM need, generate_series(0, need.k + ${window}) AS n
  ),
  taken AS (
    SELECT c.id_base, c.n - (row_number() OVER (PARTITION BY c.id_base COLLATE "C" ORDER BY c.n) - 1) AS pos FROM candidate c
    WHERE EXISTS (SELECT 1 FROM "Guardian" g WHERE g.identifier = c.ident)
      OR EXISTS (SELECT 1 FROM import_new_guardian w WHERE w.identifier = c.ident)
      OR EXISTS (SELECT 1 FROM import_dec d WHERE d.accepted AND d.g_id IS NULL AND d.identifier = c.ident)
  ),
  placed AS (
    SELECT ref, id_base, k, account${more},
      pos + sum(1 - account) OVER (PARTITION BY id_base COLLATE "C" ORDER BY pos, account ROWS UNBOUNDED PRECEDING) AS n
    FROM (
      SELECT ref, id_base, k, pos, 1 AS account${more} FROM ranked
      UNION ALL SELECT NULL, id_base, NULL, pos, 0${carried.map(() => ', NULL').join('')} FROM taken
    ) x
  ),
  named AS (
    SELECT ref, id_base${more}, CASE WHEN n <= k + ${window} THEN ${ident('n')} END AS ident
    FROM placed WHERE account = 1
  )`;
};

/** Names the accounts left without an identifier (their base's first window was not enough, or it was taken meanwhile). */
async function allocateLeft(sql: Sql): Promise<void> {
  for (let window = 32; ; window *= 4) {
    await sql.unsafe(`
      WITH todo AS (SELECT ref, id_base, line FROM import_new_guardian WHERE identifier IS NULL), ${freeIdentifiers('todo', String(window))}
      UPDATE import_new_guardian t SET identifier = named.ident FROM named WHERE t.ref = named.ref AND named.ident IS NOT NULL`);
    const [left] = await sql.query<{ n: number }>`SELECT count(*)::int AS n FROM import_new_guardian WHERE identifier IS NULL`;
    if (!left?.n) return;
  }
}

/**
 * Unnames the accounts given an identifier another account of the same pass has (the first by
 * line keeps it; an identifier the file asks for, first of all): one base's numbered form can be
 * another base's (`j.martin` + 1 and `j.martin1`, a last name ending in digits, a typo), which
 * the naming does not see within one statement. Returns how many.
 */
const unnameTwins = (sql: Sql): Promise<number> => sql.execute`
  WITH digits AS (SELECT identifier FROM import_new_guardian WHERE id_base ~ '[0-9]$'),
  twins AS (
    SELECT ref, row_number() OVER (PARTITION BY identifier ORDER BY wanted IS NULL, line) AS k
    FROM import_new_guardian WHERE identifier IN (SELECT identifier FROM digits)
  )
  UPDATE import_new_guardian t SET identifier = NULL FROM twins WHERE twins.k > 1 AND twins.ref = t.ref`;

/** Names every account left unnamed (allocateLeft), until no two have the same identifier. */
async function nameLeft(sql: Sql): Promise<void> {
  for (let pass = 0; pass < 10; pass++) {
    await allocateLeft(sql);
    if (!(await unnameTwins(sql))) return;
  }
  throw new Error('identifiers still given twice after 10 passes');
}

/** The lines whose accounts createAccounts creates; `plain`: a first load's (no identifier can be taken meanwhile, no ON CONFLICT). */
export interface AccountLines {
  from: number;
  to: number;
  plain: boolean;
}

/**
 * Creates the accounts of the accepted rows of lines `from`..`to` whose ref names no account
 * yet (one per ref, from its first row), with their refs and credentials. An identifier taken
 * meanwhile by another writer is replaced by the next free one.
 */
export async function createAccounts(sql: Sql, lines: AccountLines, now: string, credentials: Credentials): Promise<void> {
  await sql.unsafe('TRUNCATE import_new_guardian, import_todo');
  // One row per account: g_new is on its head row only (extract-decide.ts), so no DISTINCT ON.
  // The accounts to create first, analysed: estimated blindly (as one row when "GuardianRef"
  // looks large), the naming below was planned as nested loops comparing every new account
  // with every other (minutes of CPU at 200,000 new accounts).
  // Each account's id is drawn here, in file order (PostgreSQL evaluates a volatile output column
  // after the sort): the inserts below write it, so that no join maps the ids back to the refs.
  const [sequence] = await sql.query<{ name: string }>`SELECT pg_get_serial_sequence('"Guardian"', 'id') AS name`;
  await sql.execute(
    rawStatement(
      `
    INSERT INTO import_todo
    SELECT ref, line, id_base, identifier, state, nextval($1::regclass)
    FROM import_dec d
    WHERE d.accepted AND d.g_new AND d.line BETWEEN $2::int AND $3::int AND NOT EXISTS (SELECT 1 FROM "GuardianRef" r WHERE r.ref = d.ref)
    ORDER BY line`,
      PLACEHOLDER,
    ),
    sequence?.name,
    lines.from,
    lines.to,
  );
  await sql.unsafe('ANALYZE import_todo');
  const [taken] = await sql.query<{ none: boolean }>`
    SELECT NOT EXISTS (SELECT 1 FROM "Guardian")
      AND NOT EXISTS (SELECT 1 FROM import_dec d WHERE d.accepted AND d.g_id IS NULL AND d.identifier IS NOT NULL) AS none`;
  // Named in the same statement (one pass); an account left unnamed gets its identifier from allocateLeft.
  await sql.unsafe(`
    WITH generated AS NOT MATERIALIZED (SELECT ref, id_base, line, state, id FROM import_todo WHERE identifier IS NULL),
    ${freeIdentifiers('generated', '8', ['line', 'state', 'id'], taken?.none)}
    INSERT INTO import_new_guardian (ref, line, id_base, identifier, wanted, state, id)
    SELECT ref, line, id_base, ident, NULL, state, id FROM named
    UNION ALL SELECT ref, line, id_base, identifier, identifier, state, id FROM import_todo WHERE identifier IS NOT NULL`);
  await sql.unsafe('ANALYZE import_new_guardian');
  for (let attempt = 0; ; attempt++) {
    await nameLeft(sql);
    if (lines.plain) {
      // Nothing to conflict with: every account is written, then its ref.
      await sql.execute(rawStatement(`INSERT INTO "Guardian" ${newGuardians()}`, PLACEHOLDER), now, now, now, now);
      await sql.unsafe('INSERT INTO "GuardianRef" (ref, "guardianId") SELECT ref, id FROM import_new_guardian');
      break;
    }
    // Counted before (by index), not looked up after: the anti-join over every ref just written
    // cost 3.4 s at 940,000 new accounts.
    const [todo] = await sql.query<{ n: number }>`
      SELECT count(*)::int AS n FROM import_new_guardian n WHERE NOT EXISTS (SELECT 1 FROM "GuardianRef" r WHERE r.ref = n.ref)`;
    const created = await sql.execute(
      rawStatement(
        `
      WITH inserted AS (
        INSERT INTO "Guardian" ${newGuardians('WHERE NOT EXISTS (SELECT 1 FROM "GuardianRef" r WHERE r.ref = n.ref)')}
        ON CONFLICT (identifier) DO NOTHING RETURNING id
      )
      INSERT INTO "GuardianRef" (ref, "guardianId") SELECT n.ref, n.id FROM inserted i JOIN import_new_guardian n ON n.id = i.id`,
        PLACEHOLDER,
      ),
      now,
      now,
      now,
      now,
    );
    if (created === todo?.n) break;
    const missing = await sql.query<{ wanted: string | null }>`
      SELECT wanted FROM import_new_guardian n WHERE NOT EXISTS (SELECT 1 FROM "GuardianRef" r WHERE r.ref = n.ref) LIMIT 1`;
    if (!missing.length) break;
    if (missing[0]?.wanted || attempt >= 10) throw new Error(`identifier ${missing[0]?.wanted ?? ''} was taken meanwhile`);
    await sql.execute`UPDATE import_new_guardian n SET identifier = NULL WHERE NOT EXISTS (SELECT 1 FROM "GuardianRef" r WHERE r.ref = n.ref)`;
  }
  await insertCredentials(sql, now, credentials);
}

async function insertCredentials(sql: Sql, now: string, credentials: Credentials): Promise<void> {
  const states = await sql.query<{ state: AccountState }>`SELECT DISTINCT state FROM import_new_guardian WHERE state <> 'NOT_NOTIFIED'`;
  for (const { state } of states) {
    const sample = await credentials(state);
    if (sample.passwordHash !== null) {
      // One secret for all (hashed once): the parent uses "mot de passe perdu".
      await sql.execute`
        INSERT INTO "Credential" ("guardianId", "tempPasswordEnc", "passwordHash", "isTemporary", "passwordChangedAt", "updatedAt")
        SELECT id, NULL, ${sample.passwordHash}::text, false, ${now}::timestamp, ${now}::timestamp FROM import_new_guardian WHERE state = ${state}::text`;
      continue;
    }
    // A temporary password of its own for every account, read by chunks in the order of an index.
    await sql.unsafe('CREATE INDEX IF NOT EXISTS import_new_guardian_state ON import_new_guardian (state, id)');
    for (let after = 0; ;) {
      const ids = (
        await sql.query<{ id: number }>`
          SELECT id FROM import_new_guardian WHERE state = ${state}::text AND id > ${after}::int ORDER BY id LIMIT ${CREDENTIAL_CHUNK}::int`
      ).map((r) => r.id);
      if (!ids.length) break;
      after = ids[ids.length - 1] as number;
      const temps = await Promise.all(ids.map(async () => (await credentials(state)).tempPasswordEnc));
      await sql.execute`
        INSERT INTO "Credential" ("guardianId", "tempPasswordEnc", "passwordHash", "isTemporary", "passwordChangedAt", "updatedAt")
        SELECT u.id, u.temp, NULL, true, NULL, ${now}::timestamp FROM unnest(${ids}::int[], ${temps}::text[]) AS u(id, temp)`;
    }
  }
}

/** The work tables of createAccounts (dropped with the work schema): the accounts to create, then named. */
export const NEW_ACCOUNTS_TABLES = [
  'CREATE UNLOGGED TABLE import_todo (ref text NOT NULL, line int NOT NULL, id_base text, identifier text, state text, id int NOT NULL)',
  'CREATE UNLOGGED TABLE import_new_guardian (ref text NOT NULL, line int NOT NULL, id_base text, identifier text, wanted text, state text, id int NOT NULL)',
];
