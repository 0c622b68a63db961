// How to reach a person at the national assistance platform: phone (tel: link), hours,
// whether it is open now, and the online form.
import { adaptiveCard, facts, openUrl, text, title, type AdaptiveCardJson } from './adaptive.js';

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
}

export function humanHelpCard(data: HumanHelpCardData): AdaptiveCardJson {
  return adaptiveCard(
    [
      title("Joindre la plateforme d'assistance"),
      ...(data.intro ? [text(data.intro)] : []),
      facts([
        { title: 'Téléphone', value: `[${data.phone}](${data.phoneUri}) (${data.price})` },
        { title: 'Horaires', value: data.hours },
        { title: 'En ligne', value: `[Formulaire d'assistance](${data.formUrl})` },
      ]),
      text(data.status, { color: data.open ? 'Good' : 'Warning' }),
    ],
    [openUrl(`Appeler le ${data.phone}`, data.phoneUri), openUrl('Écrire à l’assistance', data.formUrl)],
    `Plateforme d'assistance : ${data.phone}. ${data.status}`,
  );
}
