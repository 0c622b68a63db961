// Activation within 3 months of the notification (admin guide §1.3.3, §3.1 "avant l'échéance
// des 3 mois, relancer"): the staff selects the accounts of a school notified more than N
// days ago and still not activated, and sends a reminder in one confirmed, all-or-nothing
// action: "Notifié et non activé" -> the notification letter again (sheet or email, no
// reset); "En cours d'activation" -> the activation mail again (its link is what they miss).
// The statistics count the accounts past the 3-month deadline (countPastActivationDeadline).
import type { Actor } from '../actor.js';
import { auditMany, type AuditEntry } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import type { ServiceContext } from '../context.js';
import type { Tx } from '../db/index.js';
import { invalid } from '../errors.js';
import type { Letter } from '../delivery/types.js';
import type { NotifyChannel } from '../letters.js';
import { maskEmail } from '../logger.js';
import { queueActivationMail } from './activation-resend.js';
import { accountRef, displayName, notificationEmail, type AccountRef } from './load.js';
import { notifyInTransaction } from './notify.js';
import { guardianInSchool, requireSchool } from './scope.js';

export const ACTIVATION_DEADLINE_MONTHS = 3;
export const REMIND_CONFIRMATION = 'accounts.remind_activation';
/** Default of "notified more than N days ago": a month before the deadline. */
export const DEFAULT_REMINDER_DAYS = 60;

/** The notification date before which an account not activated is past the deadline. */
export function activationDeadlineCutoff(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - ACTIVATION_DEADLINE_MONTHS);
  return d;
}

const PENDING = ['NOTIFIED', 'ACTIVATING'] as const;

/** Accounts of the school notified before `cutoff` and not activated (the statistics' figure). */
export async function countPastActivationDeadline(db: Tx, uai: string, now: Date): Promise<number> {
  return db.guardian.count({ where: { ...guardianInSchool(uai), state: { in: [...PENDING] }, distributedAt: { lt: activationDeadlineCutoff(now) } } });
}

export interface ReminderOptions {
  /** Notified more than this many days ago (1–365). */
  olderThanDays: number;
  /** For "Notifié et non activé" accounts; "En cours d'activation" ones always get their activation mail. */
  channel: NotifyChannel;
}

export interface ReminderPreview {
  notified: AccountRef[];
  activating: AccountRef[];
  /** Selected but not reachable by this channel (no email): to remind by sheet. */
  withoutEmail: AccountRef[];
  /** Reminders that would go out. */
  total: number;
  pastDeadline: number;
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 365) throw invalid('Indiquez un nombre de jours entre 1 et 365.');
}

async function select(ctx: ServiceContext, tx: Tx, actor: Actor, uai: string, opts: ReminderOptions) {
  checkDays(opts.olderThanDays);
  const { school } = await requireSchool(tx, actor, uai);
  const now = ctx.now();
  const before = new Date(now.getTime() - opts.olderThanDays * 86_400_000);
  const rows = await tx.guardian.findMany({
    where: { ...guardianInSchool(school.uai), state: { in: [...PENDING] }, distributedAt: { lt: before } },
    select: { id: true, identifier: true, lastName: true, firstName: true, email: true, registerEmail: true, state: true },
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
  });
  // A notification mail may go to the school's contact (notify); the activation mail only to the address the guardian gave.
  const reachable = (g: (typeof rows)[number]): boolean =>
    g.state === 'ACTIVATING' ? g.email !== null : opts.channel === 'sheet' || notificationEmail(g) !== null;
  const notified = rows.filter((g) => g.state === 'NOTIFIED' && reachable(g));
  const activating = rows.filter((g) => g.state === 'ACTIVATING' && reachable(g));
  const withoutEmail = rows.filter((g) => !reachable(g));
  return { school, now, notified, activating, withoutEmail };
}

export async function previewActivationReminders(ctx: ServiceContext, actor: Actor, uai: string, opts: ReminderOptions): Promise<ReminderPreview> {
  const s = await select(ctx, ctx.db, actor, uai, opts);
  return {
    notified: s.notified.map(accountRef),
    activating: s.activating.map(accountRef),
    withoutEmail: s.withoutEmail.map(accountRef),
    total: s.notified.length + s.activating.length,
    pastDeadline: await countPastActivationDeadline(ctx.db, s.school.uai, s.now),
  };
}

export interface ReminderResult {
  reminded: number;
  /** Sheets to print (channel 'sheet'), one per "Notifié et non activé" account. */
  letters: Letter[];
  batchId: string | null;
  /** French sentences for the staff. */
  messages: string[];
}

/** Sends the reminders (a confirmation issued with the preview makes it happen once). */
export async function sendActivationReminders(
  ctx: ServiceContext,
  actor: Actor,
  uai: string,
  opts: ReminderOptions & { confirmation?: string },
): Promise<ReminderResult> {
  return ctx.db.$transaction(
    async (tx) => {
      if (opts.confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: REMIND_CONFIRMATION, actor, id: opts.confirmation });
      const s = await select(ctx, tx, actor, uai, opts);
      const letters = s.notified.length
        ? await notifyInTransaction(
            ctx,
            tx,
            actor,
            s.school.uai,
            s.notified.map((g) => g.id),
            { channel: opts.channel, reset: false },
          )
        : null;
      for (const g of s.activating) if (g.email) await queueActivationMail(ctx, tx, g, g.email);
      const reminded = [...s.notified, ...s.activating].map((g) => g.id);
      await tx.guardian.updateMany({ where: { id: { in: reminded } }, data: { remindedAt: s.now } });
      await auditMany(tx, [
        ...s.notified.map((g): AuditEntry => ({
          actor,
          at: s.now,
          action: 'accounts.remind_activation',
          guardianId: g.id,
          schoolUai: s.school.uai,
          outcome: 'success',
          details: { state: g.state, channel: opts.channel, olderThanDays: opts.olderThanDays },
        })),
        ...s.activating.map((g): AuditEntry => ({
          actor,
          at: s.now,
          action: 'accounts.remind_activation',
          guardianId: g.id,
          schoolUai: s.school.uai,
          outcome: 'success',
          details: { state: g.state, channel: 'email', to: maskEmail(g.email) },
        })),
      ]);
      const messages: string[] = [];
      if (reminded.length === 0)
        messages.push(
          `Aucun compte de ${s.school.name} notifié il y a plus de ${opts.olderThanDays} jours n’attend encore son activation${s.withoutEmail.length ? ' avec une adresse e-mail' : ''}.`,
        );
      if (s.notified.length) {
        messages.push(
          opts.channel === 'sheet'
            ? `${s.notified.length} fiche(s) de rappel à imprimer pour les comptes « Notifié et non activé ».`
            : `${s.notified.length} e-mail(s) de rappel mis en file pour les comptes « Notifié et non activé ».`,
        );
      }
      if (s.activating.length) messages.push(`${s.activating.length} e-mail(s) d'activation renvoyé(s) aux comptes « En cours d'activation ».`);
      if (s.withoutEmail.length) messages.push(`Sans adresse e-mail, à relancer par fiche : ${s.withoutEmail.map(displayName).join(', ')}.`);
      return { reminded: reminded.length, letters: letters?.letters ?? [], batchId: letters?.batchId ?? null, messages };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
