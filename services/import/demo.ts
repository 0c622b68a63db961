// Demo data: on an empty database, the demo extract and staff directory in prisma/demo/
// (see prisma/demo/README.md: who is who) are loaded through the same importers as real files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceContext } from '../context.js';
import { rawPool } from '../db/index.js';
import { importExtract } from './extract.js';
import { importStaff } from './staff.js';

/** The password of the demo accounts created "activating" or "activated" (documented in prisma/demo/README.md). */
export const DEMO_PASSWORD = 'Demo-EduConnect-2026';

/** prisma/demo from the source tree (tsx, vitest) or from dist/. */
export function demoDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../prisma/demo'), path.resolve(here, '../../../prisma/demo'), path.resolve(process.cwd(), 'prisma/demo')];
  const found = candidates.find((c) => existsSync(path.join(c, 'extract.csv')));
  if (!found) throw new Error(`demo data not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Advisory lock key of the demo load (the migrations use another). */
const DEMO_LOCK_KEY = 72_460_311;
const LOCK_POLL_MS = 200;

async function loadIfEmpty(ctx: ServiceContext): Promise<boolean> {
  const schools = await ctx.db.school.count();
  if (schools > 0) return false;
  const dir = demoDirectory();
  const actor = { kind: 'system', job: 'demo' } as const;
  const staff = await importStaff(ctx, path.join(dir, 'staff.csv'), { actor });
  const extract = await importExtract(ctx, path.join(dir, 'extract.csv'), { actor, knownPassword: DEMO_PASSWORD });
  ctx.log.info({ staff: staff.created, links: extract.created, rejected: extract.rejected + staff.rejected }, 'demo data loaded');
  return true;
}

/**
 * Loads the demo set when the database has no school yet. Returns true when it loaded.
 * Instances started together on an empty database take turns: a session advisory lock, held
 * on one connection of the pool for the whole load (the importers run several transactions),
 * is waited for by polling pg_try_advisory_lock (no statement waits past its timeout); the
 * next instance then finds the schools and loads nothing.
 */
export async function loadDemoDataIfEmpty(ctx: ServiceContext): Promise<boolean> {
  const pool = rawPool(ctx.db);
  if (!pool) return loadIfEmpty(ctx);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    for (;;) {
      const rows = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [DEMO_LOCK_KEY]);
      if (rows.rows[0]?.locked) break;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      return await loadIfEmpty(ctx);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [DEMO_LOCK_KEY]);
    }
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}
