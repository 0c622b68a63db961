// Scaling out: two bot instances (two whole apps, each with its own connection pool) behind
// one load balancer on one PostgreSQL. Whatever one instance wrote, the other reads: a
// dialog started on one continues on the other (bot state), a web chat conversation opened
// on one is served by the other (Direct Line store), self-service limits are counted once
// for both, and statistics read on either reflect a change made through the other.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootDialog } from '../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../dialogs/parent/index.js';
import { registerStaffDialogs } from '../../dialogs/staff/index.js';
import { createRecognizer } from '../../bot/recognizer/recognizer.js';
import { computeSchoolStats } from '../../services/stats.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { dialogDeps } from '../helpers/dialogs.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';
import { WebChatParent } from './webchat-client.js';
import { buildStaffWorld, director, UAI_A } from '../dialogs/staff/fixtures.js';

const prisma = testPrisma();
let a: TestApp;
let b: TestApp;
let connector: FakeConnector;

beforeAll(async () => {
  await resetDatabase(prisma);
  await buildStaffWorld(prisma);
  const recognizer = await createRecognizer();
  const root = (app: ReturnType<typeof testContext>): RootDialog => {
    const deps = dialogDeps(app, recognizer);
    return registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps);
  };
  a = await startTestApp({ rootDialog: root(testContext(prisma)) });
  b = await startTestApp({ rootDialog: root(testContext(prisma)) });
  connector = await startFakeConnector();
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await connector?.close();
  await prisma.$disconnect();
});

async function post(app: TestApp, conversationId: string, userId: string, text: string): Promise<void> {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'emulator',
      serviceUrl: connector.url,
      from: { id: userId, name: 'Parent', role: 'user' },
      conversation: { id: conversationId },
      recipient: { id: 'bot', name: 'Bot', role: 'bot' },
      locale: 'fr-FR',
      text,
    }),
  });
  expect(res.status).toBeLessThan(300);
}

describe('two instances on one database', () => {
  it('a dialog started on one instance goes on, turn after turn, on the other', async () => {
    const identifier = (await prisma.guardian.findFirstOrThrow({ where: { lastName: 'BERNARD' } })).identifier;
    const conversation = `conv-${randomUUID()}`;
    const user = `user-${randomUUID()}`;
    await post(a, conversation, user, "J'ai perdu mon mot de passe");
    const first = await connector.waitFor(conversation, 1, 20_000);
    expect(JSON.stringify(first)).toContain('Quel est votre identifiant EduConnect ?');
    await post(b, conversation, user, identifier);
    const second = await connector.waitFor(conversation, first.length + 1, 20_000);
    expect(JSON.stringify(second.slice(first.length))).toContain('Comment souhaitez-vous réinitialiser votre mot de passe ?');
  });

  it('a web chat opened on one instance is served by the other (posts, replies, stream)', async () => {
    const parent = new WebChatParent(a.url);
    await parent.open();
    await parent.waitForBot((m) => (m.text ?? '').includes('Bonjour'), 'the greeting from instance A');
    parent.moveTo(b.url);
    await parent.connect();
    await parent.say("J'ai perdu mon mot de passe");
    await parent.waitForBot((m) => (m.text ?? '').includes('Quel est votre identifiant EduConnect ?'), 'the question, from instance B');
    parent.close();
    // The transcript is the same whichever instance is asked.
    const ids = await prisma.chatActivity.count({ where: { conversationId: parent.conversationId } });
    expect(ids).toBeGreaterThanOrEqual(4);
  });

  it('self-service limits are counted once for both instances', async () => {
    // The web chat token endpoint allows 4 × RATE_LIMIT_PER_SOURCE (30) new conversations per source.
    const limit = 4 * a.config.selfService.rateLimits.perSource;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 2; i++) {
      const res = await fetch(`${(i % 2 ? a : b).url}/api/webchat/token`, { method: 'POST', headers: { 'X-Forwarded-For': '203.0.113.7' } });
      statuses.push(res.status);
    }
    // Alternating instances, the source still runs out once, not twice as late.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(limit);
  });

  it('statistics read on one instance reflect a change made through the other', async () => {
    const before = await computeSchoolStats(a.ctx, director, UAI_A);
    const guardian = await prisma.guardian.findFirstOrThrow({ where: { state: { not: 'ACTIVATED' }, pupils: { some: { pupil: { schoolUai: UAI_A } } } } });
    await b.ctx.db.guardian.update({ where: { id: guardian.id }, data: { state: 'ACTIVATED' } });
    const after = await computeSchoolStats(a.ctx, director, UAI_A);
    expect(after.summary.activated).toBe(before.summary.activated + 1);
    expect(after.summary.accounts).toBe(before.summary.accounts);
  });
});
