// The embedded PGlite's server (services/db/pglite-server.ts) on its own in-memory PGlite, with
// a short idle-in-transaction timeout: whole transactions take turns on the single session,
// many clients' extended-protocol queries never mix, an idle transaction is terminated and
// rolled back, a client gone mid-transaction leaves nothing behind.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
