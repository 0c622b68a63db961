// The durable outbox against a real SMTP server and a real HTTP SMS gateway on 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../services/db/index.js';
import {
  backoffMs,
  CLEARED_BODY,
  getBatchReport,
  listOutbox,
  OUTBOX_DEFAULTS,
  retryMessage,
  runOutboxOnce,
  startOutboxWorker,
} from '../../../services/delivery/outbox.js';
import { createTransports } from '../../../services/delivery/transports.js';
import type { EnqueueOptions, OutgoingMessage } from '../../../services/delivery/types.js';
import { letter } from '../../fixtures/delivery/letters.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { freePort, startSmsGateway, startSmtp, type SmtpPeer } from './peers.js';

let prisma: PrismaClient;
const peers: { close(): Promise<void> }[] = [];

beforeAll(() => {
  prisma = testPrisma();
});
afterAll(async () => {
  await prisma.$disconnect();
});
beforeEach(async () => {
  await resetDatabase(prisma);
});
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

async function smtp(options: Parameters<typeof startSmtp>[0] = {}): Promise<SmtpPeer> {
  const peer = await startSmtp(options);
  peers.push(peer);
  return peer;
}

async function enqueue(ctx: TestContext, messages: OutgoingMessage[], options: EnqueueOptions = {}): Promise<string[]> {
  return prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const m of messages) ids.push(await ctx.messages.enqueue(tx, m, options));
    return ids;
  });
}

const notice = (i: number): OutgoingMessage => ({ template: 'security_notice', to: `parent${i}@example.org`, firstName: 'Céline', event: 'password_changed' });

/** Rounds until nothing is due (the clock does not move). */
async function drain(ctx: TestContext): Promise<void> {
  const transports = createTransports(ctx.settings);
  try {
    for (let i = 0; i < 50; i++) if ((await runOutboxOnce(ctx, transports)).claimed === 0) return;
  } finally {
    transports.close();
  }
}

