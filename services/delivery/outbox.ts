// The outbox worker. Rows committed by `ctx.messages.enqueue` (same transaction as the change
// that causes them) are claimed with FOR UPDATE SKIP LOCKED — so that any number of workers in
// any number of instances never send one twice — sent, then marked SENT, retried later with
// exponential backoff, or FAILED with the reason. A row whose worker died while SENDING is
// taken again once its lock expires. Nothing lives only in memory: a restart loses nothing.
import type { ServiceContext } from '../context.js';
import { maskEmail, maskPhone } from '../logger.js';
import { decryptSecret } from '../passwords.js';
import { isUuid } from './files.js';
import { SECRET_TEMPLATES } from './templates.js';
import { createTransports, DeliveryError, type Sender, type Transports } from './transports.js';
import { startPeriodic } from '../periodic.js';

export interface OutboxOptions {
  /** Rows claimed per round. */
  batchSize?: number;
  /** Messages sent at the same time within a round. */
  concurrency?: number;
  /** How long a claim protects a row from other workers. */
  lockSeconds?: number;
  /** Tries before a temporary failure becomes FAILED. */
  maxAttempts?: number;
}

export const OUTBOX_DEFAULTS = { batchSize: 100, concurrency: 20, lockSeconds: 300, maxAttempts: 8 } as const;

/** Delay before try n+1 after n failed tries: 30 s, 1 min, 2 min… capped at 1 hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/** What remains of a secret-bearing body once it has been sent. */
export const CLEARED_BODY = '[contenu effacé après envoi]';

interface ClaimedRow {
  id: string;
  channel: 'EMAIL' | 'SMS';
  recipient: string;
  template: string;
  subject: string | null;
  textBody: string;
  htmlBody: string | null;
  attempts: number;
}

export interface OutboxRunResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
}

export function maskRecipient(channel: string, recipient: string): string {
  return channel === 'SMS' ? maskPhone(recipient) : maskEmail(recipient);
}

