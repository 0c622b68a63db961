// Delivery figures of `npm run bench` (kept from the first bench):
//   - 1,000-page notification PDF (rendered, stored, signed link): <= 3 s
//   - 1,000 emails to a local SMTP server (enqueue + worker drain): <= 5 s
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import type { Actor } from '../services/actor.js';
import type { ServiceContext, ServiceSettings } from '../services/context.js';
import { createPrisma } from '../services/db/index.js';
import { createSheetsFile } from '../services/delivery/files.js';
import { runOutboxOnce } from '../services/delivery/outbox.js';
import { createTransports } from '../services/delivery/transports.js';
import { createMessageQueue } from '../services/delivery/queue.js';
import type { Letter, LetterCode } from '../services/delivery/types.js';
import { createLogger } from '../services/logger.js';
import { letterLinks } from '../services/public-paths.js';
import { figure } from './lib.js';

interface Measure {
  name: string;
  seconds: number;
  /** CPU time of this process (the SMTP server included): tells a slow machine from slow code. */
  cpuSeconds: number;
  target: number;
}

async function smtpSink(): Promise<{ url: string; received(): number; close(): Promise<void> }> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, received: () => count, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function letters(n: number): Letter[] {
  const codes: LetterCode[] = ['C01', 'C03', 'C05'];
  return Array.from({ length: n }, (_, i) => ({
    code: codes[i % 3] ?? 'C01',
    guardianId: i + 1,
    guardian: { lastName: `Dupont-Lefèvre${i}`, firstName: 'Céline', identifier: `celine.dupont${i}`, email: `celine.dupont${i}@example.org` },
    school: { uai: '0311478N', name: 'École élémentaire Sainte-Famille' },
    children: Array.from({ length: 1 + (i % 3) }, (_c, k) => ({
      lastName: 'Dupont',
      firstName: ['Léa', 'Maël', 'Zoé'][k] ?? 'Léa',
      uai: '0311478N',
      schoolName: 'École élémentaire Sainte-Famille',
      className: 'CM1 A',
      level: 'CM1',
    })),
    temporaryPassword: i % 3 === 1 ? null : 'Kq7#mPx4Tz9Wne',
    distributedAt: new Date(),
    links: letterLinks({ publicUrl: 'http://localhost:3978' }),
  }));
}

async function timed(fn: () => Promise<void>): Promise<{ seconds: number; cpuSeconds: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const cpu = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export async function deliveryFigures(url: string): Promise<Record<string, unknown>[]> {
  const prisma = createPrisma(url, 8);
  const sink = await smtpSink();
  const settings: ServiceSettings = {
    publicUrl: 'http://localhost:3978',
    secretKey: Buffer.alloc(32, 7),
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 30, windowMinutes: 60 } },
    mail: { smtpUrl: sink.url, from: 'ne-pas-repondre@educonnect.example' },
    sms: {},
  };
  const ctx: ServiceContext = { db: prisma, log: createLogger('warn'), now: () => new Date(), settings, messages: createMessageQueue(settings) };
  const director: Actor = { kind: 'director', staffId: 'bench', name: 'Bench', uais: ['0311478N'] };
  const measures: Measure[] = [];
  try {
    // Warm-up (fonts, prepared statements) so that the measures are the steady state.
    await createSheetsFile(ctx, director, letters(50));

    const batch = letters(1000);
    let pages = 0;
    measures.push({
      name: '1,000-page notification PDF (render + store + link)',
      target: 3,
      ...(await timed(async () => {
        pages = (await createSheetsFile(ctx, director, batch)).pages;
      })),
    });
    if (pages !== 1000) throw new Error(`expected 1,000 pages, got ${pages}`);

    measures.push({
      name: '1,000 emails to a local SMTP server (enqueue + drain)',
      target: 5,
      ...(await timed(async () => {
        await prisma.$transaction(
          (tx) =>
            ctx.messages.enqueueMany(
              tx,
              batch.map((l) => ({
                message: { template: 'letter' as const, to: l.guardian.email ?? '', letter: { ...l, code: 'C02' as const } },
                options: { guardianId: l.guardianId, batchId: 'bench' },
              })),
            ),
          { timeout: 60_000 },
        );
        // What the worker does on each wake-up, until the outbox is empty.
        const transports = createTransports(settings);
        try {
          while ((await runOutboxOnce(ctx, transports)).claimed > 0);
        } finally {
          transports.close();
        }
      })),
    });
    if ((await prisma.outboxMessage.count({ where: { batchId: 'bench', status: 'SENT' } })) !== 1000 || sink.received() !== 1000)
      throw new Error(`expected 1,000 emails received, got ${sink.received()}`);
  } finally {
    await sink.close();
    await prisma.$disconnect();
  }
  return measures.map((m) => figure(m.name, m.seconds, 's', { op: '<=', value: m.target }, { cpuSeconds: Math.round(m.cpuSeconds * 100) / 100 }));
}
