// A restify server with the self-service routes for tests, and a tiny browser (cookie jar,
// manual redirects, CSRF field read from the page).
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { registerSelfServiceRoutes } from '../../web/selfservice-routes.js';
import type { ServiceContext } from '../../services/context.js';
import type { PrismaClient } from '../../services/db/index.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';
import { PAGES } from '../../services/public-paths.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { recordingContext, type RecordingContext } from '../services/selfservice/fixtures.js';

/** The pages' stylesheet, served by bot/server.ts in the application. */
const SITE_CSS = readFileSync(new URL('../../web/site.css', import.meta.url));

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (free port) and points ctx.settings.publicUrl at it. */
export async function startSelfServiceServer(ctx: ServiceContext): Promise<TestServer> {
  const server = restify.createServer({ name: 'selfservice-test', handleUpgrades: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  registerSelfServiceRoutes(server, ctx);
  server.get(PAGES.styles, async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8' });
    res.end(SITE_CSS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  ctx.settings.publicUrl = url;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SelfServicePages {
  prisma: PrismaClient;
  /** The services' context, recording every message sent (`ctx.sent`). */
  ctx: RecordingContext;
  /** The pages' server; its URL is known once the file's beforeAll has run. */
  server: { readonly url: string };
  /** The code of the last SMS sent, or '' when none. */
  lastSmsCode: () => string;
}

/**
 * The set-up of a file of self-service page tests: a recording context on the test database
 * (a pool of `poolSize` connections), the pages' server for the whole file, and before each
 * test an empty database and no message recorded. Call it at the top of the file, before the
 * file's own hooks (they then run after these).
 */
export function selfServicePages(poolSize?: number): SelfServicePages {
  const prisma = testPrisma(poolSize);
  const ctx = recordingContext(prisma);
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startSelfServiceServer(ctx);
  });
  afterAll(async () => {
    await started?.close();
    await prisma.$disconnect();
  });
  beforeEach(async () => {
    await resetDatabase(prisma);
    ctx.sent.length = 0;
  });
  return {
    prisma,
    ctx,
    server: {
      get url() {
        if (!started) throw new Error('the self-service server starts in beforeAll');
        return started.url;
      },
    },
    lastSmsCode: () => [...ctx.sent].reverse().find((m): m is Extract<OutgoingMessage, { template: 'sms_code' }> => m.template === 'sms_code')?.code ?? '',
  };
}

export interface Page {
  status: number;
  location: string | null;
  body: string;
  headers: Headers;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  private lastCsrf = '';

  constructor(private readonly base: string) {}

  private store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair?.indexOf('=') ?? -1;
      if (!pair || i < 0) continue;
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/Max-Age=0/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async read(res: Response): Promise<Page> {
    this.store(res);
    const body = await res.text();
    const m = /name="csrf" value="([^"]+)"/.exec(body);
    if (m?.[1]) this.lastCsrf = m[1];
    const location = res.headers.get('location');
    return { status: res.status, location: location ? location.replace(this.base, '') : null, body, headers: res.headers };
  }

  async get(path: string): Promise<Page> {
    return this.read(await fetch(this.base + path, { redirect: 'manual', headers: { cookie: this.cookieHeader() } }));
  }

  /** Posts a form with the CSRF field of the last page read (unless `csrf` is given). */
  async post(path: string, fields: Record<string, string>, csrf: string = this.lastCsrf): Promise<Page> {
    const body = new URLSearchParams({ ...fields, ...(csrf ? { csrf } : {}) }).toString();
    return this.read(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }),
    );
  }

  /** GET then POST on the same page, following one redirect with GET. */
  async submit(path: string, fields: Record<string, string>): Promise<Page> {
    await this.get(path);
    return this.post(path, fields);
  }

  get csrf(): string {
    return this.lastCsrf;
  }
}
