// Opening the database: DATABASE_URL -> that PostgreSQL; none -> the embedded PGlite under
// the data directory. Same driver and same code path afterwards.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/client.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { migrate, type MigrateResult } from './migrate.js';
import { StatementPipelines } from './pipelines.js';
import type { Logger } from '../logger.js';

export { PrismaClient };
export type { Prisma } from '../../prisma/generated/client.js';
export * from '../../prisma/generated/enums.js';

export type Db = PrismaClient;
/** The client type usable inside `db.$transaction(async (tx) => …)`. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface Database {
  prisma: PrismaClient;
  url: string;
  embedded: boolean;
  migrations: MigrateResult;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  log: Logger;
  poolSize?: number;
  /** Pool connections that pipeline the hot path's statements instead (PIPELINES_WITH_SERVER when not given; none on PGlite). */
  pipelines?: number;
  timeouts?: DatabaseTimeouts;
  /** Use a schema other than public (tests). */
  schema?: string;
}

/** Connections of the pool given to statement pipelines (services/db/pipelines.ts) on a PostgreSQL server. */
export const PIPELINES_WITH_SERVER = 3;

export interface PrismaOptions {
  /** Every transaction read-only (a replica). */
  readOnly?: boolean;
  /**
   * Of the `poolSize` connections, this many pipeline the statements of rawQuery
   * (services/db/pipelines.ts; at least one connection stays in the pool). 0: all in the pool.
   */
  pipelines?: number;
}

/** Timeouts of every connection to the database (DATABASE_*_TIMEOUT_MS, bot/config.ts). */
export interface DatabaseTimeouts {
  /** Opening a connection, or waiting for a free one in the pool. */
  connectMs: number;
  /** One statement, enforced by the server (statement_timeout). */
  statementMs: number;
  /** A transaction left open with no statement running (idle_in_transaction_session_timeout). */
  idleInTransactionMs: number;
}

export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectMs: 5000, statementMs: 15_000, idleInTransactionMs: 60_000 };

/**
 * The client gives up on an answer this long after the server's own statement timeout should
 * have answered: the server or the network is gone, not the statement slow.
 */
export const QUERY_TIMEOUT_MARGIN_MS = 1000;
/** TCP keepalive: idle time before the first probe (dead peers behind a silent network). */
const KEEPALIVE_DELAY_MS = 10_000;

/**
 * Connection settings shared by the pool and the dedicated connections (signals). The embedded
 * PGlite has no statement timeout (it runs statements synchronously, with no timers); its
 * server enforces the idle-in-transaction timeout (services/db/pglite-server.ts). The
 * client-side settings (connect, query read, keepalive) apply to both.
 */
export function connectionOptions(url: string, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    query_timeout: timeouts.statementMs + QUERY_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  };
}

const rawPools = new WeakMap<PrismaClient, pg.Pool>();
const rawPipelines = new WeakMap<PrismaClient, StatementPipelines>();

/** A pg pool that also closes the statement pipelines taken from its size. */
class PipelinedPool extends pg.Pool {
  constructor(
    config: pg.PoolConfig,
    readonly pipelines: StatementPipelines,
  ) {
    super(config);
  }

  override end(): Promise<void>;
  override end(callback: () => void): void;
  override end(callback?: () => void): Promise<void> | void {
    void this.pipelines.end();
    return callback ? super.end(callback) : super.end();
  }
}

export function createPrisma(
  url: string,
  poolSize = 4,
  schema?: string,
  timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS,
  options: PrismaOptions = {},
): PrismaClient {
  const connection = { ...connectionOptions(url, timeouts), ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}) };
  const pipelines = schema ? 0 : Math.max(0, Math.min(options.pipelines ?? 0, poolSize - 1));
  const config = { ...connection, max: poolSize - pipelines };
  const pool = pipelines > 0 ? new PipelinedPool(config, new StatementPipelines(connection, pipelines)) : new pg.Pool(config);
  // A connection handed back inside a transaction is out of step (a read timeout left its
  // statement unanswered, and the adapter releases transactions without the error): close it
  // rather than lend it again, so that the pool recovers by itself once the database answers.
  pool.on('release', (err, client) => {
    const failed = err as Error | undefined; // undefined on a normal release, whatever the typings say
    const status = client.getTransactionStatus();
    if (!failed && (status === 'T' || status === 'E')) void client.end().catch(() => undefined);
  });
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
  const prisma = new PrismaClient({ adapter });
  if (!schema) rawPools.set(prisma, pool);
  if (pool instanceof PipelinedPool) rawPipelines.set(prisma, pool.pipelines);
  return prisma;
}

/**
 * The client on the read replica (DATABASE_REPLICA_URL; ServiceContext.readDb): the primary's
 * timeouts, and every transaction read-only, so that a write sent there by mistake fails on
 * any server (a standby refuses writes anyway).
 */
export function createReplicaPrisma(url: string, poolSize: number, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS): PrismaClient {
  return createPrisma(url, poolSize, undefined, timeouts, { readOnly: true });
}

/**
 * The pg pool under a client made by createPrisma (public schema only), for bulk statements
 * whose large array parameters cost several times more through Prisma (the extract import).
 */
export function rawPool(prisma: PrismaClient): pg.Pool | undefined {
  return rawPools.get(prisma);
}

/** The statement pipelines of a client made by createPrisma with `pipelines` (services/db/raw-query.ts). */
export function statementPipelines(prisma: PrismaClient): StatementPipelines | undefined {
  return rawPipelines.get(prisma);
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const poolSize = opts.poolSize ?? 4;
  let embedded: EmbeddedServer | undefined;
  let url = opts.databaseUrl;
  if (!url) {
    const dir = path.resolve(opts.dataDir);
    opts.log.info({ dir }, 'starting the embedded database (PGlite)');
    embedded = await startEmbedded(dir, (opts.timeouts ?? DEFAULT_TIMEOUTS).idleInTransactionMs);
    url = embedded.url;
  }
  try {
    const migrations = await migrate({ connectionString: url, schema: opts.schema });
    if (migrations.applied.length) opts.log.info({ applied: migrations.applied }, 'migrations applied');
    const pipelines = embedded ? 0 : (opts.pipelines ?? PIPELINES_WITH_SERVER);
    const prisma = createPrisma(url, poolSize, opts.schema, opts.timeouts, { pipelines });
    return {
      prisma,
      url,
      embedded: embedded !== undefined,
      migrations,
      async close() {
        await prisma.$disconnect();
        await embedded?.close();
      },
    };
  } catch (err) {
    await embedded?.close();
    throw err;
  }
}
