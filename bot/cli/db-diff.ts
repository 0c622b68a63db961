// `npm run db:diff`: checks that prisma/migrations and prisma/schema.prisma describe the same
// database. Two in-memory PGlite servers (services/db/embedded.ts): one gets the migrations
// (services/db/migrate.ts, as the app applies them), the other the SQL Prisma writes for the
// schema from nothing (`prisma migrate diff --from-empty`); their catalogs (enums, columns,
// defaults, indexes, constraints) are compared. Exit 0 when they agree, 1 with the differences.
// `npm run db:diff -- <name>`: after editing the schema, writes the next migration (the schema
// of the last commit, git HEAD, diffed against prisma/schema.prisma), then checks again.
// Prisma's schema engine cannot read a database through the driver adapter that
// prisma.config.ts sets (it fails on columns of type "name"): hence the catalog comparison.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbedded, type EmbeddedServer } from '../../services/db/embedded.js';
import { migrate, readMigrations } from '../../services/db/migrate.js';
import { DEFAULT_TIMEOUTS } from '../../services/db/index.js';

const SCHEMA = 'prisma/schema.prisma';

/** One line per enum, column, index and constraint of the public schema, with its table (Prisma's own table left out). */
const CATALOG = `
  SELECT NULL::text AS tbl, format('enum %I (%s)', t.typname, string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)) AS line
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = 'public' GROUP BY t.typname
  UNION ALL
  SELECT c.relname::text, format('column %I.%I %s%s%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''))
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
  UNION ALL
  SELECT c.relname::text, 'index ' || pg_get_indexdef(i.indexrelid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'
  UNION ALL
  SELECT c.relname::text, format('constraint %I.%I %s', c.relname, con.conname, pg_get_constraintdef(con.oid))
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relname <> '_prisma_migrations'
  ORDER BY 2`;

interface CatalogLine {
  tbl: string | null;
  line: string;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const catalog = (url: string): Promise<CatalogLine[]> => withClient(url, async (c) => (await c.query<CatalogLine>(CATALOG)).rows);

/** `prisma migrate diff` with these arguments: its SQL script (the CLI's adapter is pointed at `url`). */
async function prismaDiff(url: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the PGlite servers live in this process's event loop.
    const child = spawn('npx', ['prisma', 'migrate', 'diff', ...args, '--script'], { env: { ...process.env, DATABASE_URL: url } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(stdout) : reject(new Error(`prisma migrate diff failed:\n${stderr}`))));
  });
}

const isEmpty = (script: string): boolean => !script.trim() || /^-- This is an empty migration\.?\s*$/m.test(script);

/**
 * The lines that differ between the migrated database and the schema's (empty: they agree).
 * What Prisma cannot describe is left aside: tables only SQL uses (e.g. "StatsCounter", read
 * by services/stats-counters.ts) and partial indexes (WHERE …); functions and triggers are not compared.
 */
async function differences(): Promise<{ found: string[]; sqlOnly: number }> {
  const servers: EmbeddedServer[] = [];
  try {
    const fromMigrations = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
    servers.push(fromMigrations);
    const fromSchema = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
    servers.push(fromSchema);
    await migrate({ connectionString: fromMigrations.url });
    const script = await prismaDiff(fromSchema.url, ['--from-empty', '--to-schema-datamodel', SCHEMA]);
    await withClient(fromSchema.url, (c) => c.query(script));
    const [migrated, expected] = await Promise.all([catalog(fromMigrations.url), catalog(fromSchema.url)]);
    const tables = new Set(expected.map((l) => l.tbl));
    const inSchema = new Set(expected.map((l) => l.line));
    const inMigrations = new Set(migrated.map((l) => l.line));
    const extra = migrated.filter((l) => !inSchema.has(l.line));
    const sqlOnly = (l: CatalogLine): boolean => !tables.has(l.tbl) || (l.line.startsWith('index ') && l.line.includes(' WHERE '));
    const found = [
      ...extra.filter((l) => !sqlOnly(l)).map((l) => `  migrations only: ${l.line}`),
      ...expected.filter((l) => !inMigrations.has(l.line)).map((l) => `  schema only:     ${l.line}`),
    ];
    return { found, sqlOnly: extra.filter(sqlOnly).length };
  } finally {
    for (const s of servers) await s.close();
  }
}

/** Writes prisma/migrations/<timestamp>_<name>/migration.sql from HEAD's schema to the working one; false: no change. */
async function writeMigration(name: string): Promise<boolean> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'migdiff-'));
  const server = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
  try {
    const oldSchema = path.join(tmp, 'schema.prisma');
    writeFileSync(oldSchema, execFileSync('git', ['show', `HEAD:${SCHEMA}`], { encoding: 'utf8' }));
    const script = await prismaDiff(server.url, ['--from-schema-datamodel', oldSchema, '--to-schema-datamodel', SCHEMA]);
    if (isEmpty(script)) return false;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join('prisma', 'migrations', `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), script);
    process.stdout.write(`Wrote ${dir}/migration.sql\n`);
    return true;
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  if (name && !(await writeMigration(name))) process.stdout.write('The schema did not change since the last commit: no migration written.\n');
  const { found, sqlOnly } = await differences();
  const count = readMigrations().length;
  if (found.length === 0) {
    process.stdout.write(`${SCHEMA} and the ${count} migrations agree (${sqlOnly} SQL-only objects left aside: tables not in the schema, partial indexes).\n`);
    return 0;
  }
  process.stderr.write(`${SCHEMA} and the ${count} migrations differ (${found.length} lines):\n${found.join('\n')}\n`);
  if (!name) process.stderr.write('Write the missing migration: npm run db:diff -- <name> (or by hand under prisma/migrations/).\n');
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`db:diff failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
