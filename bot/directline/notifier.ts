// In-process "something new in conversation X" signal, so that open websockets of this
// instance push at once. Other instances' writes are caught by each socket's short poll.
import { EventEmitter } from 'node:events';

export class ChatNotifier {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  notify(conversationId: string): void {
    this.emitter.emit(conversationId);
  }

  /** Returns the function that stops listening. */
  subscribe(conversationId: string, listener: () => void): () => void {
    this.emitter.on(conversationId, listener);
    return () => this.emitter.off(conversationId, listener);
  }
}
