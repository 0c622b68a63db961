// A parent's request for a person, from opening to end (see also agents.ts, sweep.ts).
// Every state change is one conditional UPDATE (safe with several instances and double
// clicks) and writes, in the same transaction, what must be relayed (outbox.ts).
import type { ServiceContext } from '../context.js';
import type { HandoffState, Tx } from '../db/index.js';
import { preparedStatement, rawQuery } from '../db/raw-query.js';
import { handoffRequestCard, type TranscriptLine } from '../../cards/handoff/request-card.js';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import { helpdeskOf, openingText } from '../helpdesk/contact.js';
import { nextOpening, frenchTime, helpdeskWallClock } from '../helpdesk/hours.js';
import { normalizeEmail } from '../accounts/contact.js';
import { VISIBLE_GUARDIAN } from '../accounts/scope.js';
import { normalizeMobile } from '../phone.js';
import { maskEmail, maskPhone } from '../logger.js';
import { enqueue } from './outbox.js';
import { issueConfirmation } from '../confirmations.js';
import { maskText } from './mask.js';
import { AGENTS, MAX_RELAYED_CHARS, PARENT } from './texts.js';

export const ACTIVE_STATES: HandoffState[] = ['WAITING', 'CLAIMED', 'AWAITING_CONTACT'];
/** The kind of the claim button's confirmation (consumed by claimHandoff, agents.ts). */
export const CLAIM_CONFIRMATION = 'handoff.claim';
const MAX_TRANSCRIPT_LINES = 15;

export interface HandoffRequestInfo {
  id: number;
  state: HandoffState;
  conversationKey: string;
  threadId: string | null;
  cardActivityId: string | null;
  agentStaffId: string | null;
  agentName: string | null;
  guardianId: number | null;
  note: string | null;
  createdAt: Date;
  ratedAt: Date | null;
}

const SELECT = {
  id: true,
  state: true,
  conversationKey: true,
  threadId: true,
  cardActivityId: true,
  agentStaffId: true,
  agentName: true,
  guardianId: true,
  note: true,
  createdAt: true,
  ratedAt: true,
} as const;

export async function findRequest(ctx: ServiceContext, id: number): Promise<HandoffRequestInfo | null> {
  return ctx.db.handoffRequest.findUnique({ where: { id }, select: SELECT });
}

/**
 * The id of the request under way in the conversation of the placeholder `conversationKey`, as
 * SQL (ACTIVE_STATES inlined); also read with the turn's state (services/state-store.ts).
 */
export const activeRequestIdSql = (conversationKey: string): string =>
  `SELECT id FROM "HandoffRequest" WHERE "conversationKey" = ${conversationKey} AND state = ANY('{${ACTIVE_STATES.join(',')}}'::"HandoffState"[]) LIMIT 1`;

const ACTIVE_REQUEST = preparedStatement('handoff.active_request_id', activeRequestIdSql('$1'));

/**
 * The request under way in a parent's conversation (waiting, claimed, or waiting for a contact).
 * Asked on every parent's message, where the answer is nearly always "none": its id first, by a
 * prepared statement (services/db/raw-query.ts, a fraction of a Prisma query's CPU) or, when
 * `activeId` is given, by the statement that read the turn's state; the whole request only
 * when there is one.
 */
export async function activeRequestOf(ctx: ServiceContext, conversationKey: string, activeId?: Promise<number | null>): Promise<HandoffRequestInfo | null> {
  const id = activeId ? await activeId : ((await rawQuery<{ id: number }>(ctx.db, ACTIVE_REQUEST, [conversationKey]))[0]?.id ?? null);
  if (id === null) return null;
  return ctx.db.handoffRequest.findFirst({ where: { id, state: { in: ACTIVE_STATES } }, select: SELECT });
}

/** The request whose agents' thread this is. */
export async function requestOfThread(ctx: ServiceContext, threadId: string): Promise<HandoffRequestInfo | null> {
  return ctx.db.handoffRequest.findFirst({ where: { threadId }, select: SELECT, orderBy: { id: 'desc' } });
}

/** The identifier of the account the assistant verified for this request (undefined: not verified). */
export async function verifiedIdentifier(ctx: ServiceContext, request: Pick<HandoffRequestInfo, 'guardianId'>): Promise<string | undefined> {
  if (request.guardianId === null) return undefined;
  const g = await ctx.db.guardian.findFirst({ where: { id: request.guardianId, ...VISIBLE_GUARDIAN }, select: { identifier: true } });
  return g?.identifier;
}

