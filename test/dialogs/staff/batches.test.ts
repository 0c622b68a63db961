// Following up email batches: a director lists the school's email batches of the last 30 days,
// opens one (failed first, masked addresses, reason in French), goes back to the list; a forged
// button naming a batch of a school that is not theirs is refused revealing nothing; route only
// for directors.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { notify } from '../../../services/accounts/notify.js';
import { BatchesDialog } from '../../../dialogs/staff/batches-dialog.js';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, singleDirector, UAI_A, UAI_B, UAI_FOREIGN } from './fixtures.js';

const env = useStaffWorld();
let batchA: string;
let batchB: string;
let batchForeign: string;

beforeEach(async () => {
  env.ctx.setNow(new Date('2026-11-20T09:00:00Z'));
  batchA = (await notify(env.ctx, director, UAI_A, [env.world.g.durandNotified, env.world.g.martinActivating], { channel: 'email', reset: false })).batchId;
  batchB = (await notify(env.ctx, director, UAI_B, [env.world.g.schoolB], { channel: 'email', reset: false })).batchId;
  batchForeign = (await notify(env.ctx, agent, UAI_FOREIGN, [env.world.g.foreign], { channel: 'email', reset: false })).batchId;
  await env.prisma.outboxMessage.updateMany({
    where: { batchId: batchA, guardianId: env.world.g.durandNotified },
    data: { status: 'FAILED', lastError: 'SMTP 550: 5.1.1 user unknown' },
  });
  await env.prisma.outboxMessage.updateMany({ where: { batchId: batchB }, data: { status: 'SENT', sentAt: new Date('2026-11-20T09:02:00Z') } });
});

/** The "Voir" button of the list, its data changed to name another batch (a forged click). */
function forged(replies: readonly Partial<Activity>[], shown: string, batchId: string): Partial<Activity> {
  const real = clickCard(replies, `batch:${shown}`);
  return { ...real, value: { ...Object(real.value), choice: `batch:${batchId}` } };
}

const dialog = (): BatchesDialog => new BatchesDialog(dialogDeps(env.ctx));

describe('BatchesDialog', () => {
  it('lists the school batches, opens one guardian by guardian, goes back, ends', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'Suivre les envois par mail', bot: 'Pour quel établissement ?' },
      {
        user: (p) => clickCard(p, `school:${UAI_A}`),
        bot: [
          'Envois par e-mail des 30 derniers jours – École Jules Ferry',
          'Envoi du 20/11/2026 à 10:00',
          '2 e-mail(s)',
          '0 envoyé(s) · 1 en attente · 1 en échec',
        ],
        not: ['1 envoyé(s)', 'Collège Secret'],
      },
      {
        user: (p) => clickCard(p, `batch:${batchA}`),
        bot: [
          'Envoi du 20/11/2026 à 10:00',
          'Luc DURAND (l***d@example.org) – En échec : Adresse refusée par la messagerie du destinataire',
          'Anne MARTIN (a***n@example.org) – En attente',
          'Notifiez par fiche les comptes dont l’envoi a échoué',
        ],
        not: ['luc.durand@example.org', 'anne.martin@example.org', 'SMTP', 'user unknown'],
      },
      { user: (p) => clickCard(p, 'back'), bot: 'Envois par e-mail des 30 derniers jours – École Jules Ferry' },
      { user: (p) => clickCard(p, 'done'), bot: 'Que puis-je faire d’autre pour vous ?' },
    ]);
  });

  it('shows the sent time of a delivered batch; a single-school director goes straight to the list', async () => {
    const client = dialogClient(dialog(), { actor: singleDirector });
    await runTranscript(client, [
      { user: 'Suivre les envois par mail', bot: ['École Marie Curie', '1 envoyé(s) · 0 en attente · 0 en échec'], not: 'Pour quel établissement ?' },
      { user: (p) => clickCard(p, `batch:${batchB}`), bot: 'Nina LEROY (n***y@example.org) – Envoyé le 20/11/2026 à 10:02', not: 'Notifiez par fiche' },
    ]);
  });

  it('refuses a forged click naming another school’s batch, revealing nothing, and shows the list again', async () => {
    const client = dialogClient(dialog(), { actor: singleDirector });
    await runTranscript(client, [
      { user: 'Suivre les envois par mail', bot: 'École Marie Curie' },
      {
        user: (p) => forged(p, batchB, batchA),
        bot: ["Nous n'avons rien trouvé qui corresponde à votre demande.", 'Envois par e-mail des 30 derniers jours – École Marie Curie'],
        not: ['DURAND', 'MARTIN', 'Jules Ferry'],
      },
      { user: (p) => forged(p, batchB, batchForeign), bot: "Nous n'avons rien trouvé", not: ['SECRET', 'Collège Secret'] },
      { user: 'le premier', bot: 'Cliquez sur « Voir l’envoi »' },
    ]);
  });

  it('says when the school has no recent email batch', async () => {
    env.ctx.setNow(new Date('2026-12-25T09:00:00Z'));
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(client, [{ user: 'suivre les envois', bot: 'Aucun envoi par e-mail ni aucun fichier ces 30 derniers jours pour École Jules Ferry.' }]);
  });

  it('is offered to directors only', async () => {
    const deps = dialogDeps(env.ctx);
    const asDirector = dialogClient(registerStaffDialogs(new RootDialog(deps), deps), { actor: director });
    await runTranscript(asDirector, [
      { user: 'aide', bot: 'Suivre les envois et refaire les fichiers' },
      { user: 'Suivre les envois par mail', bot: 'Pour quel établissement ?' },
    ]);
    const asAgent = dialogClient(registerStaffDialogs(new RootDialog(deps), deps), { actor: agent });
    await runTranscript(asAgent, [{ user: 'aide', bot: 'Consulter le compte d’un responsable', not: 'Suivre les envois' }]);
    expect(await env.prisma.outboxMessage.count({ where: { batchId: batchA } })).toBe(2);
  });
});
