// Headless Chromium for the tests that render pages or cards (Debian's chromium, no network
// side traffic), and the accessibility audit of a page (axe, WCAG 2.1 A/AA).
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The axe rules of WCAG 2.1 levels A and AA, the level the pages must meet. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe's WCAG 2.1 A/AA violations on the page as it is now, one line each: "label: rule (impact)
 * targets". Throws when axe checked nothing (an empty page proves nothing).
 */
export async function axeViolations(page: Page, label = ''): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  if (result.passes.length === 0) throw new Error(`axe found nothing to check${label ? ` (${label})` : ''}`);
  return result.violations.map((v) => `${label ? `${label}: ` : ''}${v.id} (${v.impact ?? 'unknown'}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
