// Cases: requests the school or the help desk must follow up (wrong birth date, mobile not
// recognised, regrouping, other), raised from the parents' chat or by staff. Each has a
// human reference (EDU-<year>-<6 digits>), a state with allowed transitions and a history.
// A case keeps the contact the parent gave and what they typed that the site refused
// (encrypted). When the nightly import brings the register's correction,
// resolveCasesAfterImport (case-import.ts) resolves the matching cases; staff move them too, with a message;
// either way the parent is told what to do now (case-notices.ts).
import { randomUUID } from 'node:crypto';
import { actorId, canActOnSchool, isStaff, type Actor } from './actor.js';
import { audit } from './audit.js';
import { consumeConfirmation } from './confirmations.js';
import type { ServiceContext } from './context.js';
import type { CaseKind, CaseState, Prisma, Tx } from './db/index.js';
import { ServiceError, forbidden, invalid, notFound } from './errors.js';
import { maskEmail, maskPhone } from './logger.js';
import { normalizeMobile } from './phone.js';
import { normalizeEmail } from './accounts/contact.js';
import { VISIBLE_GUARDIAN } from './accounts/scope.js';
import { parisWallClock } from './paris.js';
import { hit } from './selfservice/ratelimit.js';
import { normalizeName, normalizeUai, searchKey } from './text.js';
import { encryptSecret } from './passwords.js';
import { checkTyped, readableTyped } from './case-typed.js';
import { isToldState } from './case-wording.js';
import { TELL_SELECT, tellParent, type Told } from './case-notices.js';
import { CASE_STATE_LABELS } from '../cards/staff/labels.js';

/** Cases a parent's source (conversation, IP) may open per rate-limit window. */
export const CASES_PER_SOURCE = 5;

export const CASE_TRANSITIONS: Record<CaseState, CaseState[]> = {
  OPEN: ['WAITING_REGISTER', 'RESOLVED', 'CLOSED'],
  WAITING_REGISTER: ['OPEN', 'RESOLVED', 'CLOSED'],
  RESOLVED: ['OPEN', 'CLOSED'],
  CLOSED: [],
};

export const ACTIVE_STATES: CaseState[] = ['OPEN', 'WAITING_REGISTER'];

export type CaseDetails = Record<string, string | number | boolean | null>;

export interface NewCase {
  kind: CaseKind;
  schoolUai: string;
  pupilId?: number;
  guardianId?: number;
  contactEmail?: string;
  contactMobile?: string;
  summary: string;
  details?: CaseDetails;
  /**
   * What the parent typed that the site refused: the birth date (ISO YYYY-MM-DD) for
   * BIRTH_DATE, the mobile for MOBILE. Stored encrypted, shown to staff only.
   */
  typed?: string;
  /** The key of the parent's conversation reference (services/conversation-refs.ts), to tell them there when the case moves. */
  chatRefKey?: string;
  /**
   * The child (and parent) as a parent named them in the chat. They are matched against the
   * school's register so that a later import can resolve the case; the requester is told
   * nothing about the match.
   */
  named?: { childLastName: string; childFirstName: string; parentName?: string };
}

