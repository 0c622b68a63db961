// Choice values of card buttons that carry an id ("account:12", "school:0311478N"…): built by
// the cards, read back by the dialogs, with one definition of each prefix.
import { cardSubmission } from '../shared/card-action.js';

export type ChoiceKind = 'account' | 'situation' | 'school' | 'case' | 'state' | 'batch' | 'class' | 'file' | 'pupil' | 'link';

export const choiceFor = (kind: ChoiceKind, id: string | number): string => `${kind}:${id}`;

/** The id of a clicked button of this kind (from an activity's value), if it is one. */
export function clickedId(value: unknown, kind: ChoiceKind): string | undefined {
  const choice = cardSubmission(value)?.choice;
  return choice?.startsWith(`${kind}:`) ? choice.slice(kind.length + 1) : undefined;
}

/** The "Fermer" / "Annuler" button of a card that waits for a click: closes the request. */
export const CLOSE = 'close';
