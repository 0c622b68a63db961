// The web chat store on the real database: appends from many turns (or instances) at once
// get dense, ordered sequence numbers, each once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../services/db/index.js';
import {
  appendToChat,
  createChatConversation,
  findChatConversation,
  listChatActivities,
  listChatActivityTexts,
  type AppendResult,
  type ChatActivityJson,
} from '../../services/chat-store.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';

const db: PrismaClient = testPrisma(8);
let ctx: TestContext;
beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
});
afterAll(() => db.$disconnect());

async function append(conversationId: string, activity: ChatActivityJson): Promise<Extract<AppendResult, { status: 'stored' }>> {
  const result = await appendToChat(ctx, conversationId, activity);
  if (result.status !== 'stored') throw new Error(`Unknown chat conversation ${conversationId}`);
  return result;
}

describe('appendToChat', () => {
  it('numbers 30 concurrent appends 1..30, each once, with their Direct Line ids, and says what it stored', async () => {
    const conversation = (await createChatConversation(ctx))!;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => append(conversation.id, { type: 'message', text: `m${i}`, conversation: { id: 'forged', name: 'x' } })),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const r of results) {
      expect(r.activity.id).toBe(`${conversation.id}|${String(r.seq).padStart(7, '0')}`);
      expect(r.activity.conversation).toEqual({ id: conversation.id });
      expect(typeof r.activity.timestamp).toBe('string');
    }
    const page = await listChatActivities(ctx, conversation.id, 0);
    expect(page?.watermark).toBe(30);
    expect(new Set(page?.activities.map((a) => a.text)).size).toBe(30);
    // The activity the append returns is the one stored.
    expect(new Map(page?.activities.map((a) => [a.id, a]))).toEqual(new Map(results.map((r) => [r.activity.id, r.activity])));
    expect((await findChatConversation(ctx, conversation.id, ctx.now()))?.userId).toBe(conversation.userId);
  });

  it("reads, when asked, a bot state document and the conversation's handoff request under way in the same statement", async () => {
    const conversation = (await createChatConversation(ctx))!;
    const readAhead = { stateKey: `directline/conversations/${conversation.id}/`, conversationKey: `conversation:directline:${conversation.id}` };
    const first = await appendToChat(ctx, conversation.id, { type: 'message', text: 'a' }, { readAhead });
    expect(first.status === 'stored' && first.readAhead).toEqual({ stateKey: readAhead.stateKey, states: new Map(), activeRequestId: null });
    await db.botState.create({ data: { key: readAhead.stateKey, data: { welcomed: true }, etag: 'e1' } });
    const request = await db.handoffRequest.create({
      data: { conversationKey: readAhead.conversationKey, state: 'WAITING', question: 'q', verification: 'v', transcript: [] },
    });
    const second = await appendToChat(ctx, conversation.id, { type: 'message', text: 'b' }, { readAhead });
    expect(second.status === 'stored' && second.readAhead).toEqual({
      stateKey: readAhead.stateKey,
      states: new Map([[readAhead.stateKey, { data: { welcomed: true }, etag: 'e1' }]]),
      activeRequestId: request.id,
    });
  });

  it('lists a page as the stored JSON texts, leaving out the hidden types while the watermark moves past them', async () => {
    const conversation = (await createChatConversation(ctx))!;
    await append(conversation.id, { type: 'conversationUpdate', membersAdded: [{ id: 'u' }] });
    const greeting = await append(conversation.id, { type: 'message', text: 'Bonjour « à vous »\n"ok"' });
    await append(conversation.id, { type: 'conversationUpdate', membersAdded: [{ id: 'v' }] });
    const page = await listChatActivityTexts(ctx, conversation.id, 0, { hiddenTypes: ['conversationUpdate'] });
    expect(page?.watermark).toBe(3);
    expect(page?.texts.map((t) => JSON.parse(t) as unknown)).toEqual([greeting.activity]);
    expect(await listChatActivityTexts(ctx, conversation.id, 3, { hiddenTypes: ['conversationUpdate'] })).toEqual({ texts: [], watermark: 3 });
    // Without hidden types, every activity (the handoff transcript reads them all).
    expect((await listChatActivities(ctx, conversation.id, 0))?.activities.map((a) => a.type)).toEqual(['conversationUpdate', 'message', 'conversationUpdate']);
    // An expired token: no page.
    expect(await listChatActivityTexts(ctx, conversation.id, 0, { aliveAt: new Date(conversation.expiresAt.getTime() + 1000) })).toBeNull();
  });

  it('refuses an unknown conversation', async () => {
    expect(await appendToChat(ctx, 'no-such-conversation', { type: 'message' })).toEqual({ status: 'gone' });
  });
});
