// What every staff dialog shares: the staff actor of the turn, prompts whose parser may look
// at the turn (the actor's schools…), entities of the request, dialog values, and replies
// carrying a card.
import type { DialogContext, DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { StaffActor } from '../../services/actor.js';
import { isStaff } from '../../services/actor.js';
import { forbidden } from '../../services/errors.js';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import { questionCard } from '../../cards/staff/buttons-card.js';
import { CLOSE } from '../../cards/staff/choices.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { ParsedPrompt, type PromptId, type PromptParser } from '../shared/prompts.js';
import { residualWords } from './request-words.js';
import { choiceParser, type Choice, type Parsed, type PromptInput } from '../shared/validators.js';
import { turnActor } from '../types.js';

/** A parser that may read the turn (actor, database through the dialog's services). */
export type TurnParser<T> = (input: PromptInput, context: TurnContext) => Promise<Parsed<T>>;

/** A ParsedPrompt whose parser sees the turn: same re-prompts, caps, card nonces and password guard. */
export class TurnPrompt<T> extends ParsedPrompt<T> {}

/** The staff actor of the turn (routes only let staff in; anyone else is refused). */
export function staffActorOf(context: TurnContext): StaffActor {
  const actor = turnActor(context);
  if (!isStaff(actor)) throw forbidden(`actor ${actor.kind} in a staff dialog`);
  return actor;
}

/**
 * A name: a free text of 2 to 120 characters with at least one letter or digit, not made
 * only of the words of a request ("liste des comptes" typed where a name is asked is another
 * request: the prompt offers to switch to it, switch.ts).
 */
export function textParser(retry: string): (input: PromptInput) => Parsed<string> {
  return ({ text }) => {
    const t = text.replace(/\s+/g, ' ').trim();
    const named = t.length >= 2 && t.length <= 120 && /[\p{L}\d]/u.test(t) && residualWords(t).length > 0;
    return named ? { ok: true, value: t } : { ok: false, retry };
  };
}

/** A card reply (no button expecting an answer: links only). */
export function cardActivity(card: AdaptiveCardJson, summary?: string): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card), summary, summary);
}

/** Said when a card is closed by its "Fermer" / "Annuler" button. */
export const CLOSED = 'Très bien. Que puis-je faire d’autre pour vous ?';

/**
 * A staff dialog, typed by the values its steps keep (`V`, JSON only, never a secret): `keep` and
 * `kept` check the key and the value's type; answers are read typed by the prompt that asked.
 */
export abstract class StaffDialog<V extends object = object> extends BaseDialog {
  /**
   * The "Fermer" / "Annuler" button (choice CLOSE) of the card the innermost prompt waits
   * on closes the whole request; stale clicks are refused by BaseDialog as usual.
   */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const submission = cardSubmission(innerDc.context.activity.value);
    const active = innerDc.activeDialog;
    if (
      submission?.choice === CLOSE &&
      active &&
      !(innerDc.findDialog(active.id) instanceof BaseDialog) &&
      submission.nonce === ParsedPrompt.expectedNonce(active)
    ) {
      await innerDc.context.sendActivity(CLOSED);
      return innerDc.cancelAllDialogs(true);
    }
    return super.onContinueDialog(innerDc);
  }

  /** Registers a question whose answers are read by `parse`; its id carries their type. */
  protected override addPrompt<T>(promptId: PromptId<T>, parse: PromptParser<T>): void {
    super.addPrompt(promptId, parse);
  }

  /** Registers a prompt answered by one of `choices` (card button or typed title/synonym). */
  protected addChoicePrompt<T extends string>(promptId: PromptId<T>, choices: readonly Choice<T>[]): void {
    const titles = choices.map((c) => `« ${c.title} »`).join(', ');
    this.addPrompt(promptId, choiceParser(choices, `Merci de choisir l'une des réponses proposées : ${titles}.`));
  }

  /** Asks a question whose answers are buttons of a card. */
  protected askChoice<T extends string>(
    step: WaterfallStepContext,
    promptId: string,
    question: string,
    choices: readonly Choice<T>[],
    hint?: string,
  ): Promise<DialogTurnResult> {
    return this.askWithCard(step, promptId, (nonce) => questionCard({ question, hint, nonce, choices }));
  }

  /** Keeps a value for the next steps (dialog state). */
  protected keep<K extends keyof V>(step: WaterfallStepContext, key: K, value: V[K]): void {
    (step.values as Partial<V>)[key] = value;
  }

  protected kept<K extends keyof V>(step: WaterfallStepContext, key: K): V[K] | undefined {
    return (step.values as Partial<V>)[key];
  }

  /**
   * The outcome of the prompt `prompt` asked by the previous step (or of its `step.next` shortcut):
   * its value, or undefined when the user gave up (caller offers help).
   */
  protected answer<T>(step: WaterfallStepContext, _prompt: PromptId<T>): T | undefined {
    const result = step.result as Parsed<T> | undefined;
    return result?.ok === true ? result.value : undefined;
  }
}
