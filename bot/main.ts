// Entry point of `npm start`: configuration, database (migrations), services, demo data,
// then the server. SIGTERM/SIGINT: stop accepting, finish the turns under way, close the
// database, exit 0. With BOT_PROCESSES > 1 this process starts that many copies of itself on
// the same port and supervises them (bot/processes.ts).
import { hostname } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { loadConfig, ConfigError, type AppConfig } from './config.js';
import { createLogger, type Logger } from '../services/logger.js';
import { createReplicaPrisma, openDatabase } from '../services/db/index.js';
import { loadDemoDataIfEmpty } from '../services/import/demo.js';
import type { ServiceContext } from '../services/context.js';
import { createApp, type RouteRegistrar } from './server.js';
import { createServiceContext } from './context.js';
import { startScheduler } from '../services/jobs.js';
import { startMaintenance } from '../services/maintenance.js';
import { startStatsRefresher } from '../services/stats.js';
import { createRecognizer } from './recognizer/recognizer.js';
import { RootDialog } from '../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../dialogs/parent/index.js';
import { registerStaffDialogs } from '../dialogs/staff/index.js';
import type { DialogDeps } from '../dialogs/types.js';
import { registerSelfServiceRoutes } from '../web/selfservice-routes.js';
import { registerFileRoutes } from '../web/files-routes.js';
import { startOutboxWorker } from '../services/delivery/outbox.js';
import { startFileCleanup } from '../services/delivery/files.js';
import { startCaseWorker } from './case-worker.js';
import { createSignalBus } from '../services/signals.js';
import { registerTabRoutes } from '../web/tab/routes.js';
import { registerDevOutbox } from '../web/dev/outbox.js';
import { runsBackgroundWorkers, servesPort, superviseProcesses } from './processes.js';

/**
 * How far V8 lets the old generation grow past what survived its last full collection before
 * collecting again, in percent. Left to itself on a machine with gigabytes of memory, V8 grows it
 * to up to 4x the live heap (measured: ~75 MB live, full collections at 215-400 MB), so the
 * resident memory of a busy instance was mostly garbage not yet collected. 50 % keeps it at
 * ~1.5x: a full collection costs the same (it marks what is live, not the garbage) but comes
 * more often, a few percent of the CPU the turns use (README, "Performance"). Set here, before
 * the first request, so that every way of starting the bot (npm start, the bench, a container
 * running dist/bot/main.js) has it; V8 reads the flag at each full collection.
 */
const HEAP_GROWING_PERCENT = 50;

/** Routes of the other parts of the project, added after the bot's own. */
const routes: RouteRegistrar[] = [registerSelfServiceRoutes, registerFileRoutes, registerTabRoutes, registerDevOutbox];

async function rootDialog(ctx: ServiceContext): Promise<RootDialog> {
  const deps: DialogDeps = { ctx, recognizer: await createRecognizer() };
  return registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps);
}

async function main(): Promise<void> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log: Logger = createLogger(config.logLevel);
  // BOT_PROCESSES > 1: this process only starts and supervises the ones that serve the port.
  if (!servesPort(config.processes)) {
    superviseProcesses(config.processes, log);
    return;
  }
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    log,
    poolSize: config.databasePoolSize,
    timeouts: config.databaseTimeouts,
  });
  // The statistics' replica-safe reads (services/read-replica.ts); nothing is opened until one runs.
  const replica = config.databaseReplica && createReplicaPrisma(config.databaseReplica.url, config.databaseReplica.poolSize, config.databaseTimeouts);
  const ctx = createServiceContext(config, database.prisma, log, replica);
  if (config.loadDemoData) await loadDemoDataIfEmpty(ctx);

  // Cross-instance signals (LISTEN/NOTIFY; a short poll on the embedded database).
  const signals = createSignalBus({
    db: database.prisma,
    log,
    connectionString: database.url,
    embedded: database.embedded,
    timeouts: config.databaseTimeouts,
  });
  const app = createApp({ config, ctx, routes, rootDialog: await rootDialog(ctx), signals });
  const port = await app.listen();
  log.info({ port, publicUrl: config.publicUrl, env: config.env, embeddedDatabase: database.embedded }, 'EduConnect assistant listening');
  // Background workers: in the first process only when there are several (BOT_PROCESSES).
  const workers = config.workers && runsBackgroundWorkers(config.processes);
  // Delivery: the outbox worker sends emails/SMS (safe with several instances); expired files are deleted.
  const outbox = workers ? startOutboxWorker(ctx) : undefined;
  const fileCleanup = workers ? startFileCleanup(ctx) : undefined;
  // Nightly statistics: a lease in the database makes one instance run them.
  const maintenance = workers ? startMaintenance(ctx) : undefined;
  const statsRefresher = workers ? startStatsRefresher(ctx) : undefined;
  // The human handoff: retries of relayed messages, time-outs, parents who left.
  const handoffWorker = workers ? app.handoff.startWorker() : undefined;
  const scheduler = workers ? startScheduler(ctx, { hour: config.statsNightlyHour, instanceId: `${hostname()}:${process.pid}` }) : undefined;
  // Cases: directors' cards when parents' requests open, parents told in their chat when a case moves.
  const caseWorker = workers ? startCaseWorker({ ctx, proactive: app.proactive }) : undefined;

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, turnsUnderWay: app.tracker.size }, 'shutting down');
    app
      .close()
      // Every worker stops after its round in flight, before the database closes.
      .then(() => Promise.all([fileCleanup, scheduler, maintenance, statsRefresher, caseWorker, handoffWorker, outbox].flatMap((w) => (w ? [w.stop()] : []))))
      .then(() => signals.close())
      .then(() => replica?.$disconnect())
      .then(() => database.close())
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`The assistant could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
