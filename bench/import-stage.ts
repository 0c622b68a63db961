// The extract import's staging alone, without a database: the file is read, validated and encoded
// as `COPY` text exactly as the import does (services/import/extract-stage.ts), and the text is
// hashed instead of sent. Prints Node's CPU seconds and the sha256 of the COPY text: a change
// meant to save CPU must leave the hash as it was (the same file, the same day).
//   npx tsx bench/import-stage.ts --rows 300000 [--repeat 3]   (the bench's generated extract)
//   npx tsx bench/import-stage.ts --file extract.csv
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { stageExtract } from '../services/import/extract-stage.js';
import type { Sql } from '../services/import/sql.js';
import { writeBigExtract } from '../test/fixtures/import/big-extract.js';

/** The day the rows are validated against (birth dates in the past): fixed, so that hashes compare. */
const TODAY = new Date('2026-12-04T00:00:00Z');

async function stageOnce(file: string): Promise<Record<string, number | string>> {
  const hash = createHash('sha256');
  let bytes = 0;
  const sql: Sql = {
    query: async <T>() => [{ version: 'PostgreSQL (no database: import-stage bench)' }] as T[],
    execute: async () => 0,
    unsafe: async () => undefined,
    copyIn: () =>
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done();
        },
      }),
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  const check = await stageExtract(sql, file, { today: TODAY, chunk: 5000 });
  const used = process.cpuUsage(cpu);
  return {
    rows: check.rows,
    nodeCpuS: Math.round((used.user + used.system) / 1e4) / 100,
    wallS: Math.round(performance.now() - started) / 1000,
    copyBytes: bytes,
    sha256: hash.digest('hex'),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, file: { type: 'string' }, repeat: { type: 'string' } } });
  const dir = values.file ? undefined : await mkdtemp(path.join(tmpdir(), 'bench-stage-'));
  try {
    const file = values.file ?? path.join(dir as string, 'extract.csv');
    if (!values.file) await writeBigExtract(file, Number(values.rows ?? 300_000));
    for (let i = 0; i < Number(values.repeat ?? 1); i++) process.stdout.write(`${JSON.stringify(await stageOnce(file))}\n`);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
