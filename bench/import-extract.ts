// The extract-import figures of `npm run bench` (group `import`, see bench/run.ts, which runs this
// file as a process of its own, like `npm run import`): generates an extract of N rows
// (test/fixtures/import/big-extract.ts: ~2 guardians per pupil, siblings, accents, mobiles) in a
// child process, imports it into a fresh database and prints rows/s and the peak RSS of this
// process during the import. Also runnable alone:
//   npx tsx bench/import-extract.ts --rows 1000000   (DATABASE_URL / BENCH_DATABASE_URL, else PGlite)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ServiceContext, ServiceSettings } from '../services/context.js';
import { createPrisma } from '../services/db/index.js';
import { migrate } from '../services/db/migrate.js';
import { createMessageQueue } from '../services/delivery/queue.js';
import { importExtract, type ImportTimings } from '../services/import/extract.js';
import { createLogger } from '../services/logger.js';
import { writeBigExtract } from '../test/fixtures/import/big-extract.js';
import { backendCpu, benchDatabase, figure, skipped } from './lib.js';

const SETTINGS: ServiceSettings = {
  publicUrl: 'http://localhost:3978',
  secretKey: Buffer.alloc(32, 7),
  selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 30, windowMinutes: 60 } },
  mail: { from: 'bench@educonnect.example' },
  sms: {},
};

/**
 * Writes the extract from a child process (this file run with --write): the generator's garbage
 * (~40 MB of heap at 1,000,000 rows) is then not part of the memory this process measures.
 */
async function writeExtractApart(file: string, rows: number): Promise<void> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--write', file, '--rows', String(rows)], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the extract generator exited with ${code}`);
}

interface ImportBenchOptions {
  databaseUrl: string;
  rows: number;
  embedded: boolean;
}
interface ImportBenchResult {
  rowsPerSecond: number;
  peakRssMb: number;
  /** Less noisy than rows/s on a loaded machine: Node CPU seconds, seconds per phase. */
  details: Record<string, unknown>;
}

async function benchImportExtract(opts: ImportBenchOptions): Promise<ImportBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-import-'));
  const prisma = createPrisma(opts.databaseUrl, 4);
  const ctx: ServiceContext = {
    db: prisma,
    log: createLogger(process.env.LOG_LEVEL ?? 'warn'),
    now: () => new Date(),
    settings: SETTINGS,
    messages: createMessageQueue(SETTINGS),
  };
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const file = path.join(dir, 'extract.csv');
    await writeExtractApart(file, opts.rows);
    peak = process.memoryUsage.rss();
    const started = performance.now();
    const cpu = process.cpuUsage();
    let phases: ImportTimings | undefined;
    const report = await importExtract(ctx, file, { afterImport: async () => 0, onTimings: (t) => (phases = t) });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    // The fresh database's only users are this import's connections (still open).
    const backends = opts.embedded ? new Map<number, number>() : await backendCpu(opts.databaseUrl);
    const dbCpuMs = backends.size ? [...backends.values()].reduce((sum, ms) => sum + ms, 0) : undefined;
    peak = Math.max(peak, process.memoryUsage.rss());
    if (report.created !== opts.rows || report.rejected || report.held.length) {
      throw new Error(`unexpected import result: ${JSON.stringify({ created: report.created, rejected: report.rejected, held: report.held.length })}`);
    }
    const s = (ms: number): number => Math.round(ms / 100) / 10;
    return {
      rowsPerSecond: opts.rows / seconds,
      peakRssMb: peak / 1024 / 1024,
      details: {
        nodeCpuS: s((used.user + used.system) / 1000),
        // The database server's share (its processes on this machine): comparable under load, unlike the wall clock.
        ...(dbCpuMs === undefined ? {} : { dbCpuS: s(dbCpuMs) }),
        ...(phases ? { phasesS: { stage: s(phases.stage), decide: s(phases.decide), merge: s(phases.merge), report: s(phases.report) } } : {}),
      },
    };
  } finally {
    clearInterval(sampler);
    await prisma.$disconnect();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, write: { type: 'string' } } });
  if (values.write) {
    await writeBigExtract(values.write, Number(values.rows));
    return;
  }
  const db = await benchDatabase();
  try {
    await migrate({ connectionString: db.url });
    const rows = values.rows ? Number(values.rows) : db.embedded ? 100_000 : 1_000_000;
    const r = await benchImportExtract({ databaseUrl: db.url, rows, embedded: db.embedded });
    const size = rows.toLocaleString('en');
    const speed = `extract import speed, ${size} rows, fresh database`;
    const memory = `extract import peak RSS, ${size} rows`;
    const lines = db.embedded
      ? // The targets are a PostgreSQL server's: the embedded database runs in this process (its
        // memory is in the RSS) on one thread. Given for information.
        [
          skipped(speed, 'target measured on an external PostgreSQL (DATABASE_URL)'),
          { figure: `${speed} (embedded database in the bench process)`, rowsPerSecond: Math.round(r.rowsPerSecond), ...r.details },
          skipped(memory, 'target measured on an external PostgreSQL (DATABASE_URL)'),
          { figure: `${memory} (embedded database in the bench process)`, rssMb: Math.round(r.peakRssMb) },
        ]
      : [
          figure(speed, r.rowsPerSecond, 'rows/s', { op: '>=', value: 25_000 }, { database: 'PostgreSQL', ...r.details }),
          figure(memory, r.peakRssMb, 'MB', { op: '<=', value: 300 }, { database: 'PostgreSQL' }),
        ];
    for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
