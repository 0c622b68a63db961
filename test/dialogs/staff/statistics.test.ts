// Statistics dialog: school picker for a director of several schools, a foreign school refused
// without revealing anything, the card (Paris time, per class bars, per level), "Recalculer",
// agents' national and academy figures, re-prompt caps and cancel.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../services/db/index.js';
import { StatisticsDialog } from '../../../dialogs/staff/statistics-dialog.js';
import { testPrisma, resetDatabase } from '../../helpers/db.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { dialogClient, dialogDeps, runTranscript, say, turnText } from '../../helpers/dialogs.js';
import { click } from './click.js';
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

describe('StatisticsDialog (director)', () => {
  it('asks which school, shows the card with the Paris time, recomputes on demand', async () => {
    const client = dialogClient(dialog(), { actor: director });
    const turns = await runTranscript(client, [
      { user: 'statistiques', bot: ['Pour quel établissement ?', 'École Jules Ferry', 'École Marie Curie'], not: 'Collège Secret' },
      {
        user: (prev) => click(prev, 'school:0311478N'),
        bot: ['Statistiques de École Jules Ferry (0311478N)', 'calculées le 22/11/2026 à 02:00', 'Comptes : 5', 'Non notifié : 1', 'Activé : 1', 'Responsables activés : 20 %', 'CM1 A', 'CP B', 'Détail par niveau', 'Cours moyen'],
      },
    ]);
    const card = turns[1]?.[0]?.attachments?.[0]?.content;
    const json = JSON.stringify(card);
    expect(json).toContain('"type":"ColumnSet"');
    expect(json).toMatch(/"width":"33".*"style":"good"/); // CP B: 1 activated of 3 -> 33 %
    ctx.setNow(new Date('2026-11-22T09:30:00Z'));
    await prisma.guardian.updateMany({ where: { lastName: 'DUPONT' }, data: { state: 'ACTIVATED' } });
    const again = await say(client, click(turns[1] ?? [], 'recompute'));
    expect(turnText(again)).toContain('calculées le 22/11/2026 à 10:30');
    expect(turnText(again)).toContain('Activé : 2');
    const done = await say(client, click(again, 'done'));
    expect(turnText(done)).toContain('Que puis-je faire');
  });

  it('uses the only school of a director at once', async () => {
    const client = dialogClient(dialog(), { actor: singleDirector });
    await runTranscript(client, [{ user: 'stats', bot: ['Statistiques de École Marie Curie', 'Comptes : 2'], not: 'Pour quel établissement' }]);
  });

  it('refuses another school named in the request, revealing nothing about it', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_FOREIGN] } } });
    const turns = await runTranscript(client, [{ user: 'statistiques de 0750001C', bot: 'Je ne peux vous répondre que pour les établissements dont vous avez la charge.', not: ['Collège Secret', 'Comptes', 'PARIS'] }]);
    expect(turns[0]).toHaveLength(1);
    expect(await prisma.statsSnapshot.count()).toBe(0);
  });

  it('refuses another school typed at the picker, re-asks, and gives up after 3 answers', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'stats', bot: 'Pour quel établissement ?' },
      { user: UAI_FOREIGN, bot: ['dont vous avez la charge', /vos établissements : École Marie Curie, École Jules Ferry\./], not: 'Collège Secret' },
      { user: 'la lune', bot: "Merci de choisir l'un de vos établissements" },
      { user: 'mars', bot: ["Je n'arrive pas à comprendre votre réponse", '0 809 54 06 06'] },
    ]);
  });

  it('accepts a school typed by name, and cancels in the middle', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'stats', bot: 'Pour quel établissement ?' },
      { user: 'marie curie', bot: 'Statistiques de École Marie Curie' },
      { user: 'annuler', bot: "C'est annulé" },
    ]);
  });

  it('refuses a stale click on the school card', async () => {
    const client = dialogClient(dialog(), { actor: director });
    const first = await say(client, 'stats');
    const stale = click(first, 'school:0311478N');
    await say(client, stale);
    const replay = await say(client, stale);
    expect(turnText(replay)).toContain("Ce bouton n'est plus valable");
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
