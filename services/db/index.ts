// Opening the database: DATABASE_URL -> that PostgreSQL; none -> the embedded PGlite under
// the data directory. Same driver and same code path afterwards.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/client.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { migrate, type MigrateResult } from './migrate.js';
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
  /** Use a schema other than public (tests). */
  schema?: string;
}

const rawPools = new WeakMap<PrismaClient, pg.Pool>();

export function createPrisma(url: string, poolSize = 4, schema?: string): PrismaClient {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const adapter = new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
  const prisma = new PrismaClient({ adapter });
  if (!schema) rawPools.set(prisma, pool);
  return prisma;
}

/**
 * The pg pool under a client made by createPrisma (public schema only), for bulk statements
 * whose large array parameters cost several times more through Prisma (the extract import).
 */
export function rawPool(prisma: PrismaClient): pg.Pool | undefined {
  return rawPools.get(prisma);
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const poolSize = opts.poolSize ?? 4;
  let embedded: EmbeddedServer | undefined;
  let url = opts.databaseUrl;
  if (!url) {
    const dir = path.resolve(opts.dataDir);
    opts.log.info({ dir }, 'starting the embedded database (PGlite)');
    embedded = await startEmbedded(dir, poolSize);
    url = embedded.url;
  }
  try {
    const migrations = await migrate({ connectionString: url, schema: opts.schema });
    if (migrations.applied.length) opts.log.info({ applied: migrations.applied }, 'migrations applied');
    const prisma = createPrisma(url, poolSize, opts.schema);
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
