// The guardian self-service pages (server-rendered, French, no JavaScript), registered on
// the bot's restify server (bot/server.ts takes this as a RouteRegistrar; it also serves their
// stylesheet, web/site.css, shared with the chat page).
import type restify from 'restify';
import type { ServiceContext } from '../services/context.js';
import { registerPasswordPages } from './pages/password.js';
import { registerIdentifierPages } from './pages/identifier.js';
import { registerFirstLoginPages } from './pages/first-login.js';
import { registerRegistrationPages } from './pages/registration.js';
import { registerAccountPages } from './pages/account.js';
import { registerLegalPages } from './pages/legal.js';
import { registerForcedChangePages } from './pages/forced-change.js';
import { registerActivationEmailPages } from './pages/activation-email.js';
import { registerAccountInfoPages } from './pages/account-info.js';

export function registerSelfServiceRoutes(server: restify.Server, ctx: ServiceContext): void {
  registerPasswordPages(server, ctx);
  registerIdentifierPages(server, ctx);
  registerFirstLoginPages(server, ctx);
  registerRegistrationPages(server, ctx);
  registerAccountPages(server, ctx);
  registerForcedChangePages(server, ctx);
  registerActivationEmailPages(server, ctx);
  registerAccountInfoPages(server, ctx);
  registerLegalPages(server, ctx);
}
