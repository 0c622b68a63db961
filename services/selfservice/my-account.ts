// "Mon compte" > "Mes informations" (self-help guide §4.4): the logged-in guardian sees their
// identifier, changes their password (current one + new one under the policy; not for
// accounts activated through FranceConnect) and their mobile, confirmed by a code sent by SMS
// to the new number (the number changes only once the code is right).
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { maskEmail, maskPhone } from '../logger.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { normalizeMobile } from '../phone.js';
import { notifyConfirmedContacts } from './account.js';
import { checkCode, createCode, newRequestId } from './codes.js';
import { actorAccount } from './guardian.js';
import { checkNewPassword } from './policy.js';
import { contactKey, hit } from './ratelimit.js';
import { invalidateTokens } from './tokens.js';
import { texts } from './uniform.js';

export interface MyInformation {
  identifier: string;
  firstName: string;
  lastName: string;
  /** Masked; with whether it is confirmed. */
  email: string | null;
  emailConfirmed: boolean;
  mobile: string | null;
  mobileConfirmed: boolean;
  /** FranceConnect accounts have no EduConnect password to change. */
  canChangePassword: boolean;
}

export async function myInformation(ctx: ServiceContext, actor: Actor): Promise<MyInformation> {
  const g = await actorAccount(ctx, actor);
  return {
    identifier: g.identifier,
    firstName: g.firstName,
    lastName: g.lastName,
    email: g.email ? maskEmail(g.email) : null,
    emailConfirmed: g.emailConfirmed,
    mobile: g.mobile ? maskPhone(g.mobile) : null,
    mobileConfirmed: g.mobileConfirmed,
    canChangePassword: g.origin !== 'FRANCECONNECT',
  };
}

export type ChangePasswordResult = { ok: true } | { ok: false; field: 'currentPassword' | 'password' | 'confirmation'; reasons: string[] };

export async function changeMyPassword(
  ctx: ServiceContext,
  actor: Actor,
  current: string,
  password: string,
  confirmation: string,
): Promise<ChangePasswordResult> {
  const g = await actorAccount(ctx, actor);
  if (g.origin === 'FRANCECONNECT')
    throw new ServiceError(
      'conflict',
      'Votre compte est activé avec FranceConnect : il n’a pas de mot de passe EduConnect à changer.',
      'franceconnect account',
    );
  const limit = await hit(ctx, 'account', `change-password:${g.id}`);
  if (!limit.allowed) return { ok: false, field: 'currentPassword', reasons: [texts.tooMany(limit.retryAfterMinutes)] };
  const cred = await ctx.db.credential.findUnique({ where: { guardianId: g.id } });
  if (!cred?.passwordHash || !(await verifyPassword(current, cred.passwordHash))) {
    await audit(ctx.db, {
      actor,
      action: 'selfservice.password_change',
      guardianId: g.id,
      outcome: 'denied',
      at: ctx.now(),
      details: { reason: 'bad_current_password' },
    });
    return { ok: false, field: 'currentPassword', reasons: ['Le mot de passe actuel est incorrect.'] };
  }
  const policy = checkNewPassword(password, confirmation, g);
  if (!policy.ok) {
    const mismatch = policy.reasons.filter((r) => r.startsWith('La confirmation'));
    return mismatch.length === policy.reasons.length
      ? { ok: false, field: 'confirmation', reasons: mismatch }
      : { ok: false, field: 'password', reasons: policy.reasons };
  }
  if (await verifyPassword(password, cred.passwordHash))
    return { ok: false, field: 'password', reasons: ['Choisissez un mot de passe différent de l’actuel.'] };
  const passwordHash = await hashPassword(password);
  await ctx.db.$transaction(async (tx) => {
    const now = ctx.now();
    await tx.credential.update({ where: { guardianId: g.id }, data: { passwordHash, passwordChangedAt: now, mustChangeSince: null } });
    await invalidateTokens(ctx, tx, g.id, ['PASSWORD_RESET_LINK', 'PASSWORD_RESET_CODE', 'PASSWORD_PAGE']);
    await notifyConfirmedContacts(ctx, tx, g, 'password_changed');
    await audit(tx, { actor, action: 'selfservice.password_change', guardianId: g.id, outcome: 'success', at: now });
  });
  return { ok: true };
}

/** Step 1 of a new mobile: a code by SMS to that number; returns the request id (keep it in a cookie). */
export async function requestMobileChange(ctx: ServiceContext, actor: Actor, mobileInput: string): Promise<{ requestId: string }> {
  const g = await actorAccount(ctx, actor);
  const m = normalizeMobile(mobileInput);
  if (!m.ok) throw invalid(m.reason);
  const perAccount = await hit(ctx, 'account', `mobile-change:${g.id}`);
  const perContact = await hit(ctx, 'contact', `mobile-change:${contactKey(ctx, m.e164)}`);
  const limit = !perAccount.allowed ? perAccount : !perContact.allowed ? perContact : null;
  if (limit) throw new ServiceError('rate_limited', texts.tooMany(limit.retryAfterMinutes), 'mobile change limited');
  const requestId = newRequestId();
  await ctx.db.$transaction(async (tx) => {
    const code = await createCode(ctx, tx, 'MOBILE_CHANGE_CODE', g.id, requestId);
    await tx.selfServiceToken.updateMany({ where: { requestId, kind: 'MOBILE_CHANGE_CODE' }, data: { payload: { mobile: m.e164 } } });
    await ctx.messages.enqueue(
      tx,
      { template: 'sms_code', to: m.e164, code, ttlMinutes: ctx.settings.selfService.codeTtlMinutes, purpose: 'mobile' },
      { guardianId: g.id },
    );
    await audit(tx, {
      actor,
      action: 'selfservice.mobile_change',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { step: 'code_sent', to: maskPhone(m.e164) },
    });
  });
  return { requestId };
}

/** Step 2: the code received on the new number -> the number is the account's, confirmed. */
export async function confirmMobileChange(
  ctx: ServiceContext,
  actor: Actor,
  requestId: string,
  code: string,
): Promise<{ ok: true; mobile: string } | { ok: false; text: string }> {
  const g = await actorAccount(ctx, actor);
  const row = await checkCode(ctx, 'MOBILE_CHANGE_CODE', requestId, code);
  const payload = row?.payload;
  const mobile = payload && typeof payload === 'object' && 'mobile' in payload && typeof payload.mobile === 'string' ? payload.mobile : null;
  if (row?.guardianId !== g.id || !mobile) return { ok: false, text: texts.codeRefused() };
  await ctx.db.$transaction(async (tx) => {
    await tx.guardian.update({ where: { id: g.id }, data: { mobile, mobileConfirmed: true } });
    await audit(tx, {
      actor,
      action: 'selfservice.mobile_change',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { step: 'confirmed', to: maskPhone(mobile) },
    });
  });
  return { ok: true, mobile: maskPhone(mobile) };
}