async function claim(ctx: ServiceContext, channels: string[], batchSize: number, lockSeconds: number): Promise<ClaimedRow[]> {
  const now = ctx.now();
  const lockedUntil = new Date(now.getTime() + lockSeconds * 1000);
  return ctx.db.$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxMessage" SET "status" = 'SENDING', "lockedUntil" = ${lockedUntil}::timestamp, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMessage"
      WHERE "channel"::text = ANY(${channels}::text[])
        AND (("status" = 'PENDING' AND "nextAttemptAt" <= ${now}::timestamp)
          OR ("status" = 'SENDING' AND "lockedUntil" < ${now}::timestamp))
      ORDER BY "nextAttemptAt", "createdAt"
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "channel"::text AS "channel", "recipient", "template", "subject", "textBody", "htmlBody", "attempts"`;
}

/** The bodies in clear (secret-bearing ones are stored encrypted, see queue.ts). Throws when they cannot be decrypted. */
export function openBodies<T extends { template: string; textBody: string; htmlBody: string | null }>(ctx: ServiceContext, row: T): T {
  if (!SECRET_TEMPLATES.has(row.template)) return row;
  const key = ctx.settings.secretKey;
  return { ...row, textBody: decryptSecret(row.textBody, key), htmlBody: row.htmlBody === null ? null : decryptSecret(row.htmlBody, key) };
}

/** True once a secret-bearing body has been erased after sending. */
export const bodyErased = (row: { template: string; textBody: string }): boolean => SECRET_TEMPLATES.has(row.template) && row.textBody === CLEARED_BODY;

function opened(ctx: ServiceContext, row: ClaimedRow): ClaimedRow {
  try {
    return openBodies(ctx, row);
  } catch {
    throw new DeliveryError(true, 'body cannot be decrypted (was the secret key changed?)');
  }
}

type Outcome = { row: ClaimedRow; error?: DeliveryError };

async function sendAll(
  rows: ClaimedRow[],
  senders: Record<string, Sender | undefined>,
  concurrency: number,
  open: (row: ClaimedRow) => ClaimedRow,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++] as ClaimedRow;
      const send = senders[row.channel];
      try {
        if (!send) throw new DeliveryError(false, `no transport for ${row.channel}`);
        await send(open(row));
        outcomes.push({ row });
      } catch (err) {
        outcomes.push({
          row,
          error: err instanceof DeliveryError ? err : new DeliveryError(false, (err instanceof Error ? err.message : String(err)).slice(0, 300)),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
  return outcomes;
}

async function record(ctx: ServiceContext, outcomes: Outcome[], maxAttempts: number): Promise<Omit<OutboxRunResult, 'claimed'>> {
  const now = ctx.now();
  const sent = outcomes.filter((o) => !o.error).map((o) => o.row);
  const secret = sent.filter((r) => SECRET_TEMPLATES.has(r.template)).map((r) => r.id);
  const plain = sent.filter((r) => !SECRET_TEMPLATES.has(r.template)).map((r) => r.id);
  const done = { status: 'SENT' as const, sentAt: now, lockedUntil: null, lastError: null };
  if (secret.length)
    await ctx.db.outboxMessage.updateMany({ where: { id: { in: secret }, status: 'SENDING' }, data: { ...done, textBody: CLEARED_BODY, htmlBody: null } });
  if (plain.length) await ctx.db.outboxMessage.updateMany({ where: { id: { in: plain }, status: 'SENDING' }, data: done });
  let retried = 0;
  let failed = 0;
  for (const { row, error } of outcomes) {
    if (!error) continue;
    const final = error.permanent || row.attempts >= maxAttempts;
    if (final) failed++;
    else retried++;
    await ctx.db.outboxMessage.updateMany({
      where: { id: row.id, status: 'SENDING' },
      data: final
        ? { status: 'FAILED', lockedUntil: null, lastError: error.message }
        : { status: 'PENDING', lockedUntil: null, lastError: error.message, nextAttemptAt: new Date(now.getTime() + backoffMs(row.attempts)) },
    });
    if (final) {
      ctx.log.warn(
        {
          outboxId: row.id,
          channel: row.channel,
          template: row.template,
          to: maskRecipient(row.channel, row.recipient),
          attempts: row.attempts,
          reason: error.message,
        },
        'message failed',
      );
    }
  }
  // One line per round for temporary failures (an SMTP outage would otherwise flood the log).
  const firstRetry = outcomes.find((o) => o.error && !o.error.permanent && o.row.attempts < maxAttempts);
  if (retried) ctx.log.info({ count: retried, reason: firstRetry?.error?.message }, 'messages will be retried');
  return { sent: sent.length, retried, failed };
}

/** One round: claim due rows of the channels that have a transport, send them, record the outcome. */
export async function runOutboxOnce(ctx: ServiceContext, transports?: Transports, options: OutboxOptions = {}): Promise<OutboxRunResult> {
  const opts = { ...OUTBOX_DEFAULTS, ...options };
  const own = transports ?? createTransports(ctx.settings);
  try {
    const senders: Record<string, Sender | undefined> = { EMAIL: own.email, SMS: own.sms };
    const channels = Object.keys(senders).filter((c) => senders[c]);
    if (channels.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0 };
    const rows = await claim(ctx, channels, opts.batchSize, opts.lockSeconds);
    if (rows.length === 0) return { claimed: 0, sent: 0, retried: 0, failed: 0 };
    const outcomes = await sendAll(rows, senders, opts.concurrency, (r) => opened(ctx, r));
    return { claimed: rows.length, ...(await record(ctx, outcomes, opts.maxAttempts)) };
  } finally {
    if (!transports) own.close();
  }
}

/**
 * Without a transport for a channel (no SMTP_URL / SMS_GATEWAY_URL, in development), its
 * messages stay in the outbox; they are logged once (masked, no body) so nothing goes silently
 * nowhere. Returns the new cursor.
 */
async function logUndeliverable(ctx: ServiceContext, transports: Transports, since: Date): Promise<Date> {
  const missing = [!transports.email ? ('EMAIL' as const) : null, !transports.sms ? ('SMS' as const) : null].filter((c) => c !== null);
  if (missing.length === 0) return since;
  const rows = await ctx.db.outboxMessage.findMany({
    where: { status: 'PENDING', channel: { in: missing }, createdAt: { gt: since } },
    orderBy: { createdAt: 'asc' },
    take: 100,
    select: { id: true, channel: true, template: true, recipient: true, createdAt: true },
  });
  for (const r of rows) {
    ctx.log.info(
      { outboxId: r.id, channel: r.channel, template: r.template, to: maskRecipient(r.channel, r.recipient) },
      r.channel === 'EMAIL' ? 'email kept in the outbox (SMTP_URL not set)' : 'SMS kept in the outbox (SMS_GATEWAY_URL not set)',
    );
  }
  return rows.at(-1)?.createdAt ?? since;
}

export interface OutboxWorker {
  /** Run a round now (instead of waiting for the interval). */
  wake(): void;
  /** Stop after the current round and close the transports. */
  stop(): Promise<void>;
}

/** Runs rounds every `intervalMs` (at once again while rounds come back full). */
export function startOutboxWorker(ctx: ServiceContext, options: OutboxOptions & { intervalMs?: number; transports?: Transports } = {}): OutboxWorker {
  const intervalMs = options.intervalMs ?? 2000;
  const transports = options.transports ?? createTransports(ctx.settings);
  const batchSize = options.batchSize ?? OUTBOX_DEFAULTS.batchSize;
  let cursor = new Date(0);
  const worker = startPeriodic({ name: 'outbox', intervalMs, log: ctx.log, immediate: true }, async () => {
    cursor = await logUndeliverable(ctx, transports, cursor);
    const r = await runOutboxOnce(ctx, transports, options);
    return r.claimed >= batchSize;
  });
  return {
    wake: () => worker.wake(),
    async stop() {
      await worker.stop();
      if (!options.transports) transports.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Reports and administration

export type DeliveryStatus = 'sent' | 'pending' | 'failed';

export interface BatchReport {
  batchId: string;
  sent: number;
  pending: number;
  failed: number;
  guardians: { guardianId: number | null; recipient: string; status: DeliveryStatus; reason: string | null; sentAt: Date | null }[];
}

function deliveryStatus(status: string): DeliveryStatus {
  if (status === 'SENT') return 'sent';
  if (status === 'FAILED') return 'failed';
  return 'pending';
}

/** Sent / pending / failed per guardian of a notification batch (recipients masked). */
export async function getBatchReport(ctx: ServiceContext, batchId: string): Promise<BatchReport> {
  const rows = await ctx.db.outboxMessage.findMany({
    where: { batchId },
    orderBy: { createdAt: 'asc' },
    select: { guardianId: true, channel: true, recipient: true, status: true, lastError: true, sentAt: true },
  });
  const guardians = rows.map((r) => ({
    guardianId: r.guardianId,
    recipient: maskRecipient(r.channel, r.recipient),
    status: deliveryStatus(r.status),
    reason: r.status === 'FAILED' ? r.lastError : null,
    sentAt: r.sentAt,
  }));
  const count = (s: DeliveryStatus): number => guardians.filter((g) => g.status === s).length;
  return { batchId, sent: count('sent'), pending: count('pending'), failed: count('failed'), guardians };
}

export interface OutboxEntry {
  id: string;
  channel: string;
  template: string;
  recipient: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** The outbox for the CLI, newest first, recipients masked, never a body. */
export async function listOutbox(
  ctx: ServiceContext,
  filter: { status?: 'PENDING' | 'SENDING' | 'SENT' | 'FAILED'; limit?: number } = {},
): Promise<OutboxEntry[]> {
  const rows = await ctx.db.outboxMessage.findMany({
    where: filter.status ? { status: filter.status } : {},
    orderBy: { createdAt: 'desc' },
    take: filter.limit ?? 50,
    select: {
      id: true,
      channel: true,
      template: true,
      recipient: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  });
  return rows.map((r) => ({ ...r, recipient: maskRecipient(r.channel, r.recipient) }));
}

/** Puts a FAILED message back in line with a fresh set of tries. False when no such failed message. */
export async function retryMessage(ctx: ServiceContext, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { count } = await ctx.db.outboxMessage.updateMany({
    where: { id, status: 'FAILED' },
    data: { status: 'PENDING', attempts: 0, nextAttemptAt: ctx.now(), lockedUntil: null, lastError: null },
  });
  return count === 1;
}
