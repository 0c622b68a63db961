// A question with one button per answer ("par e-mail / par SMS", "oui / non").
import { adaptiveCard, submit, text, type AdaptiveCardJson } from './adaptive.js';

export interface ChoiceCardData {
  question: string;
  /** Shown under the question (what each answer does). */
  hint?: string;
  choices: readonly { value: string; title: string }[];
  /** Nonce of the prompt that shows the card (refuses stale or replayed clicks). */
  nonce: string;
}

export function choiceCard(data: ChoiceCardData): AdaptiveCardJson {
  return adaptiveCard(
    [text(data.question, { weight: 'Bolder' }), ...(data.hint ? [text(data.hint, { isSubtle: true })] : [])],
    data.choices.map((c) => submit(c.title, data.nonce, c.value)),
    data.question,
  );
}

/** "Oui / Non" (choices `yes` and `no`). */
export function yesNoCard(question: string, nonce: string, hint?: string): AdaptiveCardJson {
  return choiceCard({
    question,
    hint,
    nonce,
    choices: [
      { value: 'yes', title: 'Oui' },
      { value: 'no', title: 'Non' },
    ],
  });
}
