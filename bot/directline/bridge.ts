// The bot side of the facade: stores activities (and wakes the streams), runs a bot turn
// for what the browser sends, and receives the bot's proactive messages through an internal
// Bot Connector endpoint (loopback only, secret path).
import type restify from 'restify';
import type { ActivityHandler, ResourceResponse, TurnContext } from 'botbuilder';
import type { ServiceContext } from '../../services/context.js';
import type { SignalBus } from '../../services/signals.js';
import {
  appendJsonToChat,
  appendToChat,
  findChatConversation,
  type AppendOptions,
  type AppendResult,
  type ChatActivityJson,
  type ChatParticipant,
  type TurnReadAhead,
} from '../../services/chat-store.js';
import { conversationKey } from '../../services/conversation-refs.js';
import { looksLikePassword, MASKED_PASSWORD_TEXT } from '../../services/sensitive.js';
import { CLIENT_ADDRESS_KEY, type BotAdapter, type TurnTracker } from '../adapter.js';
import { TURN_READ_AHEAD } from '../storage.js';
import { ChatNotifier } from './notifier.js';
import { safeEqual } from './signing.js';
import {
  BOT_ACCOUNT,
  DIRECTLINE_BASE,
  DIRECTLINE_CHANNEL_ID,
  HttpError,
  botActivityJson,
  fromThisMachine,
  isObject,
  routeParam,
  toBotActivity,
  type Handle,
} from './protocol.js';

export interface BotBridgeOptions {
  ctx: ServiceContext;
  bot: ActivityHandler;
  adapter: BotAdapter;
  tracker: TurnTracker;
  /** The secret part of the internal connector path. */
  secret: string;
  /** The base URL this instance is reachable at on the loopback interface (for the bot's replies). */
  loopbackUrl(): string;
  /** Cross-instance signals (services/signals.ts), when the server has a bus. */
  signals?: SignalBus;
}

/**
 * botbuilder's ConversationState key of a facade conversation. Should botbuilder name it
 * otherwise, the turn sees the key differ and reads the state itself (bot/bot.ts readAhead).
 */
const stateKeyOf = (conversationId: string): string => `${DIRECTLINE_CHANNEL_ID}/conversations/${conversationId}/`;

/** What an append reads for the turn it starts (AppendOptions.readAhead): the state and the handoff lookup. */
const turnReadAhead = (conversationId: string): NonNullable<AppendOptions['readAhead']> => ({
  stateKey: stateKeyOf(conversationId),
  conversationKey: conversationKey(DIRECTLINE_CHANNEL_ID, conversationId),
});

export class BotBridge {
  readonly notifier: ChatNotifier;
  private readonly connectorBase: string;

  constructor(private readonly options: BotBridgeOptions) {
    this.notifier = new ChatNotifier(options.signals);
    this.connectorBase = `${DIRECTLINE_BASE}/_connector/${options.secret}`;
  }

  /**
   * Appends an activity to the conversation and wakes the streams that show it, in one
   * statement with the checks of `options` (token alive, flood counters).
   */
  async append(conversationId: string, activity: ChatActivityJson, options: Omit<AppendOptions, 'notify'> = {}): Promise<AppendResult> {
    return this.signalled(conversationId, (notify) => appendToChat(this.options.ctx, conversationId, activity, { ...options, notify }));
  }

  /**
   * Starts the conversation (the browser's first POST /conversations, and its repeats): stores
   * the conversationUpdate that says the user joined and, the first time only, runs its turn
   * (the greeting), with the conversation state read by the same statement.
   */
  async start(participant: ChatParticipant, clientAddress: string, aliveAt: Date): Promise<AppendResult> {
    const activity = { type: 'conversationUpdate', membersAdded: [{ id: participant.userId }, { ...BOT_ACCOUNT }] };
    const first = await this.append(participant.id, activity, { aliveAt, readAhead: turnReadAhead(participant.id) });
    if (first.status === 'stored' && first.seq === 1) await this.deliver(first.activity, participant, clientAddress, first.readAhead);
    return first;
  }

  /** Runs an append and wakes the streams when it stored; the same statement signals the other instances (NOTIFY), when signals are NOTIFYs. */
  private async signalled<R extends { status: string }>(conversationId: string, append: (notify: AppendOptions['notify']) => Promise<R>): Promise<R> {
    const notify = this.notifier.statementSignal(conversationId);
    const result = await append(notify);
    if (result.status === 'stored') this.notifier.appended(conversationId, notify !== undefined);
    return result;
  }

