// The durable queue: renders the message and commits it into the outbox within the caller's
// transaction, so that a message exists exactly when the change that causes it is committed.
// Bodies of secret-bearing templates are stored encrypted (AES-GCM, service key); the worker
// (outbox.ts) opens them to send, then clears them.
import type { Prisma } from '../db/index.js';
import type { EnqueueOptions, MessageQueue, OutgoingMessage } from './types.js';
import type { ServiceSettings } from '../context.js';
import { encryptSecret } from '../passwords.js';
import { renderMessage, SECRET_TEMPLATES, type Renderer } from './templates.js';

function outboxRow(render: Renderer, settings: ServiceSettings, message: OutgoingMessage, options: EnqueueOptions = {}): Prisma.OutboxMessageCreateManyInput {
  const r = render(message, settings);
  // A body carrying a password, a code or a one-time link is kept encrypted until it is sent.
  const seal = SECRET_TEMPLATES.has(message.template) ? (body: string) => encryptSecret(body, settings.secretKey) : (body: string) => body;
  return {
    channel: r.channel,
    recipient: message.to,
    template: message.template,
    subject: r.subject ?? null,
    textBody: seal(r.text),
    htmlBody: r.html === undefined ? null : seal(r.html),
    guardianId: options.guardianId ?? null,
    batchId: options.batchId ?? null,
  };
}

export function createMessageQueue(settings: ServiceSettings, render: Renderer = renderMessage): MessageQueue {
  return {
    async enqueue(tx, message, options) {
      const row = await tx.outboxMessage.create({ data: outboxRow(render, settings, message, options), select: { id: true } });
      return row.id;
    },
    async enqueueMany(tx, entries) {
      if (entries.length === 0) return [];
      const rows = await tx.outboxMessage.createManyAndReturn({
        data: entries.map((e) => outboxRow(render, settings, e.message, e.options)),
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
  };
}
