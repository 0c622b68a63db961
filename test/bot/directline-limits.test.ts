// The web chat facade under abuse (issue #11, points 2, 3, 4, 6 and 9): a bounded flood on
// loopback, several client addresses (127.0.0.x), oversized websocket frames, a socket per
// conversation, expired tokens, a typed password, malformed input. The figures of the flood
// are printed (not asserted as timings).
import http from 'node:http';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { turnActor } from '../../dialogs/types.js';
import { looksLikePassword } from '../../services/sensitive.js';
import { CLOSE_EXPIRED, CLOSE_REPLACED } from '../../bot/directline/stream.js';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';

/** Answers with what the bot saw: whether the text looked like a password, the actor's source, and the text when it is safe to show. */
class SeenDialog extends Dialog {
  constructor() {
    super('seen');
  }
  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const text = dc.context.activity.text ?? '';
    const actor = turnActor(dc.context);
    const source = actor.kind === 'anonymous' ? actor.source : actor.kind;
    const secret = looksLikePassword(text);
    await dc.context.sendActivity(`secret=${secret} source=${source}${secret ? '' : ` text=${text}`}`);
    return dc.endDialog();
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    rootDialog: new SeenDialog(),
    env: {
      CHAT_MESSAGES_PER_MINUTE: '8',
      CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS: '12',
      CHAT_SOCKETS_PER_ADDRESS: '2',
      CHAT_STREAM_OPENINGS_PER_MINUTE_PER_ADDRESS: '3',
    },
  });
  await resetDatabase(app.ctx.db);
});
afterAll(async () => {
  await app?.close();
});