/** The first name agents sign with ("Paul Agent" -> "Paul"). */
export const firstName = (displayName: string | null): string => displayName?.trim().split(/\s+/)[0] || 'Un conseiller';

/** The agents' card of a request, as it is now. */
export async function requestCard(ctx: ServiceContext, id: number): Promise<AdaptiveCardJson | null> {
  const r = await ctx.db.handoffRequest.findUnique({ where: { id } });
  if (!r) return null;
  const w = helpdeskWallClock(r.createdAt, helpdeskOf(ctx.settings).hours.timeZone);
  const transcript: TranscriptLine[] = Array.isArray(r.transcript) ? (r.transcript as unknown as TranscriptLine[]) : [];
  const account =
    r.guardianId === null
      ? null
      : await ctx.db.guardian.findUnique({ where: { id: r.guardianId }, select: { firstName: true, lastName: true, identifier: true } });
  return handoffRequestCard({
    requestId: r.id,
    state: r.state,
    question: r.question,
    note: r.note ?? undefined,
    transcript,
    verification: r.verification,
    disclosed: r.disclosed ?? 'rien de personnel.',
    since: `depuis ${frenchTime(w.minutes)}`,
    agentName: r.agentName ?? undefined,
    contact: r.contactEmail ? maskEmail(r.contactEmail) : r.contactMobile ? maskPhone(r.contactMobile) : undefined,
    account: account ? `${account.firstName} ${account.lastName} (identifiant ${account.identifier})` : undefined,
    claimConfirmation: r.claimConfirmation ?? undefined,
  });
}

export interface NewHandoffRequest {
  conversationKey: string;
  /** What the parent asked (masked here). */
  question: string;
  transcript: readonly TranscriptLine[];
  verification: string;
  disclosed: string;
  guardianId?: number;
  /** Agents answer now (opening hours): post to the agents; else ask for a contact. */
  open: boolean;
}

export interface OpenedRequest {
  request: HandoffRequestInfo;
  created: boolean;
  position: number;
  estimateMinutes?: number;
}

async function positionOf(ctx: ServiceContext, request: HandoffRequestInfo): Promise<number> {
  return 1 + (await ctx.db.handoffRequest.count({ where: { state: 'WAITING', id: { lt: request.id } } }));
}

/** Median wait before a claim over the last 7 days, in minutes (undefined without history). */
export async function waitEstimate(ctx: ServiceContext): Promise<number | undefined> {
  const since = new Date(ctx.now().getTime() - 7 * 24 * 3_600_000);
  const rows = await ctx.db.handoffRequest.findMany({
    where: { claimedAt: { gte: since } },
    select: { createdAt: true, claimedAt: true },
    orderBy: { claimedAt: 'desc' },
    take: 50,
  });
  const waits = rows.map((r) => ((r.claimedAt?.getTime() ?? 0) - r.createdAt.getTime()) / 60_000).sort((a, b) => a - b);
  if (waits.length === 0) return undefined;
  return Math.max(1, Math.ceil(waits[Math.floor(waits.length / 2)] ?? 1));
}

/** Opens the request, or returns the one already under way in this conversation (no duplicate). */
export async function openHandoffRequest(ctx: ServiceContext, input: NewHandoffRequest): Promise<OpenedRequest> {
  const existing = await activeRequestOf(ctx, input.conversationKey);
  if (existing) return { request: existing, created: false, position: await positionOf(ctx, existing) };
  let request: HandoffRequestInfo;
  try {
    request = await ctx.db.$transaction(async (tx) => {
      // The claim button acts once (services/confirmations.ts); any agent may use it.
      const claimConfirmation = await issueConfirmation(ctx, { kind: CLAIM_CONFIRMATION }, tx);
      const row = await tx.handoffRequest.create({
        data: {
          claimConfirmation,
          conversationKey: input.conversationKey,
          state: input.open ? 'WAITING' : 'AWAITING_CONTACT',
          question: maskText(input.question).slice(0, MAX_RELAYED_CHARS),
          transcript: input.transcript.slice(-MAX_TRANSCRIPT_LINES).map((l) => ({ from: l.from, text: maskText(l.text).slice(0, 500) })),
          verification: input.verification,
          disclosed: input.disclosed,
          guardianId: input.guardianId ?? null,
          lastParentActivityAt: ctx.now(),
          createdAt: ctx.now(),
        },
        select: SELECT,
      });
      if (input.open) await enqueue(tx, row.id, 'to_agents', 'thread', {});
      return row;
    });
  } catch (err) {
    // Two turns at once: the unique index keeps one active request per conversation.
    const raced = await activeRequestOf(ctx, input.conversationKey);
    if (!raced) throw err;
    return { request: raced, created: false, position: await positionOf(ctx, raced) };
  }
  return { request, created: true, position: await positionOf(ctx, request), estimateMinutes: await waitEstimate(ctx) };
}

