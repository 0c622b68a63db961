// Resending the activation mail C07 (admin guide §5.6): only for En cours d'activation; the
// school may correct the email first. The link is a single-use self-service token.
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { maskEmail } from '../logger.js';
import type { Tx } from '../db/index.js';
import { PAGES } from '../public-paths.js';
import { createToken, invalidateTokens, tokenUrl } from '../selfservice/tokens.js';
import { normalizeEmail } from './contact.js';
import { requireGuardiansInSchool, requireSchool } from './scope.js';

/**
 * Queues the activation mail C07 for `email` with a fresh single-use link (earlier links stop
 * working), in the caller's transaction. Returns the link's expiry.
 */
export async function queueActivationMail(
  ctx: ServiceContext,
  tx: Tx,
  g: { id: number; firstName: string; lastName: string; identifier: string },
  email: string,
): Promise<Date> {
  const ttlHours = ctx.settings.selfService.linkTtlHours;
  const ttlMs = ttlHours * 3_600_000;
  await invalidateTokens(ctx, tx, g.id, ['ACTIVATION_LINK']);
  const token = await createToken(ctx, tx, { kind: 'ACTIVATION_LINK', guardianId: g.id, ttlMs, payload: { email } });
  await ctx.messages.enqueue(
    tx,
    {
      template: 'activation',
      to: email,
      firstName: g.firstName,
      lastName: g.lastName,
      identifier: g.identifier,
      url: tokenUrl(ctx, PAGES.activation, token),
      ttlHours,
    },
    { guardianId: g.id },
  );
  return new Date(ctx.now().getTime() + ttlMs);
}

export const RESEND_CONFIRMATION = 'accounts.resend_activation';

export interface ResendActivationResult {
  /** The address the mail was sent to, masked. */
  sentTo: string;
  emailChanged: boolean;
  expiresAt: Date;
  message: string;
}

export async function resendActivation(
  ctx: ServiceContext,
  actor: Actor,
  uai: string,
  guardianId: number,
  opts: { correctedEmail?: string; confirmation?: string } = {},
): Promise<ResendActivationResult> {
  const now = ctx.now();
  const ttlHours = ctx.settings.selfService.linkTtlHours;
  return ctx.db.$transaction(async (tx) => {
    if (opts.confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: RESEND_CONFIRMATION, actor, id: opts.confirmation });
    const { school } = await requireSchool(tx, actor, uai);
    await requireGuardiansInSchool(tx, school.uai, [guardianId]);
    const g = await tx.guardian.findUniqueOrThrow({
      where: { id: guardianId },
      select: { id: true, state: true, email: true, firstName: true, lastName: true, identifier: true },
    });
    if (g.state !== 'ACTIVATING') {
      throw new ServiceError('conflict', "L'e-mail d'activation ne peut être renvoyé que pour un compte « En cours d'activation ».", `state ${g.state}`);
    }
    let email = g.email;
    if (opts.correctedEmail !== undefined) {
      email = normalizeEmail(opts.correctedEmail);
      if (!email) throw invalid("L'adresse e-mail saisie n'est pas valide. Vérifiez-la et recommencez.");
    }
    if (!email) throw invalid("Aucune adresse e-mail n'est connue pour ce compte : saisissez l'adresse du responsable.");
    const emailChanged = email !== g.email;
    if (emailChanged) await tx.guardian.update({ where: { id: g.id }, data: { email, emailConfirmed: false } });
    const expiresAt = await queueActivationMail(ctx, tx, g, email);
    await audit(tx, {
      actor,
      at: now,
      action: 'accounts.resend_activation',
      guardianId: g.id,
      schoolUai: school.uai,
      outcome: 'success',
      details: { emailChanged, to: maskEmail(email) },
    });
    return {
      sentTo: maskEmail(email),
      emailChanged,
      expiresAt,
      message: `L'e-mail d'activation a été renvoyé à ${maskEmail(email)}. Le lien est valable ${ttlHours} heures.`,
    };
  });
}
