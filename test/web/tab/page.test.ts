// The Teams tab in headless Chromium: outside Teams (the message), as a director and as an agent
// with ?as= (charts and tables, axe, keyboard only, 320 px), and framed by a small teams-js host
// stub answering initialize, getContext and getAuthToken (theme switch, token sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, launchChromium } from '../../helpers/browser.js';
import { AGENT, DIRECTOR, DIRECTOR_OF_TWO, startTabWorld, type TabWorld } from './setup.js';

let world: TabWorld;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  world = await startTabWorld();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});

async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fr-FR' });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(world.app.url + path);
  return { page, errors };
}

describe('Teams tab page', () => {
  it('outside Teams, says how to open it in Teams', async () => {
    const { page } = await open('/tab/');
    await expect.poll(() => page.locator('#status').textContent()).toContain("s'ouvre dans Microsoft Teams");
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows a director's school: figures, chart with its table, sortable classes, requests, exports; axe clean", async () => {
    const { page, errors } = await open(`/tab/?as=${DIRECTOR}`);
    await page.getByRole('heading', { name: /Sainte-Famille/ }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.getByRole('table', { name: /Activation depuis la rentrée/ }).count()).toBe(1);
    const classes = page.getByRole('table', { name: /Comptes par classe/ });
    expect(await classes.locator('tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('heading', { name: /Demandes des parents en cours/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Liste en CSV (tableur)' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('is usable with the keyboard only: sorting a table and exporting a list', async () => {
    const { page } = await open(`/tab/?as=${DIRECTOR}`);
    await page.getByRole('heading', { name: /Sainte-Famille/ }).waitFor();
    const header = page.getByRole('columnheader', { name: 'Total' });
    // Tab to the "Total" column's sort button and press Enter.
    for (let i = 0; i < 60 && !(await page.evaluate(() => document.activeElement?.textContent === 'Total')); i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Total');
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const totals = await page
      .getByRole('table', { name: /Comptes par classe/ })
      .locator('tbody tr td:nth-of-type(5)')
      .allTextContents();
    const numbers = totals.map((t) => Number(t.replace(/\s/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    for (let i = 0; i < 80 && !(await page.evaluate(() => document.activeElement?.textContent === 'Liste en PDF')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: /Télécharger Educonnect-ListeResponsables-\d{14}\.pdf/ }).waitFor();
  });

  it('fits a 320 px screen without horizontal scrolling of the page', async () => {
    const { page } = await open(`/tab/?as=${DIRECTOR_OF_TWO}`, 320);
    await page.getByLabel('Établissement').waitFor();
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    // The second school through the chooser.
    await page.getByLabel('Établissement').selectOption('9741087A');
    await page.getByRole('heading', { name: /Bois-de-Nèfles/ }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("shows an agent the national figures, then an academy's, with the same chart and table", async () => {
    const { page, errors } = await open(`/tab/?as=${AGENT}`);
    await page.getByRole('heading', { name: "Tableau de bord de l'assistance" }).waitFor();
    const schools = page.getByRole('table', { name: /Comptes par établissement/ });
    await expect.poll(() => schools.locator('tbody tr').count()).toBe(4);
    await page.getByLabel('Périmètre').selectOption('La Réunion');
    await expect.poll(() => schools.locator('tbody tr').count()).toBe(2);
    expect(await page.getByRole('table', { name: /Activation depuis la rentrée/ }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('retries with a French message while the service is unavailable', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    let calls = 0;
    await page.route('**/api/tab/me?*', async (route) => {
      calls += 1;
      if (calls === 1)
        await route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: 'Le service est momentanément indisponible. Nouvel essai dans quelques secondes…', retry: true }),
        });
      else await route.continue();
    });
    await page.goto(`${world.app.url}/tab/?as=${DIRECTOR}`);
    await expect.poll(() => page.locator('#status').textContent()).toContain('momentanément indisponible');
    await page.getByRole('heading', { name: /Sainte-Famille/ }).waitFor({ timeout: 15_000 });
    expect(calls).toBe(2);
  });
});

/** A page that frames /tab/ and answers it as Teams does (same origin, so teams-js accepts it). */
function hostStub(token: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Hôte Teams de test</title></head><body>
<iframe id="tab" title="Onglet" src="/tab/" style="width:1200px;height:760px"></iframe>
<script>
  window.calls = [];
  const frame = document.getElementById('tab');
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || typeof m.id !== 'number' || typeof m.func !== 'string') return;
    window.calls.push(m.func);
    const reply = (args) => e.source.postMessage({ id: m.id, args }, '*');
    if (m.func === 'initialize') reply(['content', 'web', '2.0.0', '2.0.0']);
    else if (m.func === 'getContext') reply([{ theme: 'dark', locale: 'fr-fr', userObjectId: '${DIRECTOR}', tid: 'tenant', frameContext: 'content', hostClientType: 'web', entityId: 'dashboard' }]);
    else if (m.func === 'authentication.getAuthToken') reply([true, ${JSON.stringify(token)}]);
    else reply([]);
  });
  window.switchTheme = (theme) => frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, '*');
</script></body></html>`;
}

describe('Teams tab inside a teams-js host', () => {
  it('initialises, follows the theme, and calls the API with the SSO token', async () => {
    const token = await world.token();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    const authorizations: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/tab/')) authorizations.push(r.headers().authorization ?? '');
    });
    await page.route('**/teams-host-stub', (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostStub(token) }));
    await page.goto(`${world.app.url}/teams-host-stub`);
    const tab = page.frameLocator('#tab');
    await tab.getByRole('heading', { name: /Sainte-Famille/ }).waitFor({ timeout: 20_000 });
    expect(authorizations.length).toBeGreaterThan(0);
    expect(new Set(authorizations)).toEqual(new Set([`Bearer ${token}`]));
    const theme = () => tab.locator('body').getAttribute('data-theme');
    expect(await theme()).toBe('dark');
    await page.evaluate(() => (window as unknown as { switchTheme(t: string): void }).switchTheme('contrast'));
    await expect.poll(theme).toBe('contrast');
    await page.evaluate(() => (window as unknown as { switchTheme(t: string): void }).switchTheme('default'));
    await expect.poll(theme).toBe('default');
    const calls = await page.evaluate(() => (window as unknown as { calls: string[] }).calls);
    expect(calls).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
  });
});
