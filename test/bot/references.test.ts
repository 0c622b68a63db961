// Conversation references as turns arrive (bot/references.ts): recorded on the first message,
// not written again while they stay the same (what was recorded is in the conversation state,
// so any instance knows it), written again when they change or after a minute.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Activity } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { EduConnectBot } from '../../bot/bot.js';
import { DatabaseStorage } from '../../bot/storage.js';
import { conversationKey, findConversationRef, REFERENCE_REFRESH_MS } from '../../services/conversation-refs.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';

class OkDialog extends Dialog {
  constructor() {
    super('ok');
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity('ok');
    return dc.endDialog();
  }
}

const prisma = testPrisma();
const ctx = testContext(prisma);
const CONVERSATION = 'refs-conversation';
const KEY = conversationKey('test', CONVERSATION);

beforeEach(async () => {
  await resetDatabase(prisma);
});
afterAll(async () => {
  await prisma.$disconnect();
});

/** A new bot instance (its own adapter, state objects and caches) on the shared database. */
function instance(): TestAdapter {
  const bot = new EduConnectBot({
    ctx,
    conversationState: new ConversationState(new DatabaseStorage(prisma)),
    userState: new UserState(new MemoryStorage()),
    production: false,
    rootDialog: new OkDialog(),
  });
  return new TestAdapter((turn) => bot.run(turn));
}

const message = (serviceUrl = 'https://channel.example/'): Partial<Activity> => ({
  type: 'message',
  text: 'bonjour',
  serviceUrl,
  from: { id: 'parent-1', name: 'Parent' },
  conversation: { id: CONVERSATION, isGroup: false, conversationType: 'personal', name: '' },
});

async function say(adapter: TestAdapter, activity: Partial<Activity>): Promise<void> {
  await adapter.send(activity).assertReply('ok').startTest();
}

describe('conversation references recorded by the bot', () => {
  it('records the first message, skips unchanged references on any instance, writes again when they change or after a minute', async () => {
    await say(instance(), message());
    const first = await findConversationRef(ctx, KEY);
    expect(first?.reference.serviceUrl).toBe('https://channel.example/');
    // The activity's own id is not part of what is kept.
    expect(first?.reference.activityId).toBeUndefined();

    // Removed behind the bot's back: an unchanged reference within the minute is not written
    // again, by another instance either (what was recorded is in the conversation state).
    await prisma.conversationRef.deleteMany({});
    await say(instance(), message());
    expect(await findConversationRef(ctx, KEY)).toBeNull();

    ctx.advance(REFERENCE_REFRESH_MS + 1000);
    await say(instance(), message());
    expect((await findConversationRef(ctx, KEY))?.reference.serviceUrl).toBe('https://channel.example/');

    // A changed reference is written at once.
    await say(instance(), message('https://moved.example/'));
    expect((await findConversationRef(ctx, KEY))?.reference.serviceUrl).toBe('https://moved.example/');
  });
});
