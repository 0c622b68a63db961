// `npm run bench`: the performance figures of the project, measured on real parts, one JSON
// line per figure with its target and whether it holds (exit code 1 when one misses).
//   delivery  1,000-page notification PDF (<= 3 s), 1,000 mails to a local SMTP server (<= 5 s)
//   stats     national / academy statistics computed fresh (<= 1 s), one school's (<= 20 ms)
//   chat      chat turn p95 bot / echo bot (<= 1.5x), web chat 250 x 5 turns (p95 <= 1 s,
//             no error), bot RSS after 1,000 conversations (<= 300 MB, external PostgreSQL)
//   import    extract import speed and peak memory (bench/import-extract.ts, in a child process)
// Database: a fresh database on the PostgreSQL of BENCH_DATABASE_URL / DATABASE_URL (dropped at
// the end), else an in-memory PGlite with smaller default sizes.
// Options: --accounts N (default 1,000,000 on PostgreSQL, 50,000 embedded), --only a,b
// (groups above), --conversations N (50), --web N (250), --rss-after N (1,000),
// --import-rows N (1,000,000 on PostgreSQL, 100,000 embedded), --bot-processes N (the bot's
// BOT_PROCESSES, 1).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ServiceContext, ServiceSettings } from '../services/context.js';
import { createPrisma, DEFAULT_TIMEOUTS } from '../services/db/index.js';
import { migrate } from '../services/db/migrate.js';
import { createMessageQueue } from '../services/delivery/queue.js';
import { createLogger } from '../services/logger.js';
import { chatFigures } from './chat.js';
import { generateAccounts } from './data.js';
import { deliveryFigures } from './delivery.js';
import { benchDatabase } from './lib.js';
import { statsFigures } from './stats.js';

const GROUPS = ['delivery', 'stats', 'chat', 'import'] as const;
type Group = (typeof GROUPS)[number];

let missed = 0;
function print(line: Record<string, unknown>): void {
  if (line.ok === false) missed++;
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * The extract import runs as a process of its own (`npm run import`), and so does its figure:
 * bench/import-extract.ts in a child process, on a fresh database of its own, its lines
 * forwarded. Its peak RSS is then the import's, not that of what this process measured before.
 */
async function importFigures(rows: number): Promise<void> {
  const file = fileURLToPath(import.meta.url).replace(/run\.(ts|js)$/, 'import-extract.$1');
  const child = spawn(process.execPath, [...process.execArgv, file, '--rows', String(rows)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  // Its figures go through print (a missed target counts); anything else it writes (a log line) as it is.
  for await (const line of createInterface({ input: child.stdout })) {
    const parsed: unknown = line.startsWith('{"figure":') ? JSON.parse(line) : undefined;
    if (parsed && typeof parsed === 'object') print(parsed as Record<string, unknown>);
    else if (line.trim()) process.stdout.write(`${line}\n`);
  }
  const [code] = await exited;
  if (code !== 0) throw new Error(`bench/import-extract exited with ${code}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string' },
      only: { type: 'string' },
      conversations: { type: 'string', default: '50' },
      web: { type: 'string', default: '250' },
      'rss-after': { type: 'string', default: '1000' },
      'import-rows': { type: 'string' },
      'pool-size': { type: 'string' },
      'bot-processes': { type: 'string', default: '1' },
    },
  });
  const only = new Set<Group>((values.only?.split(',') ?? GROUPS).filter((g): g is Group => (GROUPS as readonly string[]).includes(g)));
  const db = await benchDatabase();
  const accounts = Number(values.accounts ?? (db.embedded ? 50_000 : 1_000_000));
  const int = (raw: string | undefined): number | undefined => (raw === undefined ? undefined : Number.parseInt(raw, 10));
  const log = createLogger('warn');
  await migrate({ connectionString: db.url });
  const prisma = createPrisma(db.url, Math.min(8, db.maxConnections));
  const settings: ServiceSettings = {
    publicUrl: 'http://localhost:3978',
    secretKey: Buffer.alloc(32, 7),
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 30, windowMinutes: 60 } },
    mail: { from: 'ne-pas-repondre@educonnect.example' },
    sms: {},
  };
  const ctx: ServiceContext = { db: prisma, log, now: () => new Date(), settings, messages: createMessageQueue(settings) };
  print({ bench: 'start', database: db.embedded ? 'embedded PGlite' : 'PostgreSQL', accounts, groups: [...only] });
  try {
    if (only.has('delivery')) for (const f of await deliveryFigures(db.url)) print(f);
    if (only.has('stats') || only.has('chat')) {
      const t0 = performance.now();
      // Generation statements insert 50,000 accounts each: a client of its own with a long
      // statement timeout (also for the simulated account changes); the figures use the
      // application's timeouts.
      const loader = createPrisma(db.url, 2, undefined, { ...DEFAULT_TIMEOUTS, statementMs: 30 * 60_000 });
      try {
        const data = await generateAccounts(loader, accounts);
        const seconds = (performance.now() - t0) / 1000;
        print({
          bench: 'data generated',
          accounts,
          schools: data.schools,
          seconds: Math.round(seconds * 10) / 10,
          rowsPerSecond: Math.round((accounts * 3.5) / seconds),
        });
        if (only.has('stats')) for (const f of await statsFigures(ctx, data, loader)) print(f);
      } finally {
        await loader.$disconnect();
      }
    }
    if (only.has('chat')) {
      const opts = {
        db,
        conversations: int(values.conversations) ?? 50,
        webConversations: int(values.web) ?? 250,
        rssAfter: int(values['rss-after']) ?? 1000,
        poolSize: int(values['pool-size']),
        botProcesses: int(values['bot-processes']) ?? 1,
      };
      for (const f of await chatFigures(opts)) print(f);
    }
    if (only.has('import')) await importFigures(int(values['import-rows']) ?? (db.embedded ? 100_000 : 1_000_000));
  } finally {
    await prisma.$disconnect();
    await db.close();
  }
  return missed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
