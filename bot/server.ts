// The HTTP server: Bot Framework endpoint, health check, the parents' web chat page and its
// Direct Line facade, plus the routes of other parts (self-service pages, file downloads…)
// given as registrars. `createApp` wires the whole bot; bot/main.ts and the tests use it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { UserState, type ActivityHandler, type ConversationState } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import type { AppConfig } from './config.js';
import type { ServiceContext } from '../services/context.js';
import { createAdapter, TurnTracker, type BotAdapter } from './adapter.js';
import { EduConnectBot, type WelcomeWriter } from './bot.js';
import { DatabaseStorage } from './storage.js';
import { CheckedConversationState } from './conversation-state.js';
import { registerDirectLine, type DirectLineFacade } from './directline/facade.js';
import { localSignalBus, type SignalBus } from '../services/signals.js';
import { withLogBindings } from '../services/logger.js';
import { renderChatPage } from '../web/chat/page.js';
import { PAGES } from '../services/public-paths.js';
import { findStaffActor } from '../services/staff.js';
import { AS_PATTERN } from './directline/routes.js';
import { queryValue } from './directline/protocol.js';
import { createProactiveSender, type ProactiveSender } from './proactive.js';
import { createHandoffRelay, type HandoffRelay } from './handoff/relay.js';
import { createHandoffInterceptor } from './handoff/interceptor.js';

/** How long /healthz waits for the database before answering 503. */
const HEALTH_TIMEOUT_MS = 3000;

/** Adds routes to the server (self-service pages, signed downloads…). */
export type RouteRegistrar = (server: restify.Server, ctx: ServiceContext, config: AppConfig) => void;

/** The project root (where package.json is), from src/ (tsx) or dist/ (compiled). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

interface StaticFile {
  body: Buffer;
  type: string;
  cache: string;
}

function loadStatic(root: string): Map<string, StaticFile> {
  const files: [string, string, string][] = [
    // The one stylesheet of the chat page and the self-service pages.
    [PAGES.styles, 'web/site.css', 'text/css; charset=utf-8'],
    ['/static/chat.js', 'web/chat/chat.js', 'text/javascript; charset=utf-8'],
    ['/static/webchat.js', 'node_modules/botframework-webchat/dist/webchat.js', 'text/javascript; charset=utf-8'],
  ];
  return new Map(files.map(([route, file, type]) => [route, { body: readFileSync(path.join(root, file)), type, cache: 'public, max-age=3600' }]));
}

function contentSecurityPolicy(publicUrl: string): string {
  const ws = new URL(publicUrl.replace(/^http/, 'ws')).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Web Chat injects its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface ServerOptions {
  config: AppConfig;
  ctx: ServiceContext;
  bot: ActivityHandler;
  adapter: BotAdapter;
  tracker: TurnTracker;
  routes?: readonly RouteRegistrar[];
  signals?: SignalBus;
}

export interface AppServer {
  server: restify.Server;
  /** Starts listening on config.port/config.host (0 = a free port); resolves with the port. */
  listen(): Promise<number>;
  /** Stops accepting, lets the turns under way finish (up to `graceMs`), closes connections. */
  close(graceMs?: number): Promise<void>;
}

