// Every line logged while a request or a turn is handled carries its ids (withLogBindings, as
// bot.run and the server do), through awaits and in any logger; nested scopes add theirs.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, withLogBindings } from '../../services/logger.js';

function capture(): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger('info', sink), lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('log bindings of a request or a turn', () => {
  it('are on every line logged inside the scope, across awaits and timers, and on none outside', async () => {
    const { log, lines } = capture();
    await withLogBindings({ requestId: 'r-1' }, async () => {
      log.info('start');
      await new Promise<void>((resolve) => setImmediate(resolve));
      await withLogBindings({ conversationId: 'c-9' }, async () => {
        await Promise.resolve();
        log.child({ worker: 'x' }).warn('inside the turn');
      });
      log.info('after the turn');
    });
    log.info('outside');
    expect(lines().map(({ msg, requestId, conversationId, worker }) => ({ msg, requestId, conversationId, worker }))).toEqual([
      { msg: 'start', requestId: 'r-1', conversationId: undefined, worker: undefined },
      { msg: 'inside the turn', requestId: 'r-1', conversationId: 'c-9', worker: 'x' },
      { msg: 'after the turn', requestId: 'r-1', conversationId: undefined, worker: undefined },
      { msg: 'outside', requestId: undefined, conversationId: undefined, worker: undefined },
    ]);
  });

  it('keep two scopes running at once apart', async () => {
    const { log, lines } = capture();
    const turn = (id: string) =>
      withLogBindings({ conversationId: id }, async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        log.info(`turn ${id}`);
      });
    await Promise.all([turn('a'), turn('b')]);
    expect(
      lines()
        .map((l) => [l.msg, l.conversationId])
        .sort(),
    ).toEqual([
      ['turn a', 'a'],
      ['turn b', 'b'],
    ]);
  });
});
