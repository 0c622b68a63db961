// SMS self-registration (DOMAIN.md): last name, first name and mobile -> code by SMS ->
// birth dates of all the children -> identifier shown, password chosen -> Activé, origin
// Responsable, mobile confirmed. Only for accounts of the register not yet activated, whose
// names and mobile match what the school recorded (the account's mobile or the register's).
// Every such account is found (guide §1.2: a guardian under several register references has
// one account per reference): the guardian is offered to group them, and then confirms the
// children of all of them and ends with one account (the others merged into it, regroup.ts).
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { ServiceError, invalid } from '../errors.js';
import { audit } from '../audit.js';
import { hashPassword } from '../passwords.js';
import { normalizeMobile } from '../phone.js';
import { sameName, searchKey } from '../text.js';
import { sourceOf } from './account.js';
import { parseBirthDate, sameDay } from './activation.js';
import { checkCode, createCode, newRequestId } from './codes.js';
import { checkNewPassword, type PolicyResult } from './policy.js';
import { contactKey, hit } from './ratelimit.js';
import { consumeToken, createToken, hashToken, peekToken } from './tokens.js';
import { mergeAccount } from './regroup.js';
import { padDuration, texts, tooManyReply, type UniformReply } from './uniform.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';

const TICKET_TTL_MS = 30 * 60_000;
/** Accounts of one person found by one registration (more would not be one family). */
const MAX_ACCOUNTS = 10;
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
    const found = await ctx.db.guardian.findMany({
      // The mobile the school recorded in its register (guide §1.2), or the account's own.
      where: { ...VISIBLE_GUARDIAN, searchName: key, OR: [{ registerMobile: mobile }, { mobile }], state: { in: [...NOT_YET_ACTIVATED] } },
      orderBy: { id: 'asc' },
      select: { id: true },
      take: MAX_ACCOUNTS,
    });
    const g = found[0];
    if (!g) return reply;
    const perAccount = await hit(ctx, 'account', `registration:${g.id}`);
    const allowed = perContact.allowed && perAccount.allowed;
    await ctx.db.$transaction(async (tx) => {
      if (allowed) {
        const code = await createCode(ctx, tx, 'REGISTRATION_CODE', g.id, requestId, { accounts: found.map((f) => f.id) });
        await ctx.messages.enqueue(
          tx,
          { template: 'sms_code', to: mobile, code, ttlMinutes: ctx.settings.selfService.codeTtlMinutes, purpose: 'registration' },
          { guardianId: g.id },
        );
      }
      await audit(tx, {
        actor,
        action: 'selfservice.registration_request',
        guardianId: g.id,
        outcome: allowed ? 'success' : 'denied',
        at: ctx.now(),
        details: allowed ? { accounts: found.length } : { reason: 'rate_limited' },
      });
    });
    return reply;
  });
}

export interface RegistrationChild {
  pupilId: number;
  firstName: string;
}

export type RegistrationStep = 'group' | 'children' | 'password';

export interface RegistrationInfo {
  step: RegistrationStep;
  /** The children to confirm: of every account found when the guardian groups them, else of the first. */
  children: RegistrationChild[];
  /** The children of each account found (step 'group': one line per account). */
  accounts: RegistrationChild[][];
  /** Shown once the children are confirmed. */
  identifier: string | null;
}

/** What the ticket remembers: its step, the accounts found for this person, whether to group them. */
interface Payload {
  step: RegistrationStep;
  accounts: number[];
  group: boolean;
}

function payloadOf(raw: unknown, guardianId: number): Payload {
  const get = (k: string): unknown => (raw && typeof raw === 'object' ? Reflect.get(raw, k) : undefined);
  const step = get('step');
  const ids = get('accounts');
  const accounts = Array.isArray(ids) ? ids.filter((i): i is number => Number.isSafeInteger(i)) : [];
  return {
    step: step === 'group' || step === 'password' ? step : 'children',
    accounts: accounts.includes(guardianId) ? accounts : [guardianId, ...accounts],
    group: get('group') === true,
  };
}

export type RegistrationCodeResult = { ok: true; ticket: string } | { ok: false; text: string };

/** Step 2: the SMS code -> a ticket for the next steps (keep it server-side: cookie). */
export async function verifyRegistrationCode(ctx: ServiceContext, actor: Actor, requestId: string, code: string): Promise<RegistrationCodeResult> {
  return padDuration(() => verifyRegistrationCodeNow(ctx, actor, requestId, code));
}

