// Helpers shared by the self-service flows: which accounts are live, password checks
// against the stored credential, and security notices to the confirmed contacts.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Tx } from '../db/index.js';
import { actorId, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { decryptSecret, hashPassword, verifyPassword } from '../passwords.js';

/** Accounts that exist for users: not merged into another, not deleted. */
export function normalizeIdentifier(s: string): string {
  return s.trim().toLowerCase();
}

export interface StoredCredential {
  tempPasswordEnc: string | null;
  passwordHash: string | null;
  isTemporary: boolean;
}

const sha = (s: string): Buffer => createHash('sha256').update(s.normalize('NFC'), 'utf8').digest();

// A hash to verify against when there is no account, so that both paths cost one scrypt.
let dummyHash: Promise<string> | undefined;

/**
 * Which password of the account `password` is: its temporary one, its personal one, or none.
 * Constant-time comparisons; one scrypt verification whatever the case.
 */
export async function matchPassword(ctx: ServiceContext, cred: StoredCredential | null, password: string): Promise<'temporary' | 'personal' | null> {
  if (cred?.isTemporary && cred.tempPasswordEnc) {
    let temp: string;
    try {
      temp = decryptSecret(cred.tempPasswordEnc, ctx.settings.secretKey);
    } catch {
      return null;
    }
    await verifyPassword(password, await (dummyHash ??= hashPassword('dummy-password-for-timing')));
    return timingSafeEqual(sha(temp), sha(password)) ? 'temporary' : null;
  }
  if (cred?.passwordHash) return (await verifyPassword(password, cred.passwordHash)) ? 'personal' : null;
  await verifyPassword(password, await (dummyHash ??= hashPassword('dummy-password-for-timing')));
  return null;
}

export interface ContactHolder {
  id: number;
  firstName: string;
  email: string | null;
  emailConfirmed: boolean;
  mobile: string | null;
  mobileConfirmed: boolean;
}

/**
 * Queues a notice without secret to every confirmed contact of the account, except the one
 * that has just received the message itself (`except`).
 */
export async function notifyConfirmedContacts(
  ctx: ServiceContext,
  tx: Tx,
  g: ContactHolder,
  event: 'password_changed' | 'identifier_sent',
  except?: 'email' | 'mobile',
): Promise<void> {
  if (g.email && g.emailConfirmed && except !== 'email') {
    await ctx.messages.enqueue(tx, { template: 'security_notice', to: g.email, firstName: g.firstName, event }, { guardianId: g.id });
  }
  if (g.mobile && g.mobileConfirmed && except !== 'mobile') {
    await ctx.messages.enqueue(tx, { template: 'sms_notice', to: g.mobile, event }, { guardianId: g.id });
  }
}

/** The key of the per-source rate limit (conversation, IP address) of a request. */
export function sourceOf(actor: Actor): string {
  return actor.kind === 'anonymous' || actor.kind === 'guardian' ? actor.source : actorId(actor);
}
