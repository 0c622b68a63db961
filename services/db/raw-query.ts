// One statement on the pg pool under a Prisma client (services/db createPrisma), for hot
// paths: a small statement costs several times less CPU through pg than through Prisma's
// query path (its request pipeline and, for model queries, its query compiler), profiled on
// the web chat's requests. A client without a pool of its own (one on another schema) runs
// the same text and values through $queryRawUnsafe. On a PostgreSQL server the statements go
// to the client's statement pipelines (services/db/pipelines.ts), not to the pool: hence only
// short single statements here, that wait on no lock held across a transaction.
//
// Every statement is a named prepared statement (preparedStatement, declared next to its SQL):
// pg parses it once per pool connection and the server plans it once there (then reuses a
// generic plan or replans cheaply), where an unnamed statement is parsed and planned on every
// execution: about half of the server's time on the web chat's small statements.
// - A new connection (the pool replaced one after an error or a timeout) prepares on first use.
// - pg's pool, and the pipelines, close a connection on any error of a statement run through
//   it, so a connection never goes on with a statement in doubt.
// - Statements name their columns (no *): a migration that adds columns or indexes only makes
//   the server replan them. One that changes the type of a column they return fails them
//   ("cached plan must not change result type") once per connection, which then closes; in
//   normal operation migrations run at start, before the pool exists (services/db/index.ts).
// - The embedded database gives each connection its own statement names
//   (services/db/pglite-server.ts).
import { rawPool, statementPipelines, type PrismaClient } from './index.js';

/** A statement prepared under a stable name on each connection that runs it. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** PostgreSQL keeps 63 bytes of a name; the embedded server prefixes a connection id. */
const MAX_NAME_LENGTH = 48;
const declared = new Map<string, string>();

/**
 * Declares the statement `text` under `name` (dotted, e.g. "chat.append"), once, at module
 * level next to its SQL. The same name for another text throws: pg would refuse it on a
 * connection that already prepared the first.
 */
export function preparedStatement(name: string, text: string): PreparedStatement {
  if (!/^[a-z][a-z0-9_.]*$/.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new Error(`Invalid prepared statement name "${name}": lowercase letters, digits, "_" and ".", at most ${MAX_NAME_LENGTH} characters`);
  }
  const known = declared.get(name);
  if (known !== undefined && known !== text) throw new Error(`Prepared statement name "${name}" is already used for another statement`);
  declared.set(name, text);
  return Object.freeze({ name, text });
}

/**
 * Rows of `statement` (placeholders $1, $2…) as pg returns them: json and jsonb parsed, int4
 * as numbers, timestamptz as Dates. Return timestamps as timestamptz (`"at" AT TIME ZONE
 * 'UTC'`): pg would read a plain timestamp in the process's time zone.
 */
export async function rawQuery<T>(db: PrismaClient, statement: PreparedStatement, values: readonly unknown[] = []): Promise<T[]> {
  const query = { name: statement.name, text: statement.text, values: [...values] };
  const pipelines = statementPipelines(db);
  if (pipelines) return (await pipelines.query(query)).rows as T[];
  const pool = rawPool(db);
  if (!pool) return db.$queryRawUnsafe<T[]>(statement.text, ...values);
  return (await pool.query(query)).rows as T[];
}
