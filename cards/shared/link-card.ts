// A short explanation with one or more links opened in the browser.
import { adaptiveCard, openUrl, text, title, type AdaptiveCardJson } from './adaptive.js';

/** Steps numbered 1., 2., 3. in one list (one text block per step would restart at 1 each time). */
export interface Steps {
  steps: readonly string[];
}

export interface LinkCardData {
  title: string;
  lines: readonly (string | Steps)[];
  links: readonly { label: string; url: string }[];
}

/** A Markdown ordered list in ONE text block, the form Adaptive Cards number 1., 2., 3. */
export const numberedSteps = (steps: readonly string[]): string => steps.map((s, i) => `${i + 1}. ${s}`).join('\r');

export function linkCard(data: LinkCardData): AdaptiveCardJson {
  return adaptiveCard(
    [title(data.title), ...data.lines.map((l) => text(typeof l === 'string' ? l : numberedSteps(l.steps)))],
    data.links.map((l) => openUrl(l.label, l.url)),
    data.title,
  );
}
