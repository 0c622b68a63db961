// "Something new in conversation X" signal, so that open websockets push at once. With a
// signal bus (services/signals.ts) the signal also reaches every other instance (an agent's
// message stored by instance B pushes the parent's socket open on instance A). Sockets do not
// poll: the bus is the instance's one listener (one LISTEN connection, or one polled table on
// PGlite), and after it reconnects every socket is woken ('*').
import { EventEmitter } from 'node:events';
import { ANY_TOPIC, type SignalBus } from '../../services/signals.js';

const TOPIC_PREFIX = 'chat:';
/** The bus topic of a web chat conversation (also used by bot/proactive.ts). */
export const chatTopic = (conversationId: string): string => `${TOPIC_PREFIX}${conversationId}`;

export class ChatNotifier {
  private readonly emitter = new EventEmitter();

  constructor(private readonly signals?: SignalBus) {
    this.emitter.setMaxListeners(0);
    signals?.subscribe((topic) => {
      if (topic === ANY_TOPIC) for (const name of this.emitter.eventNames()) this.emitter.emit(name);
      else if (topic.startsWith(TOPIC_PREFIX)) this.emitter.emit(topic.slice(TOPIC_PREFIX.length));
    });
  }

  /** The NOTIFY an append to this conversation can send in its own statement (signals by NOTIFY only). */
  statementSignal(conversationId: string): { channel: string; payload: string } | undefined {
    const channel = this.signals?.notifyChannel;
    return channel ? { channel, payload: chatTopic(conversationId) } : undefined;
  }

  /** After an append: wakes the streams, sending the signal unless the append's statement did. */
  appended(conversationId: string, signalledByStatement: boolean): void {
    if (signalledByStatement && this.signals) this.signals.echo(chatTopic(conversationId));
    else this.notify(conversationId);
  }

  notify(conversationId: string): void {
    if (this.signals) void this.signals.publish(chatTopic(conversationId)).catch(() => undefined);
    else this.emitter.emit(conversationId);
  }

  /** Returns the function that stops listening. */
  subscribe(conversationId: string, listener: () => void): () => void {
    this.emitter.on(conversationId, listener);
    return () => this.emitter.off(conversationId, listener);
  }
}
