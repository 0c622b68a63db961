// Requests that carry a name or a class use it (and their class of fault: a request whose
// details are dropped, then asked again): "réinitialiser le mot de passe de anne martin",
// "renotifier anne martin", "notifier la cp-b", "liste des comptes de la classe cm1-a",
// "renvoyer le mail d'activation de anne martin". Class names match whatever their case,
// accents, spaces and hyphens; classes are offered as buttons; after a reset, "Renotifier
// ces comptes" is a button that starts the notification with those accounts.
import { describe, expect, it } from 'vitest';
import { NotifyDialog } from '../../../dialogs/staff/notify-dialog.js';
import { ResetPasswordDialog } from '../../../dialogs/staff/reset-password-dialog.js';
import { ResendActivationDialog } from '../../../dialogs/staff/resend-activation-dialog.js';
import { ListAccountsDialog } from '../../../dialogs/staff/list-accounts-dialog.js';
import type { RoutedOptions } from '../../../dialogs/types.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { director, singleDirector, UAI_A } from './fixtures.js';

const env = useStaffWorld();
const deps = () => dialogDeps(env.ctx);
/** The options the root dialog gives a route: the request and its entities (school A named). */
const request = (text: string, entities: RoutedOptions['entities'] = { uai: [UAI_A] }): { dialogOptions: RoutedOptions } => ({
  dialogOptions: { text, entities },
});

