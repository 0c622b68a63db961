import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_RETENTION_DAYS, purgeStaleRows, TOKEN_RETENTION_DAYS } from '../../services/maintenance.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const DAY = 86_400_000;
const NOW = new Date('2026-11-20T10:00:00Z');
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

afterAll(() => db.$disconnect());

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(NOW);
});

describe('purgeStaleRows', () => {
  it('deletes only what is past its retention, and a second run deletes nothing', async () => {
    const conversation = (id: string, expiresAt: Date) => ({ id, userId: `u-${id}`, expiresAt });
    await db.chatConversation.createMany({
      data: [
        conversation('old', ago((CHAT_RETENTION_DAYS + 1) * DAY)),
        conversation('recent', ago((CHAT_RETENTION_DAYS - 1) * DAY)),
        conversation('live', new Date(NOW.getTime() + 60_000)),
      ],
    });
    await db.chatActivity.create({ data: { conversationId: 'old', seq: 1, activity: { type: 'message', text: 'bonjour' } } });
    const windowMs = ctx.settings.selfService.rateLimits.windowMinutes * 60_000;
    await db.rateLimitCounter.createMany({
      data: [
        { key: 'source:a', windowStart: ago(3 * windowMs), count: 3 },
        { key: 'source:a', windowStart: ago(0), count: 1 },
      ],
    });
    const token = (hash: string, expiresAt: Date) => ({ kind: 'PASSWORD_RESET_LINK' as const, tokenHash: hash, expiresAt });
    await db.selfServiceToken.createMany({
      data: [token('t-old', ago((TOKEN_RETENTION_DAYS + 1) * DAY)), token('t-recent', ago(DAY)), token('t-live', new Date(NOW.getTime() + DAY))],
    });

    const confirmation = (id: string, expiresAt: Date) => ({ id, kind: 'accounts.notify', expiresAt });
    await db.confirmation.createMany({
      data: [
        confirmation('00000000-0000-4000-8000-000000000001', ago((TOKEN_RETENTION_DAYS + 1) * DAY)),
        confirmation('00000000-0000-4000-8000-000000000002', ago(DAY)),
      ],
    });

    await db.loginThrottle.createMany({
      data: [
        { key: 'id:old', failures: 60, lastFailureAt: ago(DAY + 60_000) },
        { key: 'id:recent', failures: 60, lastFailureAt: ago(DAY - 60_000) },
      ],
    });

    expect(await purgeStaleRows(ctx)).toEqual({ chats: 1, counters: 1, tokens: 1, confirmations: 1, verifications: 0, throttles: 1 });
    expect((await db.loginThrottle.findMany()).map((t) => t.key)).toEqual(['id:recent']);
    expect((await db.chatConversation.findMany({ orderBy: { id: 'asc' } })).map((c) => c.id)).toEqual(['live', 'recent']);
    expect(await db.chatActivity.count()).toBe(0);
    expect(await db.rateLimitCounter.count()).toBe(1);
    expect((await db.selfServiceToken.findMany({ orderBy: { tokenHash: 'asc' } })).map((t) => t.tokenHash)).toEqual(['t-live', 't-recent']);
    expect(await db.confirmation.count()).toBe(1);
    expect(await purgeStaleRows(ctx)).toEqual({ chats: 0, counters: 0, tokens: 0, confirmations: 0, verifications: 0, throttles: 0 });
  });
});
