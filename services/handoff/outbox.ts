// The relay's durable outbox (HandoffMessage): every message to the agents' thread or to the
// parent is written here first, in the same transaction as the change that causes it, then
// delivered in order by bot/handoff/relay.ts (at once, and retried by every instance's
// worker until the channel accepts it). Nothing is lost when a channel refuses or an
// instance stops.
import type { Prisma, Tx } from '../db/index.js';
import type { ServiceContext } from '../context.js';

export type Direction = 'to_agents' | 'to_parent';
/** thread: start the agents' thread with the request card; card_update: replace that card; text/activity: a message. */
export type OutboxKind = 'thread' | 'card_update' | 'text' | 'activity';

export interface PendingMessage {
  id: number;
  requestId: number;
  direction: Direction;
  kind: OutboxKind;
  payload: Prisma.JsonValue;
  attempts: number;
  nextAttemptAt: Date;
}

/** Longer than the connector's own retries of one call (about 15 s). */
const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

export async function enqueue(tx: Tx, requestId: number, direction: Direction, kind: OutboxKind, payload: Prisma.InputJsonValue): Promise<void> {
  await tx.handoffMessage.create({ data: { requestId, direction, kind, payload } });
}

/** Takes the relay lease of a request (one instance delivers its messages at a time). */
export async function takeRelayLease(ctx: ServiceContext, requestId: number): Promise<boolean> {
  const now = ctx.now();
  const { count } = await ctx.db.handoffRequest.updateMany({
    where: { id: requestId, OR: [{ relayLeaseUntil: null }, { relayLeaseUntil: { lt: now } }] },
    data: { relayLeaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  return count === 1;
}

export async function releaseRelayLease(ctx: ServiceContext, requestId: number): Promise<void> {
  await ctx.db.handoffRequest.update({ where: { id: requestId }, data: { relayLeaseUntil: null } });
}

/** Undelivered messages of a request, oldest first. */
export async function pendingMessages(ctx: ServiceContext, requestId: number): Promise<PendingMessage[]> {
  const rows = await ctx.db.handoffMessage.findMany({ where: { requestId, sentAt: null }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({
    id: r.id,
    requestId: r.requestId,
    direction: r.direction === 'to_parent' ? 'to_parent' : 'to_agents',
    kind: toKind(r.kind),
    payload: r.payload,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt,
  }));
}

function toKind(k: string): OutboxKind {
  return k === 'thread' || k === 'card_update' || k === 'activity' ? k : 'text';
}

export async function markSent(ctx: ServiceContext, id: number): Promise<void> {
  await ctx.db.handoffMessage.update({ where: { id }, data: { sentAt: ctx.now(), lastError: null } });
}

/** A refused delivery: tried again later (exponential back-off up to a minute). */
export async function markFailed(ctx: ServiceContext, message: PendingMessage, error: string): Promise<void> {
  const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** message.attempts);
  await ctx.db.handoffMessage.update({
    where: { id: message.id },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), nextAttemptAt: new Date(ctx.now().getTime() + delay) },
  });
}

/** Does the request have messages due now? */
export async function hasDueMessages(ctx: ServiceContext, requestId: number): Promise<boolean> {
  return (await ctx.db.handoffMessage.count({ where: { requestId, sentAt: null, nextAttemptAt: { lte: ctx.now() } } })) > 0;
}

/** Gives up a message that can never be delivered (its conversation is unknown); kept for the record. */
export async function markAbandoned(ctx: ServiceContext, id: number, error: string): Promise<void> {
  await ctx.db.handoffMessage.update({ where: { id }, data: { sentAt: ctx.now(), lastError: `abandoned: ${error}`.slice(0, 500) } });
}

/** Requests with messages due now (for the retry worker). */
export async function requestsWithDueMessages(ctx: ServiceContext, limit = 50): Promise<number[]> {
  const rows = await ctx.db.handoffMessage.findMany({
    where: { sentAt: null, nextAttemptAt: { lte: ctx.now() } },
    distinct: ['requestId'],
    select: { requestId: true },
    orderBy: { requestId: 'asc' },
    take: limit,
  });
  return rows.map((r) => r.requestId);
}