describe('staff dialogs use the name or class of the request', () => {
  it('resets the password of the person named, then "Renotifier ces comptes" is a button that notifies them', async () => {
    const client = dialogClient(new ResetPasswordDialog(deps()), { actor: director, ...request('réinitialiser le mot de passe de anne martin') });
    await runTranscript(client, [
      {
        user: 'réinitialiser le mot de passe de anne martin',
        bot: 'Réinitialiser le mot de passe de 1 compte(s) de École Jules Ferry (Anne MARTIN) ?',
        not: ['De quels comptes', 'Quel est le nom'],
      },
      { user: (p) => clickCard(p, 'confirm'), bot: ['Le mot de passe a été réinitialisé pour 1 compte(s)', 'Renotifier ces comptes', 'Plus tard'] },
      { user: (p) => clickCard(p, 'renotify'), bot: 'Par quel moyen ?', not: ['Pour quel établissement', 'Quels comptes'] },
      { user: 'fiche', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['Anne MARTIN (1 compte(s) réinitialisé(s))', 'Confirmer'] },
      { user: (p) => clickCard(p, 'confirm'), bot: 'Les fiches sont prêtes' },
    ]);
    const credential = await env.prisma.credential.findUniqueOrThrow({ where: { guardianId: env.world.g.martinActivating } });
    expect(credential.isTemporary).toBe(true);
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.notify', guardianId: env.world.g.martinActivating } })).toBe(1);
  });

  it('after a reset, "Plus tard" ends with a reminder', async () => {
    const client = dialogClient(new ResetPasswordDialog(deps()), { actor: director, ...request('réinitialiser le mot de passe de paul bernard') });
    await runTranscript(client, [
      { user: 'réinitialiser le mot de passe de paul bernard', bot: '(Paul BERNARD)' },
      { user: 'oui', bot: 'Renotifier ces comptes' },
      { user: 'plus tard', bot: 'Pensez à renotifier ces comptes' },
    ]);
  });

  it('"renotifier anne martin" goes straight to that account', async () => {
    const client = dialogClient(new NotifyDialog(deps()), { actor: singleDirector, ...request('renotifier anne martin', {}) });
    await runTranscript(client, [
      { user: 'renotifier anne martin', bot: 'Par quel moyen ?', not: ['Quels comptes', 'Pour quel établissement'] },
      { user: 'e-mail', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['Anne MARTIN', 'École Marie Curie'] },
    ]);
  });

  it('a name that matches nobody is said, then the usual question comes', async () => {
    const client = dialogClient(new NotifyDialog(deps()), { actor: director, ...request('renotifier sophie martin') });
    await runTranscript(client, [
      {
        user: 'renotifier sophie martin',
        bot: ['Je ne trouve aucun compte « sophie martin » dans cet établissement.', 'Quels comptes voulez-vous notifier ?'],
      },
    ]);
  });

  it('"notifier la cp-b" selects that class, whatever the case and hyphen', async () => {
    const client = dialogClient(new NotifyDialog(deps()), { actor: director, ...request('notifier la cp-b') });
    await runTranscript(client, [
      { user: 'notifier la cp-b', bot: 'Par quel moyen ?', not: 'Quels comptes' },
      { user: 'fiche', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: 'classe CP B (3 compte(s))' },
    ]);
  });

  it('offers the classes as buttons; a class typed in another spelling is taken; an unknown class is said', async () => {
    const client = dialogClient(new NotifyDialog(deps()), { actor: director, ...request('notifier des comptes') });
    await runTranscript(client, [
      { user: 'notifier des comptes', bot: 'Quels comptes voulez-vous notifier ?' },
      { user: 'Une classe', bot: ['Quelle classe ?', 'CM1 A', 'CP B'] },
      { user: (p) => clickCard(p, `class:${env.world.classA1}`), bot: 'Par quel moyen ?' },
    ]);
    const typed = dialogClient(new NotifyDialog(deps()), { actor: director, ...request('notifier des comptes') });
    await runTranscript(typed, [
      { user: 'notifier des comptes', bot: 'Quels comptes' },
      { user: 'Une classe', bot: 'Quelle classe ?' },
      { user: 'ce2', bot: "Merci de choisir l'une des classes : CP B, CM1 A." },
      { user: 'cm1a', bot: 'Par quel moyen ?' },
    ]);
    const unknown = dialogClient(new NotifyDialog(deps()), {
      actor: director,
      dialogOptions: { text: 'notifier la CM2 Z', entities: { uai: [UAI_A], className: ['CM2 Z'] } },
    });
    await runTranscript(unknown, [
      { user: 'notifier la CM2 Z', bot: ['Je ne trouve pas la classe « CM2 Z » dans cet établissement.', 'Quelle classe ?', 'CP B'] },
    ]);
  });

  it('"liste des comptes de la classe cm1-a" gives the list of that class only (for its teacher)', async () => {
    const client = dialogClient(new ListAccountsDialog(deps()), {
      actor: director,
      ...request('liste des comptes de la classe cm1-a en csv', { uai: [UAI_A], format: ['csv'] }),
    });
    await runTranscript(client, [
      {
        user: 'liste des comptes de la classe cm1-a en csv',
        bot: ['Liste des comptes de la classe CM1 A – École Jules Ferry', '2 ligne(s)'],
        not: 'Une classe',
      },
    ]);
    const chosen = dialogClient(new ListAccountsDialog(deps()), { actor: director, ...request('liste des comptes') });
    await runTranscript(chosen, [
      { user: 'liste des comptes', bot: ['La liste de tout l’établissement, ou d’une classe ?', "Tout l'établissement", 'Une classe'] },
      { user: 'Une classe', bot: ['Quelle classe ?', 'CP B'] },
      { user: (p) => clickCard(p, `class:${env.world.classA2}`), bot: 'Dans quel format ?' },
      { user: 'pdf', bot: ['Liste des comptes de la classe CP B', '3 ligne(s)'] },
    ]);
  });

  it('"renvoyer le mail d\'activation de anne martin" goes to that account', async () => {
    const client = dialogClient(new ResendActivationDialog(deps()), { actor: director, ...request("renvoyer le mail d'activation de anne martin") });
    await runTranscript(client, [{ user: "renvoyer le mail d'activation de anne martin", bot: 'Adresse actuelle de Anne MARTIN', not: 'Quel est le nom' }]);
  });
});
