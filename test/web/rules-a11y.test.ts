// Accessibility (axe WCAG 2.1 AA, 320 px, keyboard) of the pages of the guide's remaining
// rules: forced choice of a new password, correction of the activation address, "Mon compte"
// with its information, password and mobile pages, with and without errors, and the offer to
// group the accounts found by SMS self-registration.
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
const PW = 'Ancien-Jardin-2023';

beforeAll(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma);
  server = await startSelfServiceServer(ctx);
  browser = await launchChromium();
  const school = await makeSchool(prisma);
  const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
  await makeGuardian(ctx, {
    identifier: 'p.durand',
    lastName: 'Durand',
    firstName: 'Paul',
    state: 'ACTIVATED',
    email: 'paul@example.org',
    emailConfirmed: true,
    mobile: '+33612345678',
    mobileConfirmed: true,
    personalPassword: PW,
    pupilIds: [leo.id],
  });
  await makeGuardian(ctx, { identifier: 'r.renew', lastName: 'Renou', firstName: 'Rose', state: 'ACTIVATED', personalPassword: PW, pupilIds: [leo.id] });
  await prisma.credential.updateMany({ where: { guardian: { identifier: 'r.renew' } }, data: { mustChangeSince: new Date() } });
  // One mother registered twice by the school (two references): SMS self-registration finds both.
  const zoe = await makePupil(prisma, school, 'Zoé', '2012-11-30');
  await makeGuardian(ctx, {
    identifier: 'e.lefevre',
    lastName: 'Lefèvre',
    firstName: 'Élodie',
    mobile: '+33611223344',
    state: 'NOT_NOTIFIED',
    pupilIds: [leo.id],
  });
  await makeGuardian(ctx, {
    identifier: 'e.lefevre2',
    lastName: 'Lefèvre',
    firstName: 'Élodie',
    mobile: '+33611223344',
    state: 'NOT_NOTIFIED',
    pupilIds: [zoe.id],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await prisma.$disconnect();
});

async function audit(page: Page, label: string): Promise<void> {
  expect(await page.locator('script').count()).toBe(0);
  expect(await axeViolations(page, label)).toEqual([]);
  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The keyboard reaches the first field: skip link, then (through the header) the form. */
async function keyboardReaches(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} not reached by the keyboard`);
}

async function login(page: Page, identifier: string): Promise<void> {
  await page.goto(`${server.url}/mon-compte`);
  await page.fill('#identifier', identifier);
  await page.fill('#password', PW);
  await page.click('button[type=submit]');
}

describe('pages of the guide rules: axe WCAG 2.1 AA, 320 px, keyboard', () => {
  it('forced choice of a new password, with errors', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await login(page, 'r.renew');
    expect(new URL(page.url()).pathname).toBe('/changement-mot-de-passe');
    await audit(page, 'forced change');
    await keyboardReaches(page, '#password');
    await page.fill('#password', 'court');
    await page.fill('#confirmation', 'autre');
    await page.click('button[type=submit]');
    await audit(page, 'forced change with errors');
  });

  it('correction of the activation address, with errors', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/corriger-adresse-activation`);
    await audit(page, 'activation address');
    await keyboardReaches(page, '#identifier');
    await page.fill('#identifier', 'x');
    await page.fill('#password', 'y');
    await page.fill('#email', 'pas-une-adresse');
    await page.fill('#emailConfirmation', 'pas-une-adresse');
    await page.click('button[type=submit]');
    await audit(page, 'activation address with errors');
  });

  it('Mon compte: information, password (with errors), mobile and its code', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await login(page, 'p.durand');
    expect(await page.textContent('main')).toContain('p.durand');
    await audit(page, 'mon compte');
    await page.click('text=Modifier mon mot de passe');
    await audit(page, 'change password');
    await keyboardReaches(page, '#currentPassword');
    await page.fill('#currentPassword', 'faux');
    await page.fill('#password', 'court');
    await page.fill('#confirmation', 'court');
    await page.click('button[type=submit]');
    await audit(page, 'change password with errors');
    await page.goto(`${server.url}/mon-compte/portable`);
    await audit(page, 'change mobile');
    await page.fill('#mobile', '06 98 76 54 32');
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/mon-compte/portable/code');
    await audit(page, 'mobile code');
  });

  it('SMS self-registration: the offer to group the accounts found', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/inscription`);
    await page.fill('#lastName', 'Lefèvre');
    await page.fill('#firstName', 'Élodie');
    await page.fill('#mobile', '06 11 22 33 44');
    await page.click('button[type=submit]');
    const sms = [...ctx.sent].reverse().find((m) => m.template === 'sms_code');
    await page.fill('#code', sms && 'code' in sms ? sms.code : '');
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/inscription/comptes');
    await audit(page, 'registration accounts');
    await keyboardReaches(page, '#group');
  });
});
