// Test access to the run's shared database (see test/global-setup.ts).
import { inject } from 'vitest';
import { createPrisma, PIPELINES_WITH_SERVER, type DatabaseTimeouts, type PrismaClient } from '../../services/db/index.js';

export const databaseUrl = (): string => inject('databaseUrl');
export const isEmbedded = (): boolean => inject('embedded');

/**
 * A Prisma client on the shared test database, as the bot opens it: on PostgreSQL, rawQuery's
 * statements go through statement pipelines (services/db/pipelines.ts), in addition to the
 * pool's `poolSize` connections. Disconnect it in afterAll.
 */
export function testPrisma(poolSize = 4, timeouts?: DatabaseTimeouts, url = databaseUrl()): PrismaClient {
  const pipelines = isEmbedded() ? 0 : PIPELINES_WITH_SERVER;
  return createPrisma(url, poolSize + pipelines, undefined, timeouts, { pipelines });
}

/** Empty every application table (keeps the migration history). */
export async function resetDatabase(prisma: PrismaClient): Promise<void> {
  const rows = await prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (rows.length === 0) return;
  const list = rows.map((r) => `"public"."${r.tablename}"`).join(', ');
  await prisma.$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
}
