// The human handoff in the bot's turn, before the dialogs (see EduConnectBot's interceptor):
//   - in an agents' thread (Teams channel): the card's buttons (claim, end, account, search),
//     "fin", and every other message relayed to the parent once an agent has claimed the
//     request, except the claiming agent's clicks on the account cards opened in the thread and
//     the typed answer the assistant asked them for (the dialogs take those);
//   - in a parent's conversation with a request under way: messages go to the agents,
//     "annuler" cancels, a contact is taken for a written request, and the satisfaction card;
//   - "file d'attente" for agents and admins.
// At the end of the turn, the relay delivers what the turn wrote (bot/handoff/relay.ts).
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { ServiceContext } from '../../services/context.js';
import { isStaff, type Actor, type StaffActor } from '../../services/actor.js';
import { conversationKey } from '../../services/conversation-refs.js';
import {
  activeRequestOf,
  cancelByParent,
  leaveContact,
  rateHandoff,
  relayFromParent,
  requestOfThread,
  verifiedIdentifier,
  type HandoffRequestInfo,
} from '../../services/handoff/requests.js';
import { isConfirmationId } from '../../services/confirmations.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { FIND_ACCOUNT_DIALOG } from '../../dialogs/staff/find-account-dialog.js';
import { claimHandoff, endHandoff, relayFromAgent } from '../../services/handoff/agents.js';
import { dailyStats, listQueue } from '../../services/handoff/queue.js';
import { AGENTS, PARENT } from '../../services/handoff/texts.js';
import { queueCard } from '../../cards/handoff/queue-card.js';
import { COMMENT_FIELD } from '../../cards/parent/satisfaction-card.js';
import { HANDOFF_KICK, requestRelay, startDialogThisTurn, turnActor } from '../../dialogs/types.js';
import { folded, isCancel } from '../../dialogs/shared/input.js';
import { ACTIVE_HANDOFF_REQUEST_ID, type ConversationDialogs, type TurnInterceptor } from '../bot.js';
import type { HandoffRelay } from './relay.js';

const QUEUE_WORDS = new Set(["file d'attente", 'file d attente', "voir la file d'attente", 'file dattente'].map(folded));
const END_WORDS = new Set(['fin', 'terminer', 'fin de la conversation'].map(folded));

interface HandoffValue {
  handoff: string;
  requestId: number;
  rating?: number;
  comment?: string;
  confirmation?: string;
}

/** Turn-state key: the dialogs ran in an agents' thread this turn. */
const THREAD_DIALOGS = Symbol('educonnect.threadDialogs');

function handoffValue(value: unknown): HandoffValue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const handoff: unknown = Reflect.get(value, 'handoff');
  const requestId: unknown = Reflect.get(value, 'requestId');
  const rating: unknown = Reflect.get(value, 'rating');
  const comment: unknown = Reflect.get(value, COMMENT_FIELD);
  const id = typeof requestId === 'string' ? Number.parseInt(requestId, 10) : requestId;
  if (typeof handoff !== 'string' || typeof id !== 'number' || !Number.isInteger(id)) return undefined;
  const r = typeof rating === 'string' ? Number.parseInt(rating, 10) : rating;
  const confirmation: unknown = Reflect.get(value, 'confirmation');
  return {
    handoff,
    requestId: id,
    rating: typeof r === 'number' ? r : undefined,
    comment: typeof comment === 'string' ? comment.slice(0, 2000) : undefined,
    confirmation: isConfirmationId(confirmation) ? confirmation : undefined,
  };
}

const isThread = (context: TurnContext): boolean =>
  context.activity.channelId === 'msteams' && (context.activity.conversation?.id ?? '').includes(';messageid=');
const rawText = (context: TurnContext): string => (typeof context.activity.text === 'string' ? context.activity.text : '');

