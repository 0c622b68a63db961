// (Re)notification of accounts (admin guide §5.3, DOMAIN.md): letters as data, emails queued
// in the same transaction, states and distribution dates updated, all or nothing.
import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor.js';
import { auditMany, type AuditEntry } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import { letterLinks } from '../public-paths.js';
import type { ServiceContext } from '../context.js';
import type { AccountState, Tx } from '../db/index.js';
import type { EnqueueOptions, Letter, LetterCode, OutgoingMessage } from '../delivery/types.js';
import { buildLetter, letterCarriesPassword, letterCode, type NotifyChannel } from '../letters.js';
import { decryptSecret, encryptSecret, generateTemporaryPassword } from '../passwords.js';
import {
  accountRef,
  childrenOf,
  displayName,
  hasTemporaryPassword,
  loadAccounts,
  notificationEmail,
  storeTemporaryPasswords,
  type AccountRef,
  type LoadedAccount,
} from './load.js';
import { requireGuardiansInSchool, requireSchool } from './scope.js';

export interface NotifyOptions {
  channel: NotifyChannel;
  reset: boolean;
  /** A confirmation issued when the preview was shown (services/confirmations.ts): acted on once. */
  confirmation?: string;
}

export const NOTIFY_CONFIRMATION = 'accounts.notify';

interface PlanEntry {
  account: LoadedAccount;
  code: LetterCode;
  /** Reset requested and applicable (never for Non notifié). */
  resetApplied: boolean;
  /** A new temporary password is generated (reset, or first notification without one). */
  newPassword: boolean;
}

interface Plan {
  entries: PlanEntry[];
  withoutEmail: AccountRef[];
  resetSkipped: AccountRef[];
}

function planNotify(accounts: LoadedAccount[], opts: NotifyOptions): Plan {
  const plan: Plan = { entries: [], withoutEmail: [], resetSkipped: [] };
  for (const account of accounts) {
    if (opts.channel === 'email' && !notificationEmail(account)) {
      plan.withoutEmail.push(accountRef(account));
      continue;
    }
    const resetApplied = opts.reset && account.state !== 'NOT_NOTIFIED';
    if (opts.reset && !resetApplied) plan.resetSkipped.push(accountRef(account));
    const temporary = hasTemporaryPassword(account);
    const code = letterCode({ state: account.state, reset: resetApplied, channel: opts.channel, passwordTemporary: temporary });
    const newPassword = resetApplied || (letterCarriesPassword(code) && !temporary);
    plan.entries.push({ account, code, resetApplied, newPassword });
  }
  return plan;
}

function warnings(plan: Plan): string[] {
  const out: string[] = [];
  if (plan.resetSkipped.length > 0) {
    out.push(
      `Les mots de passe des comptes qui n'étaient pas encore notifiés n'ont pas été réinitialisés (total : ${plan.resetSkipped.length}) : ${plan.resetSkipped.map(displayName).join(', ')}.`,
    );
  }
  if (plan.withoutEmail.length > 0) {
    out.push(
      `Aucune adresse e-mail n'est connue pour ${plan.withoutEmail.length} compte(s) : ${plan.withoutEmail.map(displayName).join(', ')}. Ils n'ont pas été notifiés : notifiez-les par fiche individuelle.`,
    );
  }
  return out;
}

export interface NotifyPreview {
  /** Accounts that would be notified, per letter. */
  letters: Partial<Record<LetterCode, number>>;
  toNotify: number;
  withoutEmail: AccountRef[];
  resetSkipped: AccountRef[];
  warnings: string[];
}

export interface NotifyResult {
  letters: Letter[];
  notified: number;
  withoutEmail: AccountRef[];
  resetSkipped: AccountRef[];
  warnings: string[];
  batchId: string;
}

function countByLetter(entries: PlanEntry[]): Partial<Record<LetterCode, number>> {
  const counts: Partial<Record<LetterCode, number>> = {};
  for (const e of entries) counts[e.code] = (counts[e.code] ?? 0) + 1;
  return counts;
}

/** What notify would do, without changing anything (the preview card before confirmation). */
export async function previewNotify(ctx: ServiceContext, actor: Actor, uai: string, guardianIds: number[], opts: NotifyOptions): Promise<NotifyPreview> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const ids = await requireGuardiansInSchool(ctx.db, school.uai, guardianIds);
  const plan = planNotify(await loadAccounts(ctx.db, ids), opts);
  return {
    letters: countByLetter(plan.entries),
    toNotify: plan.entries.length,
    withoutEmail: plan.withoutEmail,
    resetSkipped: plan.resetSkipped,
    warnings: warnings(plan),
  };
}