export interface CaseSummary {
  reference: string;
  kind: CaseKind;
  state: CaseState;
  schoolUai: string;
  schoolName: string;
  guardianId: number | null;
  pupilId: number | null;
  summary: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface CaseEventView {
  at: Date;
  actor: string;
  fromState: CaseState | null;
  toState: CaseState;
  note: string | null;
}

export interface CaseView extends CaseSummary {
  contactEmail: string | null;
  contactMobile: string | null;
  /** What the parent typed that the site refused, readable ("12/03/2016", "+33612345678"). */
  typed: { label: string; value: string } | null;
  pupil: { firstName: string; lastName: string; className: string } | null;
  guardian: { identifier: string; firstName: string; lastName: string } | null;
  details: Prisma.JsonValue;
  events: CaseEventView[];
  /** States this case may move to. */
  next: CaseState[];
}

function formatReference(year: number, id: number): string {
  return `EDU-${year}-${String(id).padStart(6, '0')}`;
}

const SUMMARY_INCLUDE = { school: { select: { name: true } } } satisfies Prisma.CaseInclude;

function toSummary(c: Prisma.CaseGetPayload<{ include: typeof SUMMARY_INCLUDE }>): CaseSummary {
  return {
    reference: c.reference,
    kind: c.kind,
    state: c.state,
    schoolUai: c.schoolUai,
    schoolName: c.school.name,
    guardianId: c.guardianId,
    pupilId: c.pupilId,
    summary: c.summary,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The one pupil of the school with that name, and among their guardians the one named. */
async function matchNamed(tx: Tx, uai: string, named: NonNullable<NewCase['named']>): Promise<{ pupilId?: number; guardianId?: number }> {
  const pupils = await tx.pupil.findMany({
    where: { schoolUai: uai, searchName: searchKey(named.childLastName, named.childFirstName) },
    select: { id: true, guardians: { where: { guardian: VISIBLE_GUARDIAN }, select: { guardian: { select: { id: true, lastName: true, firstName: true } } } } },
    take: 2,
  });
  const pupil = pupils.length === 1 ? pupils[0] : undefined;
  if (!pupil) return {};
  const parent = named.parentName ? normalizeName(named.parentName) : '';
  const guardians = parent
    ? pupil.guardians.filter(({ guardian: g }) => [`${g.firstName} ${g.lastName}`, `${g.lastName} ${g.firstName}`].some((n) => normalizeName(n) === parent))
    : [];
  return { pupilId: pupil.id, ...(guardians.length === 1 && guardians[0] ? { guardianId: guardians[0].guardian.id } : {}) };
}

/** Opens a case. Parents (anonymous or signed in) may; staff within their scope. Returns the reference. */
export async function createCase(ctx: ServiceContext, actor: Actor, input: NewCase): Promise<{ reference: string }> {
  if (actor.kind === 'system') throw forbidden('system actor cannot open cases');
  const uai = normalizeUai(input.schoolUai);
  if (!uai) throw invalid("Le code de l'établissement (UAI) n'est pas valide : 7 chiffres suivis d'une lettre.");
  if (isStaff(actor) && !canActOnSchool(actor, uai)) throw forbidden('case outside director scope');
  const summary = input.summary.trim();
  if (!summary || summary.length > 1000) throw invalid('Décrivez la demande en quelques mots (1 000 caractères au plus).');
  const contactEmail = input.contactEmail?.trim() ? normalizeEmail(input.contactEmail) : null;
  if (input.contactEmail?.trim() && !contactEmail) throw invalid("L'adresse e-mail saisie n'est pas valide.");
  let contactMobile: string | null = null;
  if (input.contactMobile?.trim()) {
    const m = normalizeMobile(input.contactMobile);
    if (!m.ok) throw invalid(m.reason);
    contactMobile = m.e164;
  }
  const typed = input.typed?.trim() ? checkTyped(input.kind, input.typed, ctx.now()) : null;
  const chatRefKey = !isStaff(actor) && input.chatRefKey?.trim() ? input.chatRefKey.trim().slice(0, 300) : null;
  const guardianId = actor.kind === 'guardian' ? actor.guardianId : (input.guardianId ?? null);
  if (actor.kind === 'guardian' && input.guardianId !== undefined && input.guardianId !== actor.guardianId)
    throw forbidden('guardian opening a case for another account');
  if (!isStaff(actor) && guardianId === null && !contactEmail && !contactMobile) {
    throw invalid('Indiquez une adresse e-mail ou un numéro de portable pour que nous puissions vous recontacter.');
  }
  if (actor.kind === 'anonymous' || actor.kind === 'guardian') {
    const limit = await hit(ctx, 'source', `case:${actor.source}`, CASES_PER_SOURCE);
    if (!limit.allowed) {
      throw new ServiceError(
        'rate_limited',
        `Vous avez déjà fait plusieurs demandes. Merci de réessayer dans ${limit.retryAfterMinutes} minute(s).`,
        `case rate limit for ${actor.source}`,
      );
    }
  }
  const now = ctx.now();
  return ctx.db.$transaction(async (tx) => {
    const school = await tx.school.findUnique({ where: { uai }, select: { uai: true } });
    if (!school) throw invalid("Cet établissement n'est pas connu. Vérifiez le code UAI.");
    if (input.pupilId !== undefined) {
      const pupil = await tx.pupil.findFirst({ where: { id: input.pupilId, schoolUai: uai }, select: { id: true } });
      if (!pupil) throw notFound(`pupil ${input.pupilId} not in ${uai}`);
    }
    if (guardianId !== null) {
      const link = input.pupilId !== undefined ? { some: { pupilId: input.pupilId } } : { some: { pupil: { schoolUai: uai } } };
      const g = await tx.guardian.findFirst({ where: { id: guardianId, ...VISIBLE_GUARDIAN, pupils: link }, select: { id: true } });
      if (!g) throw notFound(`guardian ${guardianId} not linked to the school or pupil`);
    }
    const matched = input.pupilId === undefined && input.named ? await matchNamed(tx, uai, input.named) : {};
    const pupilId = input.pupilId ?? matched.pupilId ?? (guardianId !== null ? await onlyChildHere(tx, guardianId, uai, input.kind) : null);
    const caseGuardianId = guardianId ?? matched.guardianId ?? null;
    const created = await tx.case.create({
      data: {
        reference: `pending-${randomUUID()}`,
        kind: input.kind,
        schoolUai: uai,
        pupilId,
        guardianId: caseGuardianId,
        contactEmail,
        contactMobile,
        summary,
        typedEnc: typed ? encryptSecret(typed, ctx.settings.secretKey) : null,
        chatRefKey,
        ...(input.details ? { details: input.details } : {}),
        createdAt: now,
      },
      select: { id: true },
    });
    const reference = formatReference(parisWallClock(now).year, created.id);
    await tx.case.update({ where: { id: created.id }, data: { reference } });
    await tx.caseEvent.create({ data: { caseId: created.id, at: now, actor: actorId(actor), fromState: null, toState: 'OPEN', note: 'Demande enregistrée.' } });
    await audit(tx, {
      actor,
      at: now,
      action: 'cases.create',
      guardianId,
      schoolUai: uai,
      outcome: 'success',
      details: { reference, kind: input.kind, contactEmail: maskEmail(contactEmail), contactMobile: maskPhone(contactMobile) },
    });
    return { reference };
  });
}

/**
 * The pupil of a case opened for a guardian without naming the child: their only child in the
 * school. A birth date case needs to know which child when they have several there.
 */
async function onlyChildHere(tx: Tx, guardianId: number, uai: string, kind: CaseKind): Promise<number | null> {
  const links = await tx.pupilGuardian.findMany({ where: { guardianId, pupil: { schoolUai: uai } }, select: { pupilId: true }, take: 2 });
  if (links.length === 1 && links[0]) return links[0].pupilId;
  if (links.length > 1 && kind === 'BIRTH_DATE') throw invalid("Ce responsable a plusieurs enfants dans l'établissement : précisez l'élève concerné.");
  return null;
}

/** Staff only; directors see the cases of their schools. */
function caseScope(actor: Actor): Prisma.CaseWhereInput {
  if (!isStaff(actor)) throw forbidden(`actor ${actor.kind} cannot read cases`);
  return actor.kind === 'director' ? { schoolUai: { in: actor.uais } } : {};
}

export async function listCases(
  ctx: ServiceContext,
  actor: Actor,
  filter: { uai?: string; states?: CaseState[]; kinds?: CaseKind[] } = {},
): Promise<CaseSummary[]> {
  const where: Prisma.CaseWhereInput = { ...caseScope(actor) };
  if (filter.uai !== undefined) {
    const uai = normalizeUai(filter.uai);
    if (!uai || (actor.kind === 'director' && !actor.uais.includes(uai))) throw forbidden(`cases of ${filter.uai}`);
    where.schoolUai = uai;
  }
  if (filter.states) where.state = { in: filter.states };
  if (filter.kinds) where.kind = { in: filter.kinds };
  const rows = await ctx.db.case.findMany({ where, include: SUMMARY_INCLUDE, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 });
  return rows.map(toSummary);
}

const VIEW_INCLUDE = {
  ...SUMMARY_INCLUDE,
  pupil: { select: { firstName: true, lastName: true, class: { select: { name: true } } } },
  guardian: { select: { identifier: true, firstName: true, lastName: true } },
  events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
} satisfies Prisma.CaseInclude;

function toView(c: Prisma.CaseGetPayload<{ include: typeof VIEW_INCLUDE }>, key: Buffer): CaseView {
  return {
    ...toSummary(c),
    contactEmail: c.contactEmail,
    contactMobile: c.contactMobile,
    typed: readableTyped(c.kind, c.typedEnc, key),
    pupil: c.pupil ? { firstName: c.pupil.firstName, lastName: c.pupil.lastName, className: c.pupil.class.name } : null,
    guardian: c.guardian,
    details: c.details,
    events: c.events.map((e) => ({ at: e.at, actor: e.actor, fromState: e.fromState, toState: e.toState, note: e.note })),
    next: CASE_TRANSITIONS[c.state],
  };
}

/** Cases by id, for the system's own use (the directors' alerts): no actor, never shown to a parent. */
export async function viewCasesById(ctx: ServiceContext, ids: number[]): Promise<CaseView[]> {
  const rows = await ctx.db.case.findMany({ where: { id: { in: ids } }, include: VIEW_INCLUDE, orderBy: { id: 'desc' } });
  return rows.map((c) => toView(c, ctx.settings.secretKey));
}

/** One case with its history. Out of scope and unknown references look the same. */
export async function getCase(ctx: ServiceContext, actor: Actor, reference: string): Promise<CaseView> {
  const c = await ctx.db.case.findFirst({ where: { reference: reference.trim().toUpperCase(), ...caseScope(actor) }, include: VIEW_INCLUDE });
  if (!c) throw notFound(`case ${reference}`);
  return toView(c, ctx.settings.secretKey);
}

/** Longest message staff may send to a parent with a change of state. */
export const CASE_NOTE_MAX = 1000;

export interface CaseChange {
  /** Message to the parent (and kept in the history). */
  note?: string;
  /** The state the staff member saw (on the card): a replayed or stale click is refused. */
  expected?: CaseState;
  /** The card's single-use confirmation (CASE_CONFIRMATION, services/confirmations.ts): acted on once. */
  confirmation?: string;
}

/** The kind of the confirmation carried by a case's buttons (one per case and card). */
export const CASE_CONFIRMATION = 'cases.set_state';

/**
 * Moves a case (staff in scope). Resolved, waiting for the register and closed are told to the
 * parent with the message (case-notices.ts), in the same transaction. Refused: a change from a
 * closed case, to the state it already has, or from a state other than the one expected.
 */
export async function setCaseState(
  ctx: ServiceContext,
  actor: Actor,
  reference: string,
  state: CaseState,
  change: string | CaseChange = {},
): Promise<CaseView & { told: Told | null }> {
  const { note, expected, confirmation } = typeof change === 'string' ? { note: change, expected: undefined, confirmation: undefined } : change;
  const scope = caseScope(actor);
  const now = ctx.now();
  const text = note?.replace(/\s+/g, ' ').trim() || null;
  if (text && text.length > CASE_NOTE_MAX) throw invalid(`Votre message est trop long : ${CASE_NOTE_MAX} caractères au plus. Raccourcissez-le puis réessayez.`);
  return ctx.db.$transaction(async (tx) => {
    if (confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: CASE_CONFIRMATION, actor, id: confirmation });
    const c = await tx.case.findFirst({
      where: { reference: reference.trim().toUpperCase(), ...scope },
      select: { ...TELL_SELECT, state: true, schoolUai: true },
    });
    if (!c) throw notFound(`case ${reference}`);
    const label = CASE_STATE_LABELS[c.state];
    if (c.state === state)
      throw new ServiceError('conflict', `La demande ${c.reference} est déjà « ${label} » : rien n'a été changé.`, `case ${c.reference} already ${state}`);
    if (expected !== undefined && c.state !== expected) {
      throw new ServiceError(
        'conflict',
        `La demande ${c.reference} a changé entre-temps : elle est maintenant « ${label} ». Rien n'a été changé.`,
        `case ${c.reference}: expected ${expected}, is ${c.state}`,
      );
    }
    if (!CASE_TRANSITIONS[c.state].includes(state)) {
      const why = c.state === 'CLOSED' ? 'elle est close et ne peut plus changer' : `elle ne peut pas passer de « ${label} » à « ${CASE_STATE_LABELS[state]} »`;
      throw new ServiceError('conflict', `La demande ${c.reference} n'a pas été modifiée : ${why}.`, `case ${c.reference}: ${c.state} -> ${state}`);
    }
    // Guarded update: a concurrent change of state makes this one fail instead of overwriting it.
    const r = await tx.case.updateMany({ where: { id: c.id, state: c.state }, data: { state, updatedAt: now } });
    if (r.count !== 1)
      throw new ServiceError(
        'conflict',
        "Cette demande vient d'être modifiée par quelqu'un d'autre. Rechargez-la.",
        `case ${c.reference} changed concurrently`,
      );
    await tx.caseEvent.create({ data: { caseId: c.id, at: now, actor: actorId(actor), fromState: c.state, toState: state, note: text } });
    const told = isToldState(state) ? await tellParent(ctx, tx, c, state, text) : null;
    await audit(tx, {
      actor,
      at: now,
      action: 'cases.set_state',
      guardianId: c.guardianId,
      schoolUai: c.schoolUai,
      outcome: 'success',
      details: { reference: c.reference, from: c.state, to: state, told: told ? { ...told } : null },
    });
    const view = await tx.case.findUniqueOrThrow({ where: { id: c.id }, include: VIEW_INCLUDE });
    return { ...toView(view, ctx.settings.secretKey), told };
  });
}
