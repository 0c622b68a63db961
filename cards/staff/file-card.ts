// A file ready to download (sheets, list): a short-lived signed link for the person who asked.
import { adaptiveCard, facts, openUrl, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';
import { parisDateTime } from './labels.js';

export interface FileCardData {
  heading: string;
  fileName: string;
  url: string;
  expiresAt: Date;
  lines?: readonly string[];
}

export function fileCard(d: FileCardData): AdaptiveCardJson {
  return adaptiveCard(
    [
      title(d.heading),
      ...(d.lines ?? []).map((l) => text(l)),
      facts([
        { title: 'Fichier', value: d.fileName },
        { title: 'Lien valable jusqu’au', value: parisDateTime(d.expiresAt) },
      ]),
      text('Ce lien est personnel : il ne fonctionne que pour vous et pendant peu de temps.', { isSubtle: true, size: 'Small' }),
    ],
    [openUrl('Télécharger', d.url)],
    `${d.heading} : ${d.fileName}`,
  );
}
