// BOT_PROCESSES=2: the instance as `npm start` runs it (bot/main.ts, a real child process)
// starts two processes on one port. One web chat conversation is served by both, request by
// request (each request below on a new connection; which process accepted it is read from
// /proc), and its dialog goes on from one process to the other. SIGTERM stops both and the
// instance (exit 0); a process that dies stops the instance with exit code 1.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib.js';
import { databaseUrl, resetDatabase, testPrisma } from '../helpers/db.js';
import { buildStaffWorld } from '../dialogs/staff/fixtures.js';

const prisma = testPrisma();
const dataDir = mkdtempSync(path.join(tmpdir(), 'bot-processes-'));

interface Instance {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<number | null>;
  output(): string;
}

async function startInstance(): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl(),
      DATA_DIR: dataDir,
      LOAD_DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      HELPDESK_HOURS: 'always',
      HOST: '127.0.0.1',
      PORT: String(port),
      BOT_PROCESSES: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  // Both processes listening (each logs it once ready).
  for (let i = 0; (output.match(/EduConnect assistant listening/g) ?? []).length < 2; i++) {
    if (child.exitCode !== null || i > 1200) throw new Error(`the instance did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, port, exited, output: () => output };
}

/** The bot processes the primary started (not tsx's compiler service). */
function processesOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('bot/main.ts')) children.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return children;
}

/** Which of `pids` holds the server side of the loopback connection from `clientPort` to `serverPort`. */
function acceptedBy(pids: readonly number[], serverPort: number, clientPort: number): number | undefined {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .find((l) => {
      const f = l.trim().split(/\s+/);
      return f[1]?.endsWith(`:${hex(serverPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`);
    });
  const inode = line?.trim().split(/\s+/)[9];
  if (!inode) return undefined;
  return pids.find((pid) =>
    readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    }),
  );
}

/** One request on a connection of its own: the JSON answer and the process that accepted the connection. */
function send(
  instance: Instance,
  method: string,
  route: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown>; servedBy?: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const req = request(
      `${instance.url}${route}`,
      { method, agent, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body ?? '')) } },
      (res) => {
        const clientPort = res.socket.localPort ?? 0;
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => {
          // The connection is still open (keep-alive): find who holds its other end, then close it.
          const servedBy = acceptedBy(processesOf(instance.child.pid ?? 0), instance.port, clientPort);
          agent.destroy();
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown>, servedBy });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let instance: Instance | undefined;

beforeAll(async () => {
  await resetDatabase(prisma);
  await buildStaffWorld(prisma);
  instance = await startInstance();
}, 180_000);

afterAll(async () => {
  if (instance?.child.exitCode === null) {
    instance.child.kill('SIGKILL');
    await instance.exited;
  }
  await prisma.$disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('BOT_PROCESSES=2', () => {
  it('serves one web chat conversation from both processes, its dialog going on from one to the other', async () => {
    const app = instance!;
    const workers = processesOf(app.child.pid ?? 0);
    expect(workers).toHaveLength(2);
    const identifier = (await prisma.guardian.findFirstOrThrow({ where: { lastName: 'BERNARD' } })).identifier;
    const served = new Set<number | undefined>();
    const token = await send(app, 'POST', '/api/webchat/token', {});
    expect(token.status).toBe(200);
    served.add(token.servedBy);
    const auth = { Authorization: `Bearer ${String(token.json.token)}`, 'Content-Type': 'application/json' };
    const conversation = String(token.json.conversationId);
    const activities = `/v3/directline/conversations/${encodeURIComponent(conversation)}/activities`;
    expect((await send(app, 'POST', '/v3/directline/conversations', auth)).status).toBe(201);
    let watermark = '';
    const turn = async (text: string): Promise<string> => {
      const posted = await send(app, 'POST', activities, auth, JSON.stringify({ type: 'message', from: { id: 'me' }, text, locale: 'fr-FR' }));
      expect(posted.status).toBe(200);
      const page = await send(app, 'GET', `${activities}?watermark=${watermark}`, auth);
      expect(page.status).toBe(200);
      served.add(posted.servedBy).add(page.servedBy);
      watermark = String(page.json.watermark);
      return JSON.stringify(page.json.activities);
    };
    expect(await turn("J'ai perdu mon mot de passe")).toContain('Quel est votre identifiant EduConnect ?');
    expect(await turn(identifier)).toContain('Comment souhaitez-vous réinitialiser votre mot de passe ?');
    // Every request was accepted by one of the two processes, and both took some.
    expect([...served].sort()).toEqual([...workers].sort());
  });

  it('stops both processes and the instance on SIGTERM (exit 0); a process that dies stops the instance (exit 1)', async () => {
    const app = instance!;
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    expect(app.output().match(/"msg":"stopped"/g)).toHaveLength(2);

    const again = await startInstance();
    instance = again;
    const [first] = processesOf(again.child.pid ?? 0);
    process.kill(first ?? 0, 'SIGKILL');
    expect(await again.exited).toBe(1);
    expect(again.output()).toContain('a bot process stopped by itself: stopping the instance');
  }, 180_000);
});
