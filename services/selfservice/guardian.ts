// The logged-in guardian of "mon compte": only an actor proven to own the account may act.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { forbidden } from '../errors.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export type GuardianActor = Extract<Actor, { kind: 'guardian' }>;

export function requireGuardian(actor: Actor): GuardianActor {
  if (actor.kind !== 'guardian') throw forbidden(`self-service needs a guardian, got ${actor.kind}`);
  return actor;
}

/** The live account of the actor (refused if merged or deleted meanwhile). */
export async function actorAccount(ctx: ServiceContext, actor: Actor) {
  const a = requireGuardian(actor);
  const g = await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: a.guardianId } });
  if (!g) throw forbidden(`guardian ${a.guardianId} is not live`);
  return g;
}
