// Performance targets of the account service (not timed tests): notify 1,000 accounts in one
// batch, compute a school's statistics, list and select a large school.
// Run: `npm run bench:accounts` (embedded PGlite in a temporary directory), or with
// DATABASE_URL set (a throw-away database created next to it, dropped at the end).
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listAccounts } from '../services/accounts/list.js';
import { notify } from '../services/accounts/notify.js';
import { selectPopulation } from '../services/accounts/population.js';
import type { Actor } from '../services/actor.js';
import type { ServiceContext, ServiceSettings } from '../services/context.js';
import { openDatabase } from '../services/db/index.js';
import { createMessageQueue } from '../services/delivery/queue.js';
import { createLogger } from '../services/logger.js';
import { computeSchoolStats } from '../services/stats.js';

const N = 1000;
const UAI = '0311478N';

interface Result {
  name: string;
  ms: number;
  targetMs: number;
  ok: boolean;
}

/** A fresh database on the server of `serverUrl`, and how to drop it. */
async function throwAwayDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_accounts_${process.pid}`;
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(sql);
    await c.end();
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function main(): Promise<void> {
  const log = createLogger('warn');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-accounts-'));
  const server = process.env.DATABASE_URL ? await throwAwayDatabase(process.env.DATABASE_URL) : undefined;
  const database = await openDatabase({ databaseUrl: server?.url, dataDir, log });
  const db = database.prisma;
  const settings: ServiceSettings = {
    publicUrl: 'http://localhost:3978',
    secretKey: Buffer.alloc(32, 3),
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 30, windowMinutes: 60 } },
    mail: { from: 'bench@example.org' },
    sms: {},
  };
  const ctx: ServiceContext = { db, log, now: () => new Date(), settings, messages: createMessageQueue(settings) };
  const actor: Actor = { kind: 'director', staffId: 'bench', name: 'Bench', uais: [UAI] };
  const results: Result[] = [];
  const time = async (name: string, targetMs: number, run: () => Promise<unknown>): Promise<void> => {
    const t0 = performance.now();
    await run();
    const ms = Math.round(performance.now() - t0);
    results.push({ name, ms, targetMs, ok: ms <= targetMs });
  };
  try {
    await db.school.create({ data: { uai: UAI, name: 'ECOLE BENCH', academy: 'TOULOUSE', degree: 'FIRST' } });
    const classes = await db.schoolClass.createManyAndReturn({
      data: Array.from({ length: 40 }, (_, i) => ({ schoolUai: UAI, name: `C${i}`, level: ['CP', 'CE1', 'CE2', 'CM1', 'CM2'][i % 5]! })),
      select: { id: true },
    });
    const pupils = await db.pupil.createManyAndReturn({
      data: Array.from({ length: N }, (_, i) => ({
        ine: `${String(i).padStart(10, '0')}B`,
        lastName: `ELEVE${i}`,
        firstName: 'Bench',
        searchName: `eleve${i} bench`,
        birthDate: new Date('2018-05-05'),
        schoolUai: UAI,
        classId: classes[i % classes.length]!.id,
      })),
      select: { id: true },
    });
    const guardians = await db.guardian.createManyAndReturn({
      data: pupils.map((_, i) => ({
        identifier: `b.parent${i}`,
        lastName: `PARENT${i}`,
        firstName: 'Bench',
        searchName: `parent${i} bench`,
        email: `parent${i}@example.org`,
      })),
      select: { id: true },
    });
    await db.pupilGuardian.createMany({ data: pupils.map((p, i) => ({ pupilId: p.id, guardianId: guardians[i]!.id })) });
    const ids = guardians.map((g) => g.id);

    await time(`notify ${N} accounts by sheet (first notification)`, 10_000, () => notify(ctx, actor, UAI, ids, { channel: 'sheet', reset: false }));
    await time(`notify ${N} accounts by email with reset`, 15_000, () => notify(ctx, actor, UAI, ids, { channel: 'email', reset: true }));
    await time(`compute school statistics (${N} accounts)`, 3_000, () => computeSchoolStats(ctx, actor, UAI));
    await time('select population, text search, page 1', 2_000, () => selectPopulation(ctx, actor, UAI, { text: 'parent99', pageSize: 50 }));
    await time(`list ${N} accounts with passwords`, 5_000, () => listAccounts(ctx, actor, UAI));
  } finally {
    await database.close();
    await server?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const r of results) console.log(JSON.stringify(r));
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

await main();
