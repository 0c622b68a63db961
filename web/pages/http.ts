// HTTP plumbing of the self-service pages: HTML responses that are never cached, 303
// redirects (POST-redirect-GET), signed cookies, and CSRF tokens (double submit: a random
// nonce in an HttpOnly SameSite=Strict cookie, its HMAC in a hidden field).
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { ServiceContext } from '../../services/context.js';
import type { Actor } from '../../services/actor.js';
import { html, type SafeHtml } from './html.js';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function sendHtml(res: restify.Response, status: number, body: string, cookies: string[] = []): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': CSP,
    'X-Frame-Options': 'DENY',
    // Links carry tokens in their path: never leak them to another site.
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
  });
  res.end(body);
}

const redirects = new WeakMap<restify.Response, string>();

/** Where a handler redirected the response to (its Location), if it did. */
export const redirectedTo = (res: restify.Response): string | undefined => redirects.get(res);

export function redirect(res: restify.Response, location: string, cookies: string[] = []): void {
  redirects.set(res, location);
  res.writeHead(303, {
    Location: location,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    ...(cookies.length ? { 'Set-Cookie': cookies } : {}),
  });
  res.end();
}

export function readCookies(req: restify.Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeURIComponent(part.slice(i + 1).trim()));
  }
  return out;
}

function sign(ctx: ServiceContext, purpose: string, value: string): string {
  return createHmac('sha256', ctx.settings.secretKey).update(`${purpose}|${value}`).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieAttributes(ctx: ServiceContext, maxAgeSeconds: number): string {
  const secure = ctx.settings.publicUrl.startsWith('https:') ? '; Secure' : '';
  return `; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

/** A signed cookie (value.HMAC), HttpOnly, SameSite=Strict. */
export function signedCookie(ctx: ServiceContext, name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${encodeURIComponent(`${value}.${sign(ctx, `cookie:${name}`, value)}`)}${cookieAttributes(ctx, maxAgeSeconds)}`;
}

export function clearCookie(ctx: ServiceContext, name: string): string {
  return `${name}=${cookieAttributes(ctx, 0)}`;
}

export function readSignedCookie(ctx: ServiceContext, req: restify.Request, name: string): string | null {
  const raw = readCookies(req).get(name);
  if (!raw) return null;
  const i = raw.lastIndexOf('.');
  if (i <= 0) return null;
  const value = raw.slice(0, i);
  return safeEqual(raw.slice(i + 1), sign(ctx, `cookie:${name}`, value)) ? value : null;
}

const CSRF_COOKIE = 'ec_csrf';

export interface Csrf {
  field: SafeHtml;
  /** Set-Cookie headers to send with the page (a new nonce when the browser had none). */
  cookies: string[];
}

/** The hidden CSRF field of a form, bound to the browser's nonce cookie. */
export function csrf(ctx: ServiceContext, req: restify.Request): Csrf {
  let nonce = readCookies(req).get(CSRF_COOKIE);
  const cookies: string[] = [];
  if (!nonce || !/^[A-Za-z0-9_-]{22,64}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    cookies.push(`${CSRF_COOKIE}=${nonce}${cookieAttributes(ctx, 2 * 3600)}`);
  }
  // `once`: a fresh id per rendered form, so that a form submitted twice acts once (handler.ts).
  return {
    field: html`<input type="hidden" name="csrf" value="${sign(ctx, 'csrf', nonce)}"><input type="hidden" name="once" value="${randomUUID()}">`,
    cookies,
  };
}

export function checkCsrf(ctx: ServiceContext, req: restify.Request): boolean {
  const nonce = readCookies(req).get(CSRF_COOKIE);
  const sent = field(req, 'csrf');
  return Boolean(nonce && sent && safeEqual(sent, sign(ctx, 'csrf', nonce)));
}

/** A string field of the urlencoded body ('' when absent). */
export function field(req: restify.Request, name: string): string {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && name in body) {
    const v: unknown = (body as Record<string, unknown>)[name];
    if (typeof v === 'string') return v.slice(0, 512);
  }
  return '';
}

export function param(req: restify.Request, name: string): string {
  const params: unknown = req.params;
  const v = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/** The rate-limit source of a browser request. Never derived from forwarded headers. */
export function requestSource(req: restify.Request): string {
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}

export function anonymousActor(req: restify.Request): Actor {
  return { kind: 'anonymous', source: requestSource(req) };
}
