// The password check of the self-service pages (login, first login, activation address
// correction), in one place: the client address's rate limit, the password throttle
// (throttle.ts), the account looked up by identifier, and whether the password is its own; every
// failure and success counted for the throttle. Unknown identifiers and wrong passwords answer
// alike (one scrypt each, see matchPassword).
import type { Actor } from '../actor.js';
import { audit, type AuditAction } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { matchPassword, normalizeIdentifier, sourceOf, type StoredCredential } from './account.js';
import { hit } from './ratelimit.js';
import { checkPasswordThrottle, recordPasswordFailure, recordPasswordSuccess } from './throttle.js';
import { texts } from './uniform.js';

export interface PasswordCheckRequest<G> {
  /** The page's rate-limit key prefix (`login`, `firstlogin`…). */
  purpose: string;
  identifier: string;
  password: string;
  /** The visible account of a normalised identifier, with its credential. */
  find: (identifier: string) => Promise<G | null>;
  /** The audit action under which a wrong password for an existing account is recorded (none: not audited). */
  auditedAs?: AuditAction;
}

export type PasswordCheck<G> =
  { ok: true; guardian: G; match: 'temporary' | 'personal' } | { ok: false; reason: 'rate_limited'; text: string } | { ok: false; reason: 'bad_credentials' };

export async function checkPassword<G extends { id: number; credential: StoredCredential | null }>(
  ctx: ServiceContext,
  actor: Actor,
  request: PasswordCheckRequest<G>,
): Promise<PasswordCheck<G>> {
  const id = normalizeIdentifier(request.identifier);
  const from = sourceOf(actor);
  const source = await hit(ctx, 'source', `${request.purpose}:${from}`);
  if (!source.allowed) return { ok: false, reason: 'rate_limited', text: texts.tooMany(source.retryAfterMinutes) };
  const throttle = await checkPasswordThrottle(ctx, id, from);
  if (!throttle.allowed) return { ok: false, reason: 'rate_limited', text: throttle.text };
  const guardian = id ? await request.find(id) : null;
  const match = await matchPassword(ctx, guardian?.credential ?? null, request.password);
  if (!guardian || !match) {
    await recordPasswordFailure(ctx, id, from);
    if (guardian && request.auditedAs) {
      await audit(ctx.db, {
        actor,
        action: request.auditedAs,
        guardianId: guardian.id,
        outcome: 'denied',
        at: ctx.now(),
        details: { reason: 'bad_credentials' },
      });
    }
    return { ok: false, reason: 'bad_credentials' };
  }
  await recordPasswordSuccess(ctx, id, from);
  return { ok: true, guardian, match };
}
