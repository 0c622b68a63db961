// The read replica for statistics (DATABASE_REPLICA_URL): a second database on the test server,
// migrated, holding other data, stands for the replica. Academy and national figures and the
// snapshot history come from it; the one-school figure, the recount of dirty schools, the
// snapshots and the audit rows stay on the primary; a replica that refuses connections or
// stops answering gives way to the primary, with one warning per period.
import net from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, createReplicaPrisma, type DatabaseTimeouts, type PrismaClient } from '../../services/db/index.js';
import { migrate } from '../../services/db/migrate.js';
import { createLogger } from '../../services/logger.js';
import { REPLICA_RETRY_MS } from '../../services/read-replica.js';
import { refreshDirty } from '../../services/stats-counters.js';
import { computeAggregateStats, computeSchoolStats, getSchoolStats } from '../../services/stats.js';
import { aggregateDashboard } from '../../services/dashboard.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { databaseUrl, isEmbedded, resetDatabase, testPrisma } from '../helpers/db.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { agent, createClass, createGuardian, createPupil, createSchool, director } from './accounts/fixtures.js';
import type { StaffActor } from '../../services/actor.js';

const S = '0311478N';
const R1 = '0330001A';
const R2 = '0330002B';
/** Short timeouts: a dead replica is given up within a few seconds. */
const TIMEOUTS: DatabaseTimeouts = { connectMs: 1000, statementMs: 2000, idleInTransactionMs: 5000 };
const NOW = new Date('2026-11-20T08:00:00Z');

const db: PrismaClient = testPrisma();
let replicaUrl: string;
let replicaWriter: PrismaClient;
const clients: PrismaClient[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: databaseUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Warnings and infos the services log, as parsed lines. */
function capture(ctx: TestContext): { msg: string }[] {
  const lines: { msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg: string });
      done();
    },
  });
  ctx.log = createLogger('info', sink);
  return lines;
}

function replicaContext(url: string): TestContext {
  const ctx = testContext(db);
  const readDb = createReplicaPrisma(url, 2, TIMEOUTS);
  clients.push(readDb);
  ctx.readDb = readDb;
  ctx.setNow(NOW);
  return ctx;
}

/** A school with pupils and guardians, `activated` of them activated. */
async function school(target: PrismaClient, uai: string, pupils: number, activated: number): Promise<void> {
  await createSchool(target, uai, `ECOLE ${uai}`, 'TOULOUSE');
  const classId = await createClass(target, uai, 'CP A', 'CP');
  for (let i = 0; i < pupils; i++) {
    const pupilId = await createPupil(target, { schoolUai: uai, classId, lastName: 'E', firstName: `${uai}-${i}` });
    await createGuardian(target, { lastName: 'G', firstName: `${uai}-${i}`, state: i < activated ? 'ACTIVATED' : 'NOTIFIED', pupilIds: [pupilId] });
  }
}

