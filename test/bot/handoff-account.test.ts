// The verified parent's account in the agents' thread, end to end over HTTP: a parent proves
// they hold their account in the web chat (the SMS code of a lost password), asks for a person;
// the card in the agents' channel (fake Teams connector) names the account; the agent claims,
// opens the account card in the thread, follows the playbook and runs an action with the usual
// confirmation: one audit row as the agent, nothing shown to the parent. Unverified: said
// plainly, and the usual search is offered. Another agent cannot act in the thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { expectValidCard, submitData } from '../helpers/adaptive.js';
import { decryptSecret } from '../../services/passwords.js';
import { AGENTS } from '../../services/handoff/texts.js';
import { KNOWN, seedParentFixtures } from '../dialogs/parent/fixtures.js';
import { startFakeTeams, type FakeTeams, type TeamsMessage } from './fake-teams.js';
import { WebChatParent, type WebChatActivity } from './webchat-client.js';
import { AGENT_LEA, AGENT_PAUL, addStaff, cardText, inThread, installInTeam, startInstance, threadOfRequest, type Instance } from './handoff-harness.js';

const prisma = testPrisma();
let bot: Instance;
let teams: FakeTeams;
const parents: WebChatParent[] = [];

beforeAll(async () => {
  teams = await startFakeTeams();
  bot = await startInstance(prisma);
  await resetDatabase(prisma);
  await seedParentFixtures(testContext(prisma));
  await addStaff(prisma);
  await installInTeam(bot.app.url, teams);
}, 120_000);

afterAll(async () => {
  for (const p of parents) p.close();
  await bot?.app.close();
  await teams?.close();
  await prisma.$disconnect();
});

type Data = Record<string, unknown>;

const button = (messages: readonly (TeamsMessage | WebChatActivity)[], match: (d: Data) => boolean): Data => {
  const data = messages
    .flatMap((m) => submitData(m.attachments))
    .filter(match)
    .at(-1);
  if (!data) throw new Error('no such button');
  return data;
};
const choice =
  (c: string) =>
  (d: Data): boolean =>
    d.choice === c;
const texts = (threadId: string): string[] => teams.messages(threadId).map((m) => m.text ?? '');

async function parentTalks(parent: WebChatParent, text: string, value?: unknown): Promise<void> {
  const seen = parent.botMessages().length;
  await parent.say(text, value);
  await parent.waitForBot(() => parent.botMessages().length > seen, `an answer to "${text}"`);
}

async function poll<T>(probe: () => Promise<T | null>, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The parent asks for a person; the thread of their request in the agents' channel. */
async function asksForPerson(parent: WebChatParent): Promise<{ threadId: string; requestId: number }> {
  await parent.say('je veux parler à un conseiller');
  await parent.waitForBot((a) => (a.text ?? '').includes("dans la file d'attente"), 'the place in the queue');
  const request = await poll(
    () => prisma.handoffRequest.findFirst({ where: { conversationKey: `conversation:directline:${parent.conversationId}` } }),
    'the request',
  );
  return { threadId: await threadOfRequest(prisma, teams, request.id), requestId: request.id };
}

async function openParent(): Promise<WebChatParent> {
  const parent = new WebChatParent(bot.app.url);
  parents.push(parent);
  await parent.open();
  return parent;
}

async function claim(threadId: string, requestId: number): Promise<void> {
  const value = button(teams.messages(threadId), (d) => d.handoff === 'claim');
  await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value });
  await teams.waitFor(() => cardText(teams.messages(threadId)[0]).includes('Pris en charge par Paul Durand'), 'the card claimed');
  expect(value).toMatchObject({ requestId });
}

