// Statistics dialog: school picker for a director of several schools, a foreign school refused
// without revealing anything, the card (Paris time, per class bars, per level), "Recalculer",
// agents' national and academy figures, re-prompt caps and cancel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../services/db/index.js';
import { StatisticsDialog } from '../../../dialogs/staff/statistics-dialog.js';
import { testPrisma, resetDatabase } from '../../helpers/db.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { dialogClient, dialogDeps, runTranscript, say, turnText, clickCard } from '../../helpers/dialogs.js';
import { agent, buildStaffWorld, director, singleDirector, UAI_FOREIGN } from './fixtures.js';

let prisma: PrismaClient;
let ctx: TestContext;

beforeAll(() => {
  prisma = testPrisma();
  ctx = testContext(prisma);
});
afterAll(async () => prisma.$disconnect());
beforeEach(async () => {
  await resetDatabase(prisma);
  await buildStaffWorld(prisma);
  ctx.setNow(new Date('2026-11-22T01:00:00Z'));
});

const dialog = (): StatisticsDialog => new StatisticsDialog(dialogDeps(ctx));

const withText = (text: string, entities: object = {}): { dialogOptions: { text: string; entities: object } } => ({ dialogOptions: { text, entities } });

describe('StatisticsDialog (director)', () => {
  it('a director of two schools sees them together, then each school per class and per level with the four states and the totals', async () => {
    const client = dialogClient(dialog(), { actor: director, ...withText('statistiques') });
    const turns = await runTranscript(client, [
      {
        user: 'statistiques',
        bot: [
          'Statistiques de vos 2 établissements',
          'Ensemble de vos établissements',
          'Comptes : 7',
          'Non notifié : 1',
          'Notifié et non activé : 3',
          "En cours d'activation : 2",
          'Activé : 1',
          "**École Jules Ferry (0311478N)**\n5 compte(s) : 1 non notifié(s) · 2 notifié(s) non activé(s) · 1 en cours d'activation · 1 activé(s) (20 %)",
          "**École Marie Curie (0310002B)**\n2 compte(s) : 0 non notifié(s) · 1 notifié(s) non activé(s) · 1 en cours d'activation · 0 activé(s) (0 %)",
          'Détail de École Jules Ferry',
          'compté dans chacun',
        ],
        not: ['Pour quel établissement', 'Collège Secret'],
      },
      {
        user: (prev) => clickCard(prev, 'school:0311478N'),
        bot: [
          'Statistiques de École Jules Ferry (0311478N)',
          'calculées le 22/11/2026 à 02:00',
          "**CM1 A** – 2 compte(s) : 1 non notifié(s) · 1 notifié(s) non activé(s) · 0 en cours d'activation · 0 activé(s) (0 %)",
          "**CP B** – 3 compte(s) : 0 non notifié(s) · 1 notifié(s) non activé(s) · 1 en cours d'activation · 1 activé(s) (33,3 %)",
          "**Total** – 5 compte(s) : 1 non notifié(s) · 2 notifié(s) non activé(s) · 1 en cours d'activation · 1 activé(s) (20 %)",
          '**Cours moyen 1re année** – 2 compte(s)',
          'Retour à vos établissements',
        ],
      },
      { user: (prev) => clickCard(prev, 'back'), bot: 'Statistiques de vos 2 établissements' },
    ]);
    const card = JSON.stringify(turns[1]?.[0]?.attachments?.[0]?.content);
    expect(card).toContain('"type":"ColumnSet"');
    expect(card).toMatch(/"width":"33".*"style":"good"/); // CP B: 1 activated of 3 -> 33 %
  });

  it('recomputes on demand and shows the new time', async () => {
    const client = dialogClient(dialog(), { actor: singleDirector, ...withText('stats') });
    const turns = await runTranscript(client, [
      {
        user: 'stats',
        bot: ['Statistiques de École Marie Curie', 'Comptes : 2', 'calculées le 22/11/2026 à 02:00'],
        not: ['Pour quel établissement', 'Retour à vos établissements'],
      },
    ]);
    ctx.setNow(new Date('2026-11-22T09:30:00Z'));
    await prisma.guardian.updateMany({ where: { lastName: 'LEROY' }, data: { state: 'ACTIVATED' } });
    const again = await say(client, clickCard(turns[0] ?? [], 'recompute'));
    expect(turnText(again)).toContain('calculées le 22/11/2026 à 10:30');
    expect(turnText(again)).toContain('Activé : 1');
    const done = await say(client, clickCard(again, 'done'));
    expect(turnText(done)).toContain('Que puis-je faire');
  });

  it('shows one of the director’s schools named in the request, by words of its name', async () => {
    const client = dialogClient(dialog(), { actor: director, ...withText('stats de marie curie') });
    await runTranscript(client, [
      { user: 'stats de marie curie', bot: 'Statistiques de École Marie Curie (0310002B)', not: ['vos 2 établissements', 'Jules Ferry'] },
    ]);
  });

  it('a school of someone else named in the request is refused by name, never replaced by the director’s own figures', async () => {
    const client = dialogClient(dialog(), { actor: singleDirector, ...withText('stats de jules ferry') });
    const turns = await runTranscript(client, [
      {
        user: 'stats de jules ferry',
        bot: 'École Jules Ferry ne fait pas partie de vos établissements : je ne peux vous montrer que les statistiques de École Marie Curie.',
        not: ['Comptes', 'Statistiques de'],
      },
    ]);
    expect(turns[0]).toHaveLength(1);
    expect(await prisma.statsSnapshot.count()).toBe(0);
  });

  it('refuses another school named by UAI, revealing nothing about it', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_FOREIGN] } } });
    const turns = await runTranscript(client, [
      {
        user: 'statistiques de 0750001C',
        bot: 'Je ne peux vous répondre que pour les établissements dont vous avez la charge.',
        not: ['Collège Secret', 'Comptes', 'PARIS'],
      },
    ]);
    expect(turns[0]).toHaveLength(1);
    expect(await prisma.statsSnapshot.count()).toBe(0);
  });

  it('re-asks an unclear answer to the card (its buttons stay valid), cancels, and refuses a stale click', async () => {
    const client = dialogClient(dialog(), { actor: director, ...withText('stats') });
    const first = await say(client, 'stats');
    await runTranscript(client, [
      { user: 'bof', bot: ['Cliquez sur l’un des boutons des statistiques, ou écrivez votre demande.', 'Statistiques de vos 2 établissements'] },
    ]);
    const open = clickCard(first, 'school:0311478N');
    expect(turnText(await say(client, open))).toContain('Statistiques de École Jules Ferry');
    expect(turnText(await say(client, open))).toContain("Ce bouton n'est plus valable");
    await runTranscript(client, [{ user: 'annuler', bot: "C'est annulé" }]);
  });
});

describe('StatisticsDialog (agent)', () => {
  it('shows national then academy figures', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    await runTranscript(client, [
      { user: 'statistiques', bot: 'national' },
      { user: 'national', bot: ['Statistiques nationales', '3 établissement(s)', 'Comptes : 7', 'calculées le 22/11/2026 à 02:00'] },
    ]);
    const academy = dialogClient(dialog(), { actor: agent });
    await runTranscript(academy, [
      { user: 'statistiques', bot: 'national' },
      { user: 'académie de TOULOUSE', bot: ["Statistiques de l'académie de TOULOUSE", '2 établissement(s)'], not: 'Collège Secret' },
    ]);
  });

  it('shows any school by UAI', async () => {
    const client = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { uai: [UAI_FOREIGN] } } });
    await runTranscript(client, [{ user: 'stats 0750001C', bot: ['Statistiques de Collège Secret', 'Comptes : 1'] }]);
  });
});