export function createHandoffInterceptor(ctx: ServiceContext, relay: HandoffRelay): TurnInterceptor {
  /** Answers a turn in an agents' thread; false: the dialogs take it (the account opened in the thread). */
  async function threadTurn(context: TurnContext, actor: Actor, request: HandoffRequestInfo, dialogs: ConversationDialogs): Promise<boolean> {
    const reply = async (text: string): Promise<boolean> => {
      await context.sendActivity(text);
      return true;
    };
    if (actor.kind !== 'agent' && actor.kind !== 'admin') return reply(AGENTS.notAnAgent);
    const agent: StaffActor = actor;
    const value = handoffValue(context.activity.value);
    const text = rawText(context).trim();
    if (value && value.requestId !== request.id) return reply(AGENTS.unknownRequest);
    requestRelay(context, request.id);
    if (value?.handoff === 'claim') {
      const claim = await claimHandoff(ctx, request.id, agent, value.confirmation);
      if (claim.outcome === 'claimed') return reply(AGENTS.claimedByYou);
      if (claim.outcome === 'yours') return reply(AGENTS.alreadyYours);
      if (claim.outcome === 'taken') return reply(AGENTS.takenBy(claim.by));
      if (claim.outcome === 'expired') return reply(claim.message);
      return reply(claim.outcome === 'unknown' ? AGENTS.unknownRequest : AGENTS.closed);
    }
    if (value?.handoff === 'end' || (!value && END_WORDS.has(folded(text)))) {
      const ended = await endHandoff(ctx, request.id, agent);
      return ended === 'ended' || reply(ended === 'unknown' ? AGENTS.unknownRequest : AGENTS.closed);
    }
    if (value?.handoff === 'account' || value?.handoff === 'search') return openAccount(context, agent, request, value.handoff === 'account', reply);
    // The claiming agent's clicks on the assistant's cards in this thread, and the typed answer it waits for: the dialogs'.
    const mine = request.agentStaffId === agent.staffId;
    if (cardSubmission(context.activity.value)) return mine ? false : reply(AGENTS.onlyClaimer(request.agentName));
    if (mine && text && (await dialogs.waitsForTypedAnswer())) return false;
    const outcome = await relayFromAgent(ctx, request, agent, text);
    if (outcome === 'claim_first') return reply(AGENTS.claimFirst);
    if (outcome === 'closed') return reply(AGENTS.closed);
    if (outcome === 'empty') return reply(AGENTS.empty);
    if (outcome === 'too_long') return reply(AGENTS.tooLong);
    return true;
  }

  /**
   * "Voir le compte": the verified parent's account card (the agents' "rechercher un compte",
   * with the playbook and the account actions, confirmed and audited as the agent) opens in the
   * thread; "Rechercher un compte" (parent not verified): the usual search. The claiming agent only.
   */
  async function openAccount(
    context: TurnContext,
    agent: StaffActor,
    request: HandoffRequestInfo,
    verified: boolean,
    reply: (text: string) => Promise<boolean>,
  ): Promise<boolean> {
    if (request.state === 'WAITING') return reply(AGENTS.claimFirst);
    if (request.state !== 'CLAIMED') return reply(AGENTS.closed);
    if (request.agentStaffId !== agent.staffId) return reply(AGENTS.onlyClaimer(request.agentName));
    const identifier = verified ? await verifiedIdentifier(ctx, request) : undefined;
    if (verified && !identifier) return reply(AGENTS.notVerified);
    await context.sendActivity(identifier ? AGENTS.accountOpened : AGENTS.searchOpened);
    startDialogThisTurn(context, { dialogId: FIND_ACCOUNT_DIALOG, options: identifier ? { entities: { identifier: [identifier] } } : {} });
    return false;
  }

  async function parentTurn(context: TurnContext, request: HandoffRequestInfo): Promise<void> {
    const text = rawText(context);
    requestRelay(context, request.id);
    if (isCancel(text)) {
      await cancelByParent(ctx, request);
      await context.sendActivity(PARENT.cancelled);
      return;
    }
    if (request.state === 'AWAITING_CONTACT') {
      const left = await leaveContact(ctx, request, text);
      await context.sendActivity(left.reply);
      return;
    }
    const { outcome, firstNote } = await relayFromParent(ctx, request, text);
    if (outcome === 'empty') await context.sendActivity(PARENT.empty);
    else if (outcome === 'too_long') await context.sendActivity(PARENT.tooLong);
    else if (firstNote) await context.sendActivity(PARENT.noteReceived);
  }

  async function rating(context: TurnContext, value: HandoffValue): Promise<void> {
    const key = conversationKey(context.activity.channelId, context.activity.conversation.id);
    const outcome = await rateHandoff(ctx, key, value.requestId, value.rating ?? 0, value.comment);
    await context.sendActivity(outcome === 'rated' ? PARENT.rated : outcome === 'already' ? PARENT.alreadyRated : PARENT.ratingUnknown);
  }

  async function queue(context: TurnContext, actor: StaffActor): Promise<void> {
    const entries = await listQueue(ctx);
    const days = actor.kind === 'admin' ? await dailyStats(ctx) : undefined;
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(queueCard(entries, days))));
  }

  return {
    async beforeDialogs(context, dialogs) {
      const activity = context.activity;
      if (activity.type !== 'message' || !activity.conversation?.id) return false;
      const actor = turnActor(context);
      if (isThread(context)) {
        const request = await requestOfThread(ctx, activity.conversation.id);
        if (!request) return false;
        const answered = await threadTurn(context, actor, request, dialogs);
        if (!answered) context.turnState.set(THREAD_DIALOGS, true);
        return answered;
      }
      if (isStaff(actor)) {
        if ((actor.kind === 'agent' || actor.kind === 'admin') && QUEUE_WORDS.has(folded(rawText(context)))) {
          await queue(context, actor);
          return true;
        }
        return false;
      }
      const value = handoffValue(activity.value);
      if (value?.handoff === 'rate') {
        await rating(context, value);
        return true;
      }
      const readAhead = context.turnState.get<Promise<number | null> | undefined>(ACTIVE_HANDOFF_REQUEST_ID);
      const request = await activeRequestOf(ctx, conversationKey(activity.channelId, activity.conversation.id), readAhead);
      if (!request) return false;
      await parentTurn(context, request);
      return true;
    },

    async afterTurn(context, dialogs) {
      // The assistant asked the agent a question to type in the thread: say where that message goes.
      if (context.turnState.get(THREAD_DIALOGS) === true && (await dialogs.waitsForTypedAnswer())) await context.sendActivity(AGENTS.nextForAssistant);
      // Not awaited: the reply to the channel does not wait for Teams or the other side; the
      // outbox keeps the messages (and their order) whatever happens to this delivery.
      const ids: Set<number> | undefined = context.turnState.get(HANDOFF_KICK);
      for (const id of ids ?? []) void relay.deliver(id);
    },
  };
}