  /**
   * Stores what the browser sent and runs the bot's turn on it (when the append stored it:
   * the token alive, the flood counters under their limits). A message that looks like a
   * password (the dialogs' own detector) is stored, and so served back, transcribed or
   * handed over, only as a masked line; the bot alone sees the text, to warn the person.
   */
  async receiveFromUser(
    participant: ChatParticipant,
    incoming: ChatActivityJson,
    clientAddress: string,
    options: Omit<AppendOptions, 'notify'>,
  ): Promise<AppendResult> {
    const secret = incoming.type === 'message' && typeof incoming.text === 'string' && looksLikePassword(incoming.text);
    // A message's turn reads its conversation state and handoff lookup first: read by the append (bot/storage.ts readAhead).
    const readAhead = incoming.type === 'message' ? turnReadAhead(participant.id) : undefined;
    const result = await this.append(participant.id, secret ? { ...incoming, text: MASKED_PASSWORD_TEXT } : incoming, { ...options, readAhead });
    if (result.status === 'stored')
      await this.deliver(secret ? { ...result.activity, text: incoming.text ?? '' } : result.activity, participant, clientAddress, result.readAhead);
    return result;
  }

  /**
   * Stores a bot activity (its identity fixed by us) and returns its Direct Line id; with
   * `aliveAt`, only if the conversation's token is alive then (null otherwise).
   */
  async storeBotActivity(participant: ChatParticipant, activity: object, aliveAt?: Date): Promise<string | null> {
    const json = botActivityJson(activity, participant.userId);
    const result = await this.signalled(participant.id, (notify) => appendJsonToChat(this.options.ctx, participant.id, json, { aliveAt, notify }));
    if (result.status === 'stored') return result.id;
    if (aliveAt) return null;
    throw new Error(`Unknown chat conversation ${participant.id}`);
  }

  /**
   * Runs a bot turn for an activity of the browser. The bot's replies during the turn are
   * stored directly (no HTTP round trip, so they still land while the server shuts down);
   * only proactive messages go through the internal connector endpoint. The client's
   * address (from the socket, never from a header) reaches the bot in the turn state.
   */
  async deliver(stored: ChatActivityJson, conversation: ChatParticipant, clientAddress?: string, readAhead?: TurnReadAhead): Promise<void> {
    const { adapter, bot, tracker } = this.options;
    const logic = async (turn: TurnContext): Promise<void> => {
      if (clientAddress) turn.turnState.set(CLIENT_ADDRESS_KEY, clientAddress);
      if (readAhead) turn.turnState.set(TURN_READ_AHEAD, readAhead);
      turn.onSendActivities(async (_turn, activities) => {
        const responses: ResourceResponse[] = [];
        for (const activity of activities) {
          if (activity.type === 'delay') await new Promise((r) => setTimeout(r, Math.min(Number(activity.value) || 1000, 5000)));
          // Trace and invoke responses are for the channel, not for the person.
          if (activity.type === 'delay' || activity.type === 'trace' || activity.type === 'invokeResponse') {
            responses.push({ id: '' });
            continue;
          }
          responses.push({ id: (await this.storeBotActivity(conversation, activity)) ?? '' });
        }
        return responses;
      });
      await bot.run(turn);
    };
    const serviceUrl = `${this.options.loopbackUrl()}${this.connectorBase}`;
    await tracker.track(adapter.adapter.processActivityDirect(adapter.directLineAuthentication(), toBotActivity(stored, conversation, serviceUrl), logic));
  }

  /**
   * The Bot Connector API as the bot's ConnectorClient calls it (send / reply to activity):
   * proactive messages to a web chat conversation (e.g. an agent taking over).
   */
  registerConnector(server: restify.Server, handle: Handle): void {
    const receiveFromBot = handle(async (req, res) => {
      if (!fromThisMachine(req.socket.remoteAddress, req.socket.localAddress) || !safeEqual(routeParam(req, 'secret'), this.options.secret)) {
        throw new HttpError(403, 'Forbidden', 'Forbidden');
      }
      const conversation = await findChatConversation(this.options.ctx, routeParam(req, 'conversationId'));
      if (!conversation) throw new HttpError(404, 'NotFound', 'Unknown conversation');
      const body: unknown = req.body;
      if (!isObject(body) || typeof body.type !== 'string') throw new HttpError(400, 'BadArgument', 'Invalid activity');
      res.send(200, { id: (await this.storeBotActivity(conversation, body)) ?? '' });
    });
    server.post(`${DIRECTLINE_BASE}/_connector/:secret/v3/conversations/:conversationId/activities`, receiveFromBot);
    server.post(`${DIRECTLINE_BASE}/_connector/:secret/v3/conversations/:conversationId/activities/:replyToId`, receiveFromBot);
  }
}
