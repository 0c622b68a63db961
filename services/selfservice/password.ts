// Lost password (DOMAIN.md): identifier, then a link by email (to the CONFIRMED email) or a
// code by SMS (to the CONFIRMED mobile), then a page where the new password is chosen.
import type { Actor } from '../actor.js';
import { PAGES } from '../public-paths.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { hashPassword } from '../passwords.js';
import { normalizeIdentifier, notifyConfirmedContacts, sourceOf } from './account.js';
import { checkCode, createCode, newRequestId } from './codes.js';
import { recordChatVerification } from '../handoff/verification.js';
import { checkNewPassword, type PolicyResult } from './policy.js';
import { contactKey, hit } from './ratelimit.js';
import { consumeToken, createToken, invalidateTokens, peekToken, tokenUrl } from './tokens.js';
import { padDuration, texts, tooManyReply, type UniformReply } from './uniform.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

export type ResetMethod = 'email' | 'sms';

const RESET_KINDS = ['PASSWORD_RESET_LINK', 'PASSWORD_PAGE', 'PASSWORD_RESET_CODE'] as const;

/**
 * Starts a password reset. Same reply whether or not the identifier exists or has the
 * confirmed contact; for 'sms' the reply carries a request id (always, random) to give back
 * to `verifyCode` with the code.
 */
export async function requestPasswordReset(ctx: ServiceContext, actor: Actor, identifier: string, method: ResetMethod): Promise<UniformReply> {
  const id = normalizeIdentifier(identifier);
  if (!id || id.length > 100) throw invalid('Saisissez votre identifiant EduConnect (par exemple : c.dupont12).');
  return padDuration(async () => {
    const source = await hit(ctx, 'source', `password:${sourceOf(actor)}`);
    if (!source.allowed) return tooManyReply(source.retryAfterMinutes);
    const requestId = newRequestId();
    const reply: UniformReply =
      method === 'email' ? { status: 'accepted', text: texts.passwordByEmail(ctx) } : { status: 'accepted', text: texts.passwordBySms(ctx), requestId };
    const perIdentifier = await hit(ctx, 'contact', `password:${contactKey(ctx, id)}`);
    const g = await ctx.db.guardian.findFirst({
      where: { ...VISIBLE_GUARDIAN, identifier: id },
      select: { id: true, firstName: true, email: true, emailConfirmed: true, mobile: true, mobileConfirmed: true },
    });
    if (!g) return reply;
    const to = method === 'email' ? (g.emailConfirmed ? g.email : null) : g.mobileConfirmed ? g.mobile : null;
    const perAccount = to ? await hit(ctx, 'account', `password:${g.id}`) : undefined;
    const perContact = to ? await hit(ctx, 'contact', `password-to:${contactKey(ctx, to.toLowerCase())}`) : undefined;
    const allowed = Boolean(to && perIdentifier.allowed && perAccount?.allowed && perContact?.allowed);
    await ctx.db.$transaction(async (tx) => {
      if (allowed && to) {
        if (method === 'email') {
          const ttlHours = ctx.settings.selfService.linkTtlHours;
          const token = await createToken(ctx, tx, { kind: 'PASSWORD_RESET_LINK', guardianId: g.id, ttlMs: Math.min(ttlHours, 24) * 3_600_000 });
          await ctx.messages.enqueue(
            tx,
            { template: 'password_reset_link', to, firstName: g.firstName, url: tokenUrl(ctx, PAGES.passwordPage, token), ttlHours: Math.min(ttlHours, 24) },
            { guardianId: g.id },
          );
        } else {
          const code = await createCode(ctx, tx, 'PASSWORD_RESET_CODE', g.id, requestId);
          await ctx.messages.enqueue(
            tx,
            { template: 'sms_code', to, code, ttlMinutes: ctx.settings.selfService.codeTtlMinutes, purpose: 'password' },
            { guardianId: g.id },
          );
        }
      }
      await audit(tx, {
        actor,
        action: 'selfservice.password_reset_request',
        guardianId: g.id,
        outcome: allowed ? 'success' : 'denied',
        at: ctx.now(),
        details: { method, ...(allowed ? {} : { reason: to ? 'rate_limited' : 'no_confirmed_contact' }) },
      });
    });
    return reply;
  });
}

export type CodeResult = { ok: true; url: string } | { ok: false; text: string };

