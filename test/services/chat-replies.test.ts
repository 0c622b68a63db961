// A web chat turn's replies stored in one statement, alone or with the turn's state write, on
// the real database: in order after the last activity, with the ids given, all or none when
// other appends run at the same time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../services/db/index.js';
import { appendToChat, createChatConversation, listChatActivities } from '../../services/chat-store.js';
import { storeChatReplies, type ChatReplies } from '../../services/chat-replies.js';
import { readStates, StateConflictError } from '../../services/state-store.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';

const db: PrismaClient = testPrisma(8);
let ctx: TestContext;
beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
});
afterAll(() => db.$disconnect());

const replies = (conversationId: string, prefix: string, n: number): ChatReplies => ({
  conversationId,
  texts: Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'message', text: `${prefix}${i + 1}` })),
  ids: Array.from({ length: n }, (_, i) => `${conversationId}|${prefix}.${i + 1}`),
  timestamp: '2026-12-03T10:00:00.000Z',
});

describe('storeChatReplies', () => {
  it('stores the replies after the last activity, in order, with their ids, and the state in the same statement', async () => {
    const conversation = (await createChatConversation(ctx))!;
    await appendToChat(ctx, conversation.id, { type: 'message', text: 'question' });
    const key = `directline/conversations/${conversation.id}/`;
    await storeChatReplies(db, replies(conversation.id, 'r', 2), { key, json: '{"welcomed":true}', newEtag: 'e1' });
    const page = await listChatActivities(ctx, conversation.id, 0);
    expect(page?.watermark).toBe(3);
    expect(page?.activities.map((a) => [a.id, a.text, a.timestamp])).toEqual([
      [`${conversation.id}|0000001`, 'question', expect.any(String)],
      [`${conversation.id}|r.1`, 'r1', '2026-12-03T10:00:00.000Z'],
      [`${conversation.id}|r.2`, 'r2', '2026-12-03T10:00:00.000Z'],
    ]);
    expect((await readStates(db, [key])).get(key)).toEqual({ data: { welcomed: true }, etag: 'e1' });

    // A stale eTag: the state is not written, the replies are stored all the same.
    const stale = storeChatReplies(db, replies(conversation.id, 's', 1), { key, json: '{"welcomed":false}', etag: 'old', newEtag: 'e2' });
    await expect(stale).rejects.toThrow(StateConflictError);
    expect((await readStates(db, [key])).get(key)?.etag).toBe('e1');
    expect((await listChatActivities(ctx, conversation.id, 3))?.activities.map((a) => a.text)).toEqual(['s1']);
  });

  it('keeps each batch whole and in order while other appends take numbers at the same time', async () => {
    const conversation = (await createChatConversation(ctx))!;
    await Promise.all([
      ...Array.from({ length: 10 }, (_, b) => storeChatReplies(db, replies(conversation.id, `b${b}-`, 3))),
      ...Array.from({ length: 10 }, (_, i) => appendToChat(ctx, conversation.id, { type: 'message', text: `m${i}` })),
    ]);
    const page = await listChatActivities(ctx, conversation.id, 0);
    expect(page?.watermark).toBe(40);
    const texts = page?.activities.map((a) => (typeof a.text === 'string' ? a.text : '')) ?? [];
    expect(texts).toHaveLength(40);
    for (let b = 0; b < 10; b++) {
      const at = texts.indexOf(`b${b}-1`);
      expect(texts.slice(at, at + 3)).toEqual([`b${b}-1`, `b${b}-2`, `b${b}-3`]);
    }
  });
});
