// Resend activation dialog: current address masked, kept or corrected (validated), confirmed;
// refused with the playbook's advice for accounts not "En cours d'activation".
import { describe, expect, it } from 'vitest';
import { ResendActivationDialog } from '../../../dialogs/staff/resend-activation-dialog.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { director } from './fixtures.js';

const env = useStaffWorld();

const dialog = (): ResendActivationDialog => new ResendActivationDialog(dialogDeps(env.ctx));

describe('ResendActivationDialog', () => {
  it('shows the address masked, accepts a corrected one after a wrong one, sends after confirmation', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: "renvoyer le mail d'activation", bot: 'Pour quel établissement ?' },
      { user: (p) => clickCard(p, 'school:0311478N'), bot: "Quel est le nom du responsable ou de l'élève ?" },
      {
        user: 'martin',
        bot: ['Adresse actuelle de Anne MARTIN : a***n@example.org. Est-elle correcte ?', "Corriger l'adresse"],
        not: 'anne.martin@example.org',
      },
      { user: (p) => clickCard(p, 'change'), bot: 'Quelle est la bonne adresse e-mail du responsable ?' },
      { user: 'anne.martin@', bot: "Merci d'indiquer une adresse e-mail complète" },
      { user: 'anne.bonne@example.org', bot: "Renvoyer l'e-mail d'activation à Anne MARTIN à la nouvelle adresse anne.bonne@example.org ?" },
    ]);
    expect(await env.prisma.outboxMessage.count()).toBe(0);
    await runTranscript(client, [{ user: 'Confirmer', bot: "L'e-mail d'activation a été renvoyé à a***e@example.org" }]);
    expect((await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.martinActivating } })).email).toBe('anne.bonne@example.org');
    expect((await env.prisma.outboxMessage.findFirstOrThrow()).template).toBe('activation');
  });

  it('keeps the current address; cancel sends nothing', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: ['0311478N'] } } });
    await runTranscript(client, [
      { user: "renvoyer l'activation", bot: 'Quel est le nom' },
      { user: 'ines', bot: 'Est-elle correcte ?' },
      { user: 'oui', bot: "Renvoyer l'e-mail d'activation à Anne MARTIN ?" },
      { user: (p) => clickCard(p, 'cancel'), bot: "rien n'a été envoyé" },
    ]);
    expect(await env.prisma.outboxMessage.count()).toBe(0);
  });

  it('explains why an activated account gets no activation mail', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: ['0311478N'] } } });
    await runTranscript(client, [
      { user: "renvoyer l'activation", bot: 'Quel est le nom' },
      { user: 'bernard', bot: ['Le compte de Paul BERNARD est « Activé »', "aucun lien d'activation n'est nécessaire"] },
    ]);
  });

  it('says when no account matches, and gives up after three searches', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: ['0311478N'] } } });
    await runTranscript(client, [
      { user: "renvoyer l'activation", bot: 'Quel est le nom' },
      { user: 'secret', bot: 'Je ne trouve aucun compte pour « secret »' },
      { user: 'leroy', bot: 'Je ne trouve aucun compte pour « leroy »' },
      { user: 'zorro', bot: ["Je n'arrive pas à comprendre votre réponse", '0 809 54 06 06'] },
    ]);
  });
});
