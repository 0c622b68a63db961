// The per-message handoff lookup (bot/handoff/interceptor.ts): a parent's conversation that had
// no request under way keeps that in its state and is not looked up again; the turn that opens
// a request forgets it, so the next message goes to the agents.
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

async function marker(conversationId: string): Promise<unknown> {
  const row = await prisma.botState.findUniqueOrThrow({ where: { key: `directline/conversations/${conversationId}/` } });
  return typeof row.data === 'object' && row.data !== null ? Reflect.get(row.data, 'noHandoffRequest') : undefined;
}

async function sayAndWait(p: WebChatParent, text: string, expected: (reply: string) => boolean, what: string): Promise<void> {
  await p.say(text);
  await p.waitForBot((a) => expected(a.text ?? ''), what);
}

describe("a parent's messages and the handoff lookup", () => {
  it('remembers that no request is under way, forgets it when one opens, then relays', async () => {
    parent = new WebChatParent(bot.app.url);
    await parent.open();
    const seen = parent.botMessages().length;
    await parent.say('bonjour');
    await parent.waitForBot(() => parent!.botMessages().length > seen, 'the greeting');
    expect(await marker(parent.conversationId)).toBe(true);

    await sayAndWait(parent, 'je veux parler à un conseiller', (t) => /n° \d+ dans la file d'attente/.test(t), 'the place in the queue');
    expect(await marker(parent.conversationId)).not.toBe(true);
    const request = await prisma.handoffRequest.findFirstOrThrow({ where: { conversationKey: `conversation:directline:${parent.conversationId}` } });
    expect(request.state).toBe('WAITING');

    await sayAndWait(parent, "Je n'arrive pas à me connecter depuis hier", (t) => t === PARENT.noteReceived, 'the note taken for the agents');
    const relayed = await prisma.handoffRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(relayed.note).toContain('connecter');
    expect(await marker(parent.conversationId)).not.toBe(true);
  });
});
