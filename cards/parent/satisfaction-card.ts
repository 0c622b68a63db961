// After a conversation with an agent: a one-click rating (1 to 5) with an optional comment.
import { adaptiveCard, submitData, text, title, type AdaptiveCardJson, type InputText } from '../shared/adaptive.js';

export const RATING_LABELS = ['1 – Pas du tout satisfait', '2', '3', '4', '5 – Très satisfait'];
export const COMMENT_FIELD = 'comment';

export function satisfactionCard(requestId: number): AdaptiveCardJson {
  const comment: InputText = { type: 'Input.Text', id: COMMENT_FIELD, label: 'Un commentaire ? (facultatif)', isMultiline: true, maxLength: 500 };
  return adaptiveCard(
    [title('Votre avis nous aide'), text('Êtes-vous satisfait de la réponse du conseiller ? Choisissez une note de 1 à 5.'), comment],
    RATING_LABELS.map((label, i) => submitData(label, { handoff: 'rate', requestId, rating: i + 1 })),
    'Êtes-vous satisfait de la réponse du conseiller ? Notez de 1 à 5.',
  );
}
