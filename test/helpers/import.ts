// The shared set-up of the extract import tests: a client and context on the test database,
// temporary files, the data reset before each test, and a snapshot of the account tables.
import { afterAll, beforeEach } from 'vitest';
import type { ExtractOptions } from '../../services/import/extract.js';
import { tempFiles } from '../fixtures/import/files.js';
import { testContext } from './context.js';
import { resetDatabase, testPrisma } from './db.js';

/** Registers the hooks (reset before each test, clean-up after all); call at module level. */
export function importTestSetup() {
  const prisma = testPrisma();
  const ctx = testContext(prisma);
  const files = tempFiles();
  const noCases: ExtractOptions = { afterImport: async () => 0 };
  afterAll(async () => {
    files.cleanup();
    await prisma.$disconnect();
  });
  beforeEach(async () => {
    await resetDatabase(prisma);
  });
  /** Every row of the account tables with its last change, to prove that nothing moved. */
  const snapshot = async (): Promise<unknown> => ({
    schools: await prisma.school.findMany({ orderBy: { uai: 'asc' } }),
    classes: await prisma.schoolClass.findMany({ orderBy: { id: 'asc' } }),
    pupils: await prisma.pupil.findMany({ orderBy: { id: 'asc' } }),
    guardians: await prisma.guardian.findMany({ orderBy: { id: 'asc' } }),
    refs: await prisma.guardianRef.findMany({ orderBy: { ref: 'asc' } }),
    links: await prisma.pupilGuardian.findMany({ orderBy: [{ pupilId: 'asc' }, { guardianId: 'asc' }] }),
    credentials: await prisma.credential.findMany({ orderBy: { guardianId: 'asc' } }),
  });
  return { prisma, ctx, files, noCases, snapshot };
}
