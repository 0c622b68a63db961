// Mass password reset (April 2024 notice): an administrator requires every account of a
// scope (national, one academy, one school) to choose a new password. The usual password
// then works once more, only to open the forced choice of a new one (12 characters, 3
// classes: services/selfservice/forced-change.ts). Accounts still on a temporary password
// need nothing: their first login already imposes the choice. Open sessions end at once.
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { forbidden, invalid } from '../errors.js';

export type ResetScope = { kind: 'national' } | { kind: 'academy'; academy: string } | { kind: 'school'; uai: string };

export interface MassResetResult {
  /** Accounts whose personal password must now be replaced. */
  accounts: number;
  scope: ResetScope;
}

const UAI = /^\d{7}[A-Z]$/;

export function describeScope(scope: ResetScope): string {
  switch (scope.kind) {
    case 'national':
      return 'tous les comptes (national)';
    case 'academy':
      return `l'académie ${scope.academy}`;
    case 'school':
      return `l'établissement ${scope.uai}`;
  }
}

/** Only an administrator (or the system) may do this; never a director or an agent. */
export async function requirePasswordChange(ctx: ServiceContext, actor: Actor, scope: ResetScope): Promise<MassResetResult> {
  if (actor.kind !== 'admin' && actor.kind !== 'system') throw forbidden(`mass reset by ${actor.kind}`);
  const now = ctx.now();
  return ctx.db.$transaction(
    async (tx) => {
      let filter: { sql: 'national' } | { sql: 'academy'; value: string } | { sql: 'school'; value: string };
      if (scope.kind === 'school') {
        const uai = scope.uai.trim().toUpperCase();
        if (!UAI.test(uai) || !(await tx.school.findUnique({ where: { uai } }))) throw invalid(`Établissement inconnu : ${scope.uai}.`);
        filter = { sql: 'school', value: uai };
      } else if (scope.kind === 'academy') {
        const known = await tx.school.findFirst({ where: { academy: { equals: scope.academy.trim(), mode: 'insensitive' } }, select: { academy: true } });
        if (!known) throw invalid(`Académie inconnue : ${scope.academy}.`);
        filter = { sql: 'academy', value: known.academy };
      } else {
        filter = { sql: 'national' };
      }
      // Guardians with a personal password, live, linked to a pupil of the scope.
      const ids =
        filter.sql === 'national'
          ? await tx.$queryRaw<{ id: number }[]>`
              SELECT g.id FROM "Guardian" g JOIN "Credential" c ON c."guardianId" = g.id
              WHERE g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL AND c."passwordHash" IS NOT NULL AND NOT c."isTemporary"`
          : await tx.$queryRaw<{ id: number }[]>`
              SELECT DISTINCT g.id FROM "Guardian" g
              JOIN "Credential" c ON c."guardianId" = g.id
              JOIN "PupilGuardian" pg ON pg."guardianId" = g.id
              JOIN "Pupil" p ON p.id = pg."pupilId"
              JOIN "School" s ON s.uai = p."schoolUai"
              WHERE g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL AND c."passwordHash" IS NOT NULL AND NOT c."isTemporary"
                AND (${filter.sql} = 'school' AND s.uai = ${filter.value} OR ${filter.sql} = 'academy' AND s.academy = ${filter.value})`;
      const list = ids.map((r) => r.id);
      if (list.length > 0) {
        await tx.$executeRaw`UPDATE "Credential" SET "mustChangeSince" = ${now}, "updatedAt" = ${now} WHERE "guardianId" = ANY(${list}::int[])`;
        await tx.$executeRaw`
          UPDATE "SelfServiceToken" SET "usedAt" = ${now}
          WHERE "guardianId" = ANY(${list}::int[]) AND kind IN ('SESSION', 'FORCED_CHANGE') AND "usedAt" IS NULL`;
      }
      await audit(tx, {
        actor,
        at: now,
        action: 'accounts.require_password_change',
        schoolUai: filter.sql === 'school' ? filter.value : null,
        outcome: 'success',
        details: { scope: scope.kind, ...(filter.sql === 'national' ? {} : { key: filter.value }), accounts: list.length },
      });
      return { accounts: list.length, scope };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
