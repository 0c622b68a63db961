// The forced choice of a new password after a mass reset (April 2024 notice,
// services/accounts/mass-reset.ts). The usual password, checked by the login, gives a
// single-use FORCED_CHANGE ticket instead of a session; the ticket only allows choosing a new
// password under the policy (checkNewPassword), different from the old one. Then the guardian
// logs in normally with the new password.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';
import { audit } from '../audit.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { notifyConfirmedContacts } from './account.js';
import { checkNewPassword, type PolicyResult } from './policy.js';
import { consumeToken, createToken, invalidateTokens, peekToken } from './tokens.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

const TICKET_TTL_MS = 20 * 60_000;
const EXPIRED =
  'Votre demande de changement de mot de passe a expiré. Reconnectez-vous avec votre identifiant et votre mot de passe habituel : le choix d’un nouveau mot de passe vous sera de nouveau proposé.';
const SAME = 'Choisissez un mot de passe différent de l’ancien : celui-ci a été réinitialisé par sécurité.';

/** The login's answer when a mass reset requires a new password: why, in one sentence. */
export const FORCED_CHANGE_TEXT =
  'Votre mot de passe a été réinitialisé par mesure de sécurité. Pour accéder à vos services en ligne, vous devez choisir un nouveau mot de passe.';

/** Issues the ticket (the usual password was just checked by the caller). */
export async function startForcedChange(ctx: ServiceContext, actor: Actor, guardianId: number): Promise<string> {
  return ctx.db.$transaction(async (tx) => {
    await invalidateTokens(ctx, tx, guardianId, ['FORCED_CHANGE']);
    const ticket = await createToken(ctx, tx, { kind: 'FORCED_CHANGE', guardianId, ttlMs: TICKET_TTL_MS });
    await audit(tx, { actor, action: 'selfservice.forced_change', guardianId, outcome: 'success', at: ctx.now(), details: { step: 'usual_password_checked' } });
    return ticket;
  });
}

async function load(ctx: ServiceContext, ticket: string) {
  const t = await peekToken(ctx, ctx.db, ['FORCED_CHANGE'], ticket);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', EXPIRED, `forced change ticket ${t.status}`);
  const g = await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: t.row.guardianId }, include: { credential: true } });
  if (!g?.credential?.mustChangeSince) throw new ServiceError('expired', EXPIRED, 'no change required any more');
  return g;
}

export async function forcedChangeInfo(ctx: ServiceContext, ticket: string): Promise<{ identifier: string; firstName: string }> {
  const g = await load(ctx, ticket);
  return { identifier: g.identifier, firstName: g.firstName };
}

export type ForcedChangeResult = { ok: true; identifier: string } | Extract<PolicyResult, { ok: false }>;

export async function completeForcedChange(
  ctx: ServiceContext,
  actor: Actor,
  ticket: string,
  password: string,
  confirmation: string,
): Promise<ForcedChangeResult> {
  const g = await load(ctx, ticket);
  const policy = checkNewPassword(password, confirmation, g);
  if (!policy.ok) return policy;
  if (g.credential?.passwordHash && (await verifyPassword(password, g.credential.passwordHash))) return { ok: false, reasons: [SAME] };
  const passwordHash = await hashPassword(password);
  await ctx.db.$transaction(async (tx) => {
    const used = await consumeToken(ctx, tx, ['FORCED_CHANGE'], ticket);
    if (!used) throw new ServiceError('expired', EXPIRED, 'ticket consumed concurrently');
    const now = ctx.now();
    await tx.credential.update({
      where: { guardianId: g.id },
      data: { passwordHash, tempPasswordEnc: null, isTemporary: false, passwordChangedAt: now, mustChangeSince: null },
    });
    await invalidateTokens(ctx, tx, g.id, ['PASSWORD_RESET_LINK', 'PASSWORD_RESET_CODE', 'PASSWORD_PAGE', 'SESSION']);
    await notifyConfirmedContacts(ctx, tx, g, 'password_changed');
    await audit(tx, { actor, action: 'selfservice.forced_change', guardianId: g.id, outcome: 'success', at: now, details: { step: 'password_changed' } });
  });
  return { ok: true, identifier: g.identifier };
}
