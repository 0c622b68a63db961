// The one periodic worker: every background loop (outbox, file cleanup, purge, statistics,
// scheduler, cases, handoff relay, signal poll) runs its rounds through it. Rounds never overlap
// (a tick while one runs is skipped), a failed round is logged and the next one comes as usual,
// and stop() waits for the round in flight, so that the database is closed after it.
import type { Logger } from './logger.js';

export interface PeriodicOptions {
  /** Names the worker in the logs. */
  name: string;
  intervalMs: number;
  log: Logger;
  /** Runs a first round at once (default: after the first interval). */
  immediate?: boolean;
}

export interface Periodic {
  /** Runs a round now, or as soon as the one in flight ends (a wake-up never gets lost). */
  wake(): void;
  /** No more rounds; resolves when the round in flight (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `round` every `intervalMs`. A round that resolves to true has more to do: the next one
 * starts at once. Timers do not keep the process alive.
 */
export function startPeriodic(options: PeriodicOptions, round: () => Promise<unknown>): Periodic {
  let stopped = false;
  let woken = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;

  const arm = (ms: number): void => {
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const finished = (again: boolean): void => {
    inFlight = undefined;
    if (!stopped) arm(again || woken ? 0 : options.intervalMs);
  };
  const run = (): void => {
    timer = undefined;
    if (stopped || inFlight) return;
    woken = false;
    inFlight = round().then(
      (result) => finished(result === true),
      (err: unknown) => {
        options.log.error({ err, worker: options.name }, 'periodic round failed');
        finished(false);
      },
    );
  };

  if (options.immediate) run();
  else arm(options.intervalMs);
  return {
    wake() {
      if (stopped) return;
      if (inFlight) {
        woken = true;
        return;
      }
      if (timer) clearTimeout(timer);
      run();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
