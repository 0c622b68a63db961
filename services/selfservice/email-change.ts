// Change of email in "mon compte": a notice to the old address (with the new one masked) and
// a confirmation link to the new; the link confirms the new address.
import type { Actor } from '../actor.js';
import { PAGES } from '../public-paths.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { maskEmail } from '../logger.js';

import { normalizeEmail } from '../accounts/contact.js';
import { actorAccount } from './guardian.js';
import { hit } from './ratelimit.js';
import { consumeToken, createToken, invalidateTokens, tokenUrl } from './tokens.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export async function requestEmailChange(ctx: ServiceContext, actor: Actor, newEmail: string, confirmation: string): Promise<{ ok: true; text: string }> {
  const g = await actorAccount(ctx, actor);
  const email = normalizeEmail(newEmail);
  if (!email) throw invalid("Cette adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).");
  if (normalizeEmail(confirmation)?.toLowerCase() !== email.toLowerCase()) throw invalid('Les deux adresses saisies ne sont pas identiques.');
  if (g.email && g.emailConfirmed && g.email.toLowerCase() === email.toLowerCase()) throw invalid('Cette adresse est déjà celle de votre compte.');
  const limit = await hit(ctx, 'account', `email-change:${g.id}`);
  if (!limit.allowed) throw new ServiceError('rate_limited', `Trop de demandes. Réessayez dans ${limit.retryAfterMinutes} minutes.`, 'email change limited');
  const ttlHours = ctx.settings.selfService.linkTtlHours;
  await ctx.db.$transaction(async (tx) => {
    await invalidateTokens(ctx, tx, g.id, ['EMAIL_CHANGE_LINK']);
    const token = await createToken(ctx, tx, { kind: 'EMAIL_CHANGE_LINK', guardianId: g.id, ttlMs: ttlHours * 3_600_000, payload: { newEmail: email } });
    if (g.email) {
      await ctx.messages.enqueue(
        tx,
        { template: 'email_change_notice', to: g.email, firstName: g.firstName, newEmailMasked: maskEmail(email) },
        { guardianId: g.id },
      );
    }
    await ctx.messages.enqueue(
      tx,
      { template: 'email_change_confirm', to: email, firstName: g.firstName, url: tokenUrl(ctx, PAGES.emailChange, token), ttlHours },
      { guardianId: g.id },
    );
    await audit(tx, {
      actor,
      action: 'selfservice.email_change_request',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { newEmail: maskEmail(email) },
    });
  });
  return {
    ok: true,
    text: `Votre demande est prise en compte. Un e-mail de confirmation vient d'être envoyé à ${maskEmail(email)} : cliquez sur le lien qu'il contient (valable ${ttlHours} heures). Pensez à regarder dans vos courriers indésirables.`,
  };
}

const LINK_EXPIRED =
  "Ce lien de confirmation n'est plus valable : il a expiré ou a déjà servi. Refaites la demande de changement d'adresse dans « Mon compte ».";

/** The link of the confirmation mail: the new address becomes the account's, confirmed. */
export async function confirmEmailChange(ctx: ServiceContext, actor: Actor, token: string): Promise<{ ok: true; email: string; identifier: string }> {
  return ctx.db.$transaction(async (tx) => {
    const row = await consumeToken(ctx, tx, ['EMAIL_CHANGE_LINK'], token);
    const payload = row?.payload;
    const email = payload && typeof payload === 'object' && 'newEmail' in payload && typeof payload.newEmail === 'string' ? payload.newEmail : null;
    const g = row?.guardianId != null ? await tx.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: row.guardianId } }) : null;
    if (!row || !g || !email) throw new ServiceError('expired', LINK_EXPIRED, 'email change token invalid');
    await tx.guardian.update({ where: { id: g.id }, data: { email, emailConfirmed: true } });
    await audit(tx, {
      actor,
      action: 'selfservice.email_change',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { newEmail: maskEmail(email) },
    });
    return { ok: true, email, identifier: g.identifier };
  });
}
