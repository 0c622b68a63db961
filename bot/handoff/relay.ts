// Delivers the handoff outbox (services/handoff/outbox.ts) through the proactive sender:
// the request card starts a thread in the agents' channel (AGENTS_TEAM_ID, on the team's
// serviceUrl learnt from its activities), updates replace it in place, texts go to the
// thread or to the parent's conversation. Per request and direction, strictly in order; a
// refused message is retried later (back-off) and blocks only the messages after it.
// `deliver` runs at the end of the turn that wrote the messages; the worker retries and
// applies time-outs (every instance runs it; a lease in the database serialises delivery).
import type { Activity } from 'botbuilder';
import type { ServiceContext } from '../../services/context.js';
import type { Prisma } from '../../services/db/index.js';
import { findConversationRef, teamKey, type ConversationReferenceJson } from '../../services/conversation-refs.js';
import {
  hasDueMessages,
  markAbandoned,
  markFailed,
  markSent,
  pendingMessages,
  releaseRelayLease,
  requestsWithDueMessages,
  takeRelayLease,
  type Direction,
  type PendingMessage,
} from '../../services/handoff/outbox.js';
import { recordThread } from '../../services/handoff/agents.js';
import { requestCard } from '../../services/handoff/requests.js';
import { sweepHandoffs } from '../../services/handoff/sweep.js';
import type { ProactiveSender } from '../proactive.js';
import { startPeriodic, type Periodic } from '../../services/periodic.js';

const RETRY_EVERY_MS = 1000;
const SWEEP_EVERY_MS = 15_000;
/** A message whose conversation stays unknown is given up after this many tries (logged). */
const MAX_ATTEMPTS_WITHOUT_REFERENCE = 30;

export interface HandoffRelay {
  /** Delivers what is due for this request now (never throws). */
  deliver(requestId: number): Promise<void>;
  /** Retries and time-outs, every second; returns the function that stops it. */
  startWorker(): { stop(): Promise<void> };
}

export interface RelayOptions {
  ctx: ServiceContext;
  proactive: ProactiveSender;
  agentsTeamId: string | undefined;
}

class MissingReference extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const cardActivity = (card: unknown): Partial<Activity> => ({
  type: 'message',
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
});

export function createHandoffRelay({ ctx, proactive, agentsTeamId }: RelayOptions): HandoffRelay {
  async function team(): Promise<{ reference: ConversationReferenceJson; tenantId?: string; channelId: string }> {
    if (!agentsTeamId) throw new MissingReference('AGENTS_TEAM_ID is not set');
    const ref = await findConversationRef(ctx, teamKey(agentsTeamId));
    if (!ref) throw new MissingReference("the agents' team has not talked to the bot yet (install the app in the team)");
    return { reference: ref.reference, tenantId: ref.tenantId ?? undefined, channelId: agentsTeamId };
  }

  async function toAgents(message: PendingMessage): Promise<void> {
    const request = await ctx.db.handoffRequest.findUnique({ where: { id: message.requestId }, select: { threadId: true, cardActivityId: true } });
    if (!request) return;
    const t = await team();
    const card = await requestCard(ctx, message.requestId);
    if (message.kind === 'thread') {
      if (request.threadId) return;
      const created = await proactive.createThread(t.reference, t.channelId, cardActivity(card), t.tenantId);
      await recordThread(ctx, message.requestId, created.conversationId, created.activityId);
      return;
    }
    if (!request.threadId) throw new Error('the thread of this request does not exist yet');
    const thread: ConversationReferenceJson = {
      ...t.reference,
      conversation: { id: request.threadId, isGroup: true, conversationType: 'channel', tenantId: t.tenantId },
    };
    if (message.kind === 'card_update') {
      if (request.cardActivityId) await proactive.update(thread, { ...cardActivity(card), id: request.cardActivityId });
      return;
    }
    const text = isObject(message.payload) && typeof message.payload.text === 'string' ? message.payload.text : '';
    await proactive.send(thread, [{ type: 'message', text, textFormat: 'markdown' }]);
  }

  async function toParent(message: PendingMessage): Promise<void> {
    const request = await ctx.db.handoffRequest.findUnique({ where: { id: message.requestId }, select: { conversationKey: true } });
    if (!request) return;
    const ref = await findConversationRef(ctx, request.conversationKey);
    if (!ref) throw new MissingReference("the parent's conversation reference is unknown");
    const payload: Prisma.JsonValue = message.payload;
    const activity: Partial<Activity> =
      message.kind === 'activity' && isObject(payload)
        ? payload
        : { type: 'message', text: isObject(payload) && typeof payload.text === 'string' ? payload.text : '', textFormat: 'markdown' };
    await proactive.send(ref.reference, [activity]);
  }

  async function deliverOnce(requestId: number): Promise<void> {
    const blocked = new Set<Direction>();
    for (const message of await pendingMessages(ctx, requestId)) {
      if (blocked.has(message.direction)) continue;
      if (message.nextAttemptAt > ctx.now()) {
        blocked.add(message.direction);
        continue;
      }
      try {
        await (message.direction === 'to_agents' ? toAgents(message) : toParent(message));
        await markSent(ctx, message.id);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        blocked.add(message.direction);
        if (err instanceof MissingReference && message.attempts + 1 >= MAX_ATTEMPTS_WITHOUT_REFERENCE) {
          ctx.log.error({ requestId, messageId: message.id, error }, 'handoff relay: message given up');
          await markAbandoned(ctx, message.id, error);
        } else {
          ctx.log.warn(
            { requestId, messageId: message.id, direction: message.direction, kind: message.kind, error },
            'handoff relay: delivery refused, will retry',
          );
          await markFailed(ctx, message, error);
        }
      }
    }
  }

  async function deliver(requestId: number): Promise<void> {
    try {
      // Messages written while another holder had the lease are caught by the last check.
      for (let round = 0; round < 5; round++) {
        if (!(await takeRelayLease(ctx, requestId))) return;
        try {
          await deliverOnce(requestId);
        } finally {
          await releaseRelayLease(ctx, requestId);
        }
        if (!(await hasDueMessages(ctx, requestId))) return;
      }
    } catch (err) {
      ctx.log.error({ err, requestId }, 'handoff relay: delivery failed');
    }
  }

  return {
    deliver,
    startWorker(): Periodic {
      let lastSweep = 0;
      return startPeriodic({ name: 'handoff relay', intervalMs: RETRY_EVERY_MS, log: ctx.log }, async () => {
        if (Date.now() - lastSweep >= SWEEP_EVERY_MS) {
          lastSweep = Date.now();
          await sweepHandoffs(ctx);
        }
        for (const id of await requestsWithDueMessages(ctx)) await deliver(id);
      });
    },
  };
}