describe('emails', () => {
  it('delivers a letter with a text and an HTML part, from the service sender, and clears the secret afterwards', async () => {
    const peer = await smtp();
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'ne-pas-repondre@educonnect.example' } });
    const l = letter('C02');
    const [id] = await enqueue(ctx, [{ template: 'letter', to: 'celine.dupont@example.org', letter: l }], { guardianId: 1, batchId: 'b1' });
    await drain(ctx);

    expect(peer.mails).toHaveLength(1);
    const mail = peer.mails[0]!;
    expect(mail.to).toEqual(['celine.dupont@example.org']);
    expect(mail.from).toBe('ne-pas-repondre@educonnect.example');
    expect(decodeURIComponent(mail.headers.from ?? '')).toContain('Administrateur des services en ligne');
    expect(mail.subject).toBe('Vos accès aux services en ligne pour suivre la scolarité');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('celine.dupont114');
      expect(part).toContain('Kq7#mPx4Tz9Wne');
      expect(part).toContain('Étape 1');
      expect(part).toContain('Léa');
    }
    expect(mail.html).toContain('<html lang="fr">');

    const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(row.status).toBe('SENT');
    expect(row.sentAt).not.toBeNull();
    expect(row.textBody).toBe(CLEARED_BODY);
    expect(row.htmlBody).toBeNull();
  });

  it('sends the right letter for C04 and C06', async () => {
    const peer = await smtp();
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' } });
    await enqueue(ctx, [
      { template: 'letter', to: 'a@example.org', letter: letter('C04') },
      { template: 'letter', to: 'b@example.org', letter: letter('C06') },
    ]);
    await drain(ctx);
    const byTo = new Map(peer.mails.map((m) => [m.to[0], m]));
    expect(byTo.get('a@example.org')?.text).toContain('Mot de passe inchangé');
    expect(byTo.get('a@example.org')?.text).not.toContain('Kq7#mPx4Tz9Wne');
    expect(byTo.get('b@example.org')?.subject).toBe('Votre nouveau mot de passe provisoire EduConnect');
    expect(byTo.get('b@example.org')?.text).toContain('Kq7#mPx4Tz9Wne');
  });

  it('keeps messages while SMTP is down and delivers each exactly once when it comes back', async () => {
    const port = await freePort();
    const ctx = testContext(prisma, { mail: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'x@educonnect.example' } });
    await enqueue(
      ctx,
      Array.from({ length: 12 }, (_, i) => notice(i)),
      { batchId: 'down' },
    );

    const down = await runOutboxOnce(ctx);
    expect(down).toMatchObject({ claimed: 12, sent: 0, retried: 12, failed: 0 });
    const waiting = await prisma.outboxMessage.findMany();
    expect(waiting.every((r) => r.status === 'PENDING' && r.attempts === 1 && r.lastError)).toBe(true);
    // Not due yet: nothing is claimed before the backoff delay.
    expect((await runOutboxOnce(ctx)).claimed).toBe(0);

    const peer = await smtp({ port });
    ctx.advance(backoffMs(1) + 1000);
    await drain(ctx);
    expect(peer.mails).toHaveLength(12);
    expect(new Set(peer.mails.map((m) => m.to[0])).size).toBe(12);
    const report = await getBatchReport(ctx, 'down');
    expect(report).toMatchObject({ sent: 12, pending: 0, failed: 0 });
  });

  it('marks a message FAILED at once on a permanent refusal, and after the last try on temporary ones', async () => {
    const peer = await smtp({ refuse: (to) => (to.startsWith('gone') ? 550 : to.startsWith('busy') ? 450 : undefined) });
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' } });
    const [gone, busy, ok] = await enqueue(
      ctx,
      [notice(0), notice(1), notice(2)].map((m, i) => ({ ...m, to: `${['gone', 'busy', 'ok'][i]}@example.org` })),
      { batchId: 'mixed' },
    );
    await runOutboxOnce(ctx);
    const after1 = new Map((await prisma.outboxMessage.findMany()).map((r) => [r.id, r]));
    expect(after1.get(gone!)?.status).toBe('FAILED');
    expect(after1.get(gone!)?.lastError).toContain('550');
    expect(after1.get(busy!)?.status).toBe('PENDING');
    expect(after1.get(ok!)?.status).toBe('SENT');

    for (let attempt = 2; attempt <= OUTBOX_DEFAULTS.maxAttempts; attempt++) {
      ctx.advance(backoffMs(attempt - 1) + 1000);
      await runOutboxOnce(ctx);
    }
    const final = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: busy! } });
    expect(final.status).toBe('FAILED');
    expect(final.attempts).toBe(OUTBOX_DEFAULTS.maxAttempts);
    expect(final.lastError).toContain('450');

    const report = await getBatchReport(ctx, 'mixed');
    expect(report).toMatchObject({ sent: 1, pending: 0, failed: 2 });
    expect(report.guardians.find((g) => g.status === 'failed')?.recipient).toMatch(/^g\*\*\*e@example\.org$|^b\*\*\*y@example\.org$/);

    // A failed message can be put back in line by hand (npm run outbox -- --retry <id>).
    expect(await retryMessage(ctx, busy!)).toBe(true);
    expect(await retryMessage(ctx, ok!)).toBe(false);
    expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: busy! } })).status).toBe('PENDING');
  });

  it('never sends a message twice when two workers share the outbox', async () => {
    const peer = await smtp();
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' } });
    await enqueue(
      ctx,
      Array.from({ length: 120 }, (_, i) => notice(i)),
    );
    const a = startOutboxWorker(ctx, { intervalMs: 20, batchSize: 10 });
    const b = startOutboxWorker(ctx, { intervalMs: 20, batchSize: 10 });
    const deadline = Date.now() + 20_000;
    while (peer.mails.length < 120 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await Promise.all([a.stop(), b.stop()]);
    expect(peer.mails).toHaveLength(120);
    expect(new Set(peer.mails.map((m) => m.headers['x-outbox-id'])).size).toBe(120);
    expect(await prisma.outboxMessage.count({ where: { status: 'SENT' } })).toBe(120);
  });

  it('takes back a message whose worker died while sending, once its lock has expired', async () => {
    const peer = await smtp();
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' } });
    const [id] = await enqueue(ctx, [notice(0)]);
    await prisma.outboxMessage.update({ where: { id: id! }, data: { status: 'SENDING', attempts: 1, lockedUntil: new Date(ctx.now().getTime() + 60_000) } });
    await drain(ctx);
    expect(peer.mails).toHaveLength(0);
    ctx.advance(61_000);
    await drain(ctx);
    expect(peer.mails).toHaveLength(1);
    expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: id! } })).status).toBe('SENT');
  });

  it('without SMTP_URL keeps emails in the outbox and lists them masked', async () => {
    const ctx = testContext(prisma);
    await enqueue(ctx, [notice(7)]);
    // The first round starts at once and stop() waits for it: one round has run.
    const worker = startOutboxWorker(ctx, { intervalMs: 10 });
    await worker.stop();
    const entries = await listOutbox(ctx, { status: 'PENDING' });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.recipient).toBe('p***7@example.org');
    expect(entries[0]?.attempts).toBe(0);
  });
});

