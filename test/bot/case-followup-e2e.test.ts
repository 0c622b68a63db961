// End to end over HTTP: a parent on the web chat page (Direct Line facade) reports a refused
// birth date; the director, who once talked to the bot in Teams, receives the proactive card
// on a fake Teams connector (the first at once); the nightly import brings the corrected date
// and resolves the case; the parent is told by mail (outbox) and in the web chat; the
// director's stale card then changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importExtract } from '../../services/import/extract.js';
import { StaffRole } from '../../services/db/index.js';
import { startCaseWorker, type CaseWorker } from '../../bot/case-worker.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { COLLEGE, ECOLE, EXTRACT_HEADER, tempFiles } from '../fixtures/import/files.js';
import { startFakeTeams, type FakeTeams } from './fake-teams.js';
import { cardText, DIRECTOR, inPersonalChat, startInstance, TENANT, type Instance } from './handoff-harness.js';
import { WebChatParent } from './webchat-client.js';

const prisma = testPrisma();
const files = tempFiles();
let teams: FakeTeams;
let bot: Instance;
let worker: CaseWorker;
const parent = (): WebChatParent => new WebChatParent(bot.app.url);
const chat: WebChatParent[] = [];

const extract = (birthDate: string): string[] => [
  EXTRACT_HEADER,
  `${ECOLE};1234567890A;DUPONT;Léa;${birthDate};CP;CP;G-1;DUPONT;Céline;;;LEGAL`,
  `${COLLEGE};1234567891B;MARTIN;Hugo;2013-05-02;6E;6E A;G-2;MARTIN;Paul;paul.martin@example.org;;LEGAL`,
];

beforeAll(async () => {
  await resetDatabase(prisma);
  teams = await startFakeTeams();
  bot = await startInstance(prisma);
  await importExtract(bot.app.ctx, files.write('base.csv', extract('2016-03-14')));
  await prisma.staff.create({
    data: { aadObjectId: DIRECTOR, upn: 'dir@example.org', displayName: 'Claire Directrice', role: StaffRole.DIRECTOR, uais: ['0311478N'] },
  });
  worker = startCaseWorker({ ctx: bot.app.ctx, proactive: bot.app.app.proactive, intervalMs: 100 });
});

afterAll(async () => {
  for (const c of chat) c.close();
  await worker?.stop();
  await bot?.app.close();
  await teams?.close();
  files.cleanup();
  await prisma.$disconnect();
});

/** The director clicks a button of a card in their personal chat (Teams sends its data as `value`). */
async function clickInPersonalChat(value: unknown): Promise<void> {
  const conversation = { id: `a:personal-${DIRECTOR}`, conversationType: 'personal', tenantId: TENANT };
  const res = await fetch(`${bot.app.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: `29:${DIRECTOR}`, aadObjectId: DIRECTOR, name: 'Claire' },
      recipient: { id: '28:bot', name: 'Assistant' },
      conversation,
      channelData: { tenant: { id: TENANT } },
      locale: 'fr-FR',
      value,
    }),
  });
  expect(res.status).toBeLessThan(300);
}

describe('a case comes back', () => {
  it('parent -> director card -> import resolves -> parent told by mail and in the chat', async () => {
    const director = `a:personal-${DIRECTOR}`;
    await inPersonalChat(bot.app.url, teams, DIRECTOR, 'bonjour');
    await teams.waitFor(() => teams.messages(director).length > 0, 'the greeting of the director');

    const p = parent();
    chat.push(p);
    await p.open();
    for (const [text, expected] of [
      ['La date de naissance de mon enfant est refusée', "nom de famille de l'enfant"],
      ['Dupont', 'Et son prénom'],
      ['Léa', 'Dans quelle école'],
      ['0311478N', 'Quelle date de naissance avez-vous saisie'],
      ['14/03/2017', 'adresse e-mail ou un numéro de portable'],
    ] as const) {
      const before = p.botMessages().length;
      await p.say(text);
      await p.waitForBot((a) => p.botMessages().indexOf(a) >= before && (a.text ?? '').includes(expected), expected);
    }
    await p.say('celine.dupont@example.org');
    const confirmation = await p.waitForBot((a) => /EDU-\d{4}-\d{6}/.test(a.text ?? ''), 'the reference');
    const reference = /EDU-\d{4}-\d{6}/.exec(confirmation.text ?? '')?.[0] ?? '';

    // The director's card, at once, with the contact, what was typed and the actions.
    const card = await teams.waitFor(() => teams.messages(director).find((m) => cardText(m).includes(reference)), 'the director card');
    const json = cardText(card);
    for (const shown of ['Nouvelle demande', 'celine.dupont@example.org', '14/03/2017', 'Léa DUPONT (CP)', `"to":"RESOLVED"`, `note.${reference}`])
      expect(json).toContain(shown);
    expect(await prisma.case.findUniqueOrThrow({ where: { reference } })).toMatchObject({ state: 'OPEN', alertedAt: expect.any(Date) });

    // The school corrects the register; the nightly import resolves the case.
    const report = await importExtract(bot.app.ctx, files.write('corrected.csv', extract('2017-03-14')));
    expect(report.casesResolved).toBe(1);
    expect((await prisma.case.findUniqueOrThrow({ where: { reference } })).state).toBe('RESOLVED');
    const mail = await prisma.outboxMessage.findFirstOrThrow({ where: { template: 'case_update', recipient: 'celine.dupont@example.org' } });
    expect(mail.subject).toBe(`Votre demande ${reference} est traitée`);
    expect(mail.textBody).toContain("Reprenez l'activation de votre compte");
    const told = await p.waitForBot((a) => (a.text ?? '').includes(`Des nouvelles de votre demande ${reference}`), 'the chat notice');
    expect(told.text).toContain("Reprenez l'activation");
    // The notice is marked sent once delivered: the parent may see it a moment before.
    await vi.waitFor(async () => expect(await prisma.caseChatNotice.count({ where: { sentAt: { not: null } } })).toBe(1));

    // The director clicks "Résolue" on the card afterwards: nothing changes twice.
    const sentBefore = teams.messages(director).length;
    await clickInPersonalChat({ caseAction: { reference, to: 'RESOLVED', from: 'OPEN' }, [`note.${reference}`]: 'Corrigé.' });
    const answer = await teams.waitFor(
      () =>
        teams
          .messages(director)
          .slice(sentBefore)
          .find((m) => m.text),
      'the answer to the click',
    );
    expect(answer.text).toContain(`La demande ${reference} est déjà « Résolu »`);
    expect(await prisma.outboxMessage.count({ where: { template: 'case_update' } })).toBe(1);

    // The parent asks where it stands.
    const before = p.botMessages().length;
    await p.say(`où en est ma demande ${reference.toLowerCase()} ?`);
    const status = await p.waitForBot((a) => p.botMessages().indexOf(a) >= before && (a.text ?? '').includes('a été traitée'), 'the status');
    expect(status.text).toContain('École Sainte-Famille');
    expect(status.text).not.toContain('celine');
  });
});
