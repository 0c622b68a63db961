// The root dialog inside the real bot: actor set by the bot (ACTOR_KEY), dialog state kept in
// the database between turns (as several instances would share it), a whole parent request.
import { describe, expect, it } from 'vitest';
import { ConversationState, TestAdapter, UserState, type Activity } from 'botbuilder';
import { EduConnectBot } from '../../../bot/bot.js';
import { DatabaseStorage } from '../../../bot/storage.js';
import { expectValidCards } from '../../helpers/adaptive.js';
import { turnText } from '../../helpers/dialogs.js';
import { parentRoot } from '../parent/fixtures.js';
import { useParentWorld } from '../parent/setup.js';

const { prisma, ctx } = useParentWorld();

/** A fresh bot (as on another instance) for every turn; only the database is shared. */
async function turn(conversationId: string, input: string | Partial<Activity>): Promise<string> {
  const storage = new DatabaseStorage(prisma);
  const bot = new EduConnectBot({
    ctx,
    conversationState: new ConversationState(storage),
    userState: new UserState(storage),
    production: false,
    rootDialog: await parentRoot(ctx),
  });
  const adapter = new TestAdapter(async (context) => bot.run(context), {
    channelId: 'webchat',
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'test' },
  });
  await adapter.send(input);
  const replies: Partial<Activity>[] = [];
  for (let a = adapter.activeQueue.shift(); a; a = adapter.activeQueue.shift()) replies.push(a);
  expectValidCards(replies);
  return turnText(replies);
}

describe('root dialog in the bot', () => {
  it('runs a request across turns handled by different bot instances', async () => {
    expect(await turn('c-1', "J'ai perdu mon identifiant")).toContain('Comment souhaitez-vous recevoir votre identifiant ?');
    expect(await turn('c-1', 'par mail')).toContain("Quelle est l'adresse e-mail");
    expect(await turn('c-1', 'quelqu.un@exemple.fr')).toContain('Si cette adresse e-mail est confirmée');
    expect(await prisma.botState.count()).toBeGreaterThan(0);
  });

  it('keeps conversations apart', async () => {
    expect(await turn('c-2', "J'ai perdu mon identifiant")).toContain('Comment souhaitez-vous recevoir');
    expect(await turn('c-3', 'par mail')).not.toContain("Quelle est l'adresse e-mail");
    expect(await turn('c-2', 'par mail')).toContain("Quelle est l'adresse e-mail");
  });
});
