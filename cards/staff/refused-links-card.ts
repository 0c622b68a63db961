// Children the parents removed from their account ("n'est pas mon enfant") in a school: one
// line per refused link with a "Rétablir" button, and "Fermer".
import { choiceFor, CLOSE } from './choices.js';
import { adaptiveCard, submit, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { parisDate } from './labels.js';

export interface RefusedLinkLine {
  pupilId: number;
  guardianId: number;
  /** "Léa DUPONT (CM1 A)" */
  pupil: string;
  /** "DUPONT Marie (m.dupont)" */
  guardian: string;
  refusedAt: Date;
}

export interface RefusedLinksCardData {
  schoolName: string;
  links: readonly RefusedLinkLine[];
  /** More links than shown. */
  truncated: boolean;
  nonce: string;
}

/** The choice value of a link's "Rétablir" button: `link:<pupilId>.<guardianId>`. */
export const linkChoice = (pupilId: number, guardianId: number): string => choiceFor('link', `${pupilId}.${guardianId}`);

/** The pupil and guardian ids of a link choice's id part. */
export function parseLinkId(id: string | undefined): { pupilId: number; guardianId: number } | undefined {
  const m = /^(\d{1,9})\.(\d{1,9})$/.exec(id ?? '');
  return m ? { pupilId: Number(m[1]), guardianId: Number(m[2]) } : undefined;
}

export function refusedLinksCard(d: RefusedLinksCardData): AdaptiveCardJson {
  const heading = `Enfants retirés par les parents – ${d.schoolName}`;
  const body: CardElement[] = [
    title(heading),
    text("L'import de la nuit ne rattache plus ces élèves à ces comptes. Rétablissez un lien seulement si le parent s'est trompé.", { isSubtle: true }),
  ];
  d.links.forEach((l, i) => {
    body.push({
      type: 'Container',
      separator: i > 0,
      items: [
        text(`**${l.pupil}** retiré par ${l.guardian}`),
        text(`Le ${parisDate(l.refusedAt)}`, { isSubtle: true, spacing: 'None' }),
        { type: 'ActionSet', actions: [submit(`Rétablir ${l.pupil}`, d.nonce, linkChoice(l.pupilId, l.guardianId))] },
      ],
    });
  });
  if (d.truncated) body.push(text("D'autres liens refusés existent : rétablissez d'abord ceux-ci ou consultez le rapport de l'import.", { color: 'Warning' }));
  return adaptiveCard(body, [submit('Fermer', d.nonce, CLOSE)], heading);
}
