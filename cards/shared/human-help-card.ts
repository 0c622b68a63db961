// How to reach a person: talk to an agent now (when the live handoff is open), the phone
// (tel: link), hours, whether it is open now, and the online form. Lines of text rather than
// a FactSet, whose narrow title column broke "Téléphone" in two on phones.
import { adaptiveCard, openUrl, submitData, text, title, type AdaptiveCardJson, type CardAction } from './adaptive.js';

/** What the "talk to an agent" button posts: the parents' route label (dialogs/parent/index.ts). */
export const TALK_TO_AGENT = 'Parler à une personne';

export interface HumanHelpCardData {
  /** Why the card is shown (e.g. after several answers not understood). */
  intro?: string;
  phone: string;
  phoneUri: string;
  price: string;
  hours: string;
  /** "La plateforme est ouverte en ce moment…" or closed. */
  status: string;
  open: boolean;
  formUrl: string;
  /** Offer the live conversation with an agent (button). */
  liveHandoff?: boolean;
}

export function humanHelpCard(data: HumanHelpCardData): AdaptiveCardJson {
  const actions: CardAction[] = [
    ...(data.liveHandoff ? [submitData('Écrire à un conseiller ici', TALK_TO_AGENT)] : []),
    openUrl(`Appeler le ${data.phone}`, data.phoneUri),
    openUrl('Formulaire en ligne', data.formUrl),
  ];
  return adaptiveCard(
    [
      title("Joindre la plateforme d'assistance"),
      ...(data.intro ? [text(data.intro)] : []),
      text(`**Téléphone :** [${data.phone}](${data.phoneUri}) (${data.price})`),
      text(`**Horaires :** ${data.hours}`),
      text(`**En ligne :** [formulaire d'assistance](${data.formUrl})`),
      text(data.status, { color: data.open ? 'Good' : 'Warning' }),
    ],
    actions,
    `Plateforme d'assistance : ${data.phone}. ${data.status}`,
  );
}
