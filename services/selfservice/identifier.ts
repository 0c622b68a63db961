// Lost identifier (DOMAIN.md "Guardian self-help"): by email if that email is CONFIRMED on an
// account, by SMS (guardians) if that mobile is CONFIRMED. The answer never says whether it was.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { invalid } from '../errors.js';
import { normalizeMobile } from '../phone.js';
import { audit } from '../audit.js';
import { maskEmail, maskPhone } from '../logger.js';
import { notifyConfirmedContacts, sourceOf } from './account.js';
import { normalizeEmail } from '../accounts/contact.js';
import { contactKey, hit } from './ratelimit.js';
import { padDuration, texts, tooManyReply, type UniformReply } from './uniform.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export type IdentifierChannel = 'email' | 'sms';

/**
 * Sends the identifier(s) of the account(s) on which `contact` is confirmed, to that contact.
 * Malformed input -> ServiceError 'invalid' (about the input only). Otherwise always the same
 * reply for the channel, or a source-level "too many requests".
 */
export async function recoverIdentifier(ctx: ServiceContext, actor: Actor, channel: IdentifierChannel, contact: string): Promise<UniformReply> {
  let normalized: string;
  if (channel === 'email') {
    const e = normalizeEmail(contact);
    if (!e) throw invalid("Cette adresse e-mail n'est pas valide. Vérifiez-la (exemple : prenom.nom@exemple.fr).");
    normalized = e;
  } else {
    const m = normalizeMobile(contact);
    if (!m.ok) throw invalid(m.reason);
    normalized = m.e164;
  }
  return padDuration(async () => {
    const source = await hit(ctx, 'source', `identifier:${sourceOf(actor)}`);
    if (!source.allowed) return tooManyReply(source.retryAfterMinutes);
    const reply: UniformReply = { status: 'accepted', text: channel === 'email' ? texts.identifierByEmail() : texts.identifierBySms() };
    const perContact = await hit(ctx, 'contact', `identifier:${contactKey(ctx, normalized.toLowerCase())}`);
    const accounts = await ctx.db.guardian.findMany({
      where:
        channel === 'email'
          ? { ...VISIBLE_GUARDIAN, email: { equals: normalized, mode: 'insensitive' }, emailConfirmed: true }
          : { ...VISIBLE_GUARDIAN, mobile: normalized, mobileConfirmed: true },
      select: { id: true, identifier: true, firstName: true, email: true, emailConfirmed: true, mobile: true, mobileConfirmed: true },
      orderBy: { id: 'asc' },
    });
    for (const g of accounts) {
      const perAccount = await hit(ctx, 'account', `identifier:${g.id}`);
      const allowed = perContact.allowed && perAccount.allowed;
      await ctx.db.$transaction(async (tx) => {
        if (allowed) {
          if (channel === 'email') {
            await ctx.messages.enqueue(
              tx,
              { template: 'identifier_reminder', to: g.email ?? normalized, firstName: g.firstName, identifier: g.identifier },
              { guardianId: g.id },
            );
          } else {
            await ctx.messages.enqueue(tx, { template: 'sms_identifier', to: g.mobile ?? normalized, identifier: g.identifier }, { guardianId: g.id });
          }
          await notifyConfirmedContacts(ctx, tx, g, 'identifier_sent', channel === 'email' ? 'email' : 'mobile');
        }
        await audit(tx, {
          actor,
          action: 'selfservice.identifier_recovery',
          guardianId: g.id,
          outcome: allowed ? 'success' : 'denied',
          at: ctx.now(),
          details: { channel, contact: channel === 'email' ? maskEmail(normalized) : maskPhone(normalized), ...(allowed ? {} : { reason: 'rate_limited' }) },
        });
      });
    }
    return reply;
  });
}
