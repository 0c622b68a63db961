// Proactive messages: the bot writes first, from any instance, even after a restart, using
// conversation references stored in the database (services/conversation-refs.ts) and
// adapter.continueConversationAsync, as the contracts require.
//   send(ref, activities)       -> a parent's conversation, a staff personal chat, a thread
//   update(ref, activity)       -> replaces a message in place (PUT …/activities/{id})
//   createThread(teamRef, channelId, activity) -> starts a thread in a Teams channel
//        (POST {serviceUrl}/v3/conversations, isGroup, channelData.channel.id)
// Web chat conversations of our own Direct Line facade are written straight to the chat
// store (no HTTP hop to the instance that happened to serve them) and every instance's open
// sockets are woken through the signal bus.
import { TurnContext, type Activity, type CloudAdapter, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { ServiceContext } from '../services/context.js';
import type { ConversationReferenceJson } from '../services/conversation-refs.js';
import { appendJsonToChat, findChatConversation } from '../services/chat-store.js';
import type { SignalBus } from '../services/signals.js';
import { BOT_ACCOUNT, botActivityJson } from './directline/facade.js';
import { chatTopic } from './directline/notifier.js';

export interface CreatedThread {
  conversationId: string;
  activityId: string;
  reference: ConversationReferenceJson;
}

export interface ProactiveSender {
  /** Sends activities in order; resolves with their ids. Throws when the channel refuses. */
  send(reference: ConversationReferenceJson, activities: readonly Partial<Activity>[]): Promise<string[]>;
  /** Replaces the activity `activity.id` of that conversation. */
  update(reference: ConversationReferenceJson, activity: Partial<Activity> & { id: string }): Promise<void>;
  /** Starts a new thread in a Teams channel of the team `team`, with `activity` as first message. */
  createThread(team: ConversationReferenceJson, channelId: string, activity: Partial<Activity>, tenantId?: string): Promise<CreatedThread>;
}

export interface ProactiveOptions {
  adapter: CloudAdapter;
  appId: string | undefined;
  ctx: ServiceContext;
  signals: SignalBus;
}

const isFacade = (ref: ConversationReferenceJson): boolean => ref.channelId === 'directline' && ref.serviceUrl.includes('/v3/directline/_connector/');

/** The JSON reference as botbuilder types it. */
export function toReference(ref: ConversationReferenceJson): Partial<ConversationReference> {
  return { ...ref, conversation: { isGroup: false, conversationType: '', name: '', ...ref.conversation } } as Partial<ConversationReference>;
}

/** botbuilder's reference of the activity of a turn, as JSON for the database. */
export function referenceOf(activity: Partial<Activity>): ConversationReferenceJson {
  return JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as ConversationReferenceJson;
}

export function createProactiveSender({ adapter, appId, ctx, signals }: ProactiveOptions): ProactiveSender {
  const botAppId = appId ?? '';

  /**
   * Runs `logic` in a proactive turn and rethrows its error: the adapter would otherwise hand
   * it to onTurnError (which answers "a technical problem" in that conversation) and the
   * caller would believe the message delivered.
   */
  async function proactiveTurn(reference: ConversationReferenceJson, logic: (turn: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    await adapter.continueConversationAsync(botAppId, toReference(reference), async (turn) => {
      try {
        await logic(turn);
      } catch (err) {
        failure = err ?? new Error('proactive turn failed');
      }
    });
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  }

  async function storeInChat(conversationId: string, activities: readonly Partial<Activity>[]): Promise<string[]> {
    const conversation = await findChatConversation(ctx, conversationId);
    if (!conversation) throw new Error('unknown web chat conversation');
    const ids: string[] = [];
    for (const activity of activities) {
      const stored = await appendJsonToChat(ctx, conversationId, botActivityJson(activity, conversation.userId));
      if (stored.status !== 'stored') throw new Error('unknown web chat conversation');
      ids.push(stored.id);
    }
    await signals.publish(chatTopic(conversationId)).catch((err: unknown) => ctx.log.warn({ err }, 'proactive: could not signal the web chat'));
    return ids;
  }

  return {
    async send(reference, activities) {
      if (isFacade(reference)) return storeInChat(reference.conversation.id, activities);
      let ids: string[] = [];
      await proactiveTurn(reference, async (turn) => {
        const responses: ResourceResponse[] = await turn.sendActivities([...activities]);
        ids = responses.map((r) => r?.id ?? '');
      });
      return ids;
    },

    async update(reference, activity) {
      if (isFacade(reference)) {
        await storeInChat(reference.conversation.id, [{ ...activity, id: undefined }]);
        return;
      }
      await proactiveTurn(reference, async (turn) => {
        await turn.updateActivity({ ...activity, conversation: turn.activity.conversation });
      });
    },

    async createThread(team, channelId, activity, tenantId) {
      let created: CreatedThread | undefined;
      const channelRef: ConversationReferenceJson = { ...team, conversation: { id: channelId, isGroup: true, conversationType: 'channel', tenantId } };
      await proactiveTurn(channelRef, async (turn) => {
        const client: ConnectorClient = turn.turnState.get(turn.adapter.ConnectorClientKey);
        const bot = { id: team.bot?.id ?? botAppId, name: team.bot?.name ?? BOT_ACCOUNT.name };
        const result = await client.conversations.createConversation({
          isGroup: true,
          bot,
          tenantId,
          channelData: { channel: { id: channelId }, ...(tenantId ? { tenant: { id: tenantId } } : {}) },
          activity: { type: 'message', ...activity } as Activity,
        });
        if (!result.id) throw new Error('the channel did not return the new thread id');
        created = {
          conversationId: result.id,
          activityId: result.activityId ?? '',
          reference: {
            channelId: team.channelId,
            serviceUrl: team.serviceUrl,
            bot,
            conversation: { id: result.id, isGroup: true, conversationType: 'channel', tenantId },
          },
        };
      });
      if (!created) throw new Error('thread not created');
      return created;
    },
  };
}
