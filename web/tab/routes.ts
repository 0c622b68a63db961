// The Teams personal tab: GET /tab/ (the page, framed by Teams), its scripts and styles served
// from the project and node_modules (no CDN), and the JSON API under /api/tab/ that the page
// calls with the SSO token. Scopes are checked by the services, as in the chat.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type restify from 'restify';
import type { AppConfig } from '../../bot/config.js';
import type { RouteRegistrar } from '../../bot/server.js';
import { projectRoot } from '../../bot/server.js';
import type { StaffActor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { agentQueue, aggregateDashboard, claimFromTab, schoolDashboard, whoAmI } from '../../services/dashboard.js';
import { listAccounts } from '../../services/accounts/list.js';
import { createListFile } from '../../services/delivery/files.js';
import { setCaseState } from '../../services/cases.js';
import type { CaseState } from '../../services/db/index.js';
import { createTabAuthenticator, type TabAuthenticator } from './auth.js';

const STATIC: readonly [string, string, string][] = [
  ['/tab/tab.js', 'web/tab/tab.js', 'text/javascript; charset=utf-8'],
  ['/tab/tab-render.js', 'web/tab/tab-render.js', 'text/javascript; charset=utf-8'],
  ['/tab/tab-queue.js', 'web/tab/tab-queue.js', 'text/javascript; charset=utf-8'],
  ['/tab/tab.css', 'web/tab/tab.css', 'text/css; charset=utf-8'],
  ['/tab/vendor/teams.js', 'node_modules/@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js', 'text/javascript; charset=utf-8'],
  ['/tab/vendor/uplot.js', 'node_modules/uplot/dist/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
  ['/tab/vendor/uplot.css', 'node_modules/uplot/dist/uPlot.min.css', 'text/css; charset=utf-8'],
];

/** Teams (and Outlook/Microsoft 365) frame the tab; the page itself for the tests' host stub. */
const FRAME_ANCESTORS =
  "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.cloud.microsoft https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com";

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // teams-js fetches the list of Teams origins from Microsoft's CDN (only when framed by Teams).
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS}`,
].join('; ');

const UNAVAILABLE = 'Le service est momentanément indisponible. Nouvel essai dans quelques secondes…';
const CASE_STATES: readonly CaseState[] = ['OPEN', 'WAITING_REGISTER', 'RESOLVED', 'CLOSED'];

function json(res: restify.Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function param(req: restify.Request, name: string): string {
  const v = (req.params as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

function bodyField(req: restify.Request, name: string): string {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null) return '';
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : '';
}

type Handler = (actor: StaffActor, req: restify.Request) => Promise<unknown>;

function api(ctx: ServiceContext, auth: TabAuthenticator, handler: Handler) {
  return async (req: restify.Request, res: restify.Response): Promise<void> => {
    try {
      const as = new URL(req.url ?? '', 'http://localhost').searchParams.get('as');
      const who = await auth.identify(req.header('authorization'), as);
      if (!who.ok) return json(res, who.status, { error: who.message });
      json(res, 200, await handler(who.actor, req));
    } catch (err) {
      if (err instanceof ServiceError) {
        const status = { forbidden: 403, not_found: 404, invalid: 400, rate_limited: 429, conflict: 409, expired: 410 }[err.code];
        return json(res, status, { error: err.userMessage });
      }
      ctx.log.warn({ err }, 'tab API failed');
      json(res, 503, { error: UNAVAILABLE, retry: true });
    }
  };
}

async function exportList(ctx: ServiceContext, actor: StaffActor, req: restify.Request): Promise<{ url: string; fileName: string; validMinutes: number }> {
  const format = bodyField(req, 'format') === 'csv' ? 'csv' : 'pdf';
  const list = await listAccounts(ctx, actor, param(req, 'uai'));
  const file = await createListFile(ctx, actor, list, format);
  return { url: file.url, fileName: file.fileName, validMinutes: file.validMinutes };
}

async function changeCase(ctx: ServiceContext, actor: StaffActor, req: restify.Request): Promise<{ state: CaseState }> {
  const state = CASE_STATES.find((s) => s === bodyField(req, 'state'));
  if (!state) throw new ServiceError('invalid', 'Choisissez le nouvel état de la demande.');
  const note = bodyField(req, 'note').trim().slice(0, 1000) || undefined;
  const view = await setCaseState(ctx, actor, param(req, 'reference'), state, note);
  return { state: view.state };
}

/** The tab's routes; `config` gives the SSO settings. */
export const registerTabRoutes: RouteRegistrar = (server: restify.Server, ctx: ServiceContext, config: AppConfig) => {
  const root = projectRoot();
  const page = readFileSync(path.join(root, 'web/tab/index.html'));
  const auth = createTabAuthenticator(config, ctx);

  server.get('/tab', async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(301, { Location: '/tab/' });
    res.end();
  });
  server.get('/tab/', async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-cache' });
    res.end(page);
  });
  for (const [route, file, type] of STATIC) {
    const body = readFileSync(path.join(root, file));
    server.get(route, async (_req: restify.Request, res: restify.Response) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600', 'Content-Length': body.length });
      res.end(body);
    });
  }

  server.get(
    '/api/tab/me',
    api(ctx, auth, (actor) => whoAmI(ctx, actor)),
  );
  server.get(
    '/api/tab/schools/:uai',
    api(ctx, auth, (actor, req) => schoolDashboard(ctx, actor, param(req, 'uai'))),
  );
  server.get(
    '/api/tab/figures',
    api(ctx, auth, (actor, req) => aggregateDashboard(ctx, actor, new URL(req.url ?? '', 'http://localhost').searchParams.get('academy') ?? undefined)),
  );
  server.post(
    '/api/tab/schools/:uai/list',
    api(ctx, auth, (actor, req) => exportList(ctx, actor, req)),
  );
  server.post(
    '/api/tab/cases/:reference/state',
    api(ctx, auth, (actor, req) => changeCase(ctx, actor, req)),
  );
  server.get(
    '/api/tab/queue',
    api(ctx, auth, (actor) => agentQueue(ctx, actor)),
  );
  server.post(
    '/api/tab/queue/:id/claim',
    api(ctx, auth, (actor, req) => claimFromTab(ctx, actor, Number.parseInt(param(req, 'id'), 10) || 0)),
  );
};
