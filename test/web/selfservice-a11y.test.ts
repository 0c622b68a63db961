// Accessibility of the self-service pages in headless Chromium with axe (WCAG 2.1 A/AA),
// with and without errors, at desktop width and at 320 px. The pages carry no script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../helpers/browser.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { startSelfServiceServer, type TestServer } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool, recordingContext, type RecordingContext } from '../services/selfservice/fixtures.js';

const prisma = testPrisma();
let ctx: RecordingContext;
let server: TestServer;
let browser: Browser;
const TEMP = 'Tmp#Pass7word';

beforeAll(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma);
  server = await startSelfServiceServer(ctx);
  browser = await launchChromium();
  const school = await makeSchool(prisma);
  const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
  await makeGuardian(ctx, { identifier: 'c.martin', state: 'NOTIFIED', temporaryPassword: TEMP, pupilIds: [leo.id] });
  await makeGuardian(ctx, {
    identifier: 'p.durand',
    lastName: 'Durand',
    firstName: 'Paul',
    state: 'ACTIVATED',
    email: 'paul@example.org',
    emailConfirmed: true,
    personalPassword: 'Ancien-Mot2passe',
    pupilIds: [leo.id],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await prisma.$disconnect();
});

/** axe runs as injected JavaScript; the pages themselves have none (checked below). */
const newContext = () => browser.newContext();

async function audit(page: Page, label: string): Promise<void> {
  expect(await page.locator('script').count()).toBe(0);
  expect(await axeViolations(page, label)).toEqual([]);
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
}

async function fitsIn320(page: Page): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(overflow).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('self-service pages: axe WCAG 2.1 AA', () => {
  it('new password page (from an email link), then with errors', { timeout: 90_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/mot-de-passe-perdu`);
    await audit(page, 'lost password');
    await page.fill('#identifier', 'p.durand');
    await page.click('button[type=submit]');
    await page.waitForURL(/envoye/);
    await audit(page, 'lost password sent');
    const mail = ctx.sent.find((m) => m.template === 'password_reset_link');
    const url = mail && 'url' in mail ? mail.url : '';
    expect(url).not.toBe('');
    await page.goto(url);
    await audit(page, 'new password');
    await fitsIn320(page);
    await page.fill('#password', 'court');
    await page.fill('#confirmation', 'autre');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    await audit(page, 'new password with errors');
    await fitsIn320(page);
    await context.close();
  });

  it('first login: both steps, with errors', { timeout: 90_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/premiere-connexion`);
    await audit(page, 'first login step 1');
    await fitsIn320(page);
    await page.fill('#identifier', 'c.martin');
    await page.fill('#temporaryPassword', 'faux');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    await audit(page, 'first login step 1 with errors');
    await page.fill('#temporaryPassword', TEMP);
    await page.click('button[type=submit]');
    await page.waitForURL(/suite/);
    expect(await page.textContent('label[for=birthDate]')).toContain('Léo');
    await audit(page, 'first login step 2');
    await fitsIn320(page);
    await page.fill('#password', 'martin');
    await page.fill('#confirmation', 'x');
    await page.fill('#email', 'pas-un-mail');
    await page.fill('#birthDate', '01/01/2001');
    await page.click('button[type=submit]');
    await page.waitForSelector('.error-summary');
    await audit(page, 'first login step 2 with errors');
    await fitsIn320(page);
    await context.close();
  });

  it('other pages: lost identifier, SMS registration, privacy, terms, mon compte', { timeout: 90_000 }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    for (const path of ['/identifiant-perdu', '/inscription', '/confidentialite', '/conditions-utilisation', '/mon-compte']) {
      await page.goto(server.url + path);
      await audit(page, path);
      await fitsIn320(page);
    }
    await page.fill('#identifier', 'p.durand');
    await page.fill('#password', 'Ancien-Mot2passe');
    await page.click('button[type=submit]');
    await page.waitForSelector('#mes-enfants');
    await audit(page, 'mon compte');
    await fitsIn320(page);
    await context.close();
  });
});
