// Applies prisma/migrations/*/migration.sql in order, each in its own transaction that first
// takes a transaction-level advisory lock, so that instances starting together never race
// (on PGlite, transactions are serialised anyway). Applied migrations are recorded in
// Prisma's own `_prisma_migrations` table so that `prisma migrate status` stays usable.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..', 'prisma/migrations');
const LOCK_KEY = 724_310_001; // arbitrary, constant for this application

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {}

export function readMigrations(dir: string = resolveMigrationsDir()): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Works from the source tree (vitest) and from dist/. */
function resolveMigrationsDir(): string {
  const candidates = [MIGRATIONS_DIR, path.resolve(process.cwd(), 'prisma/migrations')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new MigrationError(`No migrations folder found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface MigrateOptions {
  connectionString: string;
  /** Apply into this schema (tests); default: the connection's search_path (public). */
  schema?: string;
  migrations?: Migration[];
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  const migrations = opts.migrations ?? readMigrations();
  const client = new pg.Client({ connectionString: opts.connectionString });
  await client.connect();
  const result: MigrateResult = { applied: [], alreadyApplied: [] };
  const begin = async (): Promise<void> => {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    if (opts.schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
      await client.query(`SET LOCAL search_path TO ${quoteIdent(opts.schema)}`);
    }
  };
  try {
    await begin();
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    await client.query('COMMIT');

    for (const m of migrations) {
      await begin();
      const done = await client.query<{ checksum: string }>(
        'SELECT checksum FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        [m.name],
      );
      const row = done.rows[0];
      if (row) {
        await client.query('COMMIT');
        if (row.checksum !== m.checksum) {
          throw new MigrationError(`Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead.`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)', [
          randomUUID(),
          m.checksum,
          m.name,
        ]);
        await client.query('COMMIT');
        result.applied.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err instanceof MigrationError ? err : new MigrationError(`Migrations could not run: ${(err as Error).message}`);
  } finally {
    await client.end();
  }
  return result;
}
