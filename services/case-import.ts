// Cases the nightly import answers: the register brought the correction a parent was waiting
// for, so the case is resolved and the parent told to retry (the rules of cases.ts).
import { actorId, type Actor } from './actor.js';
import { auditMany, type AuditEntry } from './audit.js';
import { TELL_SELECT, tellParent } from './case-notices.js';
import { ACTIVE_STATES } from './cases.js';
import type { ServiceContext } from './context.js';

/**
 * After an import: open or waiting BIRTH_DATE cases whose pupil's birth date changed, and
 * MOBILE cases whose guardian's mobile changed, become RESOLVED, and the parent is told to
 * retry (email and/or SMS). Called by the importer with the ids it changed. Returns the count.
 */
export async function resolveCasesAfterImport(ctx: ServiceContext, changed: { pupilIds: number[]; guardianIds: number[] }): Promise<number> {
  if (changed.pupilIds.length === 0 && changed.guardianIds.length === 0) return 0;
  const actor: Actor = { kind: 'system', job: 'import' };
  const now = ctx.now();
  return ctx.db.$transaction(
    async (tx) => {
      const cases = await tx.case.findMany({
        where: {
          state: { in: ACTIVE_STATES },
          OR: [
            { kind: 'BIRTH_DATE', pupilId: { in: changed.pupilIds } },
            { kind: 'MOBILE', guardianId: { in: changed.guardianIds } },
          ],
        },
        select: { ...TELL_SELECT, state: true, schoolUai: true },
        orderBy: { id: 'asc' },
      });
      const resolved: typeof cases = [];
      for (const c of cases) {
        const r = await tx.case.updateMany({ where: { id: c.id, state: c.state }, data: { state: 'RESOLVED', updatedAt: now } });
        if (r.count !== 1) continue;
        resolved.push(c);
        await tx.caseEvent.create({
          data: {
            caseId: c.id,
            at: now,
            actor: actorId(actor),
            fromState: c.state,
            toState: 'RESOLVED',
            note: "Correction reçue du registre de l'établissement : le responsable a été invité à réessayer.",
          },
        });
        await tellParent(ctx, tx, c, 'RESOLVED', null);
      }
      await auditMany(
        tx,
        resolved.map((c): AuditEntry => ({
          actor,
          at: now,
          action: 'cases.resolved_by_import',
          guardianId: c.guardianId,
          schoolUai: c.schoolUai,
          outcome: 'success',
          details: { reference: c.reference, kind: c.kind },
        })),
      );
      return resolved.length;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
