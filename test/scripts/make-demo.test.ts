// The committed demo data set (prisma/demo) is what its generator writes: edit the script, run
// it, commit both.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemo } from '../../scripts/make-demo.js';

const DEMO = path.resolve(import.meta.dirname, '../../prisma/demo');

describe('scripts/make-demo', () => {
  it('writes the committed extract and staff files, byte for byte, on every run', async () => {
    const dirs = [await mkdtemp(path.join(tmpdir(), 'demo-')), await mkdtemp(path.join(tmpdir(), 'demo-'))];
    try {
      const summaries = dirs.map((dir) => writeDemo(dir));
      expect(summaries[1]).toBe(summaries[0]);
      expect(summaries[0]).toMatch(/^extract\.csv: \d+ rows, \d+ guardian refs, \d+ pupils; staff\.csv: \d+ people$/);
      for (const file of ['extract.csv', 'staff.csv']) {
        const committed = await readFile(path.join(DEMO, file), 'utf8');
        for (const dir of dirs) expect(await readFile(path.join(dir, file), 'utf8')).toBe(committed);
      }
    } finally {
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });
});
