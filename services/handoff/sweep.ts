// Time-driven changes of requests, run by every instance's worker (each change is a
// conditional UPDATE, so two instances never apply it twice):
//   - nobody claimed within HANDOFF_WAIT_MINUTES: the parent is offered a written request;
//   - the parent left (no activity for PARENT_GONE_MINUTES and, on the web chat, the page
//     no longer refreshes its token): the request ends and the agents are told.
import type { ServiceContext } from '../context.js';
import { helpdeskOf } from '../helpdesk/contact.js';
import { enqueue } from './outbox.js';
import { ACTIVE_STATES } from './requests.js';
import { AGENTS, PARENT } from './texts.js';

export const PARENT_GONE_MINUTES = 30;
const WEB_CHAT_PREFIX = 'conversation:directline:';

async function parentStillThere(ctx: ServiceContext, conversationKey: string): Promise<boolean> {
  if (!conversationKey.startsWith(WEB_CHAT_PREFIX)) return false;
  const chat = await ctx.db.chatConversation.findUnique({ where: { id: conversationKey.slice(WEB_CHAT_PREFIX.length) }, select: { expiresAt: true } });
  // The page refreshes its token every 15 minutes while it is open.
  return chat !== null && chat.expiresAt > ctx.now();
}

export interface SweepResult {
  timedOut: number;
  abandoned: number;
}

export async function sweepHandoffs(ctx: ServiceContext): Promise<SweepResult> {
  const { hours, waitMinutes } = helpdeskOf(ctx.settings);
  const now = ctx.now();
  const result: SweepResult = { timedOut: 0, abandoned: 0 };

  const late = await ctx.db.handoffRequest.findMany({
    where: { state: 'WAITING', createdAt: { lt: new Date(now.getTime() - waitMinutes * 60_000) } },
    select: { id: true },
    take: 100,
  });
  for (const { id } of late) {
    await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.handoffRequest.updateMany({ where: { id, state: 'WAITING' }, data: { state: 'AWAITING_CONTACT' } });
      if (count !== 1) return;
      result.timedOut++;
      await enqueue(tx, id, 'to_parent', 'text', { text: PARENT.askContact(PARENT.nobodyFree(waitMinutes), hours) });
      await enqueue(tx, id, 'to_agents', 'card_update', {});
      await enqueue(tx, id, 'to_agents', 'text', { text: AGENTS.nobodyClaimed(waitMinutes) });
    });
  }

  const quiet = await ctx.db.handoffRequest.findMany({
    where: { state: { in: ACTIVE_STATES }, lastParentActivityAt: { lt: new Date(now.getTime() - PARENT_GONE_MINUTES * 60_000) } },
    select: { id: true, conversationKey: true, threadId: true, state: true },
    take: 100,
  });
  for (const r of quiet) {
    if (await parentStillThere(ctx, r.conversationKey)) continue;
    await ctx.db.$transaction(async (tx) => {
      const { count } = await tx.handoffRequest.updateMany({
        where: { id: r.id, state: r.state },
        data: { state: 'ABANDONED', endedAt: now, endReason: 'parent_left' },
      });
      if (count !== 1) return;
      result.abandoned++;
      const thread = r.threadId !== null || (await tx.handoffMessage.count({ where: { requestId: r.id, kind: 'thread' } })) > 0;
      if (thread) {
        await enqueue(tx, r.id, 'to_agents', 'card_update', {});
        await enqueue(tx, r.id, 'to_agents', 'text', { text: AGENTS.parentLeft(PARENT_GONE_MINUTES) });
      }
    });
  }
  return result;
}
