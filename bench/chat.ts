// Chat figures of `npm run bench`, on real processes: the bot as `npm start` runs it
// (dist/bot/main.js) and an echo bot on the same botbuilder + restify stack (the floor).
//   - chat turn p95, 50 concurrent conversations, bot vs echo, rounds alternated: <= 1.5x
//   - web chat through the Direct Line facade, 250 concurrent conversations x 5 turns: p95 <= 1 s, no error
//   - bot RSS after 1,000 conversations: <= 300 MB
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { httpClient, type HttpClient, type HttpResponse } from './http-client.js';
import { backendCpu, figure, percentile, pool, skipped, startChild, type BenchDatabase, type Child } from './lib.js';

/** A parent's conversation: greeting, a lost password started and abandoned, another request. */
const SCRIPT = ['Bonjour', "J'ai perdu mon mot de passe", 'jean.dupont12', 'annuler', "Je n'ai pas reçu le mail d'activation", 'annuler'];

interface Sink {
  url: string;
  replies(): number;
  close(): Promise<void>;
}

/** The channel side (Bot Connector API) receiving the replies of both bots. */
async function connectorSink(): Promise<Sink> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `r${count}` }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, replies: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** `conversations` concurrent conversations, each saying SCRIPT once; the latency of every turn (ms). */
async function emulatorRound(botUrl: string, sink: Sink, conversations: number): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  await pool(conversations, conversations, async () => {
    const conversation = { id: `bench-${randomUUID()}` };
    const from = { id: `user-${randomUUID()}`, name: 'Parent', role: 'user' };
    for (const text of SCRIPT) {
      const body = {
        type: 'message',
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        channelId: 'emulator',
        serviceUrl: sink.url,
        from,
        conversation,
        recipient: { id: 'bot', name: 'Bot', role: 'bot' },
        locale: 'fr-FR',
        text,
      };
      const t0 = performance.now();
      const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status >= 300) errors++;
    }
  });
  return { latencies, errors };
}

interface WebChatResult {
  latencies: number[];
  errors: number;
}

/** One web chat conversation through the Direct Line facade: token, start, `turns` messages each followed by a poll for the reply. */
async function webChatConversation(client: HttpClient, botUrl: string, turns: number, out: WebChatResult): Promise<void> {
  const json = (res: HttpResponse): Record<string, unknown> => {
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status} ${res.body}`);
    return JSON.parse(res.body) as Record<string, unknown>;
  };
  try {
    const { token } = json(await client.send('POST', `${botUrl}/api/webchat/token`));
    const auth = { Authorization: `Bearer ${String(token)}`, 'Content-Type': 'application/json' };
    const { conversationId } = json(await client.send('POST', `${botUrl}/v3/directline/conversations`, auth));
    const base = `${botUrl}/v3/directline/conversations/${encodeURIComponent(String(conversationId))}/activities`;
    let watermark = '';
    for (let i = 0; i < turns; i++) {
      const text = SCRIPT[i % SCRIPT.length] ?? 'Bonjour';
      const t0 = performance.now();
      json(await client.send('POST', base, auth, JSON.stringify({ type: 'message', from: { id: 'me' }, text, locale: 'fr-FR' })));
      const page = json(await client.send('GET', `${base}?watermark=${watermark}`, auth));
      out.latencies.push(performance.now() - t0);
      watermark = String(page.watermark);
      const activities = Array.isArray(page.activities) ? (page.activities as { from?: { role?: string } }[]) : [];
      if (!activities.some((a) => a.from?.role === 'bot')) throw new Error('no reply from the bot');
    }
  } catch (err) {
    out.errors++;
    if (out.errors <= 3) process.stderr.write(`web chat error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

export interface ChatOptions {
  db: BenchDatabase;
  /** Concurrent conversations of the ratio figure (50). */
  conversations: number;
  /** Concurrent web chat conversations (250), 5 turns each. */
  webConversations: number;
  /** Conversations the bot has served when its RSS is read (1,000). */
  rssAfter: number;
  /** DATABASE_POOL_SIZE of the bot; undefined = its default. */
  poolSize?: number;
  /** BOT_PROCESSES of the bot (1). */
  botProcesses: number;
}

/** Transactions committed so far in the bench database: their count per turn is the turn's round trips to the database. */
async function commits(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // Statistics are flushed by each backend at most once a second.
    await new Promise((r) => setTimeout(r, 1100));
    const r = await c.query<{ n: string }>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(r.rows[0]?.n ?? NaN);
  } finally {
    await c.end();
  }
}

