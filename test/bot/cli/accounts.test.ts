// `npm run accounts` as an administrator runs it, against the run's real database: the mass
// password change by school, refused to a director, and usage errors (exit code 2).
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand, type CommandRun } from '../../helpers/command.js';
import { databaseUrl, resetDatabase, testPrisma } from '../../helpers/db.js';
import { createGuardian, createSchoolWithPupil } from '../../services/accounts/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const db = testPrisma();
afterAll(() => db.$disconnect());

function run(args: string[]): Promise<CommandRun> {
  return runCommand(process.execPath, ['--import', 'tsx', 'bot/cli/accounts.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl(), LOAD_DEMO_DATA: 'false', NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  });
}

beforeEach(async () => {
  await resetDatabase(db);
  await db.staff.createMany({
    data: [
      { aadObjectId: 'admin-1', upn: 'admin@example.org', displayName: 'Admin', role: 'ADMIN', uais: [] },
      { aadObjectId: 'dir-1', upn: 'dir@example.org', displayName: 'Directrice', role: 'DIRECTOR', uais: ['0311478N'] },
    ],
  });
});

describe('npm run accounts', () => {
  it('require-password-change: done by an administrator, refused to a director, usage errors exit 2', async () => {
    const pupil = await createSchoolWithPupil(db, '0311478N');
    const id = await createGuardian(db, {
      lastName: 'MARTIN',
      firstName: 'Claire',
      state: 'ACTIVATED',
      personalPassword: 'Ancien-Jardin-2023',
      pupilIds: [pupil],
    });
    const ok = await run(['require-password-change', '--as', 'admin-1', '--school', '0311478N']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('1 compte(s)');
    expect((await db.credential.findUniqueOrThrow({ where: { guardianId: id } })).mustChangeSince).not.toBeNull();
    const refused = await run(['require-password-change', '--as', 'dir-1', '--national']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Vous n'avez pas accès");
    const usage = await run(['require-password-change', '--as', 'admin-1', '--national', '--school', '0311478N']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('exactement une portée');
  }, 60_000);
});
