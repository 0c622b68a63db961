// The Direct Line 3.0 facade over HTTP and websocket, as DirectLineJS (Web Chat) uses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { StaffRole } from '../../services/db/index.js';
import { connectorSecret } from '../../bot/directline/signing.js';
import { BOT_ACCOUNT } from '../../bot/directline/facade.js';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';

const DIRECTOR = '00000000-0000-0000-0000-00000000d001';

interface DlActivity {
  id: string;
  type: string;
  text?: string;
  value?: unknown;
  from: { id: string; role?: string };
  channelData?: { clientActivityID?: string };
}
interface ActivitySet {
  activities: DlActivity[];
  watermark: string;
}
interface Conversation {
  conversationId: string;
  token: string;
  streamUrl: string;
  expires_in: number;
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await resetDatabase(app.ctx.db);
  await app.ctx.db.staff.create({ data: { aadObjectId: DIRECTOR, upn: 'd@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: [] } });
});
afterAll(async () => {
  await app?.close();
});

const dl = (path: string): string => `${app.url}/v3/directline${path}`;
const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

async function newToken(base = app.url, query = ''): Promise<{ token: string; conversationId: string; expires_in: number }> {
  const res = await fetch(`${base}/api/webchat/token${query}`, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await res.json()) as { token: string; conversationId: string; expires_in: number };
}

async function start(token: string, base = app.url): Promise<Conversation> {
  const res = await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: auth(token) });
  expect(res.status).toBe(201);
  return (await res.json()) as Conversation;
}

async function poll(c: { conversationId: string; token: string }, watermark?: string, base = app.url): Promise<ActivitySet> {
  const res = await fetch(`${base}/v3/directline/conversations/${c.conversationId}/activities${watermark ? `?watermark=${watermark}` : ''}`, {
    headers: auth(c.token),
  });
  expect(res.status).toBe(200);
  // The page is written from the activities' stored JSON texts: still a JSON response, never cached.
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as ActivitySet;
}

