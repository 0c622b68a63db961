// The parents' web chat page in headless Chromium: the real Web Chat bundle on our Direct
// Line facade, accessibility (axe, WCAG 2.1 A/AA), the send box visible on arrival (1280×800
// and 320 px wide), suggestions that do not overlap, French timestamps, the staff introduction
// with ?as=, and one stylesheet shared with the self-service pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { AxeBuilder } from '@axe-core/playwright';
import { StaffRole } from '../../services/db/index.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { dialogDeps, tableRecognizer } from '../helpers/dialogs.js';
import { RootDialog } from '../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../dialogs/parent/index.js';
import { registerStaffDialogs } from '../../dialogs/staff/index.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { PAGES } from '../../services/public-paths.js';
import { layout, siteFooter, siteHeader } from '../../web/pages/layout.js';
import { html } from '../../web/pages/html.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

// Web Chat's Markdown turns ' into a typographic apostrophe.
const GREETING = /Bonjour, je suis l.assistant EduConnect/;

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  // The real dialogs (greetings with their suggestions); a table stands in for the recognizer.
  const deps = dialogDeps(testContext(testPrisma()), tableRecognizer({ bonjour: 'greeting' }));
  app = await startTestApp({ rootDialog: registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps) });
  await resetDatabase(app.ctx.db);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function openChat(width = 1280, path = '/', greeting: RegExp = GREETING, height = 800): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'fr-FR' });
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
      expect(await page.getByText(/perdu mon identifiant/).count()).toBeGreaterThan(1);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it("outside production, passes ?as= to the server and shows staff their own introduction, not the parents' help", async () => {
    await app.ctx.db.staff.createMany({
      data: [
        { aadObjectId: '00000000-0000-0000-0000-00000000a001', upn: 'agent@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] },
        {
          aadObjectId: '00000000-0000-0000-0000-00000000d001',
          upn: 'dir@example.org',
          displayName: 'Claire Directrice',
          role: StaffRole.DIRECTOR,
          uais: ['0311478N'],
        },
      ],
    });
    const { page } = await openChat(1280, '/?as=00000000-0000-0000-0000-00000000a001', /Bonjour Paul Agent/);
    try {
      await expect.poll(async () => page.getByRole('heading', { level: 1 }).textContent()).toBe('Assistance EduConnect pour les agents');
      expect(await page.locator('#chat-help').textContent()).toMatch(/reconnaît comme Paul Agent \(agent de la plateforme d’assistance\)/);
      expect(await page.getByText(/Ne communiquez jamais|date de naissance refusée/).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Parler à une personne' }).count()).toBe(0);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(results.violations.map((v) => v.id)).toEqual([]);
    } finally {
      await page.context().close();
    }
    const director = await (await fetch(`${app.url}/?as=00000000-0000-0000-0000-00000000d001`)).text();
    expect(director).toContain('Assistance EduConnect pour les directions');
    expect(director).toContain('reconnaît comme Claire Directrice (direction d’école ou d’établissement)');
    expect(director).not.toContain('pour les parents');
    // Anyone not in the directory, or a malformed id, gets the parents' page.
    for (const as of ['00000000-0000-0000-0000-0000000000ff', '<script>']) {
      expect(await (await fetch(`${app.url}/?as=${encodeURIComponent(as)}`)).text()).toContain('Assistance EduConnect pour les parents');
    }
  });

  it("in production, ignores ?as= (the parents' page)", async () => {
    const prod = await startTestApp({
      env: { NODE_ENV: 'production', MicrosoftAppId: '11111111-1111-1111-1111-111111111111', MicrosoftAppPassword: 'not-used-in-this-test' },
    });
    try {
      const body = await (await fetch(`${prod.url}/?as=00000000-0000-0000-0000-00000000d001`)).text();
      expect(body).toContain('Assistance EduConnect pour les parents');
      expect(body).not.toContain('reconnaît comme');
    } finally {
      await prod.close();
    }
  });

  it('shares ONE stylesheet, header and footer with the self-service pages', async () => {
    const chat = await (await fetch(app.url + '/')).text();
    const styles = [...chat.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    expect(styles).toEqual([PAGES.styles]);
    const css = await fetch(app.url + PAGES.styles);
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
    const selfService = layout({ title: 'Essai', body: html`<p>…</p>` });
    expect([...selfService.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1])).toEqual([PAGES.styles]);
    expect(selfService).toContain(siteHeader().value);
    expect(chat).toContain(siteHeader().value);
    expect(selfService).toContain(siteFooter().value);
    // The same footer, with the hours of this service's settings (HELPDESK_HOURS).
    expect(chat).toContain('<footer class="footer"><p>Besoin d\'aide ? Assistance par téléphone au');
  });

  for (const [width, height] of [
    [1280, 800],
    [320, 640],
  ] as const) {
    it(`shows the message box on arrival without scrolling at ${width}×${height}`, async () => {
      const { page } = await openChat(width, '/', GREETING, height);
      try {
        const box = await page.getByRole('textbox', { name: 'Zone de saisie du message' }).boundingBox();
        expect(box).not.toBeNull();
        if (!box) return;
        expect(await page.evaluate(() => window.scrollY)).toBe(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(height);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
      } finally {
        await page.context().close();
      }
    });
  }

  it('lays out the suggestions without anything covering a button', async () => {
    const { page } = await openChat();
    try {
      const buttons = page.locator('.webchat__suggested-actions button');
      await expect.poll(async () => buttons.count(), { timeout: 10_000 }).toBeGreaterThan(2);
      const boxes = (await Promise.all((await buttons.all()).map((b) => b.boundingBox()))).filter((b) => b !== null);
      expect(boxes.length).toBeGreaterThan(2);
      const overlap = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(overlap(a, b)).toBe(false);
      // The element on top at each button's centre is that button (no arrow, no other control over it).
      const covered = await buttons.evaluateAll(
        (list) =>
          list.filter((el) => {
            const r = el.getBoundingClientRect();
            if (r.width === 0) return false;
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return top !== null && !el.contains(top) && r.bottom <= window.innerHeight;
          }).length,
      );
      expect(covered).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('gives screen readers the time of each message in French (a <time>, no "AM"/"PM")', async () => {
    const { page } = await openChat();
    try {
      const times = page.locator('time.chat-time');
      await expect.poll(async () => times.count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const said = (await times.first().locator('.visually-hidden').textContent()) ?? '';
      expect(said).toMatch(/^Envoyé le \d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) à \d{1,2} h \d{2}$/);
      expect(await times.first().getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(await page.locator('.webchat__activity-status').filter({ hasText: /AM|PM/ }).count()).toBe(0);
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
      // On with Tab only: a suggestion button, pressed with Enter, is sent as the user's message.
      const focusedText = async (): Promise<string> =>
        page.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? (document.activeElement.textContent ?? '') : ''));
      let label = '';
      for (let i = 0; i < 60 && !label.includes('perdu'); i++) {
        await page.keyboard.press('Tab');
        label = await focusedText();
      }
      expect(label).toMatch(/perdu/);
      await page.keyboard.press('Enter');
      await page.locator('.webchat__bubble--from-user', { hasText: label }).first().waitFor({ timeout: 10_000 });
      // And the message box, reached with Tab, sends with Enter.
      let inBox = false;
      for (let i = 0; i < 60 && !inBox; i++) {
        await page.keyboard.press('Tab');
        inBox = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Zone de saisie du message');
      }
      expect(inBox).toBe(true);
      await page.keyboard.type('merci');
      await page.keyboard.press('Enter');
      await page.locator('.webchat__text-content', { hasText: /^merci$/ }).waitFor({ timeout: 10_000 });
    } finally {
      await page.context().close();
    }
  });
});
