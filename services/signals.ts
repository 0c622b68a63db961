// A small cross-instance signal bus ("something new for topic X"), so that an instance can
// wake the others at once: a web chat socket open on instance A is pushed when instance B
// stores an agent's message for it. Signals carry no data (readers go to the database).
//   - PostgreSQL: NOTIFY on channel `educonnect_signals`, LISTEN on a dedicated connection
//     that reconnects by itself (after a reconnection every subscriber gets the topic '*').
//   - Embedded PGlite (one session shared by every connection, so LISTEN/NOTIFY does not
//     reach a listening connection): rows in SignalEvent, polled.
//   - Local: in-process only (one process, e.g. tests that need no other instance).
// Every bus also echoes a published topic to this process's subscribers at once.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { connectionOptions, type DatabaseTimeouts, type PrismaClient } from './db/index.js';
import type { Logger } from './logger.js';
import { startPeriodic } from './periodic.js';

export const SIGNAL_CHANNEL = 'educonnect_signals';
/** Told to subscribers after a reconnection: anything may have been missed. */
export const ANY_TOPIC = '*';
const MAX_TOPIC_LENGTH = 500;
const POLL_MS = 250;
const KEEP_EVENTS_MS = 5 * 60_000;

export type SignalListener = (topic: string) => void;

export interface SignalBus {
  publish(topic: string): Promise<void>;
  /**
   * Set when signals are NOTIFYs on this channel: a statement that writes the data may send
   * its own (`pg_notify(channel, topic)`, no round trip of its own), then call echo().
   */
  readonly notifyChannel?: string;
  /** Wakes this process's subscribers only (the NOTIFY was sent by the writing statement). */
  echo(topic: string): void;
  /** Returns the function that stops listening. */
  subscribe(listener: SignalListener): () => void;
  close(): Promise<void>;
}

class LocalFanout {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  emit(topic: string): void {
    this.emitter.emit('signal', topic);
  }
  subscribe(listener: SignalListener): () => void {
    this.emitter.on('signal', listener);
    return () => this.emitter.off('signal', listener);
  }
}

/** In-process only. */
export function localSignalBus(): SignalBus {
  const fanout = new LocalFanout();
  return {
    publish: async (topic) => fanout.emit(topic),
    echo: (topic) => fanout.emit(topic),
    subscribe: (l) => fanout.subscribe(l),
    close: async () => undefined,
  };
}

export interface SignalBusOptions {
  db: PrismaClient;
  log: Logger;
  /** The database's connection string (LISTEN needs its own connection). */
  connectionString: string;
  /** Connect timeout and keepalive of the LISTEN connection (default: services/db's). */
  timeouts?: DatabaseTimeouts;
  /** Embedded PGlite: poll the SignalEvent table instead of LISTEN/NOTIFY. */
  embedded: boolean;
}

export function createSignalBus(options: SignalBusOptions): SignalBus {
  return options.embedded ? pollingBus(options) : listeningBus(options);
}

function listeningBus({ db, log, connectionString, timeouts }: SignalBusOptions): SignalBus {
  const fanout = new LocalFanout();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 200;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (reconnecting: boolean): Promise<void> => {
    if (closed) return;
    const c = new pg.Client(connectionOptions(connectionString, timeouts));
    c.on('notification', (n) => {
      if (n.channel === SIGNAL_CHANNEL && n.payload) fanout.emit(n.payload);
    });
    const lost = (err?: Error): void => {
      if (client !== c) return;
      client = undefined;
      if (closed) return;
      log.warn({ err }, 'signal bus: connection lost, reconnecting');
      void c.end().catch(() => undefined);
      timer = setTimeout(() => void connect(true), retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${SIGNAL_CHANNEL}`);
      retryMs = 200;
      if (reconnecting) fanout.emit(ANY_TOPIC);
    } catch (err) {
      lost(err instanceof Error ? err : new Error(String(err)));
    }
  };
  void connect(false);

  return {
    async publish(topic) {
      fanout.emit(topic);
      await db.$executeRaw`SELECT pg_notify(${SIGNAL_CHANNEL}, ${topic.slice(0, MAX_TOPIC_LENGTH)})`;
    },
    notifyChannel: SIGNAL_CHANNEL,
    echo: (topic) => fanout.emit(topic),
    subscribe: (l) => fanout.subscribe(l),
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}

function pollingBus({ db, log }: SignalBusOptions): SignalBus {
  const fanout = new LocalFanout();
  let last: bigint | undefined;
  let lastCleanup = 0;
  const poller = startPeriodic({ name: 'signal bus poll', intervalMs: POLL_MS, log, immediate: true }, async () => {
    if (last === undefined) {
      const max = await db.signalEvent.aggregate({ _max: { id: true } });
      last = max._max.id ?? 0n;
    }
    const rows = await db.signalEvent.findMany({ where: { id: { gt: last } }, orderBy: { id: 'asc' }, take: 500 });
    for (const row of rows) {
      last = row.id;
      fanout.emit(row.topic);
    }
    if (Date.now() - lastCleanup > 60_000) {
      lastCleanup = Date.now();
      await db.signalEvent.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - KEEP_EVENTS_MS) } } });
    }
  });
  return {
    async publish(topic) {
      fanout.emit(topic);
      await db.signalEvent.create({ data: { topic: topic.slice(0, MAX_TOPIC_LENGTH) } });
    },
    echo: (topic) => fanout.emit(topic),
    subscribe: (l) => fanout.subscribe(l),
    close: () => poller.stop(),
  };
}