async function verifyRegistrationCodeNow(ctx: ServiceContext, actor: Actor, requestId: string, code: string): Promise<RegistrationCodeResult> {
  const source = await hit(ctx, 'source', `code:${sourceOf(actor)}`);
  if (!source.allowed) return { ok: false, text: texts.tooMany(source.retryAfterMinutes) };
  const row = await checkCode(ctx, 'REGISTRATION_CODE', requestId, code);
  if (row?.guardianId == null) return { ok: false, text: texts.codeRefused() };
  const guardianId = row.guardianId;
  const { accounts } = payloadOf(row.payload, guardianId);
  const payload: Payload = { step: accounts.length > 1 ? 'group' : 'children', accounts, group: false };
  const ticket = await ctx.db.$transaction(async (tx) => {
    const t = await createToken(ctx, tx, { kind: 'REGISTRATION_PAGE', guardianId, ttlMs: TICKET_TTL_MS, payload: { ...payload }, maxAttempts: 5 });
    await audit(tx, { actor, action: 'selfservice.registration_code', guardianId, outcome: 'success', at: ctx.now() });
    return t;
  });
  return { ok: true, ticket };
}

const PUPILS = { include: { pupil: { select: { id: true, firstName: true, birthDate: true } } }, orderBy: { pupilId: 'asc' } } as const;

async function loadTicket(ctx: ServiceContext, ticket: string) {
  const t = await peekToken(ctx, ctx.db, ['REGISTRATION_PAGE'], ticket);
  if (t.status !== 'valid' || t.row.guardianId === null) throw new ServiceError('expired', TICKET_EXPIRED, `registration ticket ${t.status}`);
  const payload = payloadOf(t.row.payload, t.row.guardianId);
  // Still the same person's, still registrable: an account activated or merged meanwhile drops out.
  const found = await ctx.db.guardian.findMany({
    where: { ...VISIBLE_GUARDIAN, id: { in: payload.accounts }, state: { in: [...NOT_YET_ACTIVATED] } },
    include: { pupils: PUPILS },
    orderBy: { id: 'asc' },
  });
  const g = found.find((f) => f.id === t.row.guardianId);
  if (!g) throw new ServiceError('expired', TICKET_EXPIRED, 'account no longer registrable');
  const siblings = found.filter((f) => f.id !== g.id && sameName(f, g));
  const grouped = payload.group ? [g, ...siblings] : [g];
  const children = [...new Map(grouped.flatMap((a) => a.pupils.map((l) => [l.pupil.id, l.pupil] as const))).values()];
  const step: RegistrationStep = payload.step === 'group' && siblings.length === 0 ? 'children' : payload.step;
  return { row: t.row, g, siblings, payload: { ...payload, step }, children };
}

export async function registrationInfo(ctx: ServiceContext, ticket: string): Promise<RegistrationInfo> {
  const { g, siblings, payload, children } = await loadTicket(ctx, ticket);
  const names = (pupils: { pupil: { id: number; firstName: string } }[]): RegistrationChild[] =>
    pupils.map((l) => ({ pupilId: l.pupil.id, firstName: l.pupil.firstName }));
  return {
    step: payload.step,
    children: children.map((c) => ({ pupilId: c.id, firstName: c.firstName })),
    accounts: [g, ...siblings].map((a) => names(a.pupils)),
    identifier: payload.step === 'password' ? g.identifier : null,
  };
}

/**
 * The grouping offer (several accounts found for this person): `group` true -> the children of
 * all of them are confirmed next and the accounts become one; false -> only the first account.
 */
export async function chooseRegistrationGrouping(ctx: ServiceContext, actor: Actor, ticket: string, group: boolean): Promise<{ ok: true }> {
  const { row, g, siblings, payload } = await loadTicket(ctx, ticket);
  if (payload.step === 'password')
    throw new ServiceError('conflict', 'Vos enfants sont déjà confirmés : choisissez maintenant votre mot de passe.', 'registration grouping after children');
  await ctx.db.$transaction(async (tx) => {
    const next: Payload = { ...payload, step: 'children', group: group && siblings.length > 0 };
    await tx.selfServiceToken.update({ where: { id: row.id }, data: { payload: { ...next } } });
    await audit(tx, {
      actor,
      action: 'selfservice.registration_grouping',
      guardianId: g.id,
      outcome: 'success',
      at: ctx.now(),
      details: { group: next.group, accounts: siblings.map((s) => s.id) },
    });
  });
  return { ok: true };
}

