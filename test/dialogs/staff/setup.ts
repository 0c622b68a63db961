// The common setup of the staff dialog tests: one Prisma client and test context for the file,
// and before each test a clean database with the staff world (fixtures.ts) built again.
// Hooks registered after this call (extra fixtures) run after the world is built.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { PrismaClient } from '../../../services/db/index.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { buildStaffWorld, type StaffWorld } from './fixtures.js';

export interface StaffTestEnv {
  readonly prisma: PrismaClient;
  readonly ctx: TestContext;
  /** The world of the running test (built again before each test). */
  readonly world: StaffWorld;
}

function ready<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name} is only available inside a test (after the setup hooks)`);
  return value;
}

export function useStaffWorld(): StaffTestEnv {
  let prisma: PrismaClient | undefined;
  let ctx: TestContext | undefined;
  let world: StaffWorld | undefined;
  beforeAll(() => {
    prisma = testPrisma();
    ctx = testContext(prisma);
  });
  afterAll(async () => prisma?.$disconnect());
  beforeEach(async () => {
    const db = ready(prisma, 'prisma');
    await resetDatabase(db);
    world = await buildStaffWorld(db);
  });
  return {
    get prisma() {
      return ready(prisma, 'prisma');
    },
    get ctx() {
      return ready(ctx, 'ctx');
    },
    get world() {
      return ready(world, 'world');
    },
  };
}
