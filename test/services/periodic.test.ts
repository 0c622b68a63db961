// The periodic worker every background loop runs on: no overlapping rounds, failures logged
// and survived, wake-ups not lost, stop() waiting for the round in flight.
import { describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { startPeriodic } from '../../services/periodic.js';

const HOUR = 3_600_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function recordingLog(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => out.push(line) });
  return { log, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('startPeriodic', () => {
  it('never runs two rounds at once; a wake-up during a round runs one more round after it', async () => {
    const { log } = recordingLog();
    let running = 0;
    let maxRunning = 0;
    let rounds = 0;
    let gate = deferred();
    const worker = startPeriodic({ name: 'test', intervalMs: HOUR, log, immediate: true }, async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      rounds++;
      await gate.promise;
      running--;
    });
    await vi.waitFor(() => expect(rounds).toBe(1));
    worker.wake();
    worker.wake();
    expect(rounds).toBe(1);
    const first = gate;
    gate = deferred();
    first.resolve();
    await vi.waitFor(() => expect(rounds).toBe(2));
    gate.resolve();
    await worker.stop();
    expect(rounds).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('stop() resolves only once the round in flight has ended, and no round starts after it', async () => {
    const { log } = recordingLog();
    const gate = deferred();
    let ended = false;
    let rounds = 0;
    const worker = startPeriodic({ name: 'test', intervalMs: HOUR, log, immediate: true }, async () => {
      rounds++;
      await gate.promise;
      ended = true;
    });
    await vi.waitFor(() => expect(rounds).toBe(1));
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(ended).toBe(true);
    worker.wake();
    expect(rounds).toBe(1);
  });

  it('logs a failed round with the worker name and goes on with the next one', async () => {
    const { log, lines } = recordingLog();
    let rounds = 0;
    const worker = startPeriodic({ name: 'flaky', intervalMs: HOUR, log, immediate: true }, async () => {
      rounds++;
      if (rounds === 1) throw new Error('database away');
    });
    await vi.waitFor(() => expect(lines()).toHaveLength(1));
    expect(lines()[0]).toMatchObject({ level: 50, worker: 'flaky', msg: 'periodic round failed', err: { message: 'database away' } });
    worker.wake();
    await vi.waitFor(() => expect(rounds).toBe(2));
    await worker.stop();
    expect(lines()).toHaveLength(1);
  });

  it('a round that says it has more to do is followed at once by another', async () => {
    const { log } = recordingLog();
    let rounds = 0;
    const worker = startPeriodic({ name: 'test', intervalMs: HOUR, log, immediate: true }, async () => {
      rounds++;
      return rounds < 3;
    });
    await vi.waitFor(() => expect(rounds).toBe(3));
    await worker.stop();
    expect(rounds).toBe(3);
  });

  it('without `immediate`, waits for the interval before the first round', async () => {
    const { log } = recordingLog();
    let rounds = 0;
    const worker = startPeriodic({ name: 'test', intervalMs: HOUR, log }, async () => {
      rounds++;
    });
    await Promise.resolve();
    expect(rounds).toBe(0);
    worker.wake();
    await vi.waitFor(() => expect(rounds).toBe(1));
    await worker.stop();
  });
});
