// The human handoff end to end over HTTP: a parent on the web chat page's Direct Line facade,
// agents on /api/messages as a Teams channel (fake Teams connector on loopback): request,
// card in the agents' channel, claim, three messages each way, end, satisfaction; two agents
// claiming at once; one claim delivered three times; bad input in the thread and from the
// parent (empty, huge, another role's claim, a stale card, a claim once ended); the agents' queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { expectValidCard } from '../helpers/adaptive.js';
import { startFakeTeams, type FakeTeams } from './fake-teams.js';
import { WebChatParent } from './webchat-client.js';
import { AGENTS, PARENT } from '../../services/handoff/texts.js';
import {
  ADMIN,
  AGENT_LEA,
  AGENT_PAUL,
  DIRECTOR,
  TEAM,
  TENANT,
  addStaff,
  cardText,
  inPersonalChat,
  inThread,
  installInTeam,
  startInstance,
  threadOfRequest,
  type Instance,
} from './handoff-harness.js';

const prisma = testPrisma();
let bot: Instance;
let teams: FakeTeams;
const parents: WebChatParent[] = [];

beforeAll(async () => {
  teams = await startFakeTeams();
  bot = await startInstance(prisma);
  await resetDatabase(prisma);
  await addStaff(prisma);
  await installInTeam(bot.app.url, teams);
}, 120_000);

afterAll(async () => {
  for (const p of parents) p.close();
  await bot?.app.close();
  await teams?.close();
  await prisma.$disconnect();
});

