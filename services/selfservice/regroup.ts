// Regrouping (DOMAIN.md): the logged-in guardian gives the identifier and password
// (temporary or personal) of another account with IDENTICAL names; its children and register
// refs move to the account kept (the one logged in) and the other is merged (hidden everywhere).
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { sameName } from '../text.js';
import { LIVE, matchPassword, normalizeIdentifier } from './account.js';
import { actorAccount } from './guardian.js';
import { hit } from './ratelimit.js';
import { invalidateTokens } from './tokens.js';

export type RegroupResult = { ok: true; movedPupils: number; mergedIdentifier: string };

const BAD = "Identifiant ou mot de passe incorrect pour le compte à regrouper. Utilisez l'identifiant et le mot de passe provisoire remis par l'école ou l'établissement de l'autre enfant.";

export async function regroupAccounts(ctx: ServiceContext, actor: Actor, otherIdentifier: string, otherPassword: string): Promise<RegroupResult> {
  const kept = await actorAccount(ctx, actor);
  const limit = await hit(ctx, 'account', `regroup:${kept.id}`);
  if (!limit.allowed) throw new ServiceError('rate_limited', `Trop d'essais. Réessayez dans ${limit.retryAfterMinutes} minutes.`, 'regroup limited');
  const id = normalizeIdentifier(otherIdentifier);
  if (id === kept.identifier) throw invalid('Saisissez l’identifiant de l’autre compte, pas celui du compte avec lequel vous êtes connecté.');
  const other = id ? await ctx.db.guardian.findFirst({ where: { ...LIVE, identifier: id }, include: { credential: true } }) : null;
  const match = await matchPassword(ctx, other?.credential ?? null, otherPassword);
  if (!other || !match) {
    await audit(ctx.db, { actor, action: 'selfservice.regroup', guardianId: kept.id, outcome: 'denied', at: ctx.now(), details: { reason: 'bad_credentials' } });
    throw invalid(BAD);
  }
  if (!sameName(kept, other)) {
    await audit(ctx.db, { actor, action: 'selfservice.regroup', guardianId: kept.id, outcome: 'denied', at: ctx.now(), details: { reason: 'names_differ', other: other.id } });
    throw invalid(
      "Les deux comptes ne sont pas au même nom : le regroupement n'est possible que si le nom et le prénom sont identiques. Demandez à l'école ou à l'établissement concerné de corriger le nom enregistré.",
    );
  }
  return ctx.db.$transaction(async (tx) => {
    const links = await tx.pupilGuardian.findMany({ where: { guardianId: other.id } });
    const already = new Set((await tx.pupilGuardian.findMany({ where: { guardianId: kept.id }, select: { pupilId: true } })).map((l) => l.pupilId));
    const moving = links.filter((l) => !already.has(l.pupilId));
    for (const l of moving) {
      await tx.pupilGuardian.create({ data: { pupilId: l.pupilId, guardianId: kept.id, kind: l.kind } });
    }
    await tx.pupilGuardian.deleteMany({ where: { guardianId: other.id } });
    await tx.guardianRef.updateMany({ where: { guardianId: other.id }, data: { guardianId: kept.id } });
    const merged = await tx.guardian.updateMany({ where: { id: other.id, mergedIntoId: null }, data: { mergedIntoId: kept.id } });
    if (merged.count !== 1) throw new ServiceError('conflict', 'Ce compte vient déjà d’être regroupé.', 'merged concurrently');
    await tx.guardian.updateMany({ where: { mergedIntoId: other.id }, data: { mergedIntoId: kept.id } });
    await invalidateTokens(ctx, tx, other.id, ['PASSWORD_RESET_LINK', 'PASSWORD_RESET_CODE', 'PASSWORD_PAGE', 'ACTIVATION_LINK', 'EMAIL_CHANGE_LINK', 'REGISTRATION_CODE', 'REGISTRATION_PAGE', 'FIRST_LOGIN', 'SESSION']);
    if (kept.email && kept.emailConfirmed) {
      await ctx.messages.enqueue(tx, { template: 'security_notice', to: kept.email, firstName: kept.firstName, event: 'accounts_merged' }, { guardianId: kept.id });
    }
    await audit(tx, {
      actor,
      action: 'selfservice.regroup',
      guardianId: kept.id,
      outcome: 'success',
      at: ctx.now(),
      details: { merged: other.id, movedPupils: moving.map((l) => l.pupilId), otherCredentialKind: match },
    });
    return { ok: true, movedPupils: moving.length, mergedIdentifier: other.identifier };
  });
}