export async function chatFigures(opts: ChatOptions): Promise<Record<string, unknown>[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-bot-'));
  const dist = path.resolve('dist');
  const botEnv: Record<string, string> = {
    NODE_ENV: 'development',
    DATABASE_URL: opts.db.url,
    DATA_DIR: dataDir,
    LOAD_DEMO_DATA: 'false',
    WORKERS: 'false',
    LOG_LEVEL: 'warn',
    SECRET_KEY: '11'.repeat(32),
    HELPDESK_HOURS: 'always',
    RATE_LIMIT_PER_SOURCE: '10000000',
    // Every bench conversation comes from 127.0.0.1: one address for the flood limits.
    CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS: '10000000',
    CHAT_SOCKETS_PER_ADDRESS: '100000',
    CHAT_REQUESTS_PER_MINUTE_PER_ADDRESS: '10000000',
    ...(opts.poolSize ? { DATABASE_POOL_SIZE: String(opts.poolSize) } : {}),
    BOT_PROCESSES: String(opts.botProcesses),
  };
  const sink = await connectorSink();
  const client = httpClient();
  const children: Child[] = [];
  const out: Record<string, unknown>[] = [];
  try {
    // Profiling the bot under the bench's load: BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
    const botArgs = process.env.BENCH_BOT_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const bot = await startChild(path.join(dist, 'bot/main.js'), botEnv, '/healthz', botArgs);
    children.push(bot);
    const echo = await startChild(path.join(dist, 'bench/echo-bot.js'), {});
    children.push(echo);
    let served = 0;
    // Warm-up of both (JIT, prepared statements, recognizer): one round at the measured
    // concurrency, so that both are measured as a server that has been up a while runs. After 10
    // conversations only, the bot's turns still ran partly unoptimised (its code is far larger
    // than the echo bot's, V8 takes longer to compile it): 3.3-4 ms of CPU per turn then, against
    // ~1.8-2 ms once warm (profile of the bot over the measured rounds).
    await emulatorRound(echo.url, sink, opts.conversations);
    await emulatorRound(bot.url, sink, opts.conversations);
    served += opts.conversations;
    const echoLat: number[] = [];
    const botLat: number[] = [];
    let errors = 0;
    let botCommits = 0;
    let botCpuMs = 0;
    let echoCpuMs = 0;
    for (let round = 0; round < 2; round++) {
      const e0 = echo.cpuMs();
      const e = await emulatorRound(echo.url, sink, opts.conversations);
      echoCpuMs += echo.cpuMs() - e0;
      const c0 = await commits(opts.db.url);
      const b0 = bot.cpuMs();
      const b = await emulatorRound(bot.url, sink, opts.conversations);
      botCpuMs += bot.cpuMs() - b0;
      botCommits += (await commits(opts.db.url)) - c0 - 1;
      served += opts.conversations;
      echoLat.push(...e.latencies);
      botLat.push(...b.latencies);
      errors += e.errors + b.errors;
    }
    const botP95 = percentile(botLat, 95);
    const echoP95 = percentile(echoLat, 95);
    out.push(
      figure(
        `chat turn p95, ${opts.conversations} concurrent conversations, bot / echo bot`,
        botP95 / echoP95,
        'x',
        { op: '<=', value: 1.5 },
        {
          botP95Ms: Math.round(botP95),
          echoP95Ms: Math.round(echoP95),
          botP50Ms: Math.round(percentile(botLat, 50)),
          echoP50Ms: Math.round(percentile(echoLat, 50)),
          turns: botLat.length,
          dbTransactionsPerTurn: Math.round((botCommits / botLat.length) * 10) / 10,
          // CPU time of each process per turn: comparable under load, unlike latencies.
          botCpuUsPerTurn: Math.round((botCpuMs * 1000) / botLat.length),
          echoCpuUsPerTurn: Math.round((echoCpuMs * 1000) / echoLat.length),
          errors,
          // The echo bot is one process; the bot runs BOT_PROCESSES (CPU summed over them).
          botProcesses: opts.botProcesses,
        },
      ),
    );
    await echo.stop();
    children.splice(children.indexOf(echo), 1);

    const web: WebChatResult = { latencies: [], errors: 0 };
    const w0 = await commits(opts.db.url);
    const db0 = opts.db.embedded ? new Map<number, number>() : await backendCpu(opts.db.url);
    const cpu0 = bot.cpuMs();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    await pool(opts.webConversations, opts.webConversations, () => webChatConversation(client, bot.url, 5, web));
    const seconds = (performance.now() - t0) / 1000;
    const clientCpu = process.cpuUsage(client0);
    const webCpuMs = bot.cpuMs() - cpu0;
    const db1 = opts.db.embedded ? new Map<number, number>() : await backendCpu(opts.db.url);
    const webDbCpuMs = [...db1].reduce((sum, [pid, ms]) => sum + ms - (db0.get(pid) ?? 0), 0);
    const webCommits = (await commits(opts.db.url)) - w0 - 1;
    served += opts.webConversations;
    const webP95 = percentile(web.latencies, 95);
    out.push(
      figure(
        `web chat turn p95 (Direct Line), ${opts.webConversations} concurrent conversations x 5 turns`,
        webP95,
        'ms',
        { op: '<=', value: 1000 },
        {
          errors: web.errors,
          botProcesses: opts.botProcesses,
          p50Ms: Math.round(percentile(web.latencies, 50)),
          turnsPerSecond: Math.round(web.latencies.length / seconds),
          // The bot's CPU over the round (token and start included), per measured turn.
          botCpuMsPerTurn: Math.round((webCpuMs / Math.max(1, web.latencies.length)) * 10) / 10,
          // The same for the database server's processes of this run (PostgreSQL on this machine).
          ...(db1.size ? { dbCpuMsPerTurn: Math.round((webDbCpuMs / Math.max(1, web.latencies.length)) * 10) / 10 } : {}),
          // The bench's own HTTP client (this process), per measured turn: it shares the cores.
          clientCpuMsPerTurn: Math.round(((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, web.latencies.length)) * 10) / 10,
          dbTransactionsPerTurn: Math.round((webCommits / Math.max(1, web.latencies.length)) * 10) / 10,
        },
      ),
    );
    if (web.errors > 0) out.push(figure('web chat errors', web.errors, 'errors', { op: '<=', value: 0 }));

    const rest = Math.max(0, opts.rssAfter - served);
    const more: WebChatResult = { latencies: [], errors: 0 };
    await pool(rest, 50, () => webChatConversation(client, bot.url, 3, more));
    served += rest;
    const mem = bot.memory();
    const name = `bot RSS after ${served} conversations`;
    if (opts.db.embedded)
      out.push(skipped(name, 'needs an external PostgreSQL (DATABASE_URL)'), { figure: `${name} (embedded database served by the bench process)`, ...mem });
    else {
      // With several bot processes: the largest one's, and their sum.
      const processes = opts.botProcesses > 1 ? { botProcesses: opts.botProcesses, totalRssMb: mem.totalRssMb } : {};
      out.push(figure(name, mem.rssMb, 'MB', { op: '<=', value: 300 }, { peakMb: mem.peakMb, errors: more.errors, ...processes }));
    }
  } finally {
    for (const c of children) await c.stop();
    await sink.close();
    client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return out;
}
