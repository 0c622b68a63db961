// Password reset by the school (admin guide §5.5): never for Non notifié accounts; the state
// does not change; the old password stops working at once; the new temporary password must
// be communicated by re-notifying the account.
import type { Actor } from '../actor.js';
import { auditMany, type AuditEntry } from '../audit.js';
import { consumeConfirmation } from '../confirmations.js';
import type { ServiceContext } from '../context.js';
import { encryptSecret, generateTemporaryPassword } from '../passwords.js';
import { accountRef, displayName, loadAccounts, storeTemporaryPasswords, type AccountRef } from './load.js';
import { requireGuardiansInSchool, requireSchool } from './scope.js';

export interface ResetResult {
  reset: AccountRef[];
  skipped: AccountRef[];
  /** French sentences for the director (what happened, what to do next). */
  messages: string[];
}

export const RESET_CONFIRMATION = 'accounts.reset_password';

/** `confirmation`: issued when the confirmation was asked (services/confirmations.ts): acted on once. */
export async function resetPasswords(
  ctx: ServiceContext,
  actor: Actor,
  uai: string,
  guardianIds: number[],
  opts: { confirmation?: string } = {},
): Promise<ResetResult> {
  const now = ctx.now();
  return ctx.db.$transaction(
    async (tx) => {
      if (opts.confirmation !== undefined) await consumeConfirmation(ctx, tx, { kind: RESET_CONFIRMATION, actor, id: opts.confirmation });
      const { school } = await requireSchool(tx, actor, uai);
      const ids = await requireGuardiansInSchool(tx, school.uai, guardianIds);
      const accounts = await loadAccounts(tx, ids);
      const toReset = accounts.filter((a) => a.state !== 'NOT_NOTIFIED');
      const skipped = accounts.filter((a) => a.state === 'NOT_NOTIFIED');
      await storeTemporaryPasswords(
        tx,
        toReset.map((a) => ({ guardianId: a.id, tempPasswordEnc: encryptSecret(generateTemporaryPassword(), ctx.settings.secretKey) })),
        now,
      );
      await auditMany(tx, [
        ...toReset.map((a): AuditEntry => ({
          actor,
          at: now,
          action: 'accounts.reset_password',
          guardianId: a.id,
          schoolUai: school.uai,
          outcome: 'success',
          details: { state: a.state },
        })),
        ...skipped.map((a): AuditEntry => ({
          actor,
          at: now,
          action: 'accounts.reset_password',
          guardianId: a.id,
          schoolUai: school.uai,
          outcome: 'denied',
          details: { state: a.state, reason: 'not_notified' },
        })),
      ]);
      const messages: string[] = [];
      if (toReset.length > 0) {
        messages.push(
          `Le mot de passe a été réinitialisé pour ${toReset.length} compte(s). L'ancien mot de passe ne fonctionne plus : re-notifiez ces comptes pour communiquer le nouveau mot de passe provisoire.`,
        );
      }
      if (skipped.length > 0) {
        messages.push(`Les mots de passe des comptes qui n'étaient pas encore notifiés n'ont pas été réinitialisés : ${skipped.map(displayName).join(', ')}.`);
      }
      return { reset: toReset.map(accountRef), skipped: skipped.map(accountRef), messages };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