describe.skipIf(isEmbedded())('statistics on a read replica', () => {
  beforeAll(async () => {
    await resetDatabase(db);
    // The replica: a fresh database on the same server, migrated, with other schools.
    const url = new URL(databaseUrl());
    const name = `${url.pathname.slice(1)}_replica`;
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    url.pathname = `/${name}`;
    replicaUrl = url.toString();
    await migrate({ connectionString: replicaUrl });
    replicaWriter = createPrisma(replicaUrl, 2);
    await school(replicaWriter, R1, 3, 1);
    await school(replicaWriter, R2, 2, 2);
    // A replica is not written by the bot: its counters are as the primary left them.
    await refreshDirty(replicaWriter);
    await replicaWriter.statsSnapshot.create({
      data: {
        scope: 'NATIONAL',
        scopeKey: 'FR',
        computedAt: new Date('2026-10-01T10:00:00Z'),
        data: { kind: 'aggregate', summary: { accounts: 5, activated: 3 } },
      },
    });
    await school(db, S, 4, 1);
  });

  afterAll(async () => {
    await Promise.all([...clients, replicaWriter, db].map((c) => c.$disconnect()));
    const name = new URL(replicaUrl).pathname.slice(1);
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('reads academy and national figures and the history on the replica, the school figure and every write on the primary', async () => {
    const ctx = replicaContext(replicaUrl);
    const onPrimary = testContext(db);
    onPrimary.setNow(NOW);
    const onReplica = testContext(replicaWriter);
    onReplica.setNow(NOW);
    // A change that marks S to be recounted, on the primary.
    const pupilId = await createPupil(db, {
      schoolUai: S,
      classId: (await db.schoolClass.findFirstOrThrow({ where: { schoolUai: S } })).id,
      lastName: 'E',
      firstName: 'new',
    });
    await createGuardian(db, { lastName: 'G', firstName: 'new', state: 'ACTIVATED', pupilIds: [pupilId] });
    const snapshotsBefore = await db.statsSnapshot.count();
    const replicaSnapshotsBefore = await replicaWriter.statsSnapshot.count();

    const national = await computeAggregateStats(ctx, agent, 'NATIONAL');
    const academy = await computeAggregateStats(ctx, agent, 'ACADEMY', 'TOULOUSE');

    // The replica's own figures, not the primary's.
    expect(national.schools.map((s) => s.uai)).toEqual([R1, R2]);
    expect(national.summary).toEqual((await computeAggregateStats(onReplica, agent, 'NATIONAL')).summary);
    expect(academy.summary).toEqual((await computeAggregateStats(onReplica, agent, 'ACADEMY', 'TOULOUSE')).summary);
    expect(national.summary).not.toEqual((await computeAggregateStats(onPrimary, agent, 'NATIONAL')).summary);
    // The recount of S ran on the primary; the snapshots and audit rows were written there.
    expect(await db.$queryRaw<unknown[]>`SELECT 1 FROM "StatsDirty"`).toEqual([]);
    expect(await db.statsSnapshot.count()).toBe(snapshotsBefore + 3);
    expect(await db.auditLog.count({ where: { action: 'stats.compute', details: { path: ['scope'], equals: 'NATIONAL' } } })).toBe(2);
    expect(await replicaWriter.statsSnapshot.count()).toBe(replicaSnapshotsBefore + 2); // onReplica's own two

    // The one-school figure: S exists on the primary only.
    const s = await computeSchoolStats(ctx, director(S), S);
    expect(s.summary).toEqual((await getSchoolStats(onPrimary, director(S), S)).summary);
    expect(s.summary.pupils).toBe(5);

    // The history: the replica's October snapshot, then today's figures.
    const dash = await aggregateDashboard(ctx, agent as StaffActor);
    expect(dash.history.map((p) => [p.day, p.accounts])).toEqual([
      ['2026-10-01', 5],
      ['2026-11-20', dash.stats.summary.accounts],
    ]);

    // The replica's client writes nothing, whatever the server.
    await expect(ctx.readDb?.school.create({ data: { uai: '0999999Z', name: 'X', academy: 'X', degree: 'FIRST' } })).rejects.toThrow(/read-only/);
  });

  it('reads on the primary when the replica refuses connections, with one warning per period', async () => {
    // A port nobody listens on.
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const url = new URL(replicaUrl);
    url.hostname = '127.0.0.1';
    url.port = String(closed);
    const ctx = replicaContext(url.toString());
    const lines = capture(ctx);
    const primary = await computeAggregateStats(testContext(db), agent, 'NATIONAL');

    const first = await computeAggregateStats(ctx, agent, 'NATIONAL');
    const second = await computeAggregateStats(ctx, agent, 'ACADEMY', 'TOULOUSE');
    expect(first.summary).toEqual(primary.summary);
    expect(second.schools.map((s) => s.uai)).toEqual([S]);
    expect(lines.filter((l) => l.msg.startsWith('read replica failed'))).toHaveLength(1);

    // The next period tries the replica again: still closed, one more warning.
    ctx.advance(REPLICA_RETRY_MS);
    expect((await computeAggregateStats(ctx, agent, 'NATIONAL')).summary).toEqual(primary.summary);
    expect(lines.filter((l) => l.msg.startsWith('read replica failed'))).toHaveLength(2);
  });

  describe('a replica that stops answering', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      const target = new URL(replicaUrl);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    });
    afterAll(() => proxy.close());

    it('gives way to the primary within the timeouts, then is read again once it answers', async () => {
      const ctx = replicaContext(proxy.url(replicaUrl));
      const lines = capture(ctx);
      expect((await computeAggregateStats(ctx, agent, 'NATIONAL')).schools.map((s) => s.uai)).toEqual([R1, R2]);

      proxy.drop();
      expect((await computeAggregateStats(ctx, agent, 'NATIONAL')).schools.map((s) => s.uai)).toEqual([S]);
      expect(lines.filter((l) => l.msg.startsWith('read replica failed'))).toHaveLength(1);

      proxy.forward();
      ctx.advance(REPLICA_RETRY_MS);
      expect((await computeAggregateStats(ctx, agent, 'NATIONAL')).schools.map((s) => s.uai)).toEqual([R1, R2]);
      expect(lines.map((l) => l.msg)).toContain('read replica answers again: statistics read there');
    });
  });
});
