// First login with the temporary password (DOMAIN.md "Distributed by the school"): the
// guardian chooses a personal password, gives an email and the birth date of a named child
// -> En cours d'activation; the link of the activation mail -> Activé.
// A temporary password only ever opens this page: it must be changed before anything else.
import { randomInt } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError } from '../errors.js';
import { audit } from '../audit.js';
import { hashPassword } from '../passwords.js';
import { maskEmail } from '../logger.js';
import { notifyConfirmedContacts } from './account.js';
import { normalizeEmail } from '../accounts/contact.js';
import { checkNewPassword } from './policy.js';
import { hit } from './ratelimit.js';
import { checkPassword } from './password-check.js';
import { consumeToken, createToken, hashToken, invalidateTokens, peekToken } from './tokens.js';
import { queueActivationMail } from '../accounts/activation-resend.js';
import { HELPDESK } from '../helpdesk/contact.js';
import { FORCED_CHANGE_TEXT, startForcedChange } from './forced-change.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

const TICKET_TTL_MS = 20 * 60_000;
const BAD_LOGIN = 'Identifiant ou mot de passe provisoire incorrect. Vérifiez-les sur le courrier remis par l’école ou l’établissement.';
const TICKET_EXPIRED = 'Votre session de première connexion a expiré. Reconnectez-vous avec votre identifiant et votre mot de passe provisoire.';

export type FirstLoginStart =
  | {
      ok: true;
      /** Opaque, single-use ticket for `completeFirstLogin` (keep it server-side: cookie). */
      ticket: string;
      identifier: string;
      firstName: string;
      /** False when the account is already activated and only the password must change. */
      needsActivation: boolean;
      /** The child whose birth date is asked (first name only). */
      childFirstName: string | null;
    }
  | { ok: false; reason: FirstLoginRefusal; text: string }
  /** The usual password after a mass reset: go to the forced choice of a new one. */
  | { ok: false; reason: 'forced_change'; text: string; forcedChangeTicket: string };

/** Why step 1 refused (the page's HTTP status follows it, never the text). */
export type FirstLoginRefusal = 'rate_limited' | 'bad_credentials' | 'personal_password' | 'no_child';

/** Step 1: identifier + temporary password. */
export async function startFirstLogin(ctx: ServiceContext, actor: Actor, identifier: string, temporaryPassword: string): Promise<FirstLoginStart> {
  const check = await checkPassword(ctx, actor, {
    purpose: 'firstlogin',
    identifier,
    password: temporaryPassword,
    find: (id) =>
      ctx.db.guardian.findFirst({
        where: { ...VISIBLE_GUARDIAN, identifier: id },
        include: { credential: true, pupils: { include: { pupil: { select: { id: true, firstName: true } } }, orderBy: { pupilId: 'asc' } } },
      }),
    auditedAs: 'selfservice.first_login',
  });
  if (!check.ok) return check.reason === 'rate_limited' ? check : { ok: false, reason: 'bad_credentials', text: BAD_LOGIN };
  const { guardian: g, match } = check;
  if (match === 'personal' && g.credential?.mustChangeSince) {
    return { ok: false, reason: 'forced_change', text: FORCED_CHANGE_TEXT, forcedChangeTicket: await startForcedChange(ctx, actor, g.id) };
  }
  if (match === 'personal') {
    return {
      ok: false,
      reason: 'personal_password',
      text: 'Votre compte a déjà un mot de passe personnel : connectez-vous avec lui. En cas d’oubli, utilisez « Mot de passe perdu ».',
    };
  }
  const needsActivation = g.state !== 'ACTIVATED';
  const children = g.pupils.map((l) => l.pupil);
  const child = children.length ? children[randomInt(children.length)] : undefined;
  if (needsActivation && !child) {
    return {
      ok: false,
      reason: 'no_child',
      text: "Aucun enfant n'est encore rattaché à ce compte : l'activation n'est pas possible pour l'instant. Contactez l'école ou l'établissement de votre enfant.",
    };
  }
  const ticket = await ctx.db.$transaction(async (tx) => {
    await invalidateTokens(ctx, tx, g.id, ['FIRST_LOGIN']);
    const t = await createToken(ctx, tx, {
      kind: 'FIRST_LOGIN',
      guardianId: g.id,
      ttlMs: TICKET_TTL_MS,
      payload: { pupilId: child?.id ?? null },
      maxAttempts: 5,
    });
    await audit(tx, {
      actor,
      action: 'selfservice.first_login',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { step: 'temporary_password_checked' },
    });
    return t;
  });
  return {
    ok: true,
    ticket,
    identifier: g.identifier,
    firstName: g.firstName,
    needsActivation,
    childFirstName: needsActivation && child ? child.firstName : null,
  };
}

