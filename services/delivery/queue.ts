// Minimal durable queue: renders the message and commits it into the outbox within the
// caller's transaction. (Rendering lives in services/delivery/templates.)
import type { Tx } from '../db/index.js';
import type { EnqueueOptions, MessageQueue, OutgoingMessage } from './types.js';
import type { ServiceSettings } from '../context.js';

export interface RenderedMessage {
  channel: 'EMAIL' | 'SMS';
  subject?: string;
  text: string;
  html?: string;
}

export type Renderer = (message: OutgoingMessage, settings: ServiceSettings) => RenderedMessage;

/** Placeholder rendering until the templates exist: plain text, correct channel. */
export const plainRenderer: Renderer = (message) => {
  const sms = message.template.startsWith('sms_');
  return { channel: sms ? 'SMS' : 'EMAIL', subject: sms ? undefined : `EduConnect : ${message.template}`, text: JSON.stringify(message) };
};

export function createMessageQueue(settings: ServiceSettings, render: Renderer = plainRenderer): MessageQueue {
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
