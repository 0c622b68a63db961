// Staff directory lookups: who is speaking in Teams (or, outside production, in the web chat
// with ?as=). The directory is the Staff table, loaded by the staff importer.
import type { ServiceContext } from './context.js';
import type { StaffActor } from './actor.js';
import { StaffRole } from './db/index.js';
import { preparedStatement, rawQuery } from './db/raw-query.js';

export interface SchoolSummary {
  uai: string;
  name: string;
}

const FIND_STAFF = preparedStatement('staff.find', 'SELECT "aadObjectId", "displayName", role::text AS role, uais FROM "Staff" WHERE "aadObjectId" = $1');

/** The staff member with this Entra ID object id, as an Actor; null when not in the directory. */
export async function findStaffActor(ctx: ServiceContext, aadObjectId: string): Promise<StaffActor | null> {
  const id = aadObjectId.trim();
  if (!id) return null;
  // Asked for every new speaker (bot/staff-cache.ts): a prepared statement, not Prisma's query path.
  const [staff] = await rawQuery<{ aadObjectId: string; displayName: string; role: string; uais: string[] }>(ctx.db, FIND_STAFF, [id]);
  if (!staff) return null;
  switch (staff.role) {
    case StaffRole.DIRECTOR:
      return { kind: 'director', staffId: staff.aadObjectId, name: staff.displayName, uais: [...staff.uais] };
    case StaffRole.AGENT:
      return { kind: 'agent', staffId: staff.aadObjectId, name: staff.displayName };
    case StaffRole.ADMIN:
      return { kind: 'admin', staffId: staff.aadObjectId, name: staff.displayName };
    default:
      return null;
  }
}

/**
 * The schools a director administers, by UAI order, with their names (a UAI of the
 * directory that is not in the extract yet is returned with its code as name).
 * Agents and admins are not tied to schools: empty list.
 */
export async function schoolsOfStaff(ctx: ServiceContext, actor: StaffActor): Promise<SchoolSummary[]> {
  if (actor.kind !== 'director' || actor.uais.length === 0) return [];
  const rows = await ctx.db.school.findMany({ where: { uai: { in: actor.uais } }, select: { uai: true, name: true } });
  const names = new Map(rows.map((r) => [r.uai, r.name]));
  return [...actor.uais].sort().map((uai) => ({ uai, name: names.get(uai) ?? uai }));
}
