// The embedded PGlite's server (services/db/pglite-server.ts) on its own in-memory PGlite, with
// a short idle-in-transaction timeout: whole transactions take turns on the single session,
// many clients' extended-protocol queries never mix, an idle transaction is terminated and
// rolled back, a client gone mid-transaction leaves nothing behind; named prepared statements
// are each connection's own and go away with it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmbedded, type EmbeddedServer } from '../../../services/db/embedded.js';

const IDLE_MS = 300;
let server: EmbeddedServer;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: server.url });
  c.on('error', () => undefined); // a terminated connection reports here as well
  await c.connect();
  clients.push(c);
  return c;
}

const count = async (c: pg.Client): Promise<number> => Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM t')).rows[0]?.n);

beforeAll(async () => {
  server = await startEmbedded(undefined, IDLE_MS);
  const c = await connect();
  await c.query('CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL)');
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.end().catch(() => undefined);
  await server.close();
});

describe('the embedded database server', () => {
  it('runs a transaction alone: another connection waits for its COMMIT and then sees it', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query('DELETE FROM t');
    await a.query('BEGIN');
    await a.query('INSERT INTO t (v) VALUES ($1)', ['a']);
    const order: string[] = [];
    const read = count(b).then((n) => {
      order.push(`b read ${n}`);
      return n;
    });
    await a.query('INSERT INTO t (v) VALUES ($1)', ['a2']);
    order.push('a commits');
    await a.query('COMMIT');
    expect(await read).toBe(2);
    expect(order).toEqual(['a commits', 'b read 2']);
  });

  it("keeps many clients' parameterised queries and transactions apart", async () => {
    const many = await Promise.all(Array.from({ length: 8 }, connect));
    await many[0]?.query('DELETE FROM t');
    await Promise.all(
      many.map(async (c, i) => {
        for (let k = 0; k < 5; k++) {
          await c.query('BEGIN');
          const { rows } = await c.query<{ id: number }>('INSERT INTO t (v) VALUES ($1) RETURNING id', [`c${i}-${k}`]);
          expect((await c.query<{ v: string }>('SELECT v FROM t WHERE id = $1', [rows[0]?.id])).rows[0]?.v).toBe(`c${i}-${k}`);
          await c.query(k % 2 ? 'ROLLBACK' : 'COMMIT');
        }
      }),
    );
    expect(await count(many[0] as pg.Client)).toBe(8 * 3);
  });

  it('terminates a connection idle inside a transaction and rolls it back; the others go on', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query('DELETE FROM t');
    const terminated = new Promise<Error & { code?: string }>((resolve) => a.once('error', resolve));
    await a.query('BEGIN');
    await a.query('INSERT INTO t (v) VALUES ($1)', ['forgotten']);
    // b waits behind a's transaction until the server ends it.
    expect(await count(b)).toBe(0);
    expect((await terminated).code).toBe('25P03');
    await expect(a.query('SELECT 1')).rejects.toThrow();
  });

  it('rolls back the transaction of a client that disconnects', async () => {
    const [a, b] = [await connect(), await connect()];
    await a.query('DELETE FROM t');
    await a.query('BEGIN');
    await a.query('INSERT INTO t (v) VALUES ($1)', ['gone']);
    await a.end();
    expect(await count(b)).toBe(0);
  });

  it("keeps each connection's prepared statements apart: the same name, different SQL", async () => {
    const [a, b] = [await connect(), await connect()];
    const ask = (c: pg.Client, text: string, v: string): Promise<string | undefined> =>
      c.query<{ r: string }>({ name: 'same', text, values: [v] }).then((res) => res.rows[0]?.r);
    await Promise.all([ask(a, "SELECT 'a:' || $1::text AS r", 'x'), ask(b, "SELECT 'b:' || $1::text AS r", 'x')]);
    // Both prepared now: run them side by side, each connection on its own statement.
    const answers: (string | undefined)[] = [];
    for (const i of ['1', '2', '3'])
      answers.push(...(await Promise.all([ask(a, "SELECT 'a:' || $1::text AS r", i), ask(b, "SELECT 'b:' || $1::text AS r", i)])));
    expect(answers).toEqual(['a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'b:3']);
  });

  it("closes a connection's prepared statements when it goes away", async () => {
    const [a, b] = [await connect(), await connect()];
    const named = async (): Promise<string[]> =>
      (await b.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name LIKE '%/gone_%' ORDER BY name")).rows.map((r) => r.name);
    await a.query({ name: 'gone_1', text: 'SELECT 1' });
    await a.query({ name: 'gone_2', text: 'SELECT 2' });
    expect(await named()).toHaveLength(2);
    await a.end();
    await vi.waitFor(async () => expect(await named()).toEqual([]));
    // A new connection prepares the same names afresh.
    const c = await connect();
    expect((await c.query<{ n: number }>({ name: 'gone_1', text: 'SELECT 3 AS n' })).rows[0]?.n).toBe(3);
  });
});
