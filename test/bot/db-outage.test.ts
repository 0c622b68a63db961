// The database's network fails (issue #11, point 1): a TCP proxy between the application and
// PostgreSQL (or the embedded PGlite) stops forwarding while keeping every socket open. The
// health check says 503 within seconds, the web chat's requests fail with 503 and a French
// line instead of hanging, and the application recovers by itself once packets flow again
// (the recovery time is printed, not asserted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAVAILABLE_TEXT } from '../../bot/directline/routes.js';
import { DEFAULT_TIMEOUTS, QUERY_TIMEOUT_MARGIN_MS } from '../../services/db/index.js';
import { databaseUrl } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const CONNECT_MS = 1000;
const STATEMENT_MS = 1500;
/** A request's worst path while the database is gone: a pool wait or a connection attempt, then a statement left unanswered. */
const WORST_MS = CONNECT_MS + STATEMENT_MS + QUERY_TIMEOUT_MARGIN_MS;
/**
 * The longest a request may take while the database is gone. The bound is the point of the
 * test (requests fail, they do not hang), so it stays asserted: three times the worst path
 * (3.5 s; measured 1-3 s) for a loaded 2-core machine whose timers fire late, yet below one
 * unanswered statement under the default timeouts (16 s), so a request that ignored the
 * configured timeouts still fails the test.
 */
const NEVER_HANG_MS = 3 * WORST_MS;
/** Recovery is polled; this only stops a test that would otherwise wait for ever. */
const RECOVERY_DEADLINE_MS = 60_000;

let proxy: TcpProxy;
let app: TestApp;

beforeAll(async () => {
  const target = new URL(databaseUrl());
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  app = await startTestApp({
    databaseUrl: proxy.url(databaseUrl()),
    env: { DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_MS), DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS) },
  });
  // The run's earlier files opened conversations from this address too: the per-source limit of
  // new conversations starts from zero here, as in the files that reset the database.
  await app.ctx.db.rateLimitCounter.deleteMany();
});
afterAll(async () => {
  proxy?.forward();
  await app?.close();
  await proxy?.close();
});

interface Timed {
  status: number;
  body: string;
  ms: number;
}

async function timed(path: string, init: RequestInit = {}): Promise<Timed> {
  const started = Date.now();
  const res = await fetch(`${app.url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
  const body = await res.text();
  return { status: res.status, body, ms: Date.now() - started };
}

async function startConversation(): Promise<{ conversationId: string; token: string }> {
  const issued = await timed('/api/webchat/token', { method: 'POST' });
  expect(issued.status).toBe(200);
  const { token } = JSON.parse(issued.body) as { token: string };
  const started = await timed('/v3/directline/conversations', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  expect(started.status).toBe(201);
  return { conversationId: (JSON.parse(started.body) as { conversationId: string }).conversationId, token };
}

const say = (c: { conversationId: string; token: string }, text: string): Promise<Timed> =>
  timed(`/v3/directline/conversations/${c.conversationId}/activities`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'message', text, from: { id: 'parent' } }),
  });

describe('packets to the database dropped, then flowing again', () => {
  it('answers 503 quickly while the database is unreachable and recovers by itself', { timeout: 120_000 }, async () => {
    expect(NEVER_HANG_MS).toBeLessThan(DEFAULT_TIMEOUTS.statementMs + QUERY_TIMEOUT_MARGIN_MS);
    expect((await timed('/healthz')).status).toBe(200);
    const conversation = await startConversation();
    expect((await say(conversation, 'bonjour')).status).toBe(200);

    proxy.drop();
    const health = await timed('/healthz');
    expect(health.status).toBe(503);
    expect(health.ms).toBeLessThan(NEVER_HANG_MS);

    // Several at once: more than the pool, so that some wait for a connection too.
    const during = await Promise.all([
      timed('/api/webchat/token', { method: 'POST' }),
      timed('/api/webchat/token', { method: 'POST' }),
      say(conversation, 'vous êtes là ?'),
      say(conversation, 'allô'),
      say(conversation, 'bonjour ?'),
      timed('/healthz'),
    ]);
    for (const reply of during) {
      expect(reply.status).toBe(503);
      expect(reply.ms).toBeLessThan(NEVER_HANG_MS);
    }
    for (const reply of during.slice(0, 5)) expect((JSON.parse(reply.body) as { error: { message: string } }).error.message).toBe(UNAVAILABLE_TEXT);
    console.log(`database unreachable: /healthz 503 in ${health.ms} ms; token and chat requests 503 in ${during.map((r) => r.ms).join(', ')} ms`);

    proxy.forward();
    const back = Date.now();
    let healthy = false;
    while (!healthy) {
      expect(Date.now() - back).toBeLessThan(RECOVERY_DEADLINE_MS);
      healthy = (await timed('/healthz')).status === 200;
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const recoveredMs = Date.now() - back;
    // Every connection of the pool is usable again: a burst larger than the pool succeeds.
    const after = await Promise.all([say(conversation, 'me revoici'), ...Array.from({ length: 6 }, () => timed('/api/webchat/token', { method: 'POST' }))]);
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    console.log(`database reachable again: healthy after ${recoveredMs} ms, then ${after.length} requests at once all answered`);
  });
});
