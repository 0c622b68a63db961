// Demo data: on an empty database, the demo extract and staff directory in prisma/demo/ are
// loaded through the same importer as real files.
import type { ServiceContext } from '../context.js';

/** Loads the demo set when the database has no school yet. Returns true when it loaded. */
export async function loadDemoDataIfEmpty(ctx: ServiceContext): Promise<boolean> {
  const schools = await ctx.db.school.count();
  if (schools > 0) return false;
  ctx.log.warn('demo data loading is not implemented yet');
  return false;
}
