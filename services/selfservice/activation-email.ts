// The activation mail went to a wrong address (typed wrong at the first login): the guardian
// corrects it without waiting for the school. They prove it is them with their identifier and
// the password chosen at the first login; the same answer is given for an unknown identifier
// and a wrong password. The account (En cours d'activation) gets the new, unconfirmed address
// and a new activation mail; earlier activation links stop working.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { audit } from '../audit.js';
import { maskEmail } from '../logger.js';
import { normalizeEmail } from '../accounts/contact.js';
import { queueActivationMail } from '../accounts/activation-resend.js';
import { checkPassword } from './password-check.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export type ActivationEmailField = 'identifier' | 'email' | 'emailConfirmation';

export interface ActivationEmailInput {
  identifier: string;
  password: string;
  email: string;
  emailConfirmation: string;
}

export type ActivationEmailResult = { ok: true; sentTo: string } | { ok: false; field: ActivationEmailField; text: string; rateLimited?: boolean };

const BAD = 'Identifiant ou mot de passe incorrect. Utilisez le mot de passe que vous avez choisi lors de votre première connexion.';

export async function correctActivationEmail(ctx: ServiceContext, actor: Actor, input: ActivationEmailInput): Promise<ActivationEmailResult> {
  const email = normalizeEmail(input.email);
  if (!email) return { ok: false, field: 'email', text: 'Saisissez une adresse e-mail valide (exemple : prenom.nom@exemple.fr).' };
  if (normalizeEmail(input.emailConfirmation) !== email)
    return { ok: false, field: 'emailConfirmation', text: 'Les deux adresses e-mail ne sont pas identiques.' };
  const check = await checkPassword(ctx, actor, {
    purpose: 'activation-email',
    identifier: input.identifier,
    password: input.password,
    find: (id) => ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, identifier: id }, include: { credential: true } }),
    auditedAs: 'selfservice.activation_email',
  });
  if (!check.ok) {
    return check.reason === 'rate_limited'
      ? { ok: false, field: 'identifier', text: check.text, rateLimited: true }
      : { ok: false, field: 'identifier', text: BAD };
  }
  const { guardian: g, match } = check;
  // From here the guardian is proven: the account's state may be told.
  if (match === 'temporary') {
    return {
      ok: false,
      field: 'identifier',
      text: 'Votre mot de passe est encore provisoire : faites d’abord la première connexion, vous y indiquerez votre adresse e-mail.',
    };
  }
  if (g.state === 'ACTIVATED') {
    return { ok: false, field: 'identifier', text: 'Votre compte est déjà activé. Pour changer d’adresse e-mail, connectez-vous à « Mon compte ».' };
  }
  if (g.state !== 'ACTIVATING') {
    return {
      ok: false,
      field: 'identifier',
      text: 'Votre compte n’attend pas d’e-mail d’activation. Faites la première connexion avec le courrier de l’école.',
    };
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.guardian.update({ where: { id: g.id }, data: { email, emailConfirmed: false } });
    await queueActivationMail(ctx, tx, g, email);
    await audit(tx, {
      actor,
      action: 'selfservice.activation_email',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { to: maskEmail(email), changed: email !== g.email },
    });
  });
  return { ok: true, sentTo: maskEmail(email) };
}
