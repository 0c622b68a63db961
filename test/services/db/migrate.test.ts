import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations, MigrationError } from '../../../services/db/migrate.js';
import { startEmbedded } from '../../../services/db/embedded.js';
import { DEFAULT_TIMEOUTS } from '../../../services/db/index.js';
import { databaseUrl, isEmbedded } from '../../helpers/db.js';

const schemas: string[] = [];
const freshSchema = (): string => {
  const s = `mig_${Date.now().toString(36)}_${schemas.length}`;
  schemas.push(s);
  return s;
};

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  for (const s of schemas) await query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
});

describe(`migrations (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('apply on an empty schema, are recorded in _prisma_migrations, and a second run applies nothing', async () => {
    const schema = freshSchema();
    const all = readMigrations();
    const first = await migrate({ connectionString: databaseUrl(), schema });
    expect(first.applied).toEqual(all.map((m) => m.name));
    const recorded = await query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "${schema}"."_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded).toEqual(all.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    const tables = await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['Guardian', 'Pupil', 'School', 'BotState', 'OutboxMessage']));
    const second = await migrate({ connectionString: databaseUrl(), schema });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toHaveLength(all.length);
  });

  it('two migrators started together apply each migration exactly once', async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([migrate({ connectionString: databaseUrl(), schema }), migrate({ connectionString: databaseUrl(), schema })]);
    const total = readMigrations().length;
    expect(a.applied.length + b.applied.length).toBe(total);
    const rows = await query<{ n: string }>(`SELECT count(*)::text AS n FROM "${schema}"."_prisma_migrations"`);
    expect(rows[0]?.n).toBe(String(total));
  });

  it('a failing migration is rolled back and reported clearly', async () => {
    const schema = freshSchema();
    const migrations = [
      { name: '001_ok', sql: 'CREATE TABLE t_ok (id int);', checksum: 'a' },
      { name: '002_bad', sql: 'CREATE TABLE t_bad (id int); SELECT * FROM no_such_table;', checksum: 'b' },
    ];
    await expect(migrate({ connectionString: databaseUrl(), schema, migrations })).rejects.toThrow(MigrationError);
    await expect(migrate({ connectionString: databaseUrl(), schema, migrations })).rejects.toThrow(/002_bad failed and was rolled back/);
    const tables = await query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1`, [schema]);
    expect(tables.map((t) => t.tablename).sort()).toEqual(['_prisma_migrations', 't_ok']);
  });

  it('refuses a migration edited after it was applied', async () => {
    const schema = freshSchema();
    await migrate({ connectionString: databaseUrl(), schema, migrations: [{ name: '001', sql: 'CREATE TABLE t1 (id int);', checksum: 'x' }] });
    await expect(
      migrate({ connectionString: databaseUrl(), schema, migrations: [{ name: '001', sql: 'CREATE TABLE t1 (id int);', checksum: 'y' }] }),
    ).rejects.toThrow(/changed after it was applied/);
  });
});

// The run shares one database (PostgreSQL in CI): the embedded path is checked here too, on its
// own in-memory PGlite, so both engines see the migrations on every run.
describe.skipIf(isEmbedded())('migrations on an embedded PGlite as well', () => {
  it('apply on an empty PGlite served by pglite-socket, concurrently, each once', { timeout: 120_000 }, async () => {
    const server = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
    try {
      const [a, b] = await Promise.all([migrate({ connectionString: server.url }), migrate({ connectionString: server.url })]);
      const total = readMigrations().length;
      expect(a.applied.length + b.applied.length).toBe(total);
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      const rows = (await c.query<{ n: string }>('SELECT count(*)::text AS n FROM "_prisma_migrations"')).rows;
      const tables = (await c.query<{ tablename: string }>("SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public'")).rows;
      await c.end();
      expect(rows[0]?.n).toBe(String(total));
      expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['Guardian', 'Case', 'AuditLog']));
    } finally {
      await server.close();
    }
  });
});