describe('enqueue', () => {
  it('fails a secret-bearing message for good when its body cannot be decrypted', async () => {
    const peer = await smtp();
    const ctx = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' } });
    const [id] = await enqueue(ctx, [{ template: 'letter', to: 'a@example.org', letter: letter('C02') }]);
    const otherKey = testContext(prisma, { mail: { smtpUrl: peer.url, from: 'x@educonnect.example' }, secretKey: Buffer.alloc(32, 9) });
    expect(await runOutboxOnce(otherKey)).toMatchObject({ claimed: 1, failed: 1 });
    expect(peer.mails).toHaveLength(0);
    expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: id! } })).lastError).toContain('decrypted');
  });

  it('commits with the caller transaction only: a rolled-back change leaves no message', async () => {
    const ctx = testContext(prisma);
    await expect(
      prisma.$transaction(async (tx) => {
        await ctx.messages.enqueue(tx, notice(1));
        throw new Error('business change refused');
      }),
    ).rejects.toThrow('business change refused');
    expect(await prisma.outboxMessage.count()).toBe(0);
  });

  it('enqueueMany stores rendered messages in order, with their guardian and batch', async () => {
    const ctx = testContext(prisma);
    const ids = await prisma.$transaction((tx) =>
      ctx.messages.enqueueMany(tx, [
        { message: { template: 'letter', to: 'a@example.org', letter: letter('C02') }, options: { guardianId: 11, batchId: 'many' } },
        { message: { template: 'sms_notice', to: '+33612345678', event: 'password_changed' }, options: { guardianId: 12, batchId: 'many' } },
      ]),
    );
    expect(ids).toHaveLength(2);
    const rows = await prisma.outboxMessage.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0]!)).toMatchObject({ channel: 'EMAIL', guardianId: 11, batchId: 'many', template: 'letter', status: 'PENDING' });
    // The letter carries a temporary password: stored encrypted until sent, never in clear.
    expect(byId.get(ids[0]!)?.textBody).toMatch(/^v1\./);
    expect(byId.get(ids[0]!)?.htmlBody).toMatch(/^v1\./);
    expect(JSON.stringify(rows)).not.toContain('Kq7#mPx4Tz9Wne');
    expect(byId.get(ids[1]!)?.textBody).toContain('mot de passe');
    expect(byId.get(ids[1]!)).toMatchObject({ channel: 'SMS', guardianId: 12, subject: null, htmlBody: null });
    expect(await prisma.$transaction((tx) => ctx.messages.enqueueMany(tx, []))).toEqual([]);
  });
});

describe('SMS', () => {
  it('posts {to, text} to the gateway; 5xx is retried, 4xx fails', async () => {
    const gateway = await startSmsGateway();
    peers.push(gateway);
    const ctx = testContext(prisma, { sms: { gatewayUrl: gateway.url } });
    const [code] = await enqueue(ctx, [{ template: 'sms_code', to: '+33612345678', code: '482913', ttlMinutes: 30, purpose: 'password' }]);

    gateway.status = 503;
    expect(await runOutboxOnce(ctx)).toMatchObject({ claimed: 1, retried: 1 });
    gateway.status = 200;
    ctx.advance(backoffMs(1) + 1000);
    expect(await runOutboxOnce(ctx)).toMatchObject({ claimed: 1, sent: 1 });
    expect(gateway.received).toHaveLength(1);
    expect(gateway.received[0]?.to).toBe('+33612345678');
    expect(gateway.received[0]?.text).toContain('482913');
    expect(gateway.received[0]?.text.split('\n').at(-1)).toBe('@localhost #482913');
    expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: code! } })).textBody).toBe(CLEARED_BODY);

    const [bad] = await enqueue(ctx, [{ template: 'sms_notice', to: '+33612345679', event: 'password_changed' }]);
    gateway.status = 400;
    expect(await runOutboxOnce(ctx)).toMatchObject({ claimed: 1, failed: 1 });
    const row = await prisma.outboxMessage.findUniqueOrThrow({ where: { id: bad! } });
    expect(row.status).toBe('FAILED');
    expect(row.lastError).toContain('400');
  });
});
