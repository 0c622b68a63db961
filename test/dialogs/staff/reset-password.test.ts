// Reset password dialog: one guardian or a class, confirmation first (Non notifié skipped with
// the warning), the reminder to re-notify, cancel leaves the passwords unchanged, caps.
import { describe, expect, it } from 'vitest';
import { ResetPasswordDialog } from '../../../dialogs/staff/reset-password-dialog.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { director, UAI_A, UAI_FOREIGN } from './fixtures.js';

const env = useStaffWorld();

const dialog = (): ResetPasswordDialog => new ResetPasswordDialog(dialogDeps(env.ctx));
const credential = (guardianId: number) => env.prisma.credential.findUnique({ where: { guardianId } });

describe('ResetPasswordDialog', () => {
  it('resets one guardian found by name after confirmation, and reminds to re-notify', async () => {
    const before = await credential(env.world.g.bernardActivated);
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(client, [
      { user: 'réinitialiser un mot de passe', bot: 'De quels comptes faut-il réinitialiser le mot de passe ?' },
      { user: 'Un responsable', bot: "Quel est le nom du responsable ou de l'élève ?" },
      {
        user: 'hugo bernard',
        bot: ['Réinitialiser le mot de passe de 1 compte(s) de École Jules Ferry (Paul BERNARD) ?', "L'ancien mot de passe cessera aussitôt de fonctionner."],
      },
    ]);
    expect((await credential(env.world.g.bernardActivated))?.passwordHash).toBe(before?.passwordHash);
    await runTranscript(client, [
      { user: 'Confirmer', bot: ['Le mot de passe a été réinitialisé pour 1 compte(s)', 're-notifiez ces comptes', 'Renotifier ces comptes'] },
    ]);
    const after = await credential(env.world.g.bernardActivated);
    expect(after?.isTemporary).toBe(true);
    expect((await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.bernardActivated } })).state).toBe('ACTIVATED');
  });

  it('skips Non notifié accounts of a class with the warning; cancel changes nothing', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], className: ['CM1 A'] } } });
    await runTranscript(client, [
      {
        user: 'réinitialiser les mots de passe de la CM1 A',
        bot: ['Réinitialiser le mot de passe de 1 compte(s)', 'Les comptes non notifiés seront ignorés : DUPONT Marie.'],
      },
      { user: (p) => clickCard(p, 'cancel'), bot: "aucun mot de passe n'a été modifié" },
    ]);
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.reset_password' } })).toBe(0);
    const again = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], className: ['CM1 A'] } } });
    await runTranscript(again, [
      { user: 'réinitialiser les mots de passe de la CM1 A', bot: 'Réinitialiser' },
      { user: (p) => clickCard(p, 'confirm'), bot: ['réinitialisé pour 1 compte(s)', "n'ont pas été réinitialisés : DUPONT Marie"] },
    ]);
  });

  it('takes the account named by its identifier in the request, only within the chosen school', async () => {
    const durand = await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.durandNotified } });
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], identifier: [durand.identifier] } } });
    await runTranscript(client, [
      { user: `réinitialiser ${durand.identifier}`, bot: 'Réinitialiser le mot de passe de 1 compte(s) de École Jules Ferry (Luc DURAND) ?' },
    ]);
    const leroy = await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.schoolB } });
    const other = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], identifier: [leroy.identifier] } } });
    await runTranscript(other, [{ user: `réinitialiser ${leroy.identifier}`, bot: `Je ne trouve aucun compte pour ${leroy.identifier}`, not: 'LEROY' }]);
  });

  it('says there is nothing to reset for an account never notified', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], state: ['NOT_NOTIFIED'] } } });
    await runTranscript(client, [
      { user: 'réinitialiser les non notifiés', bot: ['Aucun mot de passe à réinitialiser', 'DUPONT Marie', 'Notifiez ces comptes'] },
    ]);
  });

  it('caps wrong answers, cancels, refuses another school', async () => {
    const capped = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(capped, [
      { user: 'réinitialiser', bot: 'De quels comptes' },
      { user: 'je ne sais pas', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'euh', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'bof', bot: "Je n'arrive pas à comprendre votre réponse" },
    ]);
    const cancelled = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(cancelled, [
      { user: 'réinitialiser', bot: 'De quels comptes' },
      { user: 'Un responsable', bot: 'Quel est le nom' },
      { user: 'stop', bot: "C'est annulé" },
    ]);
    const foreign = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_FOREIGN] } } });
    await runTranscript(foreign, [{ user: 'réinitialiser 0750001C', bot: 'dont vous avez la charge', not: 'SECRET' }]);
  });
});
