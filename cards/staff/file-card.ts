// A file ready to download (sheets, list): a signed link that works once, for a few minutes.
import { adaptiveCard, facts, openUrl, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';
import { parisDateTime } from './labels.js';

export interface FileCardData {
  heading: string;
  fileName: string;
  url: string;
  expiresAt: Date;
  /** How long the link lives. */
  validMinutes: number;
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
      text(
        `Lien à usage unique, valable ${d.validMinutes} minutes : il ne fonctionne qu’une fois. Le fichier contient des mots de passe provisoires : ne le transférez pas.`,
        { isSubtle: true, size: 'Small' },
      ),
    ],
    [openUrl('Télécharger', d.url)],
    `${d.heading} : ${d.fileName}`,
  );
}
