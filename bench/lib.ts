// Shared parts of `npm run bench`: the figure format (one JSON line each), the throw-away
// database, percentiles, and child processes (the real bot, the echo bot) with their RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import pg from 'pg';
import { startEmbedded } from '../services/db/embedded.js';
import { DEFAULT_TIMEOUTS } from '../services/db/index.js';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One measured figure: printed as one JSON line with its target and whether it holds. */
export interface Figure {
  figure: string;
  value: number;
  unit: string;
  target: Target;
  ok: boolean;
  /** 1-minute load average when measured: > 2 on this 2-core machine means "under load". */
  load1: number;
  [detail: string]: unknown;
}

export function figure(name: string, value: number, unit: string, target: Target, details: Record<string, unknown> = {}): Figure {
  const ok = target.op === '<=' ? value <= target.value : value >= target.value;
  return { figure: name, value: Math.round(value * 100) / 100, unit, target, ok, load1: Math.round((loadavg()[0] ?? 0) * 100) / 100, ...details };
}

/** A figure that could not be measured here (e.g. needs an external PostgreSQL). */
export function skipped(name: string, reason: string): Record<string, unknown> {
  return { figure: name, skipped: reason };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export interface BenchDatabase {
  url: string;
  /** true when the embedded PGlite is used (no DATABASE_URL). */
  embedded: boolean;
  /** Connections a client of this database may open in total (PGlite serialises them anyway). */
  maxConnections: number;
  close(): Promise<void>;
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

let databases = 0;

/** A fresh database on the server of BENCH_DATABASE_URL / DATABASE_URL (dropped at the end), else an in-memory PGlite. */
export async function benchDatabase(): Promise<BenchDatabase> {
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbedded(undefined, DEFAULT_TIMEOUTS.idleInTransactionMs);
    return { url: embedded.url, embedded: true, maxConnections: 8, close: () => embedded.close() };
  }
  const name = `educonnect_bench_${process.pid}_${++databases}`;
  await admin(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), embedded: false, maxConnections: 100, close: () => admin(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Child {
  url: string;
  pid: number;
  /**
   * Resident and peak resident memory of the process, in MB (from /proc); when it started
   * processes of its own (BOT_PROCESSES), the largest of them and their sum (totalRssMb).
   */
  memory(): { rssMb: number; peakMb: number; totalRssMb: number };
  /** CPU time the process and the processes it started have used so far (user + system), in ms (from /proc). */
  cpuMs(): number;
  stop(): Promise<void>;
}

function procMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** The process `pid` and its descendants (from /proc). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // ended meanwhile
    }
  }
  const tree: number[] = [];
  for (const queue = [pid]; queue.length > 0;) {
    const next = queue.pop() ?? 0;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** What `read` reads from /proc of a process, or nothing when the process has ended meanwhile. */
function alive<T>(read: () => T): T[] {
  try {
    return [read()];
  } catch {
    return [];
  }
}

/** CPU time (user + system) a process of this machine has used so far, in ms (from /proc). */
export function procCpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  // Clock ticks are 1/100 s on Linux.
  return ticks * 10;
}

/**
 * CPU time (ms) used so far by each server process of the bench database's connections, by
 * pid: the database's share of the work measured, when the server runs on this machine (else empty).
 */
export async function backendCpu(url: string): Promise<Map<number, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const cpu = new Map<number, number>();
    for (const { pid } of r.rows) {
      try {
        cpu.set(pid, procCpuMs(pid));
      } catch {
        // not a process of this machine
      }
    }
    return cpu;
  } finally {
    await c.end();
  }
}

/**
 * Starts `node <script>` (compiled JavaScript under dist/) with `env` and a free PORT, and
 * resolves once it answers on GET `readyPath`; `nodeArgs` go to node before the script (--cpu-prof…).
 */
export async function startChild(script: string, env: Record<string, string>, readyPath = '/healthz', nodeArgs: string[] = []): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}${readyPath}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    memory: () => {
      const all = processTree(pid).flatMap((p) => alive(() => procMemory(p)));
      const largest = all.reduce((a, b) => (b.rssMb > a.rssMb ? b : a));
      return { rssMb: largest.rssMb, peakMb: Math.max(...all.map((m) => m.peakMb)), totalRssMb: all.reduce((sum, m) => sum + m.rssMb, 0) };
    },
    cpuMs: () => processTree(pid).reduce((sum, p) => sum + (alive(() => procCpuMs(p))[0] ?? 0), 0),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs `worker(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await worker(next++);
  });
  await Promise.all(lanes);
}
