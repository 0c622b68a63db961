// One statement on the pg pool under a Prisma client (services/db createPrisma), for hot
// paths: a small statement costs several times less CPU through pg than through Prisma's
// query path (its request pipeline and, for model queries, its query compiler), profiled on
// the web chat's requests. A client without a pool of its own (one on another schema) runs
// the same text and values through $queryRawUnsafe.
import { rawPool, type PrismaClient } from './index.js';

/**
 * Rows of `text` (placeholders $1, $2…) as pg returns them: json and jsonb parsed, int4 as
 * numbers, timestamptz as Dates. Return timestamps as timestamptz (`"at" AT TIME ZONE 'UTC'`):
 * pg would read a plain timestamp in the process's time zone.
 */
export async function rawQuery<T>(db: PrismaClient, text: string, values: readonly unknown[] = []): Promise<T[]> {
  const pool = rawPool(db);
  if (!pool) return db.$queryRawUnsafe<T[]>(text, ...values);
  const result = await pool.query(text, [...values]);
  return result.rows as T[];
}
