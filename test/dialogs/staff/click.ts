// Clicks a button anywhere in a card (card actions and ActionSets inside the body), as Teams
// and Web Chat send it. The shared clickCard only looks at the card's own actions.
import type { Activity } from 'botbuilder';
import { cardSubmission, type CardSubmission } from '../../../cards/shared/card-action.js';
import { adaptiveAttachments } from '../../helpers/adaptive.js';

function submissions(node: unknown, out: CardSubmission[]): void {
  if (Array.isArray(node)) {
    for (const n of node) submissions(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  if (Reflect.get(node, 'type') === 'Action.Submit') {
    const data = cardSubmission(Reflect.get(node, 'data'));
    if (data) out.push(data);
  }
  for (const key of ['body', 'actions', 'items', 'columns']) submissions(Reflect.get(node, key), out);
}

export function click(replies: readonly Partial<Activity>[], choice: string): Partial<Activity> {
  for (const reply of [...replies].reverse()) {
    for (const att of adaptiveAttachments(reply)) {
      const found: CardSubmission[] = [];
      submissions(att.content, found);
      const hit = found.find((d) => d.choice === choice);
      if (hit) return { type: 'message', value: hit };
    }
  }
  throw new Error(`no button "${choice}" in the replies`);
}
