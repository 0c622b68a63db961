// Staff routes on the root dialog: roles (a director cannot search any account, a parent never
// reaches a staff dialog), the label-only cases route, and a replayed "Confirmer" refused.
import { describe, expect, it } from 'vitest';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { anonymousParent, dialogClient, dialogDeps, runTranscript, say, tableRecognizer, turnText } from '../../helpers/dialogs.js';
import { click } from './click.js';
import { useStaffWorld } from './setup.js';
import { agent, director, UAI_A } from './fixtures.js';

const env = useStaffWorld();

const recognizer = tableRecognizer({
  'les statistiques': 'statistics',
  'chercher le compte anne.martin@example.org': { intent: 'find_account', score: 1, entities: { email: ['anne.martin@example.org'] } },
  'notifier dupont par fiche': { intent: 'renotify', score: 1, entities: { uai: [UAI_A], channel: ['sheet'] } },
});

function root(): RootDialog {
  const deps = dialogDeps(env.ctx, recognizer);
  return registerStaffDialogs(new RootDialog(deps), deps);
}

describe('staff routes', () => {
  it('lists what a director can ask, and refuses the agents-only search', async () => {
    const client = dialogClient(root(), { actor: director });
    await runTranscript(client, [
      { user: 'aide', bot: ['Voir les statistiques', 'Notifier ou renotifier des comptes', 'Suivre les demandes des parents'], not: 'Rechercher un compte' },
      { user: 'chercher le compte anne.martin@example.org', bot: "Je ne suis pas sûr d'avoir compris", not: ['MARTIN Anne', 'a***n@example.org'] },
    ]);
  });

  it('never routes a parent to a staff dialog', async () => {
    const client = dialogClient(root(), { actor: anonymousParent() });
    const turns = await runTranscript(client, [{ user: 'les statistiques', bot: 'Je ne peux pas vous aider ici', not: 'Statistiques de' }]);
    expect(turns).toHaveLength(1);
    expect(await env.prisma.statsSnapshot.count()).toBe(0);
  });

  it('reaches the label-only cases route from its button', async () => {
    const client = dialogClient(root(), { actor: agent });
    await runTranscript(client, [
      { user: 'aide', bot: ['Rechercher un compte', 'Suivre les demandes des parents'], not: 'Notifier ou renotifier' },
      { user: 'Suivre les demandes des parents', bot: 'Aucune demande en cours.' },
      { user: 'chercher le compte anne.martin@example.org', bot: 'MARTIN Anne' },
    ]);
  });

  it('refuses a replayed "Confirmer": the accounts are notified once', async () => {
    const client = dialogClient(root(), { actor: director });
    const turns = await runTranscript(client, [
      { user: 'notifier dupont par fiche', bot: 'Quels comptes voulez-vous notifier ?' },
      { user: 'Un responsable', bot: 'Quel est le nom' },
      { user: 'dupont', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: 'Vérifiez avant de confirmer' },
    ]);
    const confirm = click(turns[3] ?? [], 'confirm');
    expect(turnText(await say(client, confirm))).toContain('Les fiches sont prêtes');
    expect(turnText(await say(client, confirm))).toContain("Ce bouton n'est plus valable");
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.notify', guardianId: env.world.g.dupontNotNotified } })).toBe(1);
    expect(await env.prisma.storedFile.count()).toBe(1);
  });
});
