// One prompt for every question: it parses the answer (validators.ts), re-prompts with the
// parser's French explanation, and gives up after MAX_ATTEMPTS wrong answers (the step then
// offers human help). Card prompts carry a nonce; see BaseDialog for stale clicks.
// What the question expects is read first; an answer it cannot read is then checked, once
// here for every dialog: a password typed by mistake (warning, never echoed), another request
// (offer to switch, switch.ts), else the parser's explanation. Each counts as an attempt.
import { randomUUID } from 'node:crypto';
import { Prompt, type DialogInstance, type PromptOptions, type PromptRecognizerResult, type PromptValidator } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import type { IntentRecognizer } from '../types.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import type { Parsed, PromptInput } from './validators.js';
import { folded, inputText, looksLikePassword } from './input.js';
import { MESSAGES } from './messages.js';
import { findSwitch, isSameRoute, offerActivity, type SwitchOffer } from './switch.js';

/** Wrong answers accepted before the dialog offers human help. */
export const MAX_ATTEMPTS = 3;

/** Caps re-prompts: an invalid answer is re-asked until `max` attempts, then let through as a give-up. */
export function cappedValidator<T>(max: number = MAX_ATTEMPTS): PromptValidator<Parsed<T>> {
  return async (prompt) => prompt.recognized.value?.ok === true || prompt.attemptCount >= max;
}

interface ParsedPromptState {
  retry?: string;
  /** A switch offered by the last re-prompt (BaseDialog reads the answer to it). */
  offer?: SwitchOffer;
}

/** Words from which a message may be a request rather than an answer to a free-text question. */
const SENTENCE_WORDS = 3;

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
/**
 * A prompt's id carrying the type of its answers (contravariant: a prompt declared for wider answers
 * accepts a parser of narrower ones), so that steps read answers typed by the prompt they asked.
 */
export type PromptId<T> = string & { readonly answers?: (answer: T) => void };

export const promptId = <T>(id: string): PromptId<T> => id;

export type PromptParser<T> = (input: PromptInput, context: TurnContext) => Parsed<T> | Promise<Parsed<T>>;

/** The result a step receives: the value, or `{ ok: false }` when the user gave up after MAX_ATTEMPTS. */
export type PromptOutcome<T> = Parsed<T>;

export class ParsedPrompt<T> extends Prompt<Parsed<T>> {
  constructor(
    dialogId: string,
    private readonly parse: PromptParser<T>,
    validator: PromptValidator<Parsed<T>> = cappedValidator<T>(),
    /** Given: an answer not read may be another request, offered as a switch (parents). */
    private readonly recognizer?: IntentRecognizer,
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

  /** The switch the last re-prompt of a waiting prompt instance offered, if any. */
  static pendingOffer(instance: DialogInstance): SwitchOffer | undefined {
    const state: unknown = instance.state;
    const inner: unknown = typeof state === 'object' && state !== null ? Reflect.get(state, 'state') : undefined;
    const offer: unknown = typeof inner === 'object' && inner !== null ? Reflect.get(inner, 'offer') : undefined;
    return typeof offer === 'object' && offer !== null && typeof Reflect.get(offer, 'dialogId') === 'string' ? (offer as SwitchOffer) : undefined;
  }

  /** Forgets the offer of a waiting prompt instance (the parent declined it). */
  static clearOffer(instance: DialogInstance): void {
    const state: unknown = instance.state;
    const inner: unknown = typeof state === 'object' && state !== null ? Reflect.get(state, 'state') : undefined;
    if (typeof inner === 'object' && inner !== null) Reflect.deleteProperty(inner, 'offer');
  }

  protected async onPrompt(context: TurnContext, state: ParsedPromptState, options: PromptOptions, isRetry: boolean): Promise<void> {
    if (isRetry && state.offer) {
      // The previous card (same nonce) stays valid: the offer ends with its two buttons.
      await context.sendActivity(offerActivity(state.offer, isSameRoute(context, state.offer), state.retry));
      return;
    }
    if (isRetry && state.retry) {
      await context.sendActivity(state.retry);
      // After the password warning the question itself is asked again (cards: always).
      const again = readNonce(options) !== undefined || state.retry === MESSAGES.passwordWarning;
      if (again && options.prompt) await context.sendActivity(options.prompt);
      return;
    }
    if (options.prompt) await context.sendActivity(options.prompt);
  }

  /**
   * botbuilder emits "activityReceived" from the leaf before continuing, and a Prompt answers
   * it by recognising the message: a second reading per turn that would reset the state of
   * the first (offer, retry). Interruptions are BaseDialog's job: nothing to do here.
   */
  protected override async onPreBubbleEvent(): Promise<boolean> {
    return false;
  }

  protected async onRecognize(
    context: TurnContext,
    state: ParsedPromptState,
    /** What the prompt was started with: subclasses read answers that depend on what was offered. */
    _options?: PromptOptions,
  ): Promise<PromptRecognizerResult<Parsed<T>>> {
    const activity: Partial<Activity> = context.activity;
    const input: PromptInput = { text: inputText(activity), value: activity.value };
    state.offer = undefined;
    state.retry = undefined;
    const typed = input.text !== '' && !cardSubmission(input.value);
    const read = await this.parse(input, context);
    // A question reading free text (a name, a school) takes a whole sentence as its answer:
    // a sentence that is a request is heard first.
    const verbatim = read.ok && typeof read.value === 'string' && folded(read.value) === folded(input.text);
    const sentence = typed && verbatim && input.text.split(/\s+/).length >= SENTENCE_WORDS;
    const early = sentence && this.recognizer ? await findSwitch(context, input.text, this.recognizer, true) : undefined;
    if (read.ok && !early) return { succeeded: true, value: read };
    const parsed: Parsed<T> = read.ok ? { ok: false, retry: '' } : read;
    if (typed && looksLikePassword(input.text)) {
      state.retry = MESSAGES.passwordWarning;
    } else {
      state.offer = early ?? (typed && this.recognizer ? await findSwitch(context, input.text, this.recognizer, false) : undefined);
      state.retry = parsed.retry || undefined;
    }
    return { succeeded: true, value: { ok: false, retry: state.retry ?? '' } };
  }
}