export type RelayOutcome = 'relayed' | 'empty' | 'too_long';

/** Whether the request has (or will have) an agents' thread to write to. */
async function hasThread(tx: Tx, request: { id: number; threadId: string | null }): Promise<boolean> {
  return request.threadId !== null || (await tx.handoffMessage.count({ where: { requestId: request.id, kind: 'thread' } })) > 0;
}

/** A parent's message while their request waits or is claimed: to the agents' thread, masked. */
export async function relayFromParent(ctx: ServiceContext, request: HandoffRequestInfo, text: string): Promise<{ outcome: RelayOutcome; firstNote: boolean }> {
  const trimmed = text.trim();
  if (!trimmed) return { outcome: 'empty', firstNote: false };
  if (trimmed.length > MAX_RELAYED_CHARS) return { outcome: 'too_long', firstNote: false };
  const masked = maskText(trimmed);
  const firstNote = request.state === 'WAITING' && !request.note;
  await ctx.db.$transaction(async (tx) => {
    await tx.handoffRequest.update({ where: { id: request.id }, data: { lastParentActivityAt: ctx.now(), ...(firstNote ? { note: masked } : {}) } });
    await enqueue(tx, request.id, 'to_agents', 'text', { text: AGENTS.fromParent(masked) });
    if (firstNote) await enqueue(tx, request.id, 'to_agents', 'card_update', {});
  });
  return { outcome: 'relayed', firstNote };
}

/** The parent writes "annuler": the request ends; agents are told. */
export async function cancelByParent(ctx: ServiceContext, request: HandoffRequestInfo): Promise<boolean> {
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.handoffRequest.updateMany({
      where: { id: request.id, state: { in: ACTIVE_STATES } },
      data: { state: 'CANCELLED', endedAt: ctx.now(), endReason: 'parent' },
    });
    if (count === 1 && (await hasThread(tx, request))) {
      await enqueue(tx, request.id, 'to_agents', 'text', { text: AGENTS.parentCancelled });
      await enqueue(tx, request.id, 'to_agents', 'card_update', {});
    }
    return count === 1;
  });
}

export type ContactOutcome = { ok: true; reply: string } | { ok: false; reply: string };

/** A contact for a written request (mail or mobile, checked): the request joins the callback queue. */
export async function leaveContact(ctx: ServiceContext, request: HandoffRequestInfo, text: string): Promise<ContactOutcome> {
  const t = text.trim();
  const email = t.includes('@') ? normalizeEmail(t) : null;
  const mobile = email ? undefined : normalizeMobile(t);
  const e164 = mobile?.ok ? mobile.e164 : undefined;
  if (!email && !e164) return { ok: false, reply: PARENT.contactNotUnderstood };
  const { hours } = helpdeskOf(ctx.settings);
  const next = nextOpening(hours, ctx.now());
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.handoffRequest.updateMany({
      where: { id: request.id, state: 'AWAITING_CONTACT' },
      data: { state: 'CALLBACK', contactEmail: email, contactMobile: e164 ?? null, lastParentActivityAt: ctx.now() },
    });
    if (count === 1) await enqueue(tx, request.id, 'to_agents', (await hasThread(tx, request)) ? 'card_update' : 'thread', {});
  });
  const shown = email ? maskEmail(email) : maskPhone(e164);
  return { ok: true, reply: PARENT.callbackSaved(shown, next && next.getTime() > ctx.now().getTime() ? openingText(hours, next) : undefined) };
}

export type RatingOutcome = 'rated' | 'already' | 'unknown';

/** The parent's satisfaction (1–5) and optional comment, once per request of their conversation. */
export async function rateHandoff(
  ctx: ServiceContext,
  conversationKey: string,
  requestId: number,
  rating: number,
  comment: string | undefined,
): Promise<RatingOutcome> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return 'unknown';
  const { count } = await ctx.db.handoffRequest.updateMany({
    where: { id: requestId, conversationKey, state: 'ENDED', ratedAt: null, claimedAt: { not: null } },
    data: { satisfaction: rating, comment: comment ? maskText(comment.trim()).slice(0, 500) || null : null, ratedAt: ctx.now() },
  });
  if (count === 1) return 'rated';
  const exists = await ctx.db.handoffRequest.count({ where: { id: requestId, conversationKey, ratedAt: { not: null } } });
  return exists ? 'already' : 'unknown';
}
