// A 100,000-row extract: streamed and applied in batches, with bounded memory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExtract } from '../../../services/import/extract.js';
import { resetDatabase, testPrisma, isEmbedded } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';
import { writeBigExtract } from '../../fixtures/import/big-extract.js';

const ROWS = 100_000;
const prisma = testPrisma();
const ctx = testContext(prisma);
const dir = mkdtempSync(path.join(tmpdir(), 'import-large-'));

// A full garbage collection before each sample, so that samples measure what is really kept.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

beforeAll(async () => {
  await resetDatabase(prisma);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await resetDatabase(prisma);
  await prisma.$disconnect();
});

describe(`large register extract (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it(`imports ${ROWS.toLocaleString('en')} rows with memory bounded well below the file size`, { timeout: 240_000 }, async () => {
    const file = path.join(dir, 'extract.csv');
    const bytes = await writeBigExtract(file, ROWS);
    // Warm-up (code, driver and phone-metadata caches load once per process), then an empty base.
    const warmUp = path.join(dir, 'warm-up.csv');
    await writeBigExtract(warmUp, 2_000, 7);
    await importExtract(ctx, warmUp, { afterImport: async () => 0 });
    await resetDatabase(prisma);
    const baseline = liveHeap();
    let peak = 0;
    let samples = 0;
    let nextSample = 10_000;
    const report = await importExtract(ctx, file, {
      afterImport: async () => 0,
      onProgress: (p) => {
        // Every 10,000 rows (a forced GC costs a few ms).
        if (p.rowsRead >= nextSample) {
          nextSample += 10_000;
          peak = Math.max(peak, liveHeap() - baseline);
          samples++;
        }
      },
    });
    expect(report.rows).toBe(ROWS);
    expect(report.rejected).toBe(0);
    expect(report.created).toBe(ROWS);
    expect(await prisma.pupilGuardian.count()).toBe(ROWS);
    expect(samples).toBeGreaterThanOrEqual(9);
    // Holding the file as a string would take ~1x its size (2x in UTF-16) and its parsed rows
    // several times more; the importer keeps only compact per-run state (16 bytes per pupil,
    // guardian and link) plus one batch, so its live heap must stay well below the size of the file (measured: about half).
    process.stdout.write(`large import: file ${(bytes / 1e6).toFixed(1)} MB, peak live heap growth ${(peak / 1e6).toFixed(1)} MB\n`);
    expect(peak).toBeLessThan(bytes * 0.75);
  });
});
