// The running app driven over HTTP exactly as the Bot Framework Emulator does: unauthenticated
// POST /api/messages with a serviceUrl pointing to a (fake) connector that receives replies.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole, Degree, createPrisma } from '../../services/db/index.js';
import { identifyActor } from '../../bot/bot.js';
import { createApp } from '../../bot/server.js';
import { resetDatabase } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';

const DIRECTOR = '00000000-0000-0000-0000-00000000d001';
const AGENT = '00000000-0000-0000-0000-00000000a001';

let app: TestApp;
let connector: FakeConnector;

beforeAll(async () => {
  app = await startTestApp();
  connector = await startFakeConnector();
  await resetDatabase(app.ctx.db);
  await app.ctx.db.school.createMany({
    data: [
      { uai: '0311478N', name: 'École Sainte-Famille', academy: 'Toulouse', degree: Degree.FIRST },
      { uai: '0310001A', name: 'Collège Jean Jaurès', academy: 'Toulouse', degree: Degree.SECOND },
    ],
  });
  await app.ctx.db.staff.createMany({
    data: [
      { aadObjectId: DIRECTOR, upn: 'direction@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: ['0311478N', '0310001A'] },
      { aadObjectId: AGENT, upn: 'agent@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] },
    ],
  });
});

afterAll(async () => {
  await app?.close();
  await connector?.close();
});

interface Speaker {
  id: string;
  aadObjectId?: string;
}

function activity(conversationId: string, from: Speaker, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    channelId: 'emulator',
    serviceUrl: connector.url,
    from: { ...from, name: 'Utilisateur', role: 'user' },
    conversation: { id: conversationId },
    recipient: { id: 'bot-id', name: 'Bot', role: 'bot' },
    locale: 'fr-FR',
    ...fields,
  };
}

async function post(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

/** conversationUpdate then "bonjour", as the Emulator does when a conversation opens. */
async function openAndGreet(from: Speaker): Promise<string[]> {
  const conversationId = `conv-${randomUUID()}`;
  const update = await post(
    activity(conversationId, from, {
      type: 'conversationUpdate',
      membersAdded: [
        { id: from.id, name: 'Utilisateur' },
        { id: 'bot-id', name: 'Bot' },
      ],
    }),
  );
  expect(update.status).toBe(200);
  await connector.waitFor(conversationId, 1);
  const message = await post(activity(conversationId, from, { type: 'message', text: 'bonjour' }));
  expect(message.status).toBe(200);
  const replies = await connector.waitFor(conversationId, 2);
  for (const reply of replies) {
    expect(reply.type).toBe('message');
    expect(reply.from?.id).toBe('bot-id');
  }
  return replies.map((r) => r.text ?? '');
}

describe('POST /api/messages as the Emulator', () => {
  it('greets an unknown visitor in French with the parents’ menu, on join and on "bonjour"', async () => {
    const [onJoin, onHello] = await openAndGreet({ id: `user-${randomUUID()}` });
    for (const text of [onJoin, onHello]) {
      expect(text).toMatch(/^Bonjour, je suis l'assistant EduConnect/);
      expect(text).toContain('perdu votre identifiant');
      expect(text).toContain('FranceConnect');
      expect(text).toContain('parler à une personne');
      expect(text).not.toContain('statistiques');
    }
  });

  it('recognises a director by from.id outside production and names their schools', async () => {
    const [text] = await openAndGreet({ id: DIRECTOR });
    expect(text).toContain('Bonjour Claire Martin');
    expect(text).toContain('École Sainte-Famille (0311478N)');
    expect(text).toContain('Collège Jean Jaurès (0310001A)');
    expect(text).toContain('statistiques');
    expect(text).not.toContain('perdu votre identifiant');
  });

  it('recognises staff by from.aadObjectId (as Teams sends it)', async () => {
    const [text] = await openAndGreet({ id: '29:teams-user-id', aadObjectId: AGENT });
    expect(text).toContain('Bonjour Paul Agent');
    expect(text).toContain("En tant qu'agent de l'assistance");
    expect(text).toContain("rechercher n'importe quel compte");
  });

  it('treats an aadObjectId absent from the directory as a parent', async () => {
    const [text] = await openAndGreet({ id: DIRECTOR, aadObjectId: randomUUID() });
    expect(text).toMatch(/^Bonjour, je suis l'assistant EduConnect/);
  });
});

describe('identifyActor', () => {
  it('looks up from.id only outside production', async () => {
    const activity = { from: { id: DIRECTOR, name: '' }, conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' } };
    expect(await identifyActor(app.ctx, activity, false)).toMatchObject({ kind: 'director', staffId: DIRECTOR, uais: ['0311478N', '0310001A'] });
    expect(await identifyActor(app.ctx, activity, true)).toEqual({ kind: 'anonymous', source: 'conversation:c1' });
    expect(await identifyActor(app.ctx, { ...activity, from: { id: 'x', name: '', aadObjectId: AGENT } }, true)).toMatchObject({
      kind: 'agent',
      staffId: AGENT,
    });
  });
});

describe('GET /healthz', () => {
  it('answers 200 when the database answers', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database does not', async () => {
    const deadDb = createPrisma('postgresql://nobody@127.0.0.1:1/none');
    const broken = createApp({ config: { ...app.config, port: 0 }, ctx: testContext(deadDb) });
    const port = await broken.listen();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable' });
    } finally {
      await broken.close(500);
      await deadDb.$disconnect();
    }
  });
});
