// A question with more answers than a card shows as its own actions (hosts cap them at 5):
// the buttons go in rows of three inside the body.
import { adaptiveCard, submit, text, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { choiceCard } from '../shared/choice-card.js';

export interface ButtonsCardData {
  question: string;
  hint?: string;
  choices: readonly { value: string; title: string }[];
  nonce: string;
}

export const BUTTONS_PER_ROW = 3;

export function buttonsCard(d: ButtonsCardData): AdaptiveCardJson {
  const body: CardElement[] = [text(d.question, { weight: 'Bolder' }), ...(d.hint ? [text(d.hint, { isSubtle: true })] : [])];
  for (let i = 0; i < d.choices.length; i += BUTTONS_PER_ROW) {
    body.push({ type: 'ActionSet', actions: d.choices.slice(i, i + BUTTONS_PER_ROW).map((c) => submit(c.title, d.nonce, c.value)) });
  }
  return adaptiveCard(body, [], d.question);
}

/** Most buttons a card shows as its own actions (Teams and the adaptivecards validator: 5). */
export const MAX_CARD_ACTIONS = 5;

/** A question card: its own action buttons when they fit, rows in the body otherwise. */
export function questionCard(d: ButtonsCardData): AdaptiveCardJson {
  return d.choices.length <= MAX_CARD_ACTIONS ? choiceCard(d) : buttonsCard(d);
}
