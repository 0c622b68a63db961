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
