// Stored files served by signed, short-lived, single-use links over real HTTP.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import restify from 'restify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../services/actor.js';
import type { PrismaClient } from '../../services/db/index.js';
import { cleanupExpiredFiles, createListFile, createSheetsFile, FILE_TTL_MINUTES, signedFileUrl } from '../../services/delivery/files.js';
import { contentDisposition, registerFileRoutes } from '../../web/files-routes.js';
import { letter, listDocument, listRow } from '../fixtures/delivery/letters.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';

const director: Actor = { kind: 'director', staffId: 'dir-1', name: 'Mme Durand', uais: ['0311478N'] };

let prisma: PrismaClient;
let server: restify.Server;
let ctx: TestContext;

beforeAll(async () => {
  prisma = testPrisma();
  server = restify.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  ctx = testContext(prisma, { publicUrl: `http://127.0.0.1:${server.address().port}` });
  registerFileRoutes(server, ctx);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await prisma.$disconnect();
});
beforeEach(async () => {
  await resetDatabase(prisma);
  ctx.setNow(new Date());
});

describe('signed file links', () => {
  it('serves a CSV list as an attachment with its file name', async () => {
    const file = await createListFile(ctx, director, listDocument([listRow(1), listRow(2)]), 'csv');
    expect(file.fileName).toBe('Educonnect-ListeResponsables-20260903100000.csv');
    expect(file.ownerId).toBe('director:dir-1');
    expect(file.expiresAt.getTime() - ctx.now().getTime()).toBe(FILE_TTL_MINUTES * 60_000);
    expect(file.url).toMatch(/\/fichiers\/[0-9a-f-]{36}\?exp=\d+&sig=[\w-]+$/);

    const res = await fetch(file.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="Educonnect-ListeResponsables-20260903100000.csv"; filename*=UTF-8\'\'Educonnect-ListeResponsables-20260903100000.csv',
    );
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(body.toString('utf8')).toContain('celine.dupont2');
  });

  it('serves the sheets of a batch as one PDF and reports progress', async () => {
    const progress: number[] = [];
    const file = await createSheetsFile(ctx, director, [letter('C01'), letter('C03'), letter('C05')], (done) => progress.push(done));
    expect(file.pages).toBe(3);
    expect(progress.at(-1)).toBe(3);
    expect(file.fileName).toMatch(/^Educonnect-Courriers-\d{14}\.pdf$/);
    const res = await fetch(file.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('streams a large batch into storage chunk by chunk and serves it whole', async () => {
    const batch = Array.from({ length: 300 }, (_, i) =>
      letter(i % 2 ? 'C01' : 'C05', { guardianId: i, guardian: { lastName: 'Martin', firstName: 'Zoé', identifier: `zoe.martin${i}`, email: null } }),
    );
    const file = await createSheetsFile(ctx, director, batch);
    expect(file.size).toBeGreaterThan(512 * 1024);
    const res = await fetch(file.url);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBe(file.size);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.subarray(-6).toString()).toContain('%%EOF');
    const dir = await mkdtemp(path.join(tmpdir(), 'files-test-'));
    try {
      await writeFile(path.join(dir, 'batch.pdf'), body);
      const { stdout } = await promisify(execFile)('pdfinfo', [path.join(dir, 'batch.pdf')]);
      expect(stdout).toMatch(/Pages:\s+300\b/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a tampered signature, a changed expiry and a link made for another account (403)', async () => {
    const file = await createListFile(ctx, director, listDocument([listRow(1)]), 'csv');
    const url = new URL(file.url);
    const sig = url.searchParams.get('sig') ?? '';

    const tampered = new URL(url);
    tampered.searchParams.set('sig', (sig.startsWith('A') ? 'B' : 'A') + sig.slice(1));
    const later = new URL(url);
    later.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    const otherOwner = signedFileUrl(ctx, { id: file.id, ownerId: 'director:someone-else', expiresAt: file.expiresAt });
    const noSig = new URL(url);
    noSig.searchParams.delete('sig');

    for (const u of [tampered.toString(), later.toString(), otherOwner, noSig.toString()]) {
      const res = await fetch(u);
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('lang="fr"');
      expect(html).toContain('est pas valable');
      expect(html).not.toContain('celine');
    }
  });

  it('answers 410 once the link has expired, also after the cleanup removed the file', async () => {
    const file = await createListFile(ctx, director, listDocument([listRow(1)]), 'csv');
    ctx.advance((FILE_TTL_MINUTES - 1) * 60_000);
    expect((await fetch(file.url)).status).toBe(200);
    expect(await cleanupExpiredFiles(ctx)).toBe(0);

    ctx.advance(2 * 60_000);
    const res = await fetch(file.url);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('a expiré');

    expect(await cleanupExpiredFiles(ctx)).toBe(1);
    expect(await prisma.storedFile.count()).toBe(0);
    expect((await fetch(file.url)).status).toBe(410);
  });

  it('serves a link once: a second download gets a page saying it was used and how to get the file again', async () => {
    const file = await createListFile(ctx, director, listDocument([listRow(1)]), 'csv');
    expect((await fetch(file.url)).status).toBe(200);
    const again = await fetch(file.url);
    expect(again.status).toBe(410);
    const html = await again.text();
    expect(html).toContain('Lien déjà utilisé');
    expect(html).toContain('il ne fonctionne qu’une fois');
    expect(html).toContain('« mes envois »');
    expect(html).not.toContain('celine');
    // What the database keeps after the download: no content.
    expect((await prisma.storedFile.findUniqueOrThrow({ where: { id: file.id } })).content.length).toBe(0);
  });

  it('gives the file to one of several downloads started together', async () => {
    const file = await createListFile(ctx, director, listDocument([listRow(1)]), 'csv');
    const statuses = await Promise.all(Array.from({ length: 6 }, async () => (await fetch(file.url)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(5);
  });

  it('gives an accent-free fallback file name', () => {
    expect(contentDisposition('Liste élèves "CM1".pdf')).toBe(
      'attachment; filename="Liste eleves _CM1_.pdf"; filename*=UTF-8\'\'Liste%20%C3%A9l%C3%A8ves%20%22CM1%22.pdf',
    );
  });
});
