// The playbook's answer for a situation: the recommended actions explained, and one button
// per action the service can do now (each is confirmed before it is done).
import { adaptiveCard, submit, text, title, type AdaptiveCardJson, type CardAction, type CardElement } from '../shared/adaptive.js';

export interface OfferedAction {
  /** The choice sent back. */
  choice: string;
  label: string;
}

export interface RecommendationCardData {
  heading: string;
  /** Recommended actions, in order, with their explanation. */
  recommended: readonly { label: string; explanation: string }[];
  /** Buttons (every action allowed now, recommended ones first). */
  actions: readonly OfferedAction[];
  /** A line above the buttons (an action not offered here, and why). */
  note?: string;
  nonce: string;
}

export const FINISHED = 'finished';

export function recommendationCard(d: RecommendationCardData): AdaptiveCardJson {
  const body: CardElement[] = [title(d.heading), text('Action(s) recommandée(s)', { weight: 'Bolder' })];
  d.recommended.forEach((r, i) => body.push(text(`${i + 1}. **${r.label}** : ${r.explanation}`)));
  if (d.note) body.push(text(d.note, { isSubtle: true }));
  const buttons: CardAction[] = [...d.actions.map((a) => submit(a.label, d.nonce, a.choice)), submit('Terminer', d.nonce, FINISHED)];
  for (let i = 0; i < buttons.length; i += 3) body.push({ type: 'ActionSet', actions: buttons.slice(i, i + 3) });
  return adaptiveCard(body, [], d.heading);
}
