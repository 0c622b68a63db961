// Hot-path statements (services/db/raw-query.ts) as named prepared statements on the pg pool:
// prepared once per connection, prepared again on the connection that replaces a closed one,
// and a statement whose result type a migration changed fails once and then works again. On
// the statement pipelines instead of the pool: test/services/db/pipelines.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, rawPool, type PrismaClient } from '../../../services/db/index.js';
import { preparedStatement, rawQuery } from '../../../services/db/raw-query.js';
import { databaseUrl, isEmbedded } from '../../helpers/db.js';

let db: PrismaClient;
const pool = () => {
  const p = rawPool(db);
  if (!p) throw new Error('no pool');
  return p;
};
const prepared = async (): Promise<string[]> =>
  (await pool().query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name LIKE '%test.rawq_%' ORDER BY name")).rows.map((r) => r.name);

const READ_V = preparedStatement('test.rawq_read', 'SELECT v FROM raw_query_t WHERE id = $1');

beforeAll(async () => {
  db = createPrisma(databaseUrl(), 1); // one connection, no pipelines: every statement below runs on the same one
  await pool().query('DROP TABLE IF EXISTS raw_query_t');
  await pool().query('CREATE TABLE raw_query_t (id int PRIMARY KEY, v int NOT NULL)');
  await pool().query('INSERT INTO raw_query_t VALUES (1, 10)');
});

afterAll(async () => {
  await pool().query('DROP TABLE IF EXISTS raw_query_t');
  await db.$disconnect();
});

describe(`prepared statements on the pool (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('prepares a statement once on a connection under its name, then runs it again', async () => {
    expect(await rawQuery<{ v: number }>(db, READ_V, [1])).toEqual([{ v: 10 }]);
    expect(await rawQuery<{ v: number }>(db, READ_V, [2])).toEqual([]);
    expect((await prepared()).map((n) => n.replace(/^c\d+\//, ''))).toEqual(['test.rawq_read']);
  });

  it('prepares it again on the connection that replaces a closed one', async () => {
    await rawQuery(db, READ_V, [1]);
    const client = await pool().connect();
    client.release(new Error('closed, as after a read timeout')); // the pool closes it
    expect(pool().totalCount).toBe(0);
    expect(await rawQuery<{ v: number }>(db, READ_V, [1])).toEqual([{ v: 10 }]);
    expect((await prepared()).map((n) => n.replace(/^c\d+\//, ''))).toEqual(['test.rawq_read']);
  });

  it('refuses a second statement under a name already declared', () => {
    expect(preparedStatement('test.rawq_read', READ_V.text)).toEqual(READ_V);
    expect(() => preparedStatement('test.rawq_read', 'SELECT 1')).toThrow(/already used/);
    expect(() => preparedStatement('Bad Name', 'SELECT 1')).toThrow(/Invalid/);
  });

  it('fails once after a migration changes the type it returns, then works on a new connection', async () => {
    expect(await rawQuery(db, READ_V, [1])).toEqual([{ v: 10 }]);
    await pool().query('ALTER TABLE raw_query_t ALTER COLUMN v TYPE text');
    await expect(rawQuery(db, READ_V, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect(await rawQuery(db, READ_V, [1])).toEqual([{ v: '10' }]);
  });
});
