// Email notification batches of a school, for the director who follows them up later: the
// batches of the last days with their delivery counts, and one batch's report per guardian.
// A batch belongs to the school its notification audit rows name (services/accounts/notify.ts
// writes one "accounts.notify" row per account with { batchId, channel }); a batch of another
// school is refused exactly like an unknown one.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { getBatchReport, type DeliveryStatus } from '../delivery/outbox.js';
import { notFound } from '../errors.js';
import { requireSchool } from './scope.js';

/** How far back the batches are listed. */
export const RECENT_BATCH_DAYS = 30;
/** Most batches listed (newest first). */
export const MAX_RECENT_BATCHES = 20;

export interface BatchSummary {
  batchId: string;
  /** When the notification was confirmed. */
  startedAt: Date;
  /** E-mails queued by the batch (one per account with an address). */
  total: number;
  sent: number;
  /** Queued or being retried. */
  pending: number;
  failed: number;
}

export interface BatchReportRow {
  guardianId: number | null;
  /** "Anne MARTIN" (empty when the account no longer exists). */
  name: string;
  /** Masked address. */
  recipient: string;
  status: DeliveryStatus;
  /** Why it failed, in plain French (null unless failed). */
  reason: string | null;
  sentAt: Date | null;
}

export interface BatchReportView {
  batchId: string;
  startedAt: Date;
  sent: number;
  pending: number;
  failed: number;
  rows: BatchReportRow[];
}

interface BatchStart {
  batchId: string;
  startedAt: Date;
}

/** The email batches of a school since `since` (from the notification audit rows), newest first. */
function batchStarts(ctx: ServiceContext, uai: string, since: Date, batchId: string | null = null): Promise<BatchStart[]> {
  return ctx.db.$queryRaw<BatchStart[]>`
    SELECT "details"->>'batchId' AS "batchId", MIN("at") AS "startedAt"
    FROM "AuditLog"
    WHERE "action" = 'accounts.notify' AND "schoolUai" = ${uai} AND "outcome" = 'success'
      AND "details"->>'channel' = 'email' AND "at" >= ${since}::timestamp
      AND (${batchId}::text IS NULL OR "details"->>'batchId' = ${batchId}::text)
    GROUP BY 1
    ORDER BY 2 DESC
    LIMIT ${MAX_RECENT_BATCHES}`;
}

function windowStart(ctx: ServiceContext): Date {
  return new Date(ctx.now().getTime() - RECENT_BATCH_DAYS * 24 * 3600 * 1000);
}

/** The email notification batches of `uai` from the last 30 days, with their delivery counts. */
export async function listRecentBatches(ctx: ServiceContext, actor: Actor, uai: string): Promise<BatchSummary[]> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const starts = await batchStarts(ctx, school.uai, windowStart(ctx));
  if (starts.length === 0) return [];
  const counts = await ctx.db.outboxMessage.groupBy({
    by: ['batchId', 'status'],
    where: { batchId: { in: starts.map((s) => s.batchId) } },
    _count: { _all: true },
  });
  return starts.map(({ batchId, startedAt }) => {
    const of = (statuses: readonly string[]): number =>
      counts.filter((c) => c.batchId === batchId && statuses.includes(c.status)).reduce((n, c) => n + c._count._all, 0);
    const sent = of(['SENT']);
    const failed = of(['FAILED']);
    const pending = of(['PENDING', 'SENDING']);
    return { batchId, startedAt, total: sent + failed + pending, sent, pending, failed };
  });
}

/** A delivery error (SMTP reply, gateway, outbox) told in plain French. */
export function failureReason(lastError: string | null): string {
  const error = lastError ?? '';
  if (/^SMTP 552\b|5\.2\.2|mailbox full|quota/i.test(error)) return 'Boîte de réception du destinataire pleine.';
  if (/^SMTP 55[013]\b|5\.1\.\d|user unknown|no such user|does not exist/i.test(error))
    return 'Adresse refusée par la messagerie du destinataire (adresse inexistante ou mal écrite).';
  if (/^SMTP 5\d\d\b/.test(error)) return 'Message refusé par la messagerie du destinataire.';
  if (/decrypt/i.test(error)) return 'Message devenu illisible : notifiez de nouveau ce compte.';
  if (/^SMTP 4\d\d\b|transport|gateway|ECONN|ETIMEDOUT|ENOTFOUND|timeout/i.test(error)) return "Serveur d'envoi injoignable malgré plusieurs essais.";
  return "Le message n'a pas pu être remis.";
}

const STATUS_ORDER: Record<DeliveryStatus, number> = { failed: 0, pending: 1, sent: 2 };

/** One email batch of `uai` (last 30 days): sent / pending / failed per guardian, addresses masked. */
export async function getBatchReportFor(ctx: ServiceContext, actor: Actor, uai: string, batchId: string): Promise<BatchReportView> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const id = batchId.trim().toLowerCase();
  const [start] = /^[0-9a-f-]{36}$/.test(id) ? await batchStarts(ctx, school.uai, windowStart(ctx), id) : [];
  if (!start) throw notFound(`batch ${batchId} of ${school.uai}`);
  const report = await getBatchReport(ctx, start.batchId);
  const ids = report.guardians.flatMap((g) => (g.guardianId === null ? [] : [g.guardianId]));
  const guardians = await ctx.db.guardian.findMany({ where: { id: { in: ids } }, select: { id: true, firstName: true, lastName: true } });
  const names = new Map(guardians.map((g) => [g.id, `${g.firstName} ${g.lastName}`]));
  const rows = report.guardians
    .map((g) => ({
      guardianId: g.guardianId,
      name: (g.guardianId !== null && names.get(g.guardianId)) || '',
      recipient: g.recipient,
      status: g.status,
      reason: g.status === 'failed' ? failureReason(g.reason) : null,
      sentAt: g.sentAt,
    }))
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name, 'fr'));
  return { batchId: start.batchId, startedAt: start.startedAt, sent: report.sent, pending: report.pending, failed: report.failed, rows };
}
