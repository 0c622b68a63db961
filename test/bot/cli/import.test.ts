// `npm run import` as a scheduler runs it: a child process, its exit code and its --json report.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl, isEmbedded, resetDatabase, testPrisma } from '../../helpers/db.js';
import { COLLEGE, ECOLE, EXTRACT_HEADER, tempFiles } from '../../fixtures/import/files.js';
import { runCommand, type CommandRun } from '../../helpers/command.js';

const prisma = testPrisma();
const files = tempFiles();

afterAll(async () => {
  files.cleanup();
  await prisma.$disconnect();
});
beforeAll(async () => {
  await resetDatabase(prisma);
});

function runImport(args: string[]): Promise<CommandRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl(), NODE_ENV: 'test', SECRET_KEY: '07'.repeat(32) };
  delete env.LOG_LEVEL;
  delete env.IMPORT_MAX_REMOVAL_PERCENT;
  return runCommand(path.resolve('node_modules/.bin/tsx'), ['bot/cli/import.ts', ...args], { env });
}

const json = (run: CommandRun): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>;

const rows = Array.from(
  { length: 20 },
  (_, i) => `${ECOLE};0701${String(i).padStart(5, '0')}AB;MARTIN;Élève${i};2016-03-14;CM1;CM1 A;E-${i};MARTIN;Parent${i};;;legal`,
);
const college = `${COLLEGE};070299999AA;DURAND;Hugo;2013-05-02;4E;4e 3;C-1;DURAND;Anne;;;legal`;

describe(`npm run import (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, { timeout: 120_000 }, () => {
  it('exits 2 on bad usage and 1 on a file that cannot be used', async () => {
    expect((await runImport(['extract'])).code).toBe(2);
    expect((await runImport(['staff', 'x.csv', '--force'])).code).toBe(2);
    const unusable = await runImport(['extract', files.write('comma.csv', [EXTRACT_HEADER.replaceAll(';', ','), ...rows.map((r) => r.replaceAll(';', ','))])]);
    expect(unusable.code).toBe(1);
    expect(unusable.stderr).toMatch(/rien n'a été modifié/);
  });

  it('exits 0 when everything was applied, 3 when a row was rejected, 4 when a school was held back, and applies it with --force', async () => {
    const full = await runImport(['extract', files.write('full.csv', [EXTRACT_HEADER, ...rows, college]), '--json']);
    expect(full.code).toBe(0);
    expect(json(full)).toMatchObject({ kind: 'extract', exitCode: 0, created: 21, held: [], schools: ['0311478N', '0312093K'], maxRemovalPercent: 10 });

    const oneBad = await runImport(['extract', files.write('bad.csv', [EXTRACT_HEADER, ...rows, college.replace('2013-05-02', '2013-02-30')])]);
    expect(oneBad.code).toBe(3);
    expect(oneBad.stdout).toMatch(/ligne 22 rejetée : date de naissance « 2013-02-30 » invalide/);

    const tiny = files.write('tiny.csv', [EXTRACT_HEADER, ...rows.slice(0, 2), college]);
    const held = await runImport(['extract', tiny]);
    expect(held.code).toBe(4);
    expect(held.stdout).toMatch(/0311478N : non appliqué, le fichier retirerait 18 liens sur 20 \(90 %\) et 18 élèves sur 20 \(90 %\) \(seuil : 10 %\)/);
    expect(held.stdout).toMatch(/--force/);
    expect(await prisma.pupilGuardian.count({ where: { pupil: { schoolUai: '0311478N' } } })).toBe(20);

    const forced = await runImport(['extract', tiny, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(json(forced)).toMatchObject({ exitCode: 0, forced: true, held: [], removed: 18 });
    expect(await prisma.pupilGuardian.count({ where: { pupil: { schoolUai: '0311478N' } } })).toBe(2);
  });

  it('exits 4 on a cut file and says that nothing was applied', async () => {
    const cut = files.write('cut.csv', Buffer.from([EXTRACT_HEADER, ...rows.slice(0, 2), college.slice(0, 30)].join('\n'), 'utf8'));
    const run = await runImport(['extract', cut, '--json']);
    expect(run.code).toBe(4);
    expect(json(run)).toMatchObject({ truncated: true, schools: [], held: [expect.objectContaining({ uai: '0311478N', reason: 'truncated' })] });
  });
});