describe("the verified parent's account in the agents' thread", () => {
  it('SMS code in the chat, claim, account card in the thread, one action confirmed and audited as the agent', async () => {
    const parent = await openParent();
    await parentTalks(parent, "J'ai perdu mon mot de passe");
    await parentTalks(parent, KNOWN.identifier);
    await parentTalks(parent, '', button(parent.botMessages(), choice('sms')));
    const sms = await prisma.outboxMessage.findFirstOrThrow({ where: { template: 'sms_code', recipient: KNOWN.mobile } });
    const code = /\b(\d{6})\b/.exec(decryptSecret(sms.textBody, testContext(prisma).settings.secretKey))?.[1] ?? '';
    await parent.say(code);
    await parent.waitForBot((a) => (a.text ?? '').startsWith('Code accepté'), 'the code accepted');

    const { threadId, requestId } = await asksForPerson(parent);
    const card = cardText(teams.messages(threadId)[0]);
    expect(card).toContain('**Compte vérifié :** Céline Dupont (identifiant c.dupont114)');
    expect(card).toContain('code reçu par SMS');
    await claim(threadId, requestId);
    await parent.waitForBot((a) => a.text === "Paul, conseiller·ère de l'assistance, vous répond.", 'the claim');
    const seenByParent = parent.botMessages().length;
    const claimed = teams.messages(threadId)[0];
    expectValidCard(claimed?.attachments?.[0]?.content);
    expect(cardText(claimed)).toContain('Voir le compte');

    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: button(teams.messages(threadId), (d) => d.handoff === 'account') });
    expect(texts(threadId)).toContain(AGENTS.accountOpened);
    const accountCard = teams.messages(threadId).at(-1);
    expectValidCard(accountCard?.attachments?.[0]?.content);
    expect(cardText(accountCard)).toContain(KNOWN.identifier);
    expect(cardText(accountCard)).toContain('Quelle est la situation du responsable');

    // Another agent of the team cannot act on it here.
    const before = teams.messages(threadId).length;
    await inThread(bot.app.url, teams, threadId, AGENT_LEA, { value: button(teams.messages(threadId), choice('situation:lost_password')) });
    expect(texts(threadId).slice(before)).toEqual([AGENTS.onlyClaimer('Paul Durand')]);

    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: button(teams.messages(threadId), choice('situation:lost_password')) });
    const advice = cardText(teams.messages(threadId).at(-1));
    expect(advice).toContain('Mot de passe perdu – Céline Dupont');
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: button(teams.messages(threadId), choice('reset_email')) });
    expect(cardText(teams.messages(threadId).at(-1))).toContain('Confirmez-vous : réinitialiser puis e-mail pour Céline Dupont');
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: button(teams.messages(threadId), choice('confirm')) });

    const rows = await prisma.auditLog.findMany({
      where: { guardianId: (await prisma.guardian.findFirstOrThrow({ where: { identifier: KNOWN.identifier } })).id, actorType: 'agent' },
    });
    expect(rows.map((r) => r.action)).toContain('accounts.notify');
    expect(rows.every((r) => r.actorId === `agent:${AGENT_PAUL}`)).toBe(true);
    expect(await prisma.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(1);
    expect(await prisma.outboxMessage.count({ where: { recipient: KNOWN.email, template: { not: 'password_reset_link' } } })).toBeGreaterThanOrEqual(1);
    // The parent saw none of it; the thread still relays.
    expect(parent.botMessages().slice(seenByParent)).toEqual([]);
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { text: 'Vous allez recevoir un e-mail.' });
    await parent.waitForBot((a) => a.text === '**Paul** : Vous allez recevoir un e-mail.', 'the relay after the action');
  });

  it('not verified: said plainly, and the usual search is offered in the thread', async () => {
    const parent = await openParent();
    const { threadId, requestId } = await asksForPerson(parent);
    expect(cardText(teams.messages(threadId)[0])).toContain('non communiqué (parent non vérifié)');
    // "Voir le compte" before the claim, then forged on an unverified request.
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: { handoff: 'account', requestId } });
    expect(texts(threadId).at(-1)).toBe(AGENTS.claimFirst);
    await claim(threadId, requestId);
    expect(cardText(teams.messages(threadId)[0])).toContain('Rechercher un compte');
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: { handoff: 'account', requestId } });
    expect(texts(threadId).at(-1)).toBe(AGENTS.notVerified);

    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: button(teams.messages(threadId), (d) => d.handoff === 'search') });
    const asked = texts(threadId).slice(-3);
    expect(asked[0]).toBe(AGENTS.searchOpened);
    expect(asked[1]).toContain("Indiquez l'identifiant");
    expect(asked[2]).toBe(AGENTS.nextForAssistant);
    // The typed answer goes to the assistant, not to the parent; the next message goes to the parent again.
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { text: KNOWN.identifier });
    expect(cardText(teams.messages(threadId).at(-1))).toContain('Quelle est la situation du responsable');
    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { text: 'Pouvez-vous me donner le prénom de votre enfant ?' });
    await parent.waitForBot((a) => a.text === '**Paul** : Pouvez-vous me donner le prénom de votre enfant ?', 'the relay');
    expect(parent.botMessages().some((a) => (a.text ?? '').includes(KNOWN.identifier))).toBe(false);
  });
});
