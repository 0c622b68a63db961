// What the outbox holds, for developers (the /dev/outbox page, never in production): newest
// first, recipients partly masked, bodies in clear while they are present (secret-bearing
// bodies are encrypted at rest and erased once sent).
import type { ServiceContext } from '../context.js';
import { bodyErased, maskRecipient, openBodies } from './outbox.js';

export type OutboxBody = { kind: 'text'; text: string } | { kind: 'erased' } | { kind: 'unreadable' };

export interface OutboxView {
  id: string;
  channel: 'EMAIL' | 'SMS';
  recipient: string;
  subject: string | null;
  status: 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';
  createdAt: Date;
  sentAt: Date | null;
  body: OutboxBody;
}

export const OUTBOX_VIEW_LIMIT = 100;

export async function viewOutbox(ctx: ServiceContext, limit = OUTBOX_VIEW_LIMIT): Promise<OutboxView[]> {
  const rows = await ctx.db.outboxMessage.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: {
      id: true,
      channel: true,
      recipient: true,
      template: true,
      subject: true,
      textBody: true,
      htmlBody: true,
      status: true,
      createdAt: true,
      sentAt: true,
    },
  });
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    recipient: maskRecipient(r.channel, r.recipient),
    subject: r.subject,
    status: r.status,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    body: bodyOf(ctx, r),
  }));
}

function bodyOf(ctx: ServiceContext, row: { template: string; textBody: string; htmlBody: string | null }): OutboxBody {
  if (bodyErased(row)) return { kind: 'erased' };
  try {
    return { kind: 'text', text: openBodies(ctx, row).textBody };
  } catch {
    return { kind: 'unreadable' };
  }
}
