// The per-message handoff lookup (bot/handoff/interceptor.ts): a parent's message goes to the
// agents whenever their conversation has a request under way, whatever the conversation state
// says. botbuilder saves the state last-writer-wins (BotState.saveChanges writes with eTag '*'):
// a turn that overlapped the one opening the request (a second message sent at once, a retried
// delivery, another tab or instance) may save the state it read before the request opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { startFakeTeams, type FakeTeams } from './fake-teams.js';
import { WebChatParent } from './webchat-client.js';
import { PARENT } from '../../services/handoff/texts.js';
import { addStaff, installInTeam, startInstance, type Instance } from './handoff-harness.js';

const prisma = testPrisma();
let bot: Instance;
let teams: FakeTeams;
let parent: WebChatParent | undefined;

beforeAll(async () => {
  teams = await startFakeTeams();
  bot = await startInstance(prisma);
  await resetDatabase(prisma);
  await addStaff(prisma);
  await installInTeam(bot.app.url, teams);
}, 120_000);

afterAll(async () => {
  parent?.close();
  await bot?.app.close();
  await teams?.close();
  await prisma.$disconnect();
});

const stateKey = (conversationId: string): string => `directline/conversations/${conversationId}/`;

async function sayAndWait(p: WebChatParent, text: string, expected: (reply: string) => boolean, what: string): Promise<void> {
  await p.say(text);
  await p.waitForBot((a) => expected(a.text ?? ''), what);
}

describe("a parent's messages and the handoff lookup", () => {
  it('relays to the agents even when an overlapping turn saved the state it read before the request opened', async () => {
    parent = new WebChatParent(bot.app.url);
    await parent.open();
    const seen = parent.botMessages().length;
    await parent.say('bonjour');
    await parent.waitForBot(() => parent!.botMessages().length > seen, 'the greeting');
    const before = await prisma.botState.findUniqueOrThrow({ where: { key: stateKey(parent.conversationId) } });

    await sayAndWait(parent, 'je veux parler à un conseiller', (t) => /n° \d+ dans la file d'attente/.test(t), 'the place in the queue');
    const request = await prisma.handoffRequest.findFirstOrThrow({ where: { conversationKey: `conversation:directline:${parent.conversationId}` } });
    expect(request.state).toBe('WAITING');
    // The overlapping turn saves last: the state as it was before the request opened.
    await prisma.botState.update({ where: { key: before.key }, data: { data: before.data ?? {}, etag: before.etag } });

    await sayAndWait(parent, "Je n'arrive pas à me connecter depuis hier", (t) => t === PARENT.noteReceived, 'the note taken for the agents');
    const relayed = await prisma.handoffRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(relayed.note).toContain('connecter');
  });
});
