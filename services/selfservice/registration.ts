// SMS self-registration (DOMAIN.md): last name, first name and mobile -> code by SMS ->
// birth dates of all the children -> identifier shown, password chosen -> Activé, origin
// Responsable, mobile confirmed. Only for accounts of the register not yet activated, whose
// names and mobile match what the school recorded.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { hashPassword } from '../passwords.js';
import { normalizeMobile } from '../phone.js';
import { searchKey } from '../text.js';
import { LIVE, sourceOf } from './account.js';
import { parseBirthDate, sameDay } from './activation.js';
import { checkCode, createCode, newRequestId } from './codes.js';
import { checkNewPassword, type PolicyResult } from './policy.js';
import { contactKey, hit } from './ratelimit.js';
import { consumeToken, createToken, peekToken } from './tokens.js';
import { padDuration, texts, tooManyReply, type UniformReply } from './uniform.js';

const TICKET_TTL_MS = 30 * 60_000;
const NOT_YET_ACTIVATED = ['NOT_NOTIFIED', 'NOTIFIED'] as const;
const TICKET_EXPIRED = "Votre inscription n'a pas abouti à temps. Recommencez-la depuis le début : un nouveau code vous sera envoyé.";

export interface RegistrationRequest {
  lastName: string;
  firstName: string;
  mobile: string;
}

