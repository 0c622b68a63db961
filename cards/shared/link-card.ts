// A short explanation with one or more links opened in the browser.
import { adaptiveCard, openUrl, text, title, type AdaptiveCardJson } from './adaptive.js';

export interface LinkCardData {
  title: string;
  lines: readonly string[];
  links: readonly { label: string; url: string }[];
}

export function linkCard(data: LinkCardData): AdaptiveCardJson {
  return adaptiveCard(
    [title(data.title), ...data.lines.map((l) => text(l))],
    data.links.map((l) => openUrl(l.label, l.url)),
    data.title,
  );
}