export function createServer(options: ServerOptions): AppServer {
  const { config, ctx, bot, adapter, tracker } = options;
  const server = restify.createServer({ name: 'educonnect-assistant', handleUpgrades: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 1024 * 1024 }));
  // Every line logged while a request is handled says which request it belongs to.
  server.use((req, _res, next) => withLogBindings({ requestId: req.getId() }, () => next()));
  server.pre((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    return next();
  });

  let port = 0;

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await tracker.track(adapter.adapter.processRequest(req, res, (turn) => bot.run(turn)));
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    // Bounded: a database that does not answer gives 503 within seconds, not a hung request.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ctx.db.$queryRaw`SELECT 1`,
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('health check timed out')), HEALTH_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      res.send(200, { status: 'ok' });
    } catch (err) {
      clearTimeout(timer);
      ctx.log.warn({ err }, 'health check: database unavailable');
      res.send(503, { status: 'unavailable' });
    }
  });

  const root = projectRoot();
  const template = readFileSync(path.join(root, 'web/chat/index.html'), 'utf8');
  const parentsPage = Buffer.from(renderChatPage(template, ctx.settings));
  const csp = contentSecurityPolicy(config.publicUrl);
  server.get('/', async (req: restify.Request, res: restify.Response) => {
    // Outside production, ?as=<staff id> shows the staff introduction (the chat then speaks as them).
    const as = config.production ? undefined : queryValue(req, 'as');
    const staff =
      as !== undefined && AS_PATTERN.test(as)
        ? await findStaffActor(ctx, as).catch((err: unknown) => {
            ctx.log.warn({ err }, "chat page: staff lookup failed, parents' page shown");
            return null;
          })
        : null;
    const page = staff ? Buffer.from(renderChatPage(template, ctx.settings, staff)) : parentsPage;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-cache',
    });
    res.end(page);
  });
  const statics = loadStatic(root);
  for (const [route, file] of statics) {
    server.get(route, async (_req: restify.Request, res: restify.Response) => {
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': file.cache, 'Content-Length': file.body.length });
      res.end(file.body);
    });
  }

  const facade: DirectLineFacade = registerDirectLine(server, {
    config,
    ctx,
    bot,
    adapter,
    tracker,
    signals: options.signals,
    loopbackUrl: () => `http://${config.host === '::' || config.host === '0.0.0.0' || config.host === 'localhost' ? '127.0.0.1' : config.host}:${port}`,
  });

  for (const register of options.routes ?? []) register(server, ctx, config);

  return {
    server,
    listen: () =>
      new Promise<number>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.server.off('error', reject);
          port = (server.server.address() as AddressInfo).port;
          resolve(port);
        });
      }),
    async close(graceMs = 15_000) {
      const http = server.server;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      facade.close();
      http.closeIdleConnections();
      await tracker.drain(graceMs);
      http.closeAllConnections();
      await closed;
    },
  };
}

export interface AppOptions {
  config: AppConfig;
  ctx: ServiceContext;
  routes?: readonly RouteRegistrar[];
  /** The root dialog of the conversation (dialogs/); without it the bot only greets. */
  rootDialog?: Dialog;
  welcome?: WelcomeWriter;
  /** Cross-instance signals (services/signals.ts); in-process only when not given. */
  signals?: SignalBus;
}

export interface App extends AppServer {
  signals: SignalBus;
  /** Proactive messages through stored conversation references (bot/proactive.ts). */
  proactive: ProactiveSender;
  /** The human handoff's relay (bot/handoff/relay.ts); its worker is started by bot/main.ts. */
  handoff: HandoffRelay;
  bot: EduConnectBot;
  adapter: BotAdapter;
  tracker: TurnTracker;
  conversationState: ConversationState;
  userState: UserState;
}

/** Builds the bot (database-backed state, adapter, bot) and its server. */
export function createApp(options: AppOptions): App {
  const storage = new DatabaseStorage(options.ctx.db);
  const conversationState = new CheckedConversationState(storage);
  const userState = new UserState(storage);
  const adapter = createAdapter(options.config, options.ctx.log, conversationState);
  const tracker = new TurnTracker();
  const signals = options.signals ?? localSignalBus();
  const proactive = createProactiveSender({ adapter: adapter.adapter, appId: options.config.bot.appId, ctx: options.ctx, signals });
  const handoff = createHandoffRelay({ ctx: options.ctx, proactive, agentsTeamId: options.config.helpdesk.agentsTeamId });
  const bot = new EduConnectBot({
    ctx: options.ctx,
    conversationState,
    userState,
    storage,
    production: options.config.production,
    rootDialog: options.rootDialog,
    welcome: options.welcome,
    interceptor: createHandoffInterceptor(options.ctx, handoff),
  });
  const appServer = createServer({ config: options.config, ctx: options.ctx, bot, adapter, tracker, routes: options.routes, signals });
  return { ...appServer, bot, adapter, tracker, conversationState, userState, signals, proactive, handoff };
}
