// The first load of a country (or of a new instance): when the extract is merged into empty
// account tables, their secondary indexes and foreign keys are dropped for the merge and built
// again after it, in the same transaction, from their definitions in the catalogue (the schema
// is the same before and after; a failure rolls everything back, DDL included).
//
// Why: merging 1,000,000 rows into indexed tables, PostgreSQL spent about a third of the merge
// in the foreign-key checks (one lookup and one row lock per inserted row and key: ~3.5 million)
// and much of the rest maintaining secondary indexes row by row; built after the data, an index
// is one sort and a foreign key one join.
//
// The price is an ACCESS EXCLUSIVE lock on those tables until the import commits: only taken
// when they are empty (nobody's account can be waiting on them), and given up (the merge then
// runs as usual) when it cannot be had within a few seconds. The unique indexes that are not
// primary keys (INE, identifier) go too: the merge writes each pupil and account once with
// plain INSERTs (extract-merge.ts), and rebuilding them checks their uniqueness. Should the
// database refuse a row, the merge gets them back (restoreUnique, instant on the tables emptied
// by its savepoint) before it looks for that row with its usual ON CONFLICT statements. So do
// the primary keys that no foreign key names (refs, links, credentials: a sorted build instead of
// a descent into a growing index per row; on a kept import's work tables at 1,000,000 rows,
// 0.9-1.4 s less for the refs and the links, within the whole import's run-to-run spread). The
// others stay (other tables' foreign keys name them; ids arrive in order, so their upkeep is
// cheap). The statistics triggers of pupils and links are off meanwhile (see COUNTED).
import type { Logger } from '../logger.js';
import { sqlState, type Sql } from './sql.js';

/** The tables the merge writes account data to (the referencing side of their foreign keys). */
const TABLES = ['"Pupil"', '"Guardian"', '"GuardianRef"', '"PupilGuardian"', '"Credential"'];

/**
 * The tables whose statistics triggers (stats_*: they mark the schools whose figures change,
 * see the incremental_stats migration) are off during the merge. Every pupil and link is new,
 * so every school with pupils is marked once afterwards, which is what they would have marked;
 * on PupilGuardian they cost about as much as the inserts (a transition table of every link,
 * then every new guardian's links looked up again).
 */
const COUNTED = ['"Pupil"', '"PupilGuardian"'];

/** How long the import waits for the tables to be free before merging as usual (a PostgreSQL interval). */
const LOCK_WAIT = '5s';

/** lock_not_available, deadlock_detected: another session uses the tables. */
const BUSY = new Set(['55P03', '40P01']);

interface Rebuild {
  drop: string;
  create: string;
}

/** What the merge is told when it runs on the emptied, stripped tables. */
export interface BulkLoad {
  /** Builds the unique indexes and primary keys again now (the merge's ON CONFLICT statements need them); once. */
  restoreUnique(): Promise<void>;
}

