// "Je ne suis pas le représentant légal de cet élève": the logged-in guardian removes a pupil
// from their account, unless it is that pupil's only guardian link. The refusal is kept
// (RefusedLink): the import reports it instead of linking the pupil again.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, notFound } from '../errors.js';
import { audit } from '../audit.js';

import { actorAccount } from './guardian.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export interface AccountChild {
  pupilId: number;
  firstName: string;
  lastName: string;
  birthDate: Date;
}

/** The children on the actor's account. */
export async function listMyChildren(ctx: ServiceContext, actor: Actor): Promise<AccountChild[]> {
  const g = await actorAccount(ctx, actor);
  const links = await ctx.db.pupilGuardian.findMany({ where: { guardianId: g.id }, include: { pupil: true }, orderBy: { pupilId: 'asc' } });
  return links.map((l) => ({ pupilId: l.pupilId, firstName: l.pupil.firstName, lastName: l.pupil.lastName, birthDate: l.pupil.birthDate }));
}

export async function removeChildLink(ctx: ServiceContext, actor: Actor, pupilId: number): Promise<{ ok: true }> {
  const g = await actorAccount(ctx, actor);
  return ctx.db.$transaction(async (tx) => {
    const link = await tx.pupilGuardian.findUnique({ where: { pupilId_guardianId: { pupilId, guardianId: g.id } }, include: { pupil: true } });
    if (!link) throw notFound(`pupil ${pupilId} not on guardian ${g.id}`);
    const links = await tx.pupilGuardian.count({ where: { pupilId, guardian: VISIBLE_GUARDIAN } });
    if (links <= 1) {
      await audit(tx, {
        actor,
        action: 'selfservice.child_link_removal',
        guardianId: g.id,
        schoolUai: link.pupil.schoolUai,
        outcome: 'denied',
        at: ctx.now(),
        details: { pupilId, reason: 'only_link' },
      });
      throw new ServiceError(
        'conflict',
        "Vous êtes le seul responsable rattaché à cet élève : ce lien ne peut pas être supprimé ici. Contactez l'école ou l'établissement de l'élève pour qu'il corrige sa base élèves.",
        'only guardian link',
      );
    }
    await tx.pupilGuardian.delete({ where: { pupilId_guardianId: { pupilId, guardianId: g.id } } });
    // Remembered, so that the nightly import does not link the pupil again (until the school or an agent restores it).
    await tx.refusedLink.upsert({
      where: { pupilId_guardianId: { pupilId, guardianId: g.id } },
      create: { pupilId, guardianId: g.id, kind: link.kind, refusedAt: ctx.now() },
      update: { kind: link.kind, refusedAt: ctx.now() },
    });
    await audit(tx, {
      actor,
      action: 'selfservice.child_link_removal',
      guardianId: g.id,
      schoolUai: link.pupil.schoolUai,
      outcome: 'success',
      at: ctx.now(),
      details: { pupilId },
    });
    return { ok: true };
  });
}
