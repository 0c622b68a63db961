// The bot's own behaviour around the root dialog: the actor of the turn, Teams mentions.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, UserState } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { EduConnectBot } from '../../bot/bot.js';
import { DatabaseStorage } from '../../bot/storage.js';
import { turnActor } from '../../dialogs/types.js';
import { StaffRole } from '../../services/db/index.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';

/** Answers with the text it received and who the bot said was speaking. */
class EchoDialog extends Dialog {
  constructor() {
    super('echo');
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const actor = turnActor(dc.context);
    await dc.context.sendActivity(`${actor.kind}|${dc.context.activity.text ?? ''}`);
    return dc.endDialog();
  }
}

const prisma = testPrisma();
const ctx = testContext(prisma);

beforeAll(async () => {
  await resetDatabase(prisma);
  await prisma.staff.create({ data: { aadObjectId: 'aad-agent', upn: 'a@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] } });
});
afterAll(async () => {
  await prisma.$disconnect();
});

function client(production: boolean): TestAdapter {
  const storage = new DatabaseStorage(prisma);
  const bot = new EduConnectBot({
    ctx,
    conversationState: new ConversationState(storage),
    userState: new UserState(new MemoryStorage()),
    production,
    rootDialog: new EchoDialog(),
  });
  return new TestAdapter((turn) => bot.run(turn));
}

describe('EduConnectBot with a root dialog', () => {
  it('hands every message to the root dialog with the actor of the turn', async () => {
    await client(false)
      .send({ type: 'message', text: 'bonjour', from: { id: 'aad-agent', name: '' } })
      .assertReply('agent|bonjour')
      .send({ type: 'message', text: 'bonjour', from: { id: 'someone', name: '' } })
      .assertReply('anonymous|bonjour')
      .startTest();
    await client(true)
      .send({ type: 'message', text: 'bonjour', from: { id: 'aad-agent', name: '' } })
      .assertReply('anonymous|bonjour')
      .startTest();
  });

  it('removes the @mention of the bot from a Teams message', async () => {
    await client(true)
      .send({
        type: 'message',
        channelId: 'msteams',
        text: '<at>Assistant</at> statistiques de mon école',
        from: { id: '29:x', name: '', aadObjectId: 'aad-agent' },
        entities: [{ type: 'mention', text: '<at>Assistant</at>', mentioned: { id: 'bot', name: 'Assistant' } }],
      })
      .assertReply('agent|statistiques de mon école')
      .startTest();
  });
});
