// Child links a guardian refused ("n'est pas mon enfant", see selfservice/child-link.ts). The
// nightly import does not recreate them; the school (a director of the pupil's school) or an
// agent lists them and restores one when the guardian was wrong: the link comes back at once and
// the import keeps it from then on.
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import type { ServiceContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { requireSchool, requireStaff, VISIBLE_GUARDIAN } from './scope.js';

export interface RefusedLinkInfo {
  pupilId: number;
  pupilLastName: string;
  pupilFirstName: string;
  className: string;
  guardianId: number;
  guardianLastName: string;
  guardianFirstName: string;
  identifier: string;
  refusedAt: Date;
}

/** The refused links of the pupils of `uai`, most recent first. */
export async function listRefusedLinks(ctx: ServiceContext, actor: Actor, uai: string): Promise<RefusedLinkInfo[]> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const rows = await ctx.db.refusedLink.findMany({
    where: { pupil: { schoolUai: school.uai }, guardian: VISIBLE_GUARDIAN },
    include: { pupil: { include: { class: true } }, guardian: true },
    orderBy: [{ refusedAt: 'desc' }, { pupilId: 'asc' }, { guardianId: 'asc' }],
  });
  return rows.map((r) => ({
    pupilId: r.pupilId,
    pupilLastName: r.pupil.lastName,
    pupilFirstName: r.pupil.firstName,
    className: r.pupil.class.name,
    guardianId: r.guardianId,
    guardianLastName: r.guardian.lastName,
    guardianFirstName: r.guardian.firstName,
    identifier: r.guardian.identifier,
    refusedAt: r.refusedAt,
  }));
}

export const RESTORE_CONFIRMATION = 'accounts.link_restore';

/**
 * Restores a refused link (director of the pupil's school, agent or admin): the pupil is on the
 * account again and the refusal is forgotten. Refused the same way whether or not it exists.
 * `confirmation` (issued with the confirmation card) makes it happen once.
 */
export async function restoreRefusedLink(
  ctx: ServiceContext,
  actor: Actor,
  pupilId: number,
  guardianId: number,
  opts: { confirmation?: string } = {},
): Promise<{ restored: true }> {
  return ctx.db.$transaction(async (tx) => {
    if (opts.confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: RESTORE_CONFIRMATION, actor, id: opts.confirmation });
    const refusal = await tx.refusedLink.findUnique({
      where: { pupilId_guardianId: { pupilId, guardianId } },
      include: { pupil: { select: { schoolUai: true } }, guardian: { select: { mergedIntoId: true, deletedAt: true } } },
    });
    // Scope first: a director learns nothing about links outside their schools.
    if (!refusal)
      throw requireStaff(actor).kind === 'director' ? forbidden(`refused link ${pupilId}-${guardianId}`) : notFound(`refused link ${pupilId}-${guardianId}`);
    const { school } = await requireSchool(tx, actor, refusal.pupil.schoolUai);
    if (refusal.guardian.mergedIntoId !== null || refusal.guardian.deletedAt !== null) throw notFound(`refused link ${pupilId}-${guardianId}`);
    await tx.refusedLink.delete({ where: { pupilId_guardianId: { pupilId, guardianId } } });
    await tx.pupilGuardian.createMany({ data: [{ pupilId, guardianId, kind: refusal.kind, createdAt: ctx.now() }], skipDuplicates: true });
    await audit(tx, { actor, action: 'accounts.link_restore', guardianId, schoolUai: school.uai, outcome: 'success', at: ctx.now(), details: { pupilId } });
    return { restored: true };
  });
}
