// The durable queue: renders the message and commits it into the outbox within the caller's
// transaction, so that a message exists exactly when the change that causes it is committed.
// Sending is the outbox worker's job (outbox.ts).
import type { Tx } from '../db/index.js';
import type { EnqueueOptions, MessageQueue, OutgoingMessage } from './types.js';
import type { ServiceSettings } from '../context.js';
import { renderMessage } from './templates.js';

export interface RenderedMessage {
  channel: 'EMAIL' | 'SMS';
  subject?: string;
  text: string;
  html?: string;
}

export type Renderer = (message: OutgoingMessage, settings: ServiceSettings) => RenderedMessage;

export function createMessageQueue(settings: ServiceSettings, render: Renderer = renderMessage): MessageQueue {
  return {
    async enqueue(tx: Tx, message: OutgoingMessage, options: EnqueueOptions = {}): Promise<string> {
      const r = render(message, settings);
      const row = await tx.outboxMessage.create({
        data: {
          channel: r.channel,
          recipient: message.to,
          template: message.template,
          subject: r.subject ?? null,
          textBody: r.text,
          htmlBody: r.html ?? null,
          guardianId: options.guardianId ?? null,
          batchId: options.batchId ?? null,
        },
        select: { id: true },
      });
      return row.id;
    },
  };
}
