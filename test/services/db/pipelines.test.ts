// rawQuery's statements on the statement pipelines (services/db/pipelines.ts), on a
// PostgreSQL server: many at once on a few connections, each its own transaction; a failed
// statement fails alone and its connection is replaced; prepared statements are prepared
// again on the new connection; closing the client closes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PIPELINES_WITH_SERVER, statementPipelines, type PrismaClient } from '../../../services/db/index.js';
import { preparedStatement, rawQuery } from '../../../services/db/raw-query.js';
import { databaseUrl, isEmbedded, testPrisma } from '../../helpers/db.js';

const READ_V = preparedStatement('test.pipe_read', 'SELECT v FROM pipelines_t WHERE id = $1');
const ADD = preparedStatement('test.pipe_add', 'INSERT INTO pipelines_t (id, v) VALUES ($1, $2) RETURNING id');
const BACKEND = preparedStatement('test.pipe_backend', 'SELECT pg_backend_pid() AS pid');

let db: PrismaClient;
let admin: pg.Client;

describe.skipIf(isEmbedded())('statement pipelines (PostgreSQL)', () => {
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: databaseUrl() });
    await admin.connect();
    await admin.query('DROP TABLE IF EXISTS pipelines_t');
    await admin.query('CREATE TABLE pipelines_t (id int PRIMARY KEY, v int NOT NULL)');
    await admin.query('INSERT INTO pipelines_t VALUES (1, 10)');
    db = testPrisma(1);
  });

  afterAll(async () => {
    await db.$disconnect();
    await admin.query('DROP TABLE IF EXISTS pipelines_t');
    await admin.end();
  });

  it('runs many statements at once on at most PIPELINES_WITH_SERVER connections, each answered with its own rows', async () => {
    expect(statementPipelines(db)).toBeDefined();
    const ids = Array.from({ length: 200 }, (_, i) => i + 100);
    const results = await Promise.all(ids.map((id) => rawQuery<{ id: number }>(db, ADD, [id, id * 2])));
    expect(results.map((rows) => rows[0]?.id)).toEqual(ids);
    const reads = await Promise.all(ids.map((id) => rawQuery<{ v: number }>(db, READ_V, [id])));
    expect(reads.map((rows) => rows[0]?.v)).toEqual(ids.map((id) => id * 2));
    const pids = await Promise.all(Array.from({ length: 30 }, () => rawQuery<{ pid: number }>(db, BACKEND)));
    const distinct = new Set(pids.map((rows) => rows[0]?.pid));
    expect(distinct.size).toBeGreaterThan(1);
    expect(distinct.size).toBeLessThanOrEqual(PIPELINES_WITH_SERVER);
  });

  it('fails a failing statement alone (its own transaction), then replaces its connection', async () => {
    const outcomes = await Promise.allSettled([
      rawQuery(db, ADD, [2, 20]),
      rawQuery(db, ADD, [1, 11]), // duplicate key
      rawQuery(db, ADD, [3, 30]),
      rawQuery<{ v: number }>(db, READ_V, [1]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(outcomes[1]?.status === 'rejected' && String(outcomes[1].reason)).toMatch(/duplicate key/);
    const stored = await admin.query<{ id: number; v: number }>('SELECT id, v FROM pipelines_t WHERE id < 10 ORDER BY id');
    expect(stored.rows).toEqual([
      { id: 1, v: 10 },
      { id: 2, v: 20 },
      { id: 3, v: 30 },
    ]);
    // Statements keep working, on connections that prepare them again where needed.
    expect(await rawQuery<{ v: number }>(db, READ_V, [2])).toEqual([{ v: 20 }]);
  });

  it('recovers from a connection the server closed', async () => {
    const [{ pid } = { pid: 0 }] = await rawQuery<{ pid: number }>(db, BACKEND);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    // The statement sent on the dead connection may fail; the next ones open a new one.
    await rawQuery(db, READ_V, [1]).catch(() => undefined);
    expect(await rawQuery<{ v: number }>(db, READ_V, [1])).toEqual([{ v: 10 }]);
    const [after] = await rawQuery<{ pid: number }>(db, BACKEND);
    expect(after?.pid).not.toBe(pid);
  });

  it('fails once after a migration changes the type a statement returns, then works on a new connection', async () => {
    expect(await rawQuery(db, READ_V, [1])).toEqual([{ v: 10 }]);
    await admin.query('ALTER TABLE pipelines_t ALTER COLUMN v TYPE text');
    await expect(rawQuery(db, READ_V, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect(await rawQuery(db, READ_V, [1])).toEqual([{ v: '10' }]);
  });

  it('closes its connections with the client', async () => {
    const other = testPrisma(1);
    // Prisma ends the pool (and so the pipelines) on $disconnect once it has connected.
    await other.$queryRaw`SELECT 1`;
    const [{ pid } = { pid: 0 }] = await rawQuery<{ pid: number }>(other, BACKEND);
    const alive = async (): Promise<boolean> => (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 1;
    expect(await alive()).toBe(true);
    await other.$disconnect();
    await expect.poll(alive).toBe(false);
    await expect(rawQuery(other, READ_V, [1])).rejects.toThrow(/closed/);
  });
});
