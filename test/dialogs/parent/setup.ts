// The common setup of the tests driving the parent dialogs: one Prisma client and test context
// for the file, a clean database seeded once with the parent fixtures (fixtures.ts), and, with
// `freshCounters`, rate-limit counters and outbox emptied before each test.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PrismaClient } from '../../../services/db/index.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { seedParentFixtures } from './fixtures.js';

export function useParentWorld(options: { freshCounters?: boolean } = {}): { prisma: PrismaClient; ctx: TestContext } {
  const prisma = testPrisma();
  const ctx = testContext(prisma);
  beforeAll(async () => {
    await resetDatabase(prisma);
    await seedParentFixtures(ctx);
  });
  if (options.freshCounters) {
    beforeEach(async () => {
      await prisma.rateLimitCounter.deleteMany();
      await prisma.outboxMessage.deleteMany();
    });
  }
  afterAll(async () => {
    await prisma.$disconnect();
  });
  return { prisma, ctx };
}
