// Regrouping (DOMAIN.md): the logged-in guardian gives the identifier and password
// (temporary or personal) of another account with IDENTICAL names; its children and register
// refs move to the account kept (the one logged in) and the other is merged (hidden everywhere).
// SMS self-registration merges the same way the accounts it found for the same person
// (mergeAccount). A child refused on either account stays refused on the account kept.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import type { Tx } from '../db/index.js';
import { ServiceError, invalid } from '../errors.js';
import { audit, type AuditDetail } from '../audit.js';
import { sameName } from '../text.js';
import { matchPassword, normalizeIdentifier } from './account.js';
import { actorAccount } from './guardian.js';
import { hit } from './ratelimit.js';
import { invalidateTokens } from './tokens.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export type RegroupResult = { ok: true; movedPupils: number; mergedIdentifier: string };

const BAD =
  "Identifiant ou mot de passe incorrect pour le compte à regrouper. Utilisez l'identifiant et le mot de passe provisoire remis par l'école ou l'établissement de l'autre enfant.";

export interface MergeTarget {
  id: number;
  firstName: string;
  email: string | null;
  emailConfirmed: boolean;
}

export interface MergeOutcome {
  movedPupils: number[];
  /** Refusals of the merged account now on the account kept. */
  refusals: number[];
}

/**
 * Merges `otherId` into `kept` in the caller's transaction: links, register refs and refusals
 * move, the other account is hidden (mergedIntoId) and its tokens stop working; audited as
 * selfservice.regroup with `details`. A pupil refused on one account is not linked after the
 * merge (the refusal wins), unless that link is the pupil's only one (as for a removal).
 * Throws 'conflict' when the other account was merged meanwhile.
 */
export async function mergeAccount(
  ctx: ServiceContext,
  tx: Tx,
  actor: Actor,
  kept: MergeTarget,
  otherId: number,
  details: Record<string, AuditDetail> = {},
): Promise<MergeOutcome> {
  const merged = await tx.guardian.updateMany({ where: { id: otherId, mergedIntoId: null, deletedAt: null }, data: { mergedIntoId: kept.id } });
  if (merged.count !== 1) throw new ServiceError('conflict', 'Ce compte vient déjà d’être regroupé.', 'merged concurrently');
  const links = await tx.pupilGuardian.findMany({ where: { guardianId: otherId } });
  const keptPupils = new Set((await tx.pupilGuardian.findMany({ where: { guardianId: kept.id }, select: { pupilId: true } })).map((l) => l.pupilId));
  const keptRefused = new Set((await tx.refusedLink.findMany({ where: { guardianId: kept.id }, select: { pupilId: true } })).map((r) => r.pupilId));
  const moving = links.filter((l) => !keptPupils.has(l.pupilId) && !keptRefused.has(l.pupilId));
  if (moving.length)
    await tx.pupilGuardian.createMany({ data: moving.map((l) => ({ pupilId: l.pupilId, guardianId: kept.id, kind: l.kind })), skipDuplicates: true });
  await tx.pupilGuardian.deleteMany({ where: { guardianId: otherId } });
  const refusals = await tx.refusedLink.findMany({ where: { guardianId: otherId } });
  const carried: number[] = [];
  for (const r of refusals) {
    if (keptPupils.has(r.pupilId)) {
      const others = await tx.pupilGuardian.count({ where: { pupilId: r.pupilId, guardianId: { not: kept.id }, guardian: VISIBLE_GUARDIAN } });
      if (others === 0) continue; // the pupil's only link stays, as child-link.ts decides for a removal
      await tx.pupilGuardian.delete({ where: { pupilId_guardianId: { pupilId: r.pupilId, guardianId: kept.id } } });
    }
    carried.push(r.pupilId);
  }
  await tx.refusedLink.createMany({
    data: refusals.filter((r) => carried.includes(r.pupilId)).map((r) => ({ pupilId: r.pupilId, guardianId: kept.id, kind: r.kind, refusedAt: r.refusedAt })),
    skipDuplicates: true,
  });
  await tx.refusedLink.deleteMany({ where: { guardianId: otherId } });
  await tx.guardianRef.updateMany({ where: { guardianId: otherId }, data: { guardianId: kept.id } });
  await tx.guardian.updateMany({ where: { mergedIntoId: otherId }, data: { mergedIntoId: kept.id } });
  await invalidateTokens(ctx, tx, otherId, [
    'PASSWORD_RESET_LINK',
    'PASSWORD_RESET_CODE',
    'PASSWORD_PAGE',
    'ACTIVATION_LINK',
    'EMAIL_CHANGE_LINK',
    'REGISTRATION_CODE',
    'REGISTRATION_PAGE',
    'FIRST_LOGIN',
    'SESSION',
  ]);
  if (kept.email && kept.emailConfirmed) {
    await ctx.messages.enqueue(
      tx,
      { template: 'security_notice', to: kept.email, firstName: kept.firstName, event: 'accounts_merged' },
      { guardianId: kept.id },
    );
  }
  const movedPupils = moving.map((l) => l.pupilId);
  await audit(tx, {
    actor,
    action: 'selfservice.regroup',
    guardianId: kept.id,
    outcome: 'success',
    at: ctx.now(),
    details: { ...details, merged: otherId, movedPupils, refusals: carried },
  });
  return { movedPupils, refusals: carried };
}

export async function regroupAccounts(ctx: ServiceContext, actor: Actor, otherIdentifier: string, otherPassword: string): Promise<RegroupResult> {
  const kept = await actorAccount(ctx, actor);
  const limit = await hit(ctx, 'account', `regroup:${kept.id}`);
  if (!limit.allowed) throw new ServiceError('rate_limited', `Trop d'essais. Réessayez dans ${limit.retryAfterMinutes} minutes.`, 'regroup limited');
  const id = normalizeIdentifier(otherIdentifier);
  if (id === kept.identifier) throw invalid('Saisissez l’identifiant de l’autre compte, pas celui du compte avec lequel vous êtes connecté.');
  const other = id ? await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, identifier: id }, include: { credential: true } }) : null;
  const match = await matchPassword(ctx, other?.credential ?? null, otherPassword);
  if (!other || !match) {
    await audit(ctx.db, {
      actor,
      action: 'selfservice.regroup',
      guardianId: kept.id,
      outcome: 'denied',
      at: ctx.now(),
      details: { reason: 'bad_credentials' },
    });
    throw invalid(BAD);
  }
  if (!sameName(kept, other)) {
    await audit(ctx.db, {
      actor,
      action: 'selfservice.regroup',
      guardianId: kept.id,
      outcome: 'denied',
      at: ctx.now(),
      details: { reason: 'names_differ', other: other.id },
    });
    throw invalid(
      "Les deux comptes ne sont pas au même nom : le regroupement n'est possible que si le nom et le prénom sont identiques. Demandez à l'école ou à l'établissement concerné de corriger le nom enregistré.",
    );
  }
  return ctx.db.$transaction(async (tx) => {
    const r = await mergeAccount(ctx, tx, actor, kept, other.id, { otherCredentialKind: match });
    return { ok: true, movedPupils: r.movedPupils.length, mergedIdentifier: other.identifier };
  });
}
