// The statistics card rendered by the adaptivecards renderer (the one Web Chat uses) in
// headless Chromium: the text is readable, and the bars' widths are proportional to the
// percentages written next to them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/browser.js';
import { schoolStatsCard } from '../../../cards/staff/stats-card.js';
import { counts } from './fixtures.js';

const require = createRequire(import.meta.url);
const RENDERER = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.js'), 'utf8');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

describe('statistics card in a browser', () => {
  it('renders the French text and proportional bars', async () => {
    const card = schoolStatsCard({
      nonce: 'n',
      stats: {
        kind: 'school',
        uai: '0311478N',
        name: 'École Jules Ferry',
        computedAt: new Date('2026-11-22T01:00:00Z'),
        summary: counts(4, 1),
        classes: [
          { ...counts(4, 1), classId: 1, className: 'CM1 A', level: 'CM1' },
          { ...counts(4, 3), classId: 2, className: 'CP', level: 'CP' },
        ],
        classesTotal: counts(8, 4),
        levels: [],
        levelsTotal: counts(1, 0),
      },
    });
    const page = await browser.newPage({ viewport: { width: 600, height: 1200 } });
    await page.setContent('<!DOCTYPE html><html lang="fr"><body><div id="card"></div></body></html>');
    await page.addScriptTag({ content: RENDERER });
    const rendered = await page.evaluate((json) => {
      const ac: { AdaptiveCard: new () => { parse(j: unknown): void; render(): HTMLElement | undefined } } = Reflect.get(window, 'AdaptiveCards');
      const instance = new ac.AdaptiveCard();
      instance.parse(json);
      const element = instance.render();
      if (element) document.getElementById('card')?.appendChild(element);
      return element?.innerText ?? '';
    }, card);
    expect(rendered).toContain('Statistiques calculées le 22/11/2026 à 02:00.');
    expect(rendered).toContain('25 %');
    expect(rendered).toContain('75 %');
    // Good (filled) columns: CM1 A at 25 %, CP at 75 % of the same track.
    const widths = await page.evaluate(() => {
      const filled = Array.from(document.querySelectorAll<HTMLElement>('.ac-columnSet .ac-columnSet > .ac-container'));
      return filled.map((c) => c.getBoundingClientRect().width);
    });
    expect(widths.length).toBeGreaterThanOrEqual(4);
    const [cm1Filled = 0, cm1Empty = 0, cpFilled = 0, cpEmpty = 0] = widths;
    expect(cm1Filled / (cm1Filled + cm1Empty)).toBeCloseTo(0.25, 1);
    expect(cpFilled / (cpFilled + cpEmpty)).toBeCloseTo(0.75, 1);
    await page.close();
  });
});
