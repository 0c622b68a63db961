// The SQL the extract import runs in its transactions, as tagged templates (values are always
// parameters). On the pg pool under the Prisma client when there is one (services/db rawPool):
// the import's statements carry arrays of thousands of values, which cost several times more
// CPU through Prisma's query path than through pg (profiled: ~40 ms vs ~7 ms per 5,000-row
// statement). Otherwise (a client on another schema) through Prisma's interactive transaction.
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { QUERY_TIMEOUT_MARGIN_MS, rawPool, type PrismaClient, type Tx } from '../db/index.js';

export interface Sql {
  query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  execute(strings: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  /** A statement without parameters. */
  unsafe(text: string): Promise<void>;
  /** `COPY … FROM STDIN` (text format) as a writable stream; absent through Prisma. */
  copyIn?: (statement: string) => Writable;
}

function prismaSql(tx: Tx): Sql {
  return {
    query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => tx.$queryRaw<T[]>(strings, ...values),
    execute: (strings, ...values) => tx.$executeRaw(strings, ...values),
    unsafe: async (text) => {
      await tx.$executeRawUnsafe(text);
    },
  };
}

/** The SQLSTATE of a database error ('' for another error). */
export function sqlState(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : '';
}

/** The numbered placeholders of a statement text ($1, $2…), in the order of the values given with it. */
export const PLACEHOLDER = /\$\d+/;

/** A statement text as a template without values (`sql.query(rawStatement(text))`). */
export function rawStatement(text: string, placeholder?: RegExp): TemplateStringsArray {
  const parts = placeholder ? text.split(placeholder) : [text];
  return Object.assign(parts, { raw: parts });
}

const toText = (strings: TemplateStringsArray): string => strings.reduce((text, part, i) => `${text}$${i}${part}`);

/** `timeoutMs`: the transaction's statement timeout, which replaces the pool's (see inTransaction). */
function pgSql(client: pg.PoolClient, timeoutMs: number): Sql {
  // pg reads query_timeout from the query's config (its type does not declare it).
  const statement = (text: string, values: unknown[] = []): pg.QueryConfig => {
    const config: pg.QueryConfig & { query_timeout: number } = { text, values, query_timeout: timeoutMs + QUERY_TIMEOUT_MARGIN_MS };
    return config;
  };
  return {
    query: async <T>(strings: TemplateStringsArray, ...values: unknown[]) => (await client.query(statement(toText(strings), values))).rows as T[],
    execute: async (strings, ...values) => (await client.query(statement(toText(strings), values))).rowCount ?? 0,
    unsafe: async (text) => {
      await client.query(statement(text));
    },
    // The COPY lasts as long as the file is read: the transaction's timeout, not the pool's.
    copyIn: (text) => client.query(Object.assign(copyFrom(text), { query_timeout: timeoutMs + QUERY_TIMEOUT_MARGIN_MS })),
  };
}

/**
 * Runs `work` with a schema of its own first on the search path, dropped before it returns: the
 * import's work tables (import_row, import_dec…) are UNLOGGED tables there, created unqualified.
 * Not temporary tables: those live in the session's temp_buffers (8 MB by default, and fixed once
 * a session has used one), so work tables of hundreds of MB went through the kernel page by page
 * (1,000,000 rows, back to back: 16,900-18,800 rows/s and 46-52 s of database CPU as temporary
 * tables, 19,800-20,400 rows/s and 42-43 s as these); and PostgreSQL never gives a temporary table
 * to parallel workers. Created in the import's transaction, they are never seen by another
 * session and vanish with a rollback; the name is random, so two imports stage side by side.
 */
export async function withWorkSchema<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  const schema = `import_work_${randomBytes(6).toString('hex')}`;
  try {
    await sql.unsafe(`CREATE SCHEMA ${schema}`);
  } catch (err) {
    if (sqlState(err) !== '42501') throw err;
    throw new Error('the import needs the CREATE privilege on the database for its work schema (GRANT CREATE ON DATABASE … TO …; its owner has it)', {
      cause: err,
    });
  }
  await sql.query`SELECT set_config('search_path', ${schema} || ', ' || current_setting('search_path'), true) AS path`;
  const result = await work();
  await sql.unsafe(`DROP SCHEMA ${schema} CASCADE`);
  return result;
}

/** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
export async function inTransaction<T>(db: PrismaClient, work: (sql: Sql) => Promise<T>, timeoutMs: number): Promise<T> {
  const pool = rawPool(db);
  if (!pool) return db.$transaction((tx) => work(prismaSql(tx)), { timeout: timeoutMs, maxWait: 60_000 });
  // The client's adapter owns the pool (its idle-error listener, its end at $disconnect) once connected.
  await db.$connect();
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
    const result = await work(pgSql(client, timeoutMs));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
      broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
