// The agents' side of a request: claim (atomic and single-use: the first agent wins), messages to the
// parent, end, and the thread created for it in the agents' channel.
import type { Prisma } from '../db/index.js';
import type { ServiceContext } from '../context.js';
import type { StaffActor } from '../actor.js';
import { satisfactionCard } from '../../cards/parent/satisfaction-card.js';
import { audit } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import { ServiceError } from '../errors.js';
import { enqueue } from './outbox.js';
import { CLAIM_CONFIRMATION, firstName, type HandoffRequestInfo } from './requests.js';
import { AGENTS, MAX_RELAYED_CHARS, PARENT } from './texts.js';

export type ClaimOutcome =
  | { outcome: 'claimed' }
  | { outcome: 'yours' }
  | { outcome: 'taken'; by: string }
  | { outcome: 'closed' }
  | { outcome: 'unknown' }
  | { outcome: 'expired'; message: string };

class NotWaiting extends Error {}

/**
 * Claims a waiting request for `agent`. The card's single-use confirmation (`confirmation`, else
 * the request's own) is consumed first, then one conditional UPDATE: three deliveries of a click,
 * or two agents at once, give one claim and one audit row. A request no longer waiting keeps
 * its confirmation (the transaction rolls back).
 */
export async function claimHandoff(ctx: ServiceContext, requestId: number, agent: StaffActor, confirmation?: string): Promise<ClaimOutcome> {
  const row = await ctx.db.handoffRequest.findUnique({ where: { id: requestId }, select: { claimConfirmation: true, guardianId: true } });
  if (!row) return { outcome: 'unknown' };
  const id = confirmation ?? row.claimConfirmation;
  try {
    await ctx.db.$transaction(async (tx) => {
      if (id) await consumeConfirmation(ctx, tx, { kind: CLAIM_CONFIRMATION, actor: agent, id });
      const { count } = await tx.handoffRequest.updateMany({
        where: { id: requestId, state: 'WAITING' },
        data: { state: 'CLAIMED', agentStaffId: agent.staffId, agentName: agent.name, claimedAt: ctx.now() },
      });
      if (count !== 1) throw new NotWaiting();
      await enqueue(tx, requestId, 'to_agents', 'card_update', {});
      await enqueue(tx, requestId, 'to_parent', 'text', { text: PARENT.claimed(firstName(agent.name)) });
      await audit(tx, { actor: agent, action: 'handoff.claim', guardianId: row.guardianId, outcome: 'success', at: ctx.now(), details: { requestId } });
    });
    return { outcome: 'claimed' };
  } catch (err) {
    if (err instanceof ServiceError && err.code === 'expired') return { outcome: 'expired', message: err.userMessage };
    if (!(err instanceof NotWaiting) && !(err instanceof ServiceError && err.code === 'conflict')) throw err;
  }
  const r = await ctx.db.handoffRequest.findUnique({ where: { id: requestId }, select: { state: true, agentStaffId: true, agentName: true } });
  if (!r) return { outcome: 'unknown' };
  if (r.state === 'CLAIMED') return r.agentStaffId === agent.staffId ? { outcome: 'yours' } : { outcome: 'taken', by: r.agentName ?? 'un autre conseiller' };
  return { outcome: 'closed' };
}

export type EndOutcome = 'ended' | 'closed' | 'unknown';

/** Ends a request (button or "fin"): the parent is asked for their satisfaction; the card shows who ended it. */
export async function endHandoff(ctx: ServiceContext, requestId: number, agent: StaffActor): Promise<EndOutcome> {
  const r = await ctx.db.handoffRequest.findUnique({ where: { id: requestId }, select: { state: true, agentName: true } });
  if (!r) return 'unknown';
  if (r.state !== 'CLAIMED' && r.state !== 'CALLBACK' && r.state !== 'WAITING') return 'closed';
  const ended = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.handoffRequest.updateMany({
      where: { id: requestId, state: r.state },
      data: {
        state: 'ENDED',
        endedAt: ctx.now(),
        endReason: r.state === 'CALLBACK' ? 'callback_done' : 'agent',
        agentName: r.agentName ?? agent.name,
        agentStaffId: undefined,
      },
    });
    if (count !== 1) return false;
    await enqueue(tx, requestId, 'to_agents', 'card_update', {});
    await enqueue(tx, requestId, 'to_agents', 'text', { text: r.state === 'CALLBACK' ? AGENTS.callbackDone(agent.name) : AGENTS.ended(agent.name) });
    if (r.state === 'CLAIMED') {
      await enqueue(tx, requestId, 'to_parent', 'text', { text: PARENT.ended });
      await enqueue(tx, requestId, 'to_parent', 'activity', {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: satisfactionCard(requestId) as unknown as Prisma.InputJsonValue }],
      });
    }
    return true;
  });
  return ended ? 'ended' : 'closed';
}

export type AgentRelayOutcome = 'relayed' | 'empty' | 'too_long' | 'claim_first' | 'closed';

/** What an agent writes in the thread of a claimed request goes to the parent, signed with their first name. */
export async function relayFromAgent(ctx: ServiceContext, request: HandoffRequestInfo, agent: StaffActor, text: string): Promise<AgentRelayOutcome> {
  if (request.state === 'WAITING') return 'claim_first';
  if (request.state !== 'CLAIMED') return 'closed';
  const trimmed = text.trim();
  if (!trimmed) return 'empty';
  if (trimmed.length > MAX_RELAYED_CHARS) return 'too_long';
  await ctx.db.$transaction(async (tx) => {
    await enqueue(tx, request.id, 'to_parent', 'text', { text: PARENT.fromAgent(firstName(agent.name), trimmed) });
  });
  return 'relayed';
}

/** Records the agents' thread created for a request (bot/handoff/relay.ts). */
export async function recordThread(ctx: ServiceContext, requestId: number, threadId: string, cardActivityId: string): Promise<void> {
  await ctx.db.handoffRequest.update({ where: { id: requestId }, data: { threadId, cardActivityId } });
}