async function say(c: { conversationId: string; token: string }, activity: Record<string, unknown>, base = app.url): Promise<string> {
  const res = await fetch(`${base}/v3/directline/conversations/${c.conversationId}/activities`, {
    method: 'POST',
    headers: auth(c.token),
    body: JSON.stringify(activity),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

describe('Direct Line facade over HTTP', () => {
  it('issues a token, starts the conversation with a greeting, and polls with a watermark', async () => {
    const issued = await newToken();
    expect(issued.token.length).toBeGreaterThanOrEqual(40);
    expect(issued.expires_in).toBeGreaterThan(0);
    const conversation = await start(issued.token);
    expect(conversation.conversationId).toBe(issued.conversationId);
    expect(conversation.token).toBe(issued.token);
    expect(conversation.streamUrl).toMatch(
      new RegExp(`^ws://127\\.0\\.0\\.1:${app.port}/v3/directline/conversations/${conversation.conversationId}/stream\\?t=`),
    );

    const first = await poll(conversation);
    expect(first.activities).toHaveLength(1);
    const greeting = first.activities[0];
    expect(greeting?.type).toBe('message');
    expect(greeting?.from.role).toBe('bot');
    expect(greeting?.text).toMatch(/^Bonjour, je suis l'assistant EduConnect/);
    expect(greeting?.id.startsWith(`${conversation.conversationId}|`)).toBe(true);

    // Nothing new after the watermark.
    expect((await poll(conversation, first.watermark)).activities).toEqual([]);

    // The browser cannot choose its user id; its own activity is echoed with its client id.
    const id = await say(conversation, {
      type: 'message',
      text: 'bonjour',
      from: { id: 'je-choisis-mon-id', role: 'user' },
      channelData: { clientActivityID: 'c-1' },
    });
    const next = await poll(conversation, first.watermark);
    expect(next.activities.map((a) => a.type)).toEqual(['message', 'message']);
    const [echo, reply] = next.activities;
    expect(echo?.id).toBe(id);
    expect(echo?.text).toBe('bonjour');
    expect(echo?.channelData?.clientActivityID).toBe('c-1');
    const stored = await app.ctx.db.chatConversation.findUniqueOrThrow({ where: { id: conversation.conversationId } });
    expect(echo?.from.id).toBe(stored.userId);
    expect(stored.userId).not.toBe('je-choisis-mon-id');
    expect(stored.userId).toMatch(/^dl_/);
    expect(reply?.from.role).toBe('bot');
    expect(reply?.text).toMatch(/^Bonjour/);
    expect(Number(next.watermark)).toBeGreaterThan(Number(first.watermark));
  });

  it('hands a card submission (message with value) to the bot', async () => {
    const conversation = await start((await newToken()).token);
    const { watermark } = await poll(conversation);
    await say(conversation, { type: 'message', value: { action: 'lost_password' } });
    const { activities } = await poll(conversation, watermark);
    expect(activities[0]?.value).toEqual({ action: 'lost_password' });
    expect(activities[1]?.from.role).toBe('bot');
  });

  it('refuses wrong, foreign and expired tokens with 403', async () => {
    const a = await start((await newToken()).token);
    const b = await start((await newToken()).token);
    const wrong = await fetch(dl('/conversations'), { method: 'POST', headers: auth('not-a-token') });
    expect(wrong.status).toBe(403);
    const missing = await fetch(dl(`/conversations/${a.conversationId}/activities`));
    expect(missing.status).toBe(403);
    // b's token on a's conversation.
    const foreign = await fetch(dl(`/conversations/${a.conversationId}/activities`), { headers: auth(b.token) });
    expect(foreign.status).toBe(403);
    const foreignPost = await fetch(dl(`/conversations/${a.conversationId}/activities`), {
      method: 'POST',
      headers: auth(b.token),
      body: JSON.stringify({ type: 'message', text: 'x' }),
    });
    expect(foreignPost.status).toBe(403);

    app.ctx.advance(31 * 60 * 1000);
    try {
      const expired = await fetch(dl(`/conversations/${a.conversationId}/activities`), { headers: auth(a.token) });
      expect(expired.status).toBe(403);
      const refresh = await fetch(dl('/tokens/refresh'), { method: 'POST', headers: auth(a.token) });
      expect(refresh.status).toBe(403);
    } finally {
      app.ctx.advance(-31 * 60 * 1000);
    }
  });

  it('refuses a token at once when its conversation expires in the database, and stores nothing then', async () => {
    const c = await start((await newToken()).token);
    const before = await poll(c);
    await app.ctx.db.chatConversation.update({ where: { id: c.conversationId }, data: { expiresAt: new Date(app.ctx.now().getTime() - 1000) } });
    const list = await fetch(dl(`/conversations/${c.conversationId}/activities`), { headers: auth(c.token) });
    expect(list.status).toBe(403);
    const posted = await fetch(dl(`/conversations/${c.conversationId}/activities`), {
      method: 'POST',
      headers: auth(c.token),
      body: JSON.stringify({ type: 'message', text: 'trop tard' }),
    });
    expect(posted.status).toBe(403);
    const reconnect = await fetch(dl(`/conversations/${c.conversationId}`), { headers: auth(c.token) });
    expect(reconnect.status).toBe(403);
    expect(await app.ctx.db.chatActivity.count({ where: { conversationId: c.conversationId } })).toBe(Number(before.watermark));
    // A token naming another user of the conversation (a forged signature) is refused too.
    const [id, , signature] = c.token.split('.');
    const forged = await fetch(dl(`/conversations/${c.conversationId}/activities`), { headers: auth(`${id}.someone-else.${signature}`) });
    expect(forged.status).toBe(403);
  });

  it('refreshes a token and reconnects with a stream URL carrying the watermark', async () => {
    const conversation = await start((await newToken()).token);
    app.ctx.advance(20 * 60 * 1000);
    try {
      const refresh = await fetch(dl('/tokens/refresh'), { method: 'POST', headers: auth(conversation.token) });
      expect(refresh.status).toBe(200);
      const body = (await refresh.json()) as { token: string; conversationId: string; expires_in: number };
      expect(body.conversationId).toBe(conversation.conversationId);
      app.ctx.advance(20 * 60 * 1000);
      // 40 minutes after the start: alive thanks to the refresh.
      const reconnect = await fetch(dl(`/conversations/${conversation.conversationId}?watermark=1`), { headers: auth(body.token) });
      expect(reconnect.status).toBe(200);
      const again = (await reconnect.json()) as Conversation;
      expect(again.streamUrl).toContain('watermark=1');
    } finally {
      app.ctx.advance(-40 * 60 * 1000);
    }
  });

  it('rejects unsupported activities and unauthorised calls to the internal connector', async () => {
    const conversation = await start((await newToken()).token);
    const bad = await fetch(dl(`/conversations/${conversation.conversationId}/activities`), {
      method: 'POST',
      headers: auth(conversation.token),
      body: JSON.stringify({ type: 'deleteUserData' }),
    });
    expect(bad.status).toBe(400);
    const connector = await fetch(dl(`/_connector/wrong-secret/v3/conversations/${conversation.conversationId}/activities`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'faux message du bot' }),
    });
    expect(connector.status).toBe(403);
    const { activities } = await poll(conversation);
    expect(activities.some((a) => a.text === 'faux message du bot')).toBe(false);
  });

  it('delivers a proactive message of the bot through the internal connector', async () => {
    const conversation = await start((await newToken()).token);
    const { watermark } = await poll(conversation);
    const stored = await app.ctx.db.chatConversation.findUniqueOrThrow({ where: { id: conversation.conversationId } });
    const reference = {
      channelId: 'directline',
      serviceUrl: `${app.url}/v3/directline/_connector/${connectorSecret(app.config.secretKey)}`,
      conversation: { id: conversation.conversationId, isGroup: false, conversationType: 'personal', name: '' },
      bot: { ...BOT_ACCOUNT },
      user: { id: stored.userId, name: '' },
    };
    await app.app.adapter.adapter.continueConversationAsync('', reference, async (turn) => {
      await turn.sendActivity('Un agent de l’assistance vous répond.');
    });
    const { activities } = await poll(conversation, watermark);
    expect(activities.map((a) => [a.from.role, a.text])).toEqual([['bot', 'Un agent de l’assistance vous répond.']]);
  });

  it('outside production, ?as= makes the visitor that staff member', async () => {
    const conversation = await start((await newToken(app.url, `?as=${DIRECTOR}`)).token);
    const { activities } = await poll(conversation);
    expect(activities[0]?.text).toContain('Bonjour Claire Martin');
  });
});

describe('Direct Line token endpoint', () => {
  it('limits new conversations per source (429 with Retry-After)', async () => {
    const limited = await startTestApp({
      settingsOverrides: { selfService: { ...app.ctx.settings.selfService, rateLimits: { ...app.ctx.settings.selfService.rateLimits, perSource: 1 } } },
    });
    try {
      await limited.ctx.db.rateLimitCounter.deleteMany();
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.url}/api/webchat/token`, { method: 'POST' });
        statuses.push(res.status);
        retryAfter = res.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('Direct Line facade in production', () => {
  it('ignores ?as= and issues a random user id', async () => {
    const prod = await startTestApp({
      env: { NODE_ENV: 'production', MicrosoftAppId: '11111111-1111-1111-1111-111111111111', MicrosoftAppPassword: 'not-used-in-this-test' },
    });
    try {
      const issued = await newToken(prod.url, `?as=${DIRECTOR}`);
      const conversation = await start(issued.token, prod.url);
      const stored = await prod.ctx.db.chatConversation.findUniqueOrThrow({ where: { id: conversation.conversationId } });
      expect(stored.userId).not.toBe(DIRECTOR);
      const { activities } = await poll(conversation, undefined, prod.url);
      expect(activities[0]?.text).toMatch(/^Bonjour, je suis l'assistant EduConnect/);
    } finally {
      await prod.close();
    }
  });
});

function nextMessage(socket: WebSocket): Promise<ActivitySet> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const text = Buffer.from(data as Buffer).toString();
      if (!text) return;
      socket.off('message', onMessage);
      resolve(JSON.parse(text) as ActivitySet);
    };
    socket.on('message', onMessage);
    socket.once('error', reject);
  });
}

describe('Direct Line websocket stream', () => {
  it('pushes the greeting, then the echo and the reply of each message', async () => {
    const conversation = await start((await newToken()).token);
    const socket = new WebSocket(conversation.streamUrl);
    try {
      const greeting = await nextMessage(socket);
      expect(greeting.activities[0]?.text).toMatch(/^Bonjour/);
      const pushed: DlActivity[] = [];
      const done = new Promise<void>((resolve) => {
        socket.on('message', (data) => {
          const text = Buffer.from(data as Buffer).toString();
          if (!text) return;
          pushed.push(...(JSON.parse(text) as ActivitySet).activities);
          if (pushed.length >= 2) resolve();
        });
      });
      socket.send('');
      await say(conversation, { type: 'message', text: 'salut' });
      await done;
      expect(pushed[0]?.text).toBe('salut');
      expect(pushed[0]?.from.role).toBe('user');
      expect(pushed[1]?.from.role).toBe('bot');
    } finally {
      socket.close();
    }
  });

  it('refuses a stream URL with a bad signature', async () => {
    const conversation = await start((await newToken()).token);
    const forged = conversation.streamUrl.replace(/t=[^&]+/, 't=99999999999.forged');
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(forged);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => resolve(-1));
    });
    expect(status).toBe(403);
  });
});