/** What the second step shows for a ticket (after a redirect), or ServiceError 'expired'. */
export async function firstLoginInfo(ctx: ServiceContext, ticket: string): Promise<Extract<FirstLoginStart, { ok: true }>> {
  const t = await peekToken(ctx, ctx.db, ['FIRST_LOGIN'], ticket);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', TICKET_EXPIRED, `first login ticket ${t.status}`);
  const g = await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: t.row.guardianId }, include: { credential: true } });
  if (!g?.credential?.isTemporary) throw new ServiceError('expired', TICKET_EXPIRED, 'password no longer temporary');
  const pupilId = pupilIdOf(t.row.payload);
  const child = pupilId === null ? null : await ctx.db.pupil.findUnique({ where: { id: pupilId }, select: { firstName: true } });
  const needsActivation = g.state !== 'ACTIVATED';
  return {
    ok: true,
    ticket,
    identifier: g.identifier,
    firstName: g.firstName,
    needsActivation,
    childFirstName: needsActivation ? (child?.firstName ?? null) : null,
  };
}

function pupilIdOf(payload: unknown): number | null {
  if (payload && typeof payload === 'object' && 'pupilId' in payload && typeof payload.pupilId === 'number') return payload.pupilId;
  return null;
}

export type FirstLoginField = 'password' | 'confirmation' | 'email' | 'birthDate';

export interface FirstLoginInput {
  password: string;
  confirmation: string;
  /** Required when the account still needs activation. */
  email?: string;
  /** YYYY-MM-DD (an <input type="date"> value); required when the account needs activation. */
  birthDate?: string;
}

export type FirstLoginResult =
  { ok: true; identifier: string; activationMailTo: string | null } | { ok: false; errors: Partial<Record<FirstLoginField, string[]>> };

const BIRTH_DATE_REFUSED =
  "Cette date de naissance ne correspond pas à celle connue par l'école ou l'établissement. Vérifiez-la. Si elle est juste, demandez à l'école ou à l'établissement de la corriger : la correction est prise en compte sous 1 à 2 jours.";

/** Parses YYYY-MM-DD or DD/MM/YYYY into a UTC date, or null. */
export function parseBirthDate(s: string): Date | null {
  const t = s.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t) ?? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
  if (!m) return null;
  const [y, mo, d] = t.includes('/') ? [m[3], m[2], m[1]] : [m[1], m[2], m[3]];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCDate() === Number(d) && date.getUTCMonth() === Number(mo) - 1 ? date : null;
}

export const sameDay = (a: Date, b: Date): boolean => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