/** Whether the account tables are empty, then locked for this transaction. */
async function lockIfEmpty(sql: Sql, log: Logger, lockWait: string): Promise<boolean> {
  const [state] = await sql.query<{ empty: boolean }>`
    SELECT NOT EXISTS (SELECT 1 FROM "Guardian") AND NOT EXISTS (SELECT 1 FROM "Pupil") AS empty`;
  if (!state?.empty) return false;
  await sql.unsafe('SAVEPOINT import_bulk');
  try {
    await sql.unsafe(`SET LOCAL lock_timeout = '${lockWait}'`);
    await sql.unsafe(`LOCK TABLE ${TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
    await sql.unsafe('SET LOCAL lock_timeout TO DEFAULT');
    await sql.unsafe('RELEASE SAVEPOINT import_bulk');
    return true;
  } catch (err) {
    if (!BUSY.has(sqlState(err))) throw err;
    await sql.unsafe('ROLLBACK TO SAVEPOINT import_bulk');
    await sql.unsafe('RELEASE SAVEPOINT import_bulk');
    log.info({ code: sqlState(err) }, 'account tables busy: the first load merges with its indexes in place');
    return false;
  }
}

/**
 * The indexes of TABLES but their primary keys and constraints' (`unique`: the unique ones, with
 * the primary keys no foreign key names), their foreign keys, the statistics triggers of COUNTED:
 * how to drop (or disable) and rebuild each.
 */
async function definitions(sql: Sql): Promise<{ indexes: Rebuild[]; unique: Rebuild[]; foreignKeys: Rebuild[]; triggers: Rebuild[] }> {
  const all = await sql.query<Rebuild & { isUnique: boolean }>`
    SELECT format('DROP INDEX %s', i.indexrelid::regclass) AS drop, pg_get_indexdef(i.indexrelid) AS create, i.indisunique AS "isUnique"
    FROM pg_index i
    WHERE i.indrelid = ANY(${TABLES}::regclass[]) AND NOT i.indisprimary AND i.indisvalid
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
    ORDER BY i.indexrelid`;
  const keys = await sql.query<Rebuild>`
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
      format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create
    FROM pg_constraint c
    WHERE c.contype = 'p' AND c.conrelid = ANY(${TABLES}::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid AND f.conindid = c.conindid)
    ORDER BY c.oid`;
  const indexes = all.filter((i) => !i.isUnique).map(({ drop, create }) => ({ drop, create }));
  const unique = [...all.filter((i) => i.isUnique).map(({ drop, create }) => ({ drop, create })), ...keys];
  const foreignKeys = await sql.query<Rebuild>`
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
      format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS create
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = ANY(${TABLES}::regclass[])
    ORDER BY c.oid`;
  const triggers = await sql.query<Rebuild>`
    SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', t.tgrelid::regclass, t.tgname) AS drop,
      format('ALTER TABLE %s ENABLE TRIGGER %I', t.tgrelid::regclass, t.tgname) AS create
    FROM pg_trigger t
    WHERE t.tgrelid = ANY(${COUNTED}::regclass[]) AND NOT t.tgisinternal AND t.tgenabled = 'O' AND t.tgname LIKE 'stats\\_%'
    ORDER BY t.oid`;
  return { indexes, unique, foreignKeys, triggers };
}

/**
 * Runs `merge` (the writes to the account tables), on empty tables without their indexes (but
 * primary keys), foreign keys and statistics triggers, which are rebuilt afterwards; `merge` is
 * given a BulkLoad when it runs so (the tables were empty: there is nothing of theirs to remove,
 * and nothing to conflict with), undefined otherwise. Returns what `merge` returns.
 */
export async function withBulkLoad<T>(sql: Sql, log: Logger, merge: (bulk: BulkLoad | undefined) => Promise<T>, lockWait = LOCK_WAIT): Promise<T> {
  if (!/^\d+(ms|s)$/.test(lockWait)) throw new Error(`invalid lock wait: ${lockWait}`);
  if (!(await lockIfEmpty(sql, log, lockWait))) return merge(undefined);
  const { indexes, unique, foreignKeys, triggers } = await definitions(sql);
  for (const item of [...triggers, ...foreignKeys, ...indexes, ...unique]) await sql.unsafe(item.drop);
  let dropped = unique;
  const result = await merge({
    restoreUnique: async () => {
      for (const item of dropped) await sql.unsafe(item.create);
      dropped = [];
    },
  });
  // Room for the sorts of the index builds (the default 64 MB spills at a million rows).
  await sql.unsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
  for (const item of [...dropped, ...indexes, ...foreignKeys, ...triggers]) await sql.unsafe(item.create);
  await sql.unsafe('SET LOCAL maintenance_work_mem TO DEFAULT');
  if (triggers.length) await sql.unsafe('INSERT INTO "StatsDirty" ("schoolUai") SELECT DISTINCT "schoolUai" FROM "Pupil"');
  log.info(
    { indexes: indexes.length + unique.length, foreignKeys: foreignKeys.length, triggers: triggers.length },
    'first load: indexes, foreign keys and triggers rebuilt after the merge',
  );
  return result;
}
