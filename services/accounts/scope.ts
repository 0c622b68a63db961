// Scope checks shared by every account operation. A director acts only on the schools in
// `actor.uais`; agents and admins anywhere; parents never. An account is in a school's scope
// when it is linked to a pupil of that school. Merged or deleted accounts are invisible.
// Out-of-scope requests are refused the same way whether or not the target exists.
import { canActOnSchool, isStaff, type Actor, type StaffActor } from '../actor.js';
import type { Prisma, Tx } from '../db/index.js';
import { forbidden, notFound } from '../errors.js';
import { normalizeUai } from '../text.js';

/** The filter of every visible account. */
export const VISIBLE_GUARDIAN = { mergedIntoId: null, deletedAt: null } satisfies Prisma.GuardianWhereInput;

/** Accounts linked to a pupil of `uai` and visible. */
export function guardianInSchool(uai: string): Prisma.GuardianWhereInput {
  return { ...VISIBLE_GUARDIAN, pupils: { some: { pupil: { schoolUai: uai } } } };
}

/** Accounts a staff actor may see: agents/admins every visible one, directors those of their schools. */
export function guardianInActorScope(actor: StaffActor): Prisma.GuardianWhereInput {
  return actor.kind === 'director' ? { ...VISIBLE_GUARDIAN, pupils: { some: { pupil: { schoolUai: { in: actor.uais } } } } } : VISIBLE_GUARDIAN;
}

export function requireStaff(actor: Actor): StaffActor {
  if (!isStaff(actor)) throw forbidden(`actor ${actor.kind} is not staff`);
  return actor;
}

export interface SchoolInfo {
  uai: string;
  name: string;
  academy: string;
}

/** A staff actor allowed on `uai`, and the school. Unknown UAI: forbidden for a director, not found for agents. */
export async function requireSchool(tx: Tx, actor: Actor, uaiInput: string): Promise<{ staff: StaffActor; school: SchoolInfo }> {
  const staff = requireStaff(actor);
  const uai = normalizeUai(uaiInput);
  if (!uai || !canActOnSchool(staff, uai)) throw forbidden(`school ${uaiInput} out of scope for ${staff.kind}`);
  const school = await tx.school.findUnique({ where: { uai }, select: { uai: true, name: true, academy: true } });
  if (!school) throw notFound(`school ${uai}`);
  return { staff, school };
}

/** Checks that every id is a visible account of the school; one missing id fails the whole request. */
export async function requireGuardiansInSchool(tx: Tx, uai: string, guardianIds: number[]): Promise<number[]> {
  const ids = [...new Set(guardianIds)];
  if (ids.length === 0) throw notFound('no account given');
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw notFound('malformed account id');
  const found = await tx.guardian.findMany({ where: { id: { in: ids }, ...guardianInSchool(uai) }, select: { id: true } });
  if (found.length !== ids.length) throw notFound(`accounts not in school ${uai}`);
  return ids;
}
