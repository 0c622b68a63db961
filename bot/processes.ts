// Several Node processes of one instance on one port (BOT_PROCESSES, node:cluster): one
// process runs a bot turn on one core at a time, so on a machine with more cores the instance
// starts this many copies of itself, which share the listening socket (the primary process
// hands each new connection to the next one in turn). Nothing is shared between them in
// memory: bot state, the web chat's store, limits, locks and job leases are in the database,
// as for several instances (README, "Several instances").
//
// The primary process only supervises: it starts the processes, passes SIGTERM/SIGINT on to
// them and ends when they have all stopped (exit 0). A process that stops by itself (a crash,
// a failed start) stops the others and the primary with exit code 1, as a single process
// would end: the service manager restarts the instance.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../services/logger.js';

/** Time the processes have to finish their turns once told to stop, before they are killed. */
const STOP_GRACE_MS = 30_000;

/** Whether this process serves the port (a worker, or the only process). */
export const servesPort = (processes: number): boolean => processes <= 1 || !cluster.isPrimary;

/**
 * Whether this process runs the background workers (outbox, clean-up, statistics, handoff and
 * case workers): the only process, or the first of several (each is safe on several
 * instances, but one poller per instance is enough).
 */
export const runsBackgroundWorkers = (processes: number): boolean => processes <= 1 || cluster.worker?.id === 1;

/** In the primary process: starts `count` processes of this same entry point and supervises them. */
export function superviseProcesses(count: number, log: Logger): void {
  let stopping = false;
  let code = 0;
  const live = new Set<Worker>();
  const stopAll = (signal: NodeJS.Signals): void => {
    for (const worker of live) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of live) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  for (let i = 0; i < count; i++) live.add(cluster.fork());
  cluster.on('exit', (worker, exitCode, signal) => {
    live.delete(worker);
    if (!stopping) {
      log.error({ pid: worker.process.pid, exitCode, signal }, 'a bot process stopped by itself: stopping the instance');
      stopping = true;
      code = 1;
      stopAll('SIGTERM');
    }
    if (live.size === 0) process.exit(code);
  });
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, processes: live.size }, 'shutting down the bot processes');
    stopAll(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log.info({ processes: count }, 'bot processes started');
}