/**
 * Notifies the accounts: Non notifié -> Notifié et non activé (temporary password generated),
 * other states unchanged, distribution date = now, origin Non renseigné -> Etablissement.
 * Letters are returned (sheets are rendered by delivery); emails are queued in the outbox.
 */
export async function notify(ctx: ServiceContext, actor: Actor, uai: string, guardianIds: number[], opts: NotifyOptions): Promise<NotifyResult> {
  return ctx.db.$transaction(
    async (tx) => {
      if (opts.confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: NOTIFY_CONFIRMATION, actor, id: opts.confirmation });
      return notifyInTransaction(ctx, tx, actor, uai, guardianIds, opts);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** notify() inside the caller's transaction (e.g. the activation reminders); no confirmation here. */
export async function notifyInTransaction(
  ctx: ServiceContext,
  tx: Tx,
  actor: Actor,
  uai: string,
  guardianIds: number[],
  opts: NotifyOptions,
): Promise<NotifyResult> {
  const now = ctx.now();
  const batchId = randomUUID();
  const links = letterLinks(ctx.settings);
  const { school } = await requireSchool(tx, actor, uai);
  const ids = await requireGuardiansInSchool(tx, school.uai, guardianIds);
  const plan = planNotify(await loadAccounts(tx, ids), opts);

  const fresh = new Map<number, string>();
  for (const e of plan.entries) if (e.newPassword) fresh.set(e.account.id, generateTemporaryPassword());
  await storeTemporaryPasswords(
    tx,
    [...fresh].map(([guardianId, pw]) => ({ guardianId, tempPasswordEnc: encryptSecret(pw, ctx.settings.secretKey) })),
    now,
  );

  const notifiedIds = plan.entries.map((e) => e.account.id);
  await tx.$executeRaw`
    UPDATE "Guardian" SET
      "distributedAt" = ${now},
      "state" = CASE WHEN "state" = 'NOT_NOTIFIED' THEN 'NOTIFIED'::"AccountState" ELSE "state" END,
      "origin" = CASE WHEN "origin" = 'UNSET' THEN 'SCHOOL'::"AccountOrigin" ELSE "origin" END,
      "updatedAt" = ${now}
    WHERE id = ANY(${notifiedIds}::int[])`;

  const letters: Letter[] = [];
  const mails: { message: OutgoingMessage; options: EnqueueOptions }[] = [];
  for (const e of plan.entries) {
    const a = e.account;
    const sealed = a.credential?.tempPasswordEnc;
    const temporaryPassword = letterCarriesPassword(e.code) ? (fresh.get(a.id) ?? (sealed ? decryptSecret(sealed, ctx.settings.secretKey) : null)) : null;
    const letter = buildLetter({ code: e.code, guardian: a, school, children: childrenOf(a), temporaryPassword, distributedAt: now, links });
    letters.push(letter);
    const to = notificationEmail(a);
    if (opts.channel === 'email' && to) mails.push({ message: { template: 'letter', to, letter }, options: { guardianId: a.id, batchId } });
  }
  await ctx.messages.enqueueMany(tx, mails);

  const after = (s: AccountState): AccountState => (s === 'NOT_NOTIFIED' ? 'NOTIFIED' : s);
  await auditMany(tx, [
    ...plan.entries.map((e): AuditEntry => ({
      actor,
      at: now,
      action: 'accounts.notify',
      guardianId: e.account.id,
      schoolUai: school.uai,
      outcome: 'success',
      details: {
        batchId,
        channel: opts.channel,
        letter: e.code,
        resetRequested: opts.reset,
        resetApplied: e.resetApplied,
        newTemporary: e.newPassword,
        stateBefore: e.account.state,
        stateAfter: after(e.account.state),
      },
    })),
    ...plan.withoutEmail.map((r): AuditEntry => ({
      actor,
      at: now,
      action: 'accounts.notify',
      guardianId: r.guardianId,
      schoolUai: school.uai,
      outcome: 'failed',
      details: { batchId, channel: opts.channel, reason: 'no_email' },
    })),
  ]);
  return { letters, notified: plan.entries.length, withoutEmail: plan.withoutEmail, resetSkipped: plan.resetSkipped, warnings: warnings(plan), batchId };
}
