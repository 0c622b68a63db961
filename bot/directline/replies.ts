// The bot's replies during one web chat turn: each gets its Direct Line id at once (the turn's
// activity id and its rank: "<conversation>|0000005.1"), and they are stored together, in the
// statement of the turn's state write when there is one (bot/storage.ts, pendingReplies), else
// at the end of the turn. A reply waits at most FLUSH_AFTER_MS (a long turn's progress lines
// still show while it runs), and what is queued is stored before a delay activity.
import { storeChatReplies, type ChatReplies } from '../../services/chat-replies.js';
import type { ServiceContext } from '../../services/context.js';
import type { PendingReplies } from '../storage.js';
import type { ChatNotifier } from './notifier.js';

/** Longest a reply waits for the turn's state write before it is stored on its own. */
export const FLUSH_AFTER_MS = 1000;

export interface TurnRepliesOptions {
  ctx: ServiceContext;
  conversationId: string;
  /** The conversation state's storage key (the write that may carry the replies). */
  stateKey: string;
  /** The id of the activity the turn answers: the replies' ids start with it. */
  idPrefix: string;
  notifier: ChatNotifier;
}

export class TurnReplies implements PendingReplies {
  readonly stateKey: string;
  private texts: string[] = [];
  private ids: string[] = [];
  private count = 0;
  /** The batches being stored, in order. */
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: TurnRepliesOptions) {
    this.stateKey = options.stateKey;
  }

  /** Queues a reply (JSON text of an object) and gives its id; once the turn is over, stores it at once. */
  async add(text: string): Promise<string> {
    const id = `${this.options.idPrefix}.${++this.count}`;
    this.texts.push(text);
    this.ids.push(id);
    if (this.closed) await this.flush();
    else
      this.timer ??= setTimeout(
        () => void this.flush().catch((err: unknown) => this.options.ctx.log.warn({ err }, 'web chat: could not store the replies of a turn')),
        FLUSH_AFTER_MS,
      );
    return id;
  }

  async take(): Promise<ChatReplies | undefined> {
    await this.flushing;
    return this.takeNow();
  }

  stored(replies: ChatReplies): void {
    this.options.notifier.appended(replies.conversationId, replies.notify !== undefined);
  }

  /** Stores what is queued, after the batches already being stored. */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      const replies = this.takeNow();
      if (!replies) return;
      await storeChatReplies(this.options.ctx.db, replies);
      this.stored(replies);
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** The turn is over: stores what is left; later replies are stored as they come. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private takeNow(): ChatReplies | undefined {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.texts.length === 0) return undefined;
    const { conversationId, notifier, ctx } = this.options;
    const replies: ChatReplies = {
      conversationId,
      texts: this.texts,
      ids: this.ids,
      timestamp: ctx.now().toISOString(),
      notify: notifier.statementSignal(conversationId),
    };
    this.texts = [];
    this.ids = [];
    return replies;
  }
}
