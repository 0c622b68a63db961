// One prompt for every question: it parses the answer (validators.ts), re-prompts with the
// parser's French explanation, and gives up after MAX_ATTEMPTS wrong answers (the step then
// offers human help). Card prompts carry a nonce; see BaseDialog for stale clicks.
import { randomUUID } from 'node:crypto';
import {
  Prompt,
  type DialogInstance,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidator,
} from 'botbuilder-dialogs';
import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import type { Parsed, PromptInput } from './validators.js';
import { inputText } from './input.js';

/** Wrong answers accepted before the dialog offers human help. */
export const MAX_ATTEMPTS = 3;

/** Caps re-prompts: an invalid answer is re-asked until `max` attempts, then let through as a give-up. */
export function cappedValidator<T>(max: number = MAX_ATTEMPTS): PromptValidator<Parsed<T>> {
  return async (prompt) => prompt.recognized.value?.ok === true || prompt.attemptCount >= max;
}

interface ParsedPromptState {
  retry?: string;
}

function readNonce(options: unknown): string | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const validations: unknown = Reflect.get(options, 'validations');
  if (typeof validations !== 'object' || validations === null) return undefined;
  const nonce: unknown = Reflect.get(validations, 'nonce');
  return typeof nonce === 'string' ? nonce : undefined;
}

/**
 * How a prompt reads an answer: a pure InputParser (validators.ts) fits; a parser may also
 * look at the turn (actor…) and be asynchronous (a look-up through a service).
 */
export type PromptParser<T> = (input: PromptInput, context: TurnContext) => Parsed<T> | Promise<Parsed<T>>;

/** The result a step receives: the value, or `{ ok: false }` when the user gave up after MAX_ATTEMPTS. */
export type PromptOutcome<T> = Parsed<T>;

export class ParsedPrompt<T> extends Prompt<Parsed<T>> {
  constructor(
    dialogId: string,
    private readonly parse: PromptParser<T>,
    validator: PromptValidator<Parsed<T>> = cappedValidator<T>(),
  ) {
    super(dialogId, validator);
  }

  /** Options for a question shown as a card: the card, and the nonce its buttons carry. */
  static cardOptions(card: (nonce: string) => AdaptiveCardJson, speak?: string): PromptOptions {
    const nonce = randomUUID();
    const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card(nonce)), undefined, speak);
    return { prompt: activity, validations: { nonce } };
  }

  /** The nonce a waiting prompt instance expects from card clicks (undefined: no card shown). */
  static expectedNonce(instance: DialogInstance): string | undefined {
    const state: unknown = instance.state;
    return typeof state === 'object' && state !== null ? readNonce(Reflect.get(state, 'options')) : undefined;
  }

  /** The options a waiting prompt instance was started with. */
  static optionsOf(instance: DialogInstance): PromptOptions {
    const state: unknown = instance.state;
    const options: unknown = typeof state === 'object' && state !== null ? Reflect.get(state, 'options') : undefined;
    return typeof options === 'object' && options !== null ? options : {};
  }

  /** Whether the message of this turn is an answer this prompt (started with `options`) takes; nothing is recorded. */
  async accepts(context: TurnContext, options: PromptOptions = {}): Promise<boolean> {
    const recognized = await this.onRecognize(context, {}, options);
    return recognized.succeeded && recognized.value?.ok === true;
  }

  protected async onPrompt(context: TurnContext, state: ParsedPromptState, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry && state.retry) {
      await context.sendActivity(state.retry);
      if (readNonce(options) && options.prompt) await context.sendActivity(options.prompt);
      return;
    }
    if (options.prompt) await context.sendActivity(options.prompt);
  }

  protected async onRecognize(
    context: TurnContext,
    state: ParsedPromptState,
    /** What the prompt was started with: subclasses read answers that depend on what was offered. */
    _options?: PromptOptions,
  ): Promise<PromptRecognizerResult<Parsed<T>>> {
    const activity: Partial<Activity> = context.activity;
    const parsed = await this.parse({ text: inputText(activity), value: activity.value }, context);
    state.retry = parsed.ok ? undefined : parsed.retry;
    return { succeeded: true, value: parsed };
  }
}
