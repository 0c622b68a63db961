// The parents' web chat page in headless Chromium: the real Web Chat bundle on our Direct
// Line facade, accessibility (axe, WCAG 2.1 A/AA), and a 320 px wide screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { AxeBuilder } from '@axe-core/playwright';
import { StaffRole } from '../../services/db/index.js';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';

// Web Chat's Markdown turns ' into a typographic apostrophe.
const GREETING = /Bonjour, je suis l.assistant EduConnect/;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  await resetDatabase(app.ctx.db);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openChat(width = 1280, path = '/', greeting: RegExp = GREETING): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(app.url + path);
  // The greeting arrives as soon as the conversation starts.
  await page.getByText(greeting).first().waitFor({ timeout: 20_000 });
  return { page, errors };
}

describe('web chat page', () => {
  it('is served in French with a CSP and the Web Chat bundle from our own server', async () => {
    const res = await fetch(app.url + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('0&nbsp;809&nbsp;54&nbsp;06&nbsp;06');
    // Phone and hours come from services/helpdesk (HELPDESK_HOURS); nothing left unfilled.
    expect(html).toContain('du lundi au vendredi de 8&nbsp;h à 20&nbsp;h');
    expect(html).not.toContain('{{');
    expect(html).toContain('<noscript>');
    const bundle = await fetch(app.url + '/static/webchat.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
  });

  it('greets, answers "bonjour" typed in the send box, and shows no script error', async () => {
    const { page, errors } = await openChat();
    try {
      const greetings = page.getByText(GREETING);
      const before = await greetings.count();
      const input = page.getByRole('textbox').first();
      await input.click();
      await input.fill('bonjour');
      await page.keyboard.press('Enter');
      // The user's own message, echoed by the facade.
      await page.locator('.webchat__text-content', { hasText: /^bonjour$/ }).waitFor({ timeout: 10_000 });
      await expect.poll(async () => greetings.count(), { timeout: 10_000 }).toBeGreaterThan(before);
      expect(await page.getByText('vous avez perdu votre identifiant', { exact: false }).count()).toBeGreaterThan(1);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('outside production, passes ?as= to the server so that a newcomer can try the staff conversation', async () => {
    await app.ctx.db.staff.create({
      data: { aadObjectId: '00000000-0000-0000-0000-00000000a001', upn: 'agent@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] },
    });
    const { page } = await openChat(1280, '/?as=00000000-0000-0000-0000-00000000a001', /Bonjour Paul Agent/);
    try {
      expect(await page.getByText(/En tant qu.agent de l.assistance/).count()).toBeGreaterThan(0);
    } finally {
      await page.context().close();
    }
  });

  it('has no axe violations (WCAG 2.1 A and AA)', async () => {
    const { page } = await openChat();
    try {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(results.passes.length).toBeGreaterThan(10);
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(summary).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('fits a 320 px wide screen without horizontal scrolling', async () => {
    const { page } = await openChat(320);
    try {
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.client).toBe(320);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(results.violations.map((v) => v.id)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('is keyboard operable: the skip link leads to the conversation and focus is visible', async () => {
    const { page } = await openChat();
    try {
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Aller à la conversation' });
      await expect.poll(async () => skip.evaluate((el) => el === document.activeElement)).toBe(true);
      const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      await expect.poll(async () => page.evaluate(() => document.activeElement?.id)).toBe('chat-title');
    } finally {
      await page.context().close();
    }
  });
});
