// The data carried by every Action.Submit of our cards: the choice, and the nonce of the
// prompt that showed the card. A stale or replayed action carries a nonce nobody expects.

export interface CardSubmission {
  nonce: string;
  choice: string;
}

/** The submission in an activity's `value`, if it is one of ours. */
export function cardSubmission(value: unknown): CardSubmission | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const nonce: unknown = Reflect.get(value, 'nonce');
  const choice: unknown = Reflect.get(value, 'choice');
  if (typeof nonce !== 'string' || typeof choice !== 'string') return undefined;
  if (nonce.length > 100 || choice.length > 100) return undefined;
  return { nonce, choice };
}

/**
 * A case action clicked on a card sent outside any dialog (the director's proactive card):
 * the case, the state asked for, and the state the card showed (a replay or a stale card
 * is refused by the service), and the case's single-use confirmation on that card. The
 * message typed in the card's `note.<reference>` field comes with it.
 */
export interface CaseActionData {
  caseAction: { reference: string; to: string; from: string; confirmation?: string };
}

export interface CaseActionSubmission {
  reference: string;
  to: string;
  from: string;
  /** The message typed on the card for this case, as sent (checked by the service). */
  note: string;
  /** The single-use confirmation of this case's buttons on this card (checked by the service). */
  confirmation?: string;
}

export const caseNoteInputId = (reference: string): string => `note.${reference}`;

/** The case action in an activity's `value`, if it is one. */
export function caseActionSubmission(value: unknown): CaseActionSubmission | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const action: unknown = Reflect.get(value, 'caseAction');
  if (typeof action !== 'object' || action === null) return undefined;
  const [reference, to, from]: unknown[] = ['reference', 'to', 'from'].map((k): unknown => Reflect.get(action, k));
  if (typeof reference !== 'string' || typeof to !== 'string' || typeof from !== 'string') return undefined;
  if (reference.length > 40 || to.length > 40 || from.length > 40) return undefined;
  const note: unknown = Reflect.get(value, caseNoteInputId(reference));
  const confirmation: unknown = Reflect.get(action, 'confirmation');
  return {
    reference,
    to,
    from,
    note: typeof note === 'string' ? note : '',
    ...(typeof confirmation === 'string' && confirmation.length <= 40 ? { confirmation } : {}),
  };
}
