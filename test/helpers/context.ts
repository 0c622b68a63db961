// A ServiceContext for tests, on the shared test database, with a controllable clock.
import { createLogger } from '../../services/logger.js';
import type { ServiceContext, ServiceSettings } from '../../services/context.js';
import type { PrismaClient } from '../../services/db/index.js';
import { createMessageQueue } from '../../services/delivery/queue.js';
import { DEFAULT_HOURS } from '../../services/helpdesk/contact.js';

export function testSettings(overrides: Partial<ServiceSettings> = {}): ServiceSettings {
  return {
    publicUrl: 'http://localhost:3978',
    secretKey: Buffer.alloc(32, 7),
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 30, windowMinutes: 60 } },
    mail: { from: 'ne-pas-repondre@educonnect.example' },
    sms: {},
    helpdesk: { hours: DEFAULT_HOURS, waitMinutes: 10 },
    ...overrides,
  };
}

export interface TestContext extends ServiceContext {
  /** Move the clock (ms). */
  advance(ms: number): void;
  setNow(d: Date): void;
}

export function testContext(db: PrismaClient, overrides: Partial<ServiceSettings> = {}): TestContext {
  let offset = 0;
  let fixed: Date | undefined;
  const settings = testSettings(overrides);
  return {
    db,
    messages: createMessageQueue(settings),
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    now: () => new Date((fixed ? fixed.getTime() : Date.now()) + offset),
    settings,
    advance(ms) {
      offset += ms;
    },
    setNow(d) {
      fixed = d;
      offset = 0;
    },
  };
}