export type ChildrenResult = { ok: true; identifier: string } | { ok: false; text: string };

/**
 * Step 3: every child's birth date (pupilId -> YYYY-MM-DD or DD/MM/YYYY). A mismatch is
 * refused without saying which child nor the right date; 5 wrong tries end the ticket.
 */
export async function confirmRegistrationChildren(
  ctx: ServiceContext,
  actor: Actor,
  ticket: string,
  birthDates: Record<number, string>,
): Promise<ChildrenResult> {
  const { row, g, payload, children } = await loadTicket(ctx, ticket);
  if (payload.step === 'group')
    throw new ServiceError('conflict', 'Indiquez d’abord si vous voulez regrouper vos comptes.', 'registration children before grouping');
  if (children.length === 0) {
    return { ok: false, text: "Aucun enfant n'est rattaché à ce compte pour l'instant. Contactez l'école ou l'établissement de votre enfant." };
  }
  const parsed = children.map((c) => ({ c, d: parseBirthDate(birthDates[c.id] ?? '') }));
  if (parsed.some((p) => p.d === null)) return { ok: false, text: 'Saisissez la date de naissance de chaque enfant au format jj/mm/aaaa.' };
  const allRight = parsed.every((p) => p.d !== null && sameDay(p.c.birthDate, p.d));
  if (!allRight) {
    await ctx.db.$transaction(async (tx) => {
      await tx.selfServiceToken.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
      await audit(tx, {
        actor,
        action: 'selfservice.registration_children',
        guardianId: g.id,
        outcome: 'denied',
        at: ctx.now(),
        details: { reason: 'birth_date_mismatch' },
      });
    });
    if (row.attempts + 1 >= row.maxAttempts) {
      throw new ServiceError(
        'rate_limited',
        "Trop d'essais. Vérifiez les dates de naissance auprès de l'école ou de l'établissement, puis recommencez l'inscription plus tard.",
        'registration birth dates exhausted',
      );
    }
    return {
      ok: false,
      text: "Au moins une date de naissance ne correspond pas à celle connue par l'école ou l'établissement. Vérifiez-les. Si elles sont justes, demandez à l'école ou à l'établissement de corriger sa base élèves (prise en compte sous 1 à 2 jours).",
    };
  }
  await ctx.db.$transaction(async (tx) => {
    await tx.selfServiceToken.update({ where: { id: row.id }, data: { payload: { ...payload, step: 'password' } } });
    await audit(tx, { actor, action: 'selfservice.registration_children', guardianId: g.id, outcome: 'success', at: ctx.now() });
  });
  return { ok: true, identifier: g.identifier };
}

/** Whether this ticket already completed its registration (a form submitted twice). */
export async function registrationCompleted(ctx: ServiceContext, ticket: string): Promise<boolean> {
  const t = await peekToken(ctx, ctx.db, ['REGISTRATION_PAGE'], ticket);
  if (t.status !== 'used') return false;
  const row = await ctx.db.selfServiceToken.findUnique({
    where: { tokenHash: hashToken(ticket) },
    select: { guardian: { select: { state: true, origin: true, mergedIntoId: true } } },
  });
  const g = row?.guardian;
  return g?.state === 'ACTIVATED' && g.origin === 'SELF' && g.mergedIntoId === null;
}

export type RegistrationDone = { ok: true; identifier: string } | Extract<PolicyResult, { ok: false }>;

/** Step 4: the password -> Activé, origin Responsable, mobile confirmed; the accounts grouped merged into it. */
export async function completeRegistration(
  ctx: ServiceContext,
  actor: Actor,
  ticket: string,
  password: string,
  confirmation: string,
): Promise<RegistrationDone> {
  const { g, siblings, payload } = await loadTicket(ctx, ticket);
  if (payload.step !== 'password') throw new ServiceError('conflict', 'Confirmez d’abord les dates de naissance de vos enfants.', 'registration step');
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
    const merged = payload.group ? siblings.map((s) => s.id) : [];
    for (const id of merged) await mergeAccount(ctx, tx, actor, g, id, { via: 'registration' });
    await audit(tx, { actor, action: 'selfservice.registration', guardianId: g.id, outcome: 'success', at: now, details: { merged } });
  });
  return { ok: true, identifier: g.identifier };
}
