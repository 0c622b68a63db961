// /dev/outbox over HTTP: what the outbox holds (newest first, recipients partly masked, bodies
// decrypted while present, "effacé après envoi" once sent), a newcomer follows the reset link
// of a lost-password request from there in Chromium (axe clean); 404 in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser as Chromium } from 'playwright-core';
import { axeViolations, launchChromium } from '../helpers/browser.js';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { Browser } from './selfservice-client.js';
import { makeGuardian, makeSchool } from '../services/selfservice/fixtures.js';
import { registerSelfServiceRoutes } from '../../web/selfservice-routes.js';
import { DEV_OUTBOX_PATH, registerDevOutbox } from '../../web/dev/outbox.js';
import { runOutboxOnce } from '../../services/delivery/outbox.js';

let app: TestApp;
let chromium: Chromium;

beforeAll(async () => {
  app = await startTestApp({ routes: [registerSelfServiceRoutes, registerDevOutbox] });
  await resetDatabase(app.ctx.db);
  await makeSchool(app.ctx.db);
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await app?.close();
});

async function lostPassword(identifier: string, method: 'email' | 'sms'): Promise<void> {
  const b = new Browser(app.url);
  await b.get('/mot-de-passe-perdu');
  const r = await b.post('/mot-de-passe-perdu', { identifier, method });
  expect(r.status).toBe(303);
}

describe('/dev/outbox', () => {
  it('lists the outbox newest first with masked recipients and bodies while present; a newcomer follows the reset link', async () => {
    await makeGuardian(app.ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATED',
      email: 'claire.martin@example.org',
      emailConfirmed: true,
      mobile: '+33612345678',
      mobileConfirmed: true,
      personalPassword: 'Ancien-Mot2passe',
    });
    // A first reset link, sent (its body is then erased), then a second one and an SMS code, waiting.
    await lostPassword('c.martin', 'email');
    const sent = await runOutboxOnce(app.ctx, { email: async () => undefined, close: () => undefined });
    expect(sent.sent).toBe(1);
    await lostPassword('c.martin', 'email');
    await lostPassword('c.martin', 'sms');

    const res = await fetch(app.url + DEV_OUTBOX_PATH);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    const page = await res.text();
    const titles = [...page.matchAll(/<h2 id="message-\d+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(3);
    expect(titles[0]).toMatch(/^SMS à \+33\*+78$/);
    expect(titles[1]).toMatch(/^E-mail à c\*\*\*n@example\.org – /);
    expect(titles[2]).toBe(titles[1]);
    expect(page).not.toContain('claire.martin@example.org');
    expect(page).not.toContain('+33612345678');
    // Newest first: the SMS (waiting), the second link (waiting, body in clear), the first (sent, erased).
    const states = [...page.matchAll(/<dt>État<\/dt><dd>([^<]+)<\/dd>/g)].map((m) => m[1]);
    expect(states).toEqual(['en attente', 'en attente', 'envoyé']);
    expect(page.match(/effacé après envoi/g)).toHaveLength(1);
    expect(page).toMatch(/code[^<]*\b\d{6}\b/);
    const links = [...page.matchAll(/<a href="([^"]+\/mot-de-passe\/[^"]+)">/g)].map((m) => m[1]);
    expect(links).toHaveLength(1);

    const context = await chromium.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
    try {
      const tab = await context.newPage();
      await tab.goto(app.url + DEV_OUTBOX_PATH);
      expect(await axeViolations(tab)).toEqual([]);
      await tab.getByRole('link', { name: /\/mot-de-passe\// }).click();
      await tab.getByRole('heading', { level: 1 }).waitFor();
      expect(new URL(tab.url()).pathname).toMatch(/^\/mot-de-passe\/[A-Za-z0-9_-]+$/);
      expect(await tab.locator('#username').inputValue()).toBe('c.martin');
    } finally {
      await context.close();
    }
  });

  it('does not exist in production', async () => {
    const prod = await startTestApp({
      env: { NODE_ENV: 'production', MicrosoftAppId: '11111111-1111-1111-1111-111111111111', MicrosoftAppPassword: 'not-used-in-this-test' },
      routes: [registerDevOutbox],
    });
    try {
      expect((await fetch(prod.url + DEV_OUTBOX_PATH)).status).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