/** An HTTP request from a chosen loopback address (each 127.0.0.x is another client). */
function request(method: string, path: string, from: string, token?: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${app.url}${path}`,
      {
        method,
        localAddress: from,
        agent: false,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Started {
  conversationId: string;
  token: string;
  streamUrl: string;
}

async function startConversation(from: string): Promise<Started> {
  const issued = await request('POST', '/api/webchat/token', from);
  expect(issued.status).toBe(200);
  const { token } = JSON.parse(issued.body) as { token: string };
  const started = await request('POST', '/v3/directline/conversations', from, token);
  expect(started.status).toBe(201);
  return JSON.parse(started.body) as Started;
}

const post = (c: Started, from: string, activity: unknown): Promise<Reply> =>
  request('POST', `/v3/directline/conversations/${c.conversationId}/activities`, from, c.token, JSON.stringify(activity));

async function texts(c: Started, from: string): Promise<string[]> {
  const res = await request('GET', `/v3/directline/conversations/${c.conversationId}/activities`, from, c.token);
  return (JSON.parse(res.body) as { activities: { text?: string }[] }).activities.map((a) => a.text ?? '');
}

describe('flood limits', () => {
  it('a bounded flood from one conversation gets 429 with Retry-After and a French line, never a 500', async () => {
    const c = await startConversation('127.0.0.2');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    const started = Date.now();
    // 60 messages, 10 at a time.
    for (let wave = 0; wave < 6; wave++) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => post(c, '127.0.0.2', { type: 'message', text: `message ${wave}-${i}` })));
      for (const r of replies) {
        statuses.push(r.status);
        if (r.status === 429) retryAfter ??= String(r.headers['retry-after']);
      }
    }
    const count = (s: number): number => statuses.filter((x) => x === s).length;
    console.log(
      `flood of 60 messages from one conversation in ${Date.now() - started} ms: ${count(200)} accepted, ${count(429)} refused (429), ${statuses.filter((s) => s >= 500).length} errors (5xx)`,
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(count(200)).toBeLessThanOrEqual(8);
    expect(count(429)).toBeGreaterThanOrEqual(52);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await texts(c, '127.0.0.2')).some((t) => t.startsWith('Vous avez envoyé beaucoup de messages à la suite.'))).toBe(true);
  });

  it('counts per address too: three conversations from one address share its limit, another address is not slowed', async () => {
    const conversations = await Promise.all([1, 2, 3].map(() => startConversation('127.0.0.3')));
    let accepted = 0;
    for (let round = 0; round < 6; round++) {
      for (const c of conversations) {
        const r = await post(c, '127.0.0.3', { type: 'message', text: `tour ${round}` });
        expect(r.status === 200 || r.status === 429).toBe(true);
        if (r.status === 200) accepted++;
      }
    }
    expect(accepted).toBeLessThanOrEqual(12);
    const other = await startConversation('127.0.0.4');
    expect((await post(other, '127.0.0.4', { type: 'message', text: 'bonjour' })).status).toBe(200);
  });

  it('holds the limit across instances: the counters in the database refuse what each instance alone would let through', async () => {
    const env = { CHAT_MESSAGES_PER_MINUTE: '8', CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS: '12' };
    const instances = [await startTestApp({ rootDialog: new SeenDialog(), env }), await startTestApp({ rootDialog: new SeenDialog(), env })];
    // One frozen instant on both: no bucket refills, one counter window.
    const at = new Date();
    for (const instance of instances) instance.ctx.setNow(at);
    try {
      const [a, b] = instances as [TestApp, TestApp];
      const { token } = (await (await fetch(`${a.url}/api/webchat/token`, { method: 'POST' })).json()) as { token: string };
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const { conversationId } = (await (await fetch(`${a.url}/v3/directline/conversations`, { method: 'POST', headers })).json()) as Started;
      const path = `/v3/directline/conversations/${conversationId}/activities`;
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 8; i++) {
        for (const instance of [a, b]) {
          const r = await fetch(`${instance.url}${path}`, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: `message ${i}` }) });
          statuses.push(r.status);
          if (r.status === 429) retryAfter ??= r.headers.get('retry-after') ?? undefined;
        }
      }
      // Each instance's buckets let 8 through; together they may store 8.
      expect(statuses.filter((s) => s === 200)).toHaveLength(8);
      expect(statuses.filter((s) => s === 429)).toHaveLength(8);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      const page = (await (await fetch(`${b.url}${path}`, { headers })).json()) as { activities: { text?: string }[] };
      expect(page.activities.filter((x) => x.text?.startsWith('message '))).toHaveLength(8);
      expect(page.activities.some((x) => x.text?.startsWith('Vous avez envoyé beaucoup de messages à la suite.'))).toBe(true);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });
});

describe('what reaches the bot', () => {
  it('the bot counts the chat per client address (from the socket, not from a header)', async () => {
    const c = await startConversation('127.0.0.5');
    const res = await request(
      'POST',
      `/v3/directline/conversations/${c.conversationId}/activities`,
      '127.0.0.5',
      c.token,
      JSON.stringify({ type: 'message', text: 'bonjour' }),
    );
    expect(res.status).toBe(200);
    const forged = await new Promise<Reply>((resolve, reject) => {
      const body = JSON.stringify({ type: 'message', text: 'encore' });
      const req = http.request(`${app.url}/v3/directline/conversations/${c.conversationId}/activities`, {
        method: 'POST',
        localAddress: '127.0.0.5',
        agent: false,
        headers: {
          Authorization: `Bearer ${c.token}`,
          'Content-Type': 'application/json',
          'X-Forwarded-For': '203.0.113.9',
          'Content-Length': Buffer.byteLength(body),
        },
      });
      req.on('response', (r) => {
        r.resume();
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: '' }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(forged.status).toBe(200);
    const replies = (await texts(c, '127.0.0.5')).filter((t) => t.startsWith('secret='));
    expect(replies).toEqual(['secret=false source=ip:127.0.0.5 text=bonjour', 'secret=false source=ip:127.0.0.5 text=encore']);
  });

  it('a typed password is seen by the bot but never stored, served or kept', async () => {
    const c = await startConversation('127.0.0.6');
    expect((await post(c, '127.0.0.6', { type: 'message', text: 'Secret2024!' })).status).toBe(200);
    expect((await post(c, '127.0.0.6', { type: 'message', text: 'mon mot de passe est Kx7-pQ9z' })).status).toBe(200);
    const served = await texts(c, '127.0.0.6');
    expect(served.filter((t) => t.startsWith('secret='))).toEqual(['secret=true source=ip:127.0.0.6', 'secret=true source=ip:127.0.0.6']);
    expect(served.filter((t) => t.startsWith('••••'))).toHaveLength(2);
    const stored = await app.ctx.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "ChatActivity" WHERE "activity"::text LIKE '%Secret2024%' OR "activity"::text LIKE '%Kx7-pQ9z%'`;
    expect(Number(stored[0]?.n)).toBe(0);
    const state = await app.ctx.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "BotState" WHERE "data"::text LIKE '%Secret2024%'`;
    expect(Number(state[0]?.n)).toBe(0);
  });

  it('NUL bytes, lone surrogates and full-width letters are made safe once, before storage and the bot', async () => {
    const c = await startConversation('127.0.0.7');
    const raw = '{"type":"message","text":"\\u0000ＢＯＮＪＯＵＲ\\ud800 \\u200bmadame\\u202e"}';
    const res = await request('POST', `/v3/directline/conversations/${c.conversationId}/activities`, '127.0.0.7', c.token, raw);
    expect(res.status).toBe(200);
    const served = await texts(c, '127.0.0.7');
    expect(served).toContain('BONJOUR\uFFFD madame');
    expect(served).toContain('secret=false source=ip:127.0.0.7 text=BONJOUR\uFFFD madame');
  });

  it('a value nested 5,000 deep is refused with 400, not 500', async () => {
    const c = await startConversation('127.0.0.8');
    const deep = '{"type":"message","value":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const res = await request('POST', `/v3/directline/conversations/${c.conversationId}/activities`, '127.0.0.8', c.token, deep);
    expect(res.status).toBe(400);
  });
});

function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code: number) => resolve(code)));
}
function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}
const refusedStatus = (socket: WebSocket): Promise<number> =>
  new Promise((resolve) => socket.once('unexpected-response', (_req, res: http.IncomingMessage) => resolve(res.statusCode ?? 0)));

describe('websocket limits', () => {
  it('closes a socket that sends a frame over the limit', async () => {
    const c = await startConversation('127.0.0.9');
    const socket = new WebSocket(c.streamUrl, { localAddress: '127.0.0.9' });
    await opened(socket);
    const code = closed(socket);
    socket.send(Buffer.alloc(64 * 1024, 1));
    expect(await code).toBe(1009);
  });

  it('keeps one socket per conversation: a newer one closes the older', async () => {
    const c = await startConversation('127.0.0.10');
    const first = new WebSocket(c.streamUrl, { localAddress: '127.0.0.10' });
    await opened(first);
    const firstClosed = closed(first);
    const second = new WebSocket(c.streamUrl, { localAddress: '127.0.0.10' });
    await opened(second);
    expect(await firstClosed).toBe(CLOSE_REPLACED);
    second.close();
  });

  it('caps the sockets of one address', async () => {
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 2; i++) {
      const c = await startConversation('127.0.0.11');
      const s = new WebSocket(c.streamUrl, { localAddress: '127.0.0.11' });
      await opened(s);
      sockets.push(s);
    }
    const c = await startConversation('127.0.0.11');
    const third = new WebSocket(c.streamUrl, { localAddress: '127.0.0.11' });
    third.on('error', () => undefined);
    expect(await refusedStatus(third)).toBe(429);
    for (const s of sockets) s.close();
  });

  it('caps the socket openings of one address per minute (CHAT_STREAM_OPENINGS_PER_MINUTE_PER_ADDRESS), another address is not refused', async () => {
    // One socket at a time (under the cap of open sockets): only the openings are counted.
    for (let i = 0; i < 3; i++) {
      const c = await startConversation('127.0.0.13');
      const s = new WebSocket(c.streamUrl, { localAddress: '127.0.0.13' });
      await opened(s);
      const done = closed(s);
      s.close();
      await done;
    }
    const c = await startConversation('127.0.0.13');
    const fourth = new WebSocket(c.streamUrl, { localAddress: '127.0.0.13' });
    fourth.on('error', () => undefined);
    expect(await refusedStatus(fourth)).toBe(429);
    const other = await startConversation('127.0.0.14');
    const elsewhere = new WebSocket(other.streamUrl, { localAddress: '127.0.0.14' });
    await opened(elsewhere);
    elsewhere.close();
  });

  it('closes the socket when the conversation token expires', async () => {
    const c = await startConversation('127.0.0.12');
    const socket = new WebSocket(c.streamUrl, { localAddress: '127.0.0.12' });
    await opened(socket);
    const code = closed(socket);
    await app.ctx.db.chatConversation.update({ where: { id: c.conversationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await code).toBe(CLOSE_EXPIRED);
  });
});
