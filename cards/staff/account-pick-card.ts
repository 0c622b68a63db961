// Accounts found by a search, one button each, to choose the one to act on.
import { choiceFor, CLOSE } from './choices.js';
import type { AccountState } from '../../services/db/index.js';
import { adaptiveCard, submit, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { STATE_LABELS } from './labels.js';

export interface PickableAccount {
  guardianId: number;
  lastName: string;
  firstName: string;
  identifier: string;
  state: AccountState;
  /** "Léa DUPONT (CM1 A)"… */
  children: readonly string[];
}

export interface AccountPickCardData {
  question: string;
  accounts: readonly PickableAccount[];
  /** More accounts matched than shown. */
  truncated: boolean;
  nonce: string;
}

/** The choice value of an account's button. */
export const accountChoice = (guardianId: number): string => choiceFor('account', guardianId);

export function accountPickCard(d: AccountPickCardData): AdaptiveCardJson {
  const body: CardElement[] = [title(d.question)];
  d.accounts.forEach((a, i) => {
    body.push({
      type: 'Container',
      separator: i > 0,
      items: [
        text(`**${i + 1}. ${a.lastName} ${a.firstName}** – ${a.identifier}`),
        text(`${STATE_LABELS[a.state]}${a.children.length ? ` · Enfant(s) : ${a.children.join(', ')}` : ''}`, { isSubtle: true, spacing: 'None' }),
        { type: 'ActionSet', actions: [submit(`Choisir ${a.firstName} ${a.lastName}`, d.nonce, accountChoice(a.guardianId))] },
      ],
    });
  });
  if (d.truncated) body.push(text("D'autres comptes correspondent : précisez votre recherche si la personne n'est pas dans la liste.", { color: 'Warning' }));
  return adaptiveCard(body, [submit('Annuler', d.nonce, CLOSE)], d.question);
}
