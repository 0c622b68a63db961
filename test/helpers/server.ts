// Starts the whole application (the same createApp as `npm start`) on a free port of
// 127.0.0.1, against the run's shared test database. HTTP tests of every area use it.
import { createServer as createNetServer } from 'node:net';
import { loadConfig, type AppConfig } from '../../bot/config.js';
import { createApp, type App, type AppOptions } from '../../bot/server.js';
import { serviceSettings } from '../../bot/context.js';
import type { ServiceSettings } from '../../services/context.js';
import { databaseUrl, isEmbedded, testPrisma } from './db.js';
import { createSignalBus } from '../../services/signals.js';
import { testContext, testSettings, type TestContext } from './context.js';

export interface TestAppOptions {
  settingsOverrides?: Partial<ServiceSettings>;
  /** Extra environment variables for loadConfig (e.g. { NODE_ENV: 'production', … }). */
  env?: Record<string, string>;
  routes?: AppOptions['routes'];
  rootDialog?: AppOptions['rootDialog'];
  /** Reach the test database another way (e.g. through a TCP proxy); default: directly. */
  databaseUrl?: string;
}

export interface TestApp {
  /** e.g. http://127.0.0.1:41234 (also the configured PUBLIC_URL). */
  url: string;
  port: number;
  ctx: TestContext;
  config: AppConfig;
  app: App;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    SECRET_KEY: testSettings().secretKey.toString('hex'),
    LOAD_DEMO_DATA: 'false',
    WORKERS: 'false',
    LOG_LEVEL: 'silent',
    // Every test talks from 127.0.0.1 into one database: the web chat's flood limits are
    // tested on their own (test/bot/directline-limits.test.ts), not met by accident.
    CHAT_MESSAGES_PER_MINUTE: '10000',
    CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS: '10000',
    ...options.env,
  });
  const prisma = testPrisma(4, config.databaseTimeouts, options.databaseUrl ?? databaseUrl());
  const ctx = testContext(prisma, { ...serviceSettings(config), ...options.settingsOverrides });
  // A real cross-instance bus on the test database, as in production (two apps = two instances).
  const signals = createSignalBus({ db: prisma, log: ctx.log, connectionString: databaseUrl(), embedded: isEmbedded() });
  const app = createApp({ config, ctx, routes: options.routes, rootDialog: options.rootDialog, signals });
  await app.listen();
  return {
    url,
    port,
    ctx,
    config,
    app,
    async close() {
      await app.close(2000);
      await signals.close();
      await prisma.$disconnect();
    },
  };
}