async function parentAsks(text: string, before?: string): Promise<{ parent: WebChatParent; threadId: string; requestId: number }> {
  const parent = new WebChatParent(bot.app.url);
  parents.push(parent);
  await parent.open();
  if (before) {
    // Something the assistant cannot solve, then "annuler" (whatever it started).
    for (const said of [before, 'annuler']) {
      const seen = parent.botMessages().length;
      await parent.say(said);
      await parent.waitForBot(() => parent.botMessages().length > seen, 'an answer');
    }
  }
  await parent.say(text);
  await parent.waitForBot((a) => /n° \d+ dans la file d'attente/.test(a.text ?? ''), 'the place in the queue');
  const request = await prisma.handoffRequest.findFirstOrThrow({ where: { conversationKey: `conversation:directline:${parent.conversationId}` } });
  return { parent, threadId: await threadOfRequest(prisma, teams, request.id), requestId: request.id };
}

const threadTexts = (threadId: string): string[] => teams.messages(threadId).map((m) => m.text ?? '');

describe('a parent talks with an agent', () => {
  it('request, card, claim, three messages each way, end and satisfaction', async () => {
    const { parent, threadId, requestId } = await parentAsks(
      'je veux parler à un conseiller',
      'Le code 482913 ne marche pas, le lien https://exemple.fr/reset?t=abc non plus, écrivez-moi à marie.dupont@exemple.fr',
    );
    expect(parent.botMessages().some((a) => /attente estimée|n° 1/.test(a.text ?? ''))).toBe(true);
    // The card: what the parent asked, masked; what the bot verified; a claim button.
    const card = teams.messages(threadId)[0];
    expectValidCard(card?.attachments?.[0]?.content);
    const shown = cardText(card);
    expect(shown).toContain('Prendre en charge');
    expect(shown).toContain('code masqué');
    expect(shown).toContain('lien masqué');
    expect(shown).not.toMatch(/482913|exemple\.fr\/reset|marie\.dupont@/);
    expect(shown).toContain('je veux parler à un conseiller');
    expect(shown).toContain("n'a pas prouvé son identité");
    expect(teams.threads.find((t) => t.conversationId === threadId)).toMatchObject({ channelId: TEAM, tenantId: TENANT, isGroup: true });

    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: { handoff: 'claim', requestId } });
    await parent.waitForBot((a) => a.text === "Paul, conseiller·ère de l'assistance, vous répond.", 'the claim');
    expect(threadTexts(threadId).some((t) => t.includes('Vous avez pris en charge'))).toBe(true);
    expect(cardText(teams.messages(threadId)[0])).toContain('Pris en charge par Paul Durand');
    expect(teams.messages(threadId)[0]?.updates).toBeGreaterThanOrEqual(1);

    for (const n of [1, 2, 3]) {
      await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { text: `Message ${n} du conseiller` });
      await parent.say(`Réponse ${n} du parent`);
    }
    for (const n of [1, 2, 3]) await parent.waitForBot((a) => a.text === `**Paul** : Message ${n} du conseiller`, `agent message ${n}`);
    const toParent = parent
      .botMessages()
      .map((a) => a.text ?? '')
      .filter((t) => t.startsWith('**Paul**'));
    expect(toParent).toEqual([1, 2, 3].map((n) => `**Paul** : Message ${n} du conseiller`));
    await teams.waitFor(() => threadTexts(threadId).filter((t) => t.startsWith('**Parent**')).length === 3, 'three parent messages in the thread');
    expect(threadTexts(threadId).filter((t) => t.startsWith('**Parent**'))).toEqual([1, 2, 3].map((n) => `**Parent** : Réponse ${n} du parent`));

    await inThread(bot.app.url, teams, threadId, AGENT_PAUL, { text: 'fin' });
    const rating = await parent.waitForBot((a) => JSON.stringify(a.attachments ?? []).includes('Votre avis nous aide'), 'the satisfaction card');
    expectValidCard(rating.attachments?.[0]?.content);
    expect(cardText(teams.messages(threadId)[0])).toContain('Terminé par Paul Durand');
    await parent.say('', { handoff: 'rate', requestId, rating: 4, comment: 'Très clair, merci' });
    await parent.waitForBot((a) => a.text === 'Merci pour votre avis !', 'the thanks');
    await parent.say('', { handoff: 'rate', requestId, rating: 1 });
    await parent.waitForBot((a) => a.text === 'Merci, votre avis est déjà enregistré.', 'a second rating refused');
    const stored = await prisma.handoffRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(stored).toMatchObject({ state: 'ENDED', satisfaction: 4, comment: 'Très clair, merci', agentStaffId: AGENT_PAUL });

    // The bot answers again; nothing more goes to the thread.
    const before = teams.messages(threadId).length;
    await parent.say("J'ai perdu mon mot de passe");
    await parent.waitForBot((a) => /identifiant/i.test(a.text ?? '') && !a.text?.startsWith('**'), 'the bot again');
    expect(teams.messages(threadId).length).toBe(before);
  });

  it('two agents claim at once: one gets it, the other is told who has it', async () => {
    const { parent, threadId, requestId } = await parentAsks("je voudrais parler à quelqu'un");
    await Promise.all([
      inThread(bot.app.url, teams, threadId, AGENT_PAUL, { value: { handoff: 'claim', requestId } }),
      inThread(bot.app.url, teams, threadId, AGENT_LEA, { value: { handoff: 'claim', requestId } }),
    ]);
    const texts = threadTexts(threadId);
    expect(texts.filter((t) => t.includes('Vous avez pris en charge'))).toHaveLength(1);
    const stored = await prisma.handoffRequest.findUniqueOrThrow({ where: { id: requestId } });
    const loser = stored.agentStaffId === AGENT_PAUL ? 'Léa Martin' : 'Paul Durand';
    const winner = stored.agentStaffId === AGENT_PAUL ? 'Paul Durand' : 'Léa Martin';
    expect(loser).not.toBe(winner);
    expect(texts).toContain(`Cette demande est déjà prise en charge par ${winner}.`);
    await parent.waitForBot((a) => (a.text ?? '').includes("conseiller·ère de l'assistance, vous répond"), 'the claim');
    expect(parent.botMessages().filter((a) => (a.text ?? '').endsWith('vous répond.'))).toHaveLength(1);

    // A replayed claim, a director in the thread, empty and huge messages, a stale card.
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { value: { handoff: 'claim', requestId } });
    await inThread(bot.app.url, teams, threadId, DIRECTOR, { text: 'Je réponds moi-même' });
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { text: '   ' });
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { text: 'x'.repeat(2500) });
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { value: { handoff: 'claim', requestId: requestId + 1000 } });
    const after = threadTexts(threadId);
    expect(after).toContain(AGENTS.alreadyYours);
    expect(after).toContain("Seuls les conseillers de l'assistance peuvent prendre en charge la conversation d'un parent.");
    expect(after).toContain('Votre message est vide : rien n’a été transmis.');
    expect(after.some((t) => t.startsWith('Votre message est trop long'))).toBe(true);
    expect(after.some((t) => t.startsWith('Je ne trouve pas cette demande'))).toBe(true);
    expect(parent.botMessages().some((a) => (a.text ?? '').includes('Je réponds moi-même') || (a.text ?? '').includes('xxxx'))).toBe(false);

    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { value: { handoff: 'end', requestId } });
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { value: { handoff: 'claim', requestId } });
    await inThread(bot.app.url, teams, threadId, stored.agentStaffId ?? '', { text: 'encore là ?' });
    expect(threadTexts(threadId).filter((t) => t === 'Cette demande est close : le parent ne reçoit plus les messages de ce fil.').length).toBe(2);
  });

  it('one claim click delivered three times at once: one claim, one audit row, "déjà fait" for the others', async () => {
    const { parent, threadId, requestId } = await parentAsks('je souhaite parler à un conseiller');
    const value = JSON.parse(cardText(teams.messages(threadId)[0])).actions[0].data as Record<string, unknown>;
    expect(value).toMatchObject({ handoff: 'claim', requestId, confirmation: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const seen = teams.messages(threadId).length;
    await Promise.all([1, 2, 3].map(() => inThread(bot.app.url, teams, threadId, AGENT_LEA, { value })));
    const answers = threadTexts(threadId)
      .slice(seen)
      .filter((t) => t !== '');
    expect(answers.filter((t) => t === AGENTS.claimedByYou)).toHaveLength(1);
    expect(answers.filter((t) => t === AGENTS.alreadyYours)).toHaveLength(2);
    expect(await prisma.auditLog.count({ where: { action: 'handoff.claim', details: { path: ['requestId'], equals: requestId } } })).toBe(1);
    await parent.waitForBot((a) => a.text === "Léa, conseiller·ère de l'assistance, vous répond.", 'the claim');
    await inThread(bot.app.url, teams, threadId, AGENT_LEA, { value: { handoff: 'end', requestId } });
    expect(parent.botMessages().filter((a) => (a.text ?? '').endsWith('vous répond.'))).toHaveLength(1);
  });

  it('a parent who asks twice keeps one request, and can cancel it', async () => {
    const { parent, threadId, requestId } = await parentAsks('parler à un conseiller');
    await parent.say('Il s’agit du compte de ma fille');
    await parent.waitForBot((a) => a.text === "Merci, c'est transmis au conseiller qui prendra votre demande.", 'the note');
    await parent.say('Parler à une personne');
    await teams.waitFor(() => threadTexts(threadId).includes('**Parent** : Parler à une personne'), 'the second ask relayed');
    // A huge message from the parent is refused with a French sentence, nothing relayed.
    const relayed = threadTexts(threadId).filter((t) => t.startsWith('**Parent**')).length;
    await parent.say('y'.repeat(2500));
    await parent.waitForBot((a) => a.text === PARENT.tooLong, 'the huge message refused');
    // An agent of another role cannot claim it either.
    await inThread(bot.app.url, teams, threadId, DIRECTOR, { value: { handoff: 'claim', requestId } });
    expect(threadTexts(threadId).at(-1)).toBe(AGENTS.notAnAgent);
    expect(threadTexts(threadId).filter((t) => t.startsWith('**Parent**'))).toHaveLength(relayed);
    expect((await prisma.handoffRequest.findUniqueOrThrow({ where: { id: requestId } })).state).toBe('WAITING');
    expect(await prisma.handoffRequest.count({ where: { conversationKey: `conversation:directline:${parent.conversationId}` } })).toBe(1);
    await teams.waitFor(() => cardText(teams.messages(threadId)[0]).includes('compte de ma fille'), 'the note on the card');
    await parent.say('annuler');
    await parent.waitForBot((a) => a.text?.startsWith("C'est noté : votre demande est annulée") ?? false, 'the cancellation');
    await teams.waitFor(() => cardText(teams.messages(threadId)[0]).includes('Annulé par le parent'), 'the card updated');
    expect((await prisma.handoffRequest.findUniqueOrThrow({ where: { id: requestId } })).state).toBe('CANCELLED');
  });

  it("in the agents' channel, outside request threads, answers only when mentioned", async () => {
    const post = `${TEAM};messageid=${Date.now()}`;
    await inThread(bot.app.url, teams, post, AGENT_PAUL, { text: 'Qui prend la pause de midi ?' });
    expect(teams.messages(post)).toEqual([]);
    await inThread(bot.app.url, teams, post, AGENT_PAUL, {
      text: '<at>Assistant</at> aide',
      entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'Assistant' }, text: '<at>Assistant</at>' }],
    });
    await teams.waitFor(() => teams.messages(post).length > 0, 'an answer when mentioned');
  });

  it("lists the agents' queue, with daily figures for admins", async () => {
    const { requestId } = await parentAsks('je veux parler à un humain');
    await inPersonalChat(bot.app.url, teams, AGENT_LEA, "file d'attente");
    const agentCard = await teams.waitFor(
      () => teams.messages(`a:personal-${AGENT_LEA}`).find((m) => cardText(m).includes("File d'attente")),
      'the queue card',
    );
    expectValidCard(agentCard.attachments?.[0]?.content);
    expect(cardText(agentCard)).toContain(`n° ${requestId}`);
    expect(cardText(agentCard)).not.toContain('Derniers jours');
    await inPersonalChat(bot.app.url, teams, ADMIN, "File d'attente");
    const adminCard = await teams.waitFor(() => teams.messages(`a:personal-${ADMIN}`).find((m) => cardText(m).includes('Derniers jours')), 'the admin card');
    expect(cardText(adminCard)).toMatch(/satisfaction 4\/5 \(1 avis\)/);
  });
});