/** Step 2: new password (+ email + birth date of the named child when not yet activated). */
export async function completeFirstLogin(ctx: ServiceContext, actor: Actor, ticket: string, input: FirstLoginInput): Promise<FirstLoginResult> {
  const t = await peekToken(ctx, ctx.db, ['FIRST_LOGIN'], ticket);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', TICKET_EXPIRED, `first login ticket ${t.status}`);
  const guardianId = t.row.guardianId;
  const g = await ctx.db.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: guardianId }, include: { credential: true } });
  if (!g?.credential?.isTemporary) throw new ServiceError('expired', TICKET_EXPIRED, 'password no longer temporary');
  const needsActivation = g.state !== 'ACTIVATED';
  const errors: Partial<Record<FirstLoginField, string[]>> = {};
  const policy = checkNewPassword(input.password, input.confirmation, g);
  if (!policy.ok) {
    const mismatch = policy.reasons.filter((r) => r.startsWith('La confirmation'));
    const others = policy.reasons.filter((r) => !r.startsWith('La confirmation'));
    if (others.length) errors.password = others;
    if (mismatch.length) errors.confirmation = mismatch;
  }
  let email: string | null = null;
  let birthDateWrong = false;
  if (needsActivation) {
    email = normalizeEmail(input.email ?? '');
    if (!email) errors.email = ['Saisissez une adresse e-mail valide (exemple : prenom.nom@exemple.fr). Elle servira à activer votre compte.'];
    const birth = parseBirthDate(input.birthDate ?? '');
    const pupilId = pupilIdOf(t.row.payload);
    const pupil = pupilId === null ? null : await ctx.db.pupil.findUnique({ where: { id: pupilId }, select: { birthDate: true } });
    if (!birth) errors.birthDate = ['Saisissez la date de naissance au format jj/mm/aaaa.'];
    else if (!pupil || !sameDay(pupil.birthDate, birth)) birthDateWrong = true;
  }
  if (birthDateWrong) {
    const perAccount = await hit(ctx, 'account', `birthdate:${guardianId}`);
    await ctx.db.$transaction(async (tx) => {
      await tx.selfServiceToken.update({ where: { id: t.row.id }, data: { attempts: { increment: 1 } } });
      await audit(tx, { actor, action: 'selfservice.first_login', guardianId, outcome: 'denied', at: ctx.now(), details: { reason: 'birth_date_mismatch' } });
    });
    const exhausted = !perAccount.allowed || t.row.attempts + 1 >= t.row.maxAttempts;
    if (exhausted) {
      throw new ServiceError(
        'rate_limited',
        `Trop d'essais de date de naissance. Réessayez dans ${perAccount.retryAfterMinutes} minutes, ou contactez l'école ou l'établissement de votre enfant.`,
        'birth date attempts exhausted',
      );
    }
    errors.birthDate = [BIRTH_DATE_REFUSED];
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const passwordHash = await hashPassword(input.password);
  await ctx.db.$transaction(async (tx) => {
    const used = await consumeToken(ctx, tx, ['FIRST_LOGIN'], ticket);
    if (!used) throw new ServiceError('expired', TICKET_EXPIRED, 'ticket consumed concurrently');
    const now = ctx.now();
    await tx.credential.update({
      where: { guardianId },
      data: { passwordHash, tempPasswordEnc: null, isTemporary: false, passwordChangedAt: now, mustChangeSince: null },
    });
    if (needsActivation && email) {
      await tx.guardian.update({
        where: { id: guardianId },
        data: { state: 'ACTIVATING', origin: g.origin === 'UNSET' ? 'SCHOOL' : g.origin, email, emailConfirmed: false, lastAccessAt: now },
      });
      await queueActivationMail(ctx, tx, g, email);
    } else {
      await tx.guardian.update({ where: { id: guardianId }, data: { lastAccessAt: now } });
      await notifyConfirmedContacts(ctx, tx, g, 'password_changed');
    }
    await audit(tx, {
      actor,
      action: 'selfservice.first_login',
      guardianId,
      outcome: 'success',
      at: now,
      details: needsActivation ? { step: 'activating', email: maskEmail(email) } : { step: 'password_changed' },
    });
  });
  return { ok: true, identifier: g.identifier, activationMailTo: needsActivation ? email : null };
}

const ACTIVATION_EXPIRED = `Ce lien d'activation n'est plus valable : il a expiré ou a déjà servi. Si votre compte est déjà activé, connectez-vous simplement. Sinon, demandez un nouvel e-mail d'activation à l'école ou à l'établissement de votre enfant, ou à l'assistance (${HELPDESK.phone}).`;

export type ActivationResult = { ok: true; identifier: string; firstName: string; alreadyActivated: boolean };

/** The link of the activation mail: En cours d'activation -> Activé, email confirmed. */
export async function activateWithToken(ctx: ServiceContext, actor: Actor, token: string): Promise<ActivationResult> {
  const peek = await peekToken(ctx, ctx.db, ['ACTIVATION_LINK'], token);
  if (peek.status === 'used') {
    const row = await ctx.db.selfServiceToken.findFirst({ where: { kind: 'ACTIVATION_LINK', tokenHash: hashToken(token) }, select: { guardian: true } });
    if (row?.guardian?.state === 'ACTIVATED' && row.guardian.mergedIntoId === null) {
      return { ok: true, identifier: row.guardian.identifier, firstName: row.guardian.firstName, alreadyActivated: true };
    }
  }
  if (peek.status !== 'valid') throw new ServiceError('expired', ACTIVATION_EXPIRED, `activation token ${peek.status}`);
  return ctx.db.$transaction(async (tx) => {
    const row = await consumeToken(ctx, tx, ['ACTIVATION_LINK'], token);
    const g = row?.guardianId != null ? await tx.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, id: row.guardianId } }) : null;
    if (!row || !g) throw new ServiceError('expired', ACTIVATION_EXPIRED, 'activation token consumed concurrently');
    const payload = row.payload;
    const email = payload && typeof payload === 'object' && 'email' in payload && typeof payload.email === 'string' ? payload.email : null;
    const now = ctx.now();
    await tx.guardian.update({
      where: { id: g.id },
      data: {
        state: 'ACTIVATED',
        activatedAt: g.activatedAt ?? now,
        emailConfirmed: email !== null && email === g.email ? true : g.emailConfirmed,
        lastAccessAt: now,
      },
    });
    await audit(tx, { actor, action: 'selfservice.activation', guardianId: g.id, outcome: 'success', at: now });
    return { ok: true, identifier: g.identifier, firstName: g.firstName, alreadyActivated: false };
  });
}
