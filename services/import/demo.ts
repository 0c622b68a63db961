// Demo data: on an empty database, the demo extract and staff directory in prisma/demo/
// (see prisma/demo/README.md: who is who) are loaded through the same importers as real files.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceContext } from '../context.js';
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

/** Loads the demo set when the database has no school yet. Returns true when it loaded. */
export async function loadDemoDataIfEmpty(ctx: ServiceContext): Promise<boolean> {
  const schools = await ctx.db.school.count();
  if (schools > 0) return false;
  const dir = demoDirectory();
  const actor = { kind: 'system', job: 'demo' } as const;
  const staff = await importStaff(ctx, path.join(dir, 'staff.csv'), { actor });
  const extract = await importExtract(ctx, path.join(dir, 'extract.csv'), { actor, knownPassword: DEMO_PASSWORD });
  ctx.log.info({ staff: staff.created, links: extract.created, rejected: extract.rejected + staff.rejected }, 'demo data loaded');
  return true;
}
