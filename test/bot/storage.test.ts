// Bot state on the database: eTag semantics as botbuilder expects, and a dialog that goes on
// after a "restart" (new storage, state, adapter and bot on the same database).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConversationState, TestAdapter, UserState } from 'botbuilder';
import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { DatabaseStorage } from '../../bot/storage.js';
import { EduConnectBot } from '../../bot/bot.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';

const prisma = testPrisma();
const ctx = testContext(prisma);

beforeEach(async () => {
  await resetDatabase(prisma);
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe('DatabaseStorage eTags', () => {
  it('stores, reads back with an eTag, and gives a new eTag on every write', async () => {
    const storage = new DatabaseStorage(prisma);
    await storage.write({ k1: { count: 1, nested: { list: [1, 2] } } });
    const first = await storage.read(['k1', 'missing']);
    expect(Object.keys(first)).toEqual(['k1']);
    expect(first.k1).toMatchObject({ count: 1, nested: { list: [1, 2] } });
    const etag1: unknown = first.k1.eTag;
    expect(typeof etag1).toBe('string');

    await storage.write({ k1: { count: 2, eTag: etag1 } });
    const second = await storage.read(['k1']);
    expect(second.k1.count).toBe(2);
    expect(second.k1.eTag).not.toBe(etag1);
    // The eTag is metadata, never stored inside the document.
    const row = await prisma.botState.findUniqueOrThrow({ where: { key: 'k1' } });
    expect(row.data).toEqual({ count: 2 });
  });

  it('refuses a stale eTag and writes nothing of the batch', async () => {
    const storage = new DatabaseStorage(prisma);
    await storage.write({ k1: { v: 'a' } });
    const { k1 } = await storage.read(['k1']);
    const stale: unknown = k1.eTag;
    // Another turn writes in between.
    await new DatabaseStorage(prisma).write({ k1: { v: 'b', eTag: stale } });
    await expect(storage.write({ other: { v: 'x' }, k1: { v: 'c', eTag: stale } })).rejects.toThrow(/conflict/i);
    const now = await storage.read(['k1', 'other']);
    expect(now.k1.v).toBe('b');
    expect(now.other).toBeUndefined();
  });

  it("writes unconditionally with '*' or without eTag, creates a missing document, deletes", async () => {
    const storage = new DatabaseStorage(prisma);
    await storage.write({ k1: { v: 1 } });
    await storage.write({ k1: { v: 2, eTag: '*' } });
    expect((await storage.read(['k1'])).k1.v).toBe(2);
    await storage.write({ k1: { v: 3 } });
    expect((await storage.read(['k1'])).k1.v).toBe(3);
    await storage.write({ fresh: { v: 1, eTag: 'never-seen' } });
    expect((await storage.read(['fresh'])).fresh.v).toBe(1);
    await storage.delete(['k1', 'fresh', 'absent']);
    expect(await storage.read(['k1', 'fresh'])).toEqual({});
  });

  it('lets only one of two concurrent conditional writers win', async () => {
    const storage = new DatabaseStorage(prisma);
    await storage.write({ k1: { n: 0 } });
    const etag: unknown = (await storage.read(['k1'])).k1.eTag;
    const results = await Promise.allSettled([storage.write({ k1: { n: 1, eTag: etag } }), storage.write({ k1: { n: 2, eTag: etag } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it("reads a document ahead, with the conversation's handoff request under way, for the next read of that key only", async () => {
    const storage = new DatabaseStorage(prisma);
    const conversation = 'conversation:directline:c1';
    await storage.write({ k1: { v: 1 } });
    const ahead = storage.readAhead('k1', conversation);
    expect(await ahead.activeRequestId).toBeNull();
    await storage.write({ k1: { v: 2 } });
    // The next read of k1 alone takes what was read ahead; the one after reads again.
    expect((await storage.read(['k1'])).k1.v).toBe(1);
    expect((await storage.read(['k1'])).k1.v).toBe(2);
    // Forgotten when no read took it.
    storage.readAhead('k1', conversation).forget();
    await storage.write({ k1: { v: 3 } });
    expect((await storage.read(['k1'])).k1.v).toBe(3);

    const request = await prisma.handoffRequest.create({
      data: { conversationKey: conversation, state: 'CLAIMED', question: 'q', verification: 'v', transcript: [] },
    });
    const open = storage.readAhead('absent', conversation);
    expect(await open.activeRequestId).toBe(request.id);
    expect(await storage.read(['absent'])).toEqual({});
    await prisma.handoffRequest.update({ where: { id: request.id }, data: { state: 'ENDED' } });
    expect(await storage.readAhead('k1', conversation).activeRequestId).toBeNull();
    expect((await storage.read(['k1'])).k1.v).toBe(3);
  });
});

class AskDialog extends ComponentDialog {
  constructor() {
    super('ask');
    this.addDialog(
      new WaterfallDialog('steps', [
        async (step: WaterfallStepContext) => step.prompt('text', 'Quel est votre prénom ?'),
        async (step: WaterfallStepContext) => {
          Object.assign(step.values, { name: String(step.result) });
          return step.prompt('text', 'Dans quelle ville habitez-vous ?');
        },
        async (step: WaterfallStepContext) => {
          const { name } = step.values as { name: string };
          await step.context.sendActivity(`Merci ${name}, de ${String(step.result)}.`);
          return step.endDialog();
        },
      ]),
    );
    this.addDialog(new TextPrompt('text'));
    this.initialDialogId = 'steps';
  }
}

/** A fresh process: new storage, state, bot and adapter; only the database is shared. */
function boot(): TestAdapter {
  const storage = new DatabaseStorage(prisma);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const bot = new EduConnectBot({ ctx, conversationState, userState, storage, production: false, rootDialog: new AskDialog() });
  return new TestAdapter((turn) => bot.run(turn));
}

describe('a dialog across restarts', () => {
  it('resumes mid-dialog on new instances sharing the database', async () => {
    await boot().send('bonjour').assertReply('Quel est votre prénom ?').startTest();
    await boot().send('Alice').assertReply('Dans quelle ville habitez-vous ?').startTest();
    await boot().send('Lyon').assertReply('Merci Alice, de Lyon.').startTest();
    // The dialog ended: the next message starts it again.
    await boot().send('encore').assertReply('Quel est votre prénom ?').startTest();
    expect(await prisma.botState.count()).toBeGreaterThan(0);
  });
});