/**
 * Checks the SMS code of a password reset request. A right code gives a single-use link
 * to the page where the new password is chosen (`${publicUrl}/mot-de-passe/<token>`).
 * Typed in a chat (`chatKey`: its conversation key), the conversation is recorded as verified
 * for that account (services/handoff/verification.ts).
 */
export async function verifyCode(ctx: ServiceContext, actor: Actor, requestId: string, code: string, chatKey?: string): Promise<CodeResult> {
  return padDuration(() => verifyCodeNow(ctx, actor, requestId, code, chatKey));
}

async function verifyCodeNow(ctx: ServiceContext, actor: Actor, requestId: string, code: string, chatKey: string | undefined): Promise<CodeResult> {
  const source = await hit(ctx, 'source', `code:${sourceOf(actor)}`);
  if (!source.allowed) return { ok: false, text: texts.tooMany(source.retryAfterMinutes) };
  const row = await checkCode(ctx, 'PASSWORD_RESET_CODE', requestId, code);
  if (row?.guardianId == null) return { ok: false, text: texts.codeRefused() };
  const guardianId = row.guardianId;
  const token = await ctx.db.$transaction(async (tx) => {
    const t = await createToken(ctx, tx, { kind: 'PASSWORD_PAGE', guardianId, ttlMs: ctx.settings.selfService.codeTtlMinutes * 60_000 });
    await audit(tx, { actor, action: 'selfservice.password_reset_code', guardianId, outcome: 'success', at: ctx.now() });
    if (chatKey) await recordChatVerification(ctx, tx, chatKey, guardianId, 'sms_code');
    return t;
  });
  return { ok: true, url: tokenUrl(ctx, PAGES.passwordPage, token) };
}

export interface PasswordPageInfo {
  identifier: string;
  firstName: string;
}

export const expiredLinkText = (): string =>
  "Ce lien n'est plus valable : il a expiré ou a déjà été utilisé. Faites une nouvelle demande depuis « Mot de passe perdu » pour en recevoir un nouveau.";

/** What the new-password page shows for a token, or a ServiceError 'expired'. */
export async function passwordPageInfo(ctx: ServiceContext, token: string): Promise<PasswordPageInfo> {
  const t = await peekToken(ctx, ctx.db, ['PASSWORD_RESET_LINK', 'PASSWORD_PAGE'], token);
  const g =
    t.status === 'valid' && t.row.guardianId !== null
      ? await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: t.row.guardianId }, select: { identifier: true, firstName: true } })
      : null;
  if (!g) throw new ServiceError('expired', expiredLinkText(), `password page token ${t.status}`);
  return g;
}

export type SetPasswordResult = { ok: true; identifier: string } | Extract<PolicyResult, { ok: false }>;

/**
 * Sets the personal password from a reset link or a password-page link: policy checked
 * first (a refusal keeps the link usable), then the token is consumed, other reset tokens
 * invalidated, and notices queued to every confirmed contact.
 */
export async function setPasswordWithToken(
  ctx: ServiceContext,
  actor: Actor,
  token: string,
  newPassword: string,
  confirmation: string,
): Promise<SetPasswordResult> {
  const t = await peekToken(ctx, ctx.db, ['PASSWORD_RESET_LINK', 'PASSWORD_PAGE'], token);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', expiredLinkText(), `password token ${t.status}`);
  const guardianId = t.row.guardianId;
  const g = await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: guardianId } });
  if (!g) throw new ServiceError('expired', expiredLinkText(), 'account gone');
  const policy = checkNewPassword(newPassword, confirmation, g);
  if (!policy.ok) return policy;
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.$transaction(async (tx) => {
    const used = await consumeToken(ctx, tx, ['PASSWORD_RESET_LINK', 'PASSWORD_PAGE'], token);
    if (!used) throw new ServiceError('expired', expiredLinkText(), 'token consumed concurrently');
    await tx.credential.upsert({
      where: { guardianId },
      create: { guardianId, passwordHash, isTemporary: false, passwordChangedAt: ctx.now() },
      update: { passwordHash, tempPasswordEnc: null, isTemporary: false, passwordChangedAt: ctx.now(), mustChangeSince: null },
    });
    await invalidateTokens(ctx, tx, guardianId, [...RESET_KINDS, 'FIRST_LOGIN', 'SESSION']);
    await notifyConfirmedContacts(ctx, tx, g, 'password_changed');
    await audit(tx, { actor, action: 'selfservice.password_set', guardianId, outcome: 'success', at: ctx.now(), details: { via: t.row.kind } });
  });
  return { ok: true, identifier: g.identifier };
}
