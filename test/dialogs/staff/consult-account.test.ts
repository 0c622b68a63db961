// A director consults an account (admin guide §5.2) through the agents' find-account path, the
// scope enforced by the services: found by name (in the request or typed), identifier or pupil;
// the card shows state, origin, dates, pupils and how the guardian is linked to each, and the
// password as the guide shows it (temporary in clear, "*****" once personal, nothing for Non
// notifié), then the playbook's recommendation. Class of fault: a card that waits with no way out.
import { describe, expect, it } from 'vitest';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { FindAccountDialog } from '../../../dialogs/staff/find-account-dialog.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, singleDirector } from './fixtures.js';

const env = useStaffWorld();

const dialog = (): FindAccountDialog => new FindAccountDialog(dialogDeps(env.ctx));
const start = (text: string): { text: string; entities: object } => ({ text, entities: {} });

describe('FindAccountDialog for a director', () => {
  it('uses the name in the request; the card shows the temporary password in clear, the pupils and the link; then the recommendation', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: start('consulter le compte de luc durand') });
    await runTranscript(client, [
      {
        user: 'consulter le compte de luc durand',
        bot: [
          'DURAND Luc',
          'Mot de passe : Tempo-Pass-2026 (provisoire)',
          'État : Notifié et non activé',
          'Origine : Établissement',
          'Tom DURAND – CM1 A, École Jules Ferry (0311478N) – représentant légal',
          'Fermer',
        ],
        not: 'Quel compte ?',
      },
      {
        user: (p) => clickCard(p, 'situation:lost_password'),
        bot: ['Mot de passe perdu – Luc DURAND', 'Re-notifier le compte', 'Lire le mot de passe provisoire', 'Terminer'],
      },
      { user: (p) => clickCard(p, 'finished'), bot: 'Que puis-je faire d’autre' },
    ]);
    const consulted = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.consult', guardianId: env.world.g.durandNotified } });
    expect(consulted).toMatchObject({ actorId: 'director:dir-claire', actorType: 'director' });
  });

  it('searches a name typed across all the director’s schools, picks one, and masks a personal password', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'consulter un compte', bot: "Quel compte ? Indiquez le nom du responsable ou de l'élève" },
      { user: 'martin', bot: ['2 comptes correspondent', 'MARTIN Anne', 'LEROY Nina', 'Annuler'] },
      {
        user: (p) => clickCard(p, `account:${env.world.g.martinActivating}`),
        bot: ['MARTIN Anne', 'Mot de passe : *****', "En cours d'activation", 'Inès MARTIN – CP B, École Jules Ferry', 'Sam MARTIN – CE2, École Marie Curie'],
        not: ['Perso-Pass', '(provisoire)'],
      },
    ]);
  });

  it('shows no password at all for a Non notifié account, found by its pupil', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'consulter un compte', bot: 'Quel compte ?' },
      { user: 'léa', bot: ['DUPONT Marie', 'Non notifié', 'Léa DUPONT – CM1 A'], not: 'Mot de passe :' },
    ]);
  });

  it('says "personne en charge" for a 2nd-degree link, for agents and directors alike', async () => {
    await env.prisma.pupilGuardian.updateMany({ where: { guardianId: env.world.g.schoolB }, data: { kind: 'IN_CHARGE' } });
    const leroy = await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.schoolB } });
    for (const actor of [singleDirector, agent]) {
      const client = dialogClient(dialog(), { actor, dialogOptions: { entities: { identifier: [leroy.identifier] } } });
      await runTranscript(client, [
        {
          user: `compte ${leroy.identifier}`,
          bot: ['LEROY Nina', 'Sam MARTIN – CE2, École Marie Curie (0310002B) – personne en charge'],
          not: 'représentant légal',
        },
      ]);
    }
  });

  it('never shows an account of another school, by identifier or by name', async () => {
    const secret = await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.foreign } });
    const byId = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { identifier: [secret.identifier] } } });
    await runTranscript(byId, [
      { user: `compte ${secret.identifier}`, bot: `Je ne trouve aucun compte pour ${secret.identifier}`, not: ['SECRET', 'Collège Secret'] },
    ]);
    const byName = dialogClient(dialog(), { actor: director, dialogOptions: start('consulter le compte de agathe secret') });
    await runTranscript(byName, [
      { user: 'consulter le compte de agathe secret', bot: 'Je ne trouve aucun compte pour « agathe secret »', not: 'Collège Secret' },
    ]);
  });

  it('every card that waits has a way out: "Fermer" on the account card, "Annuler" on the pick card', async () => {
    const card = dialogClient(dialog(), { actor: director, dialogOptions: start('voir le compte de anne martin') });
    await runTranscript(card, [
      { user: 'voir le compte de anne martin', bot: 'MARTIN Anne' },
      { user: (p) => clickCard(p, 'close'), bot: 'Très bien. Que puis-je faire d’autre pour vous ?', not: 'Merci de choisir' },
    ]);
    expect(card.dialogTurnResult.status).not.toBe(DialogTurnStatus.waiting);
    const pick = dialogClient(dialog(), { actor: director });
    await runTranscript(pick, [
      { user: 'consulter un compte', bot: 'Quel compte ?' },
      { user: 'martin', bot: '2 comptes correspondent' },
      { user: (p) => clickCard(p, 'close'), bot: 'Très bien. Que puis-je faire d’autre pour vous ?' },
    ]);
    expect(pick.dialogTurnResult.status).not.toBe(DialogTurnStatus.waiting);
  });
});