/** Step 1: same reply (with a request id) whether or not an account matches. */
export async function startRegistration(ctx: ServiceContext, actor: Actor, input: RegistrationRequest): Promise<UniformReply> {
  const key = searchKey(input.lastName, input.firstName);
  if (!input.lastName.trim() || !input.firstName.trim() || key.length > 200) throw invalid('Saisissez votre nom et votre prénom tels que connus par l’école.');
  const m = normalizeMobile(input.mobile);
  if (!m.ok) throw invalid(m.reason);
  const mobile = m.e164;
  return padDuration(async () => {
    const source = await hit(ctx, 'source', `registration:${sourceOf(actor)}`);
    if (!source.allowed) return tooManyReply(source.retryAfterMinutes);
    const requestId = newRequestId();
    const reply: UniformReply = { status: 'accepted', text: texts.registrationCode(ctx), requestId };
    const perContact = await hit(ctx, 'contact', `registration:${contactKey(ctx, mobile)}`);
    const g = await ctx.db.guardian.findFirst({
      // The mobile the school recorded in its register (guide §1.2), or the account's own.
      where: { ...LIVE, searchName: key, OR: [{ registerMobile: mobile }, { mobile }], state: { in: [...NOT_YET_ACTIVATED] } },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    if (!g) return reply;
    const perAccount = await hit(ctx, 'account', `registration:${g.id}`);
    const allowed = perContact.allowed && perAccount.allowed;
    await ctx.db.$transaction(async (tx) => {
      if (allowed) {
        const code = await createCode(ctx, tx, 'REGISTRATION_CODE', g.id, requestId);
        await ctx.messages.enqueue(tx, { template: 'sms_code', to: mobile, code, ttlMinutes: ctx.settings.selfService.codeTtlMinutes, purpose: 'registration' }, { guardianId: g.id });
      }
      await audit(tx, { actor, action: 'selfservice.registration_request', guardianId: g.id, outcome: allowed ? 'success' : 'denied', at: ctx.now(), ...(allowed ? {} : { details: { reason: 'rate_limited' } }) });
    });
    return reply;
  });
}

export interface RegistrationChild {
  pupilId: number;
  firstName: string;
}

export interface RegistrationInfo {
  step: 'children' | 'password';
  children: RegistrationChild[];
  /** Shown once the children are confirmed. */
  identifier: string | null;
}

type Payload = { step: 'children' | 'password' };
const stepOf = (payload: unknown): Payload['step'] =>
  payload && typeof payload === 'object' && 'step' in payload && payload.step === 'password' ? 'password' : 'children';

export type RegistrationCodeResult = { ok: true; ticket: string } | { ok: false; text: string };

/** Step 2: the SMS code -> a ticket for the next steps (keep it server-side: cookie). */
export async function verifyRegistrationCode(ctx: ServiceContext, actor: Actor, requestId: string, code: string): Promise<RegistrationCodeResult> {
  return padDuration(() => verifyRegistrationCodeNow(ctx, actor, requestId, code));
}

async function verifyRegistrationCodeNow(ctx: ServiceContext, actor: Actor, requestId: string, code: string): Promise<RegistrationCodeResult> {
  const source = await hit(ctx, 'source', `code:${sourceOf(actor)}`);
  if (!source.allowed) return { ok: false, text: texts.tooMany(source.retryAfterMinutes) };
  const row = await checkCode(ctx, 'REGISTRATION_CODE', requestId, code);
  if (!row || row.guardianId === null) return { ok: false, text: texts.codeRefused() };
  const guardianId = row.guardianId;
  const ticket = await ctx.db.$transaction(async (tx) => {
    const t = await createToken(ctx, tx, { kind: 'REGISTRATION_PAGE', guardianId, ttlMs: TICKET_TTL_MS, payload: { step: 'children' }, maxAttempts: 5 });
    await audit(tx, { actor, action: 'selfservice.registration_code', guardianId, outcome: 'success', at: ctx.now() });
    return t;
  });
  return { ok: true, ticket };
}

async function loadTicket(ctx: ServiceContext, ticket: string) {
  const t = await peekToken(ctx, ctx.db, ['REGISTRATION_PAGE'], ticket);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', TICKET_EXPIRED, `registration ticket ${t.status}`);
  const g = await ctx.db.guardian.findFirst({
    where: { ...LIVE, id: t.row.guardianId, state: { in: [...NOT_YET_ACTIVATED] } },
    include: { pupils: { include: { pupil: { select: { id: true, firstName: true, birthDate: true } } }, orderBy: { pupilId: 'asc' } } },
  });
  if (!g) throw new ServiceError('expired', TICKET_EXPIRED, 'account no longer registrable');
  return { row: t.row, g, step: stepOf(t.row.payload) };
}

export async function registrationInfo(ctx: ServiceContext, ticket: string): Promise<RegistrationInfo> {
  const { g, step } = await loadTicket(ctx, ticket);
  return { step, children: g.pupils.map((l) => ({ pupilId: l.pupil.id, firstName: l.pupil.firstName })), identifier: step === 'password' ? g.identifier : null };
}

export type ChildrenResult = { ok: true; identifier: string } | { ok: false; text: string };

/**
 * Step 3: every child's birth date (pupilId -> YYYY-MM-DD or DD/MM/YYYY). A mismatch is
 * refused without saying which child nor the right date; 5 wrong tries end the ticket.
 */
export async function confirmRegistrationChildren(ctx: ServiceContext, actor: Actor, ticket: string, birthDates: Record<number, string>): Promise<ChildrenResult> {
  const { row, g } = await loadTicket(ctx, ticket);
  const children = g.pupils.map((l) => l.pupil);
  if (children.length === 0) {
    return { ok: false, text: "Aucun enfant n'est rattaché à ce compte pour l'instant. Contactez l'école ou l'établissement de votre enfant." };
  }
  const parsed = children.map((c) => ({ c, d: parseBirthDate(birthDates[c.id] ?? '') }));
  if (parsed.some((p) => p.d === null)) return { ok: false, text: 'Saisissez la date de naissance de chaque enfant au format jj/mm/aaaa.' };
  const allRight = parsed.every((p) => p.d !== null && sameDay(p.c.birthDate, p.d));
  if (!allRight) {
    await ctx.db.$transaction(async (tx) => {
      await tx.selfServiceToken.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
      await audit(tx, { actor, action: 'selfservice.registration_children', guardianId: g.id, outcome: 'denied', at: ctx.now(), details: { reason: 'birth_date_mismatch' } });
    });
    if (row.attempts + 1 >= row.maxAttempts) {
      throw new ServiceError('rate_limited', "Trop d'essais. Vérifiez les dates de naissance auprès de l'école ou de l'établissement, puis recommencez l'inscription plus tard.", 'registration birth dates exhausted');
    }
    return {
      ok: false,
      text: "Au moins une date de naissance ne correspond pas à celle connue par l'école ou l'établissement. Vérifiez-les. Si elles sont justes, demandez à l'école ou à l'établissement de corriger sa base élèves (prise en compte sous 1 à 2 jours).",
    };
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.selfServiceToken.update({ where: { id: row.id }, data: { payload: { step: 'password' } } });
    await audit(tx, { actor, action: 'selfservice.registration_children', guardianId: g.id, outcome: 'success', at: ctx.now() });
  });
  return { ok: true, identifier: g.identifier };
}

export type RegistrationDone = { ok: true; identifier: string } | Extract<PolicyResult, { ok: false }>;

/** Step 4: the password -> Activé, origin Responsable, mobile confirmed. */
export async function completeRegistration(ctx: ServiceContext, actor: Actor, ticket: string, password: string, confirmation: string): Promise<RegistrationDone> {
  const { g, step } = await loadTicket(ctx, ticket);
  if (step !== 'password') throw new ServiceError('conflict', 'Confirmez d’abord les dates de naissance de vos enfants.', 'registration step');
  const policy = checkNewPassword(password, confirmation, g);
  if (!policy.ok) return policy;
  const passwordHash = await hashPassword(password);
  await ctx.db.$transaction(async (tx) => {
    const used = await consumeToken(ctx, tx, ['REGISTRATION_PAGE'], ticket);
    if (!used) throw new ServiceError('expired', TICKET_EXPIRED, 'registration ticket consumed concurrently');
    const now = ctx.now();
    await tx.credential.upsert({
      where: { guardianId: g.id },
      create: { guardianId: g.id, passwordHash, isTemporary: false, passwordChangedAt: now },
      update: { passwordHash, tempPasswordEnc: null, isTemporary: false, passwordChangedAt: now, mustChangeSince: null },
    });
    await tx.guardian.update({ where: { id: g.id }, data: { state: 'ACTIVATED', origin: 'SELF', mobileConfirmed: true, activatedAt: now, lastAccessAt: now } });
    await audit(tx, { actor, action: 'selfservice.registration', guardianId: g.id, outcome: 'success', at: now });
  });
  return { ok: true, identifier: g.identifier };
}
