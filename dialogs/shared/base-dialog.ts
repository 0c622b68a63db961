// The base of every guided dialog. Handles, once for all dialogs, what may interrupt any
// question: "annuler"/"stop"/"arrêter" (cancel everything, politely), "aide" (contextual
// help, then the same question again), the answer to an offer to switch to another request
// (switch.ts: accepted -> the root dialog starts it; declined -> the same question again),
// and stale or replayed card clicks (refused). The innermost BaseDialog of the stack decides.
// A password typed by mistake is refused by the prompt itself (prompts.ts), as an attempt.
import {
  ComponentDialog,
  Dialog,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptOptions,
  type WaterfallStep,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { ActivityTypes, type Activity } from 'botbuilder';
import { cardSubmission } from '../../cards/shared/card-action.js';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import type { DialogDeps } from '../types.js';
import { inputText, isCancel, isHelp, looksLikePassword } from './input.js';
import { MESSAGES } from './messages.js';
import { ParsedPrompt, type PromptParser } from './prompts.js';
import { humanHelpActivity } from './human-help.js';
import { answerToOffer, SWITCH_KEY } from './switch.js';

export abstract class BaseDialog extends ComponentDialog {
  protected constructor(
    dialogId: string,
    protected readonly deps: DialogDeps,
  ) {
    super(dialogId);
  }

  /** Short help for the question being asked (`promptId`: the active prompt, if any). */
  protected abstract helpText(promptId: string | undefined): string;

  /** Adds the main waterfall (named step methods, bound here) and makes it the initial dialog. */
  protected addSteps(...steps: WaterfallStep[]): void {
    const id = `${this.id}.steps`;
    this.addDialog(
      new WaterfallDialog(
        id,
        steps.map((s) => s.bind(this)),
      ),
    );
    this.initialDialogId = id;
  }

  /** Registers a question whose answers are read by `parse` (pure, or async and turn-aware). */
  protected addPrompt<T>(promptId: string, parse: PromptParser<T>): void {
    this.addDialog(new ParsedPrompt<T>(promptId, parse, undefined, this.deps.recognizer));
  }

  /** Asks a question in text. */
  protected ask(step: WaterfallStepContext, promptId: string, question: string | Partial<Activity>): Promise<DialogTurnResult> {
    const options: PromptOptions = { prompt: question };
    return step.prompt(promptId, options);
  }

  /** Asks a question as a card whose buttons carry a fresh nonce. */
  protected askWithCard(step: WaterfallStepContext, promptId: string, card: (nonce: string) => AdaptiveCardJson): Promise<DialogTurnResult> {
    return step.prompt(promptId, ParsedPrompt.cardOptions(card));
  }

  /** Keeps an answer for the next steps of this dialog (in the dialog state). Never a secret. */
  protected remember(step: WaterfallStepContext, key: string, value: string): void {
    Reflect.set(step.values, key, value);
  }

  /** An answer kept by `remember`. */
  protected recall(step: WaterfallStepContext, key: string): string | undefined {
    const value: unknown = Reflect.get(step.values, key);
    return typeof value === 'string' ? value : undefined;
  }

  /** After MAX_ATTEMPTS answers not understood: offer a person and end this dialog. */
  protected async giveUp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(humanHelpActivity(this.deps.ctx.settings, this.deps.ctx.now(), MESSAGES.gaveUp));
    return step.endDialog();
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity: Partial<Activity> = innerDc.context.activity;
    const active = innerDc.activeDialog;
    if (activity.type !== ActivityTypes.Message || !active) return undefined;
    if (innerDc.findDialog(active.id) instanceof BaseDialog) return undefined; // the inner dialog decides
    const text = inputText(activity);
    if (isCancel(text)) {
      await innerDc.context.sendActivity(MESSAGES.cancelled);
      return innerDc.cancelAllDialogs(true);
    }
    if (isHelp(text)) {
      const prompt = innerDc.findDialog(active.id) instanceof ParsedPrompt ? active.id : undefined;
      await innerDc.context.sendActivity(`${this.helpText(prompt)} ${MESSAGES.helpSuffix}`);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const offer = ParsedPrompt.pendingOffer(active);
    const answer = offer && !activity.value ? answerToOffer(text, offer) : undefined;
    if (offer && answer === 'accept') {
      innerDc.context.turnState.set(SWITCH_KEY, offer);
      return Dialog.EndOfTurn;
    }
    if (answer === 'decline') {
      ParsedPrompt.clearOffer(active);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (!(innerDc.findDialog(active.id) instanceof ParsedPrompt) && looksLikePassword(text)) {
      await innerDc.context.sendActivity(MESSAGES.passwordWarning);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const submission = cardSubmission(activity.value);
    if (submission && submission.nonce !== ParsedPrompt.expectedNonce(active)) {
      await innerDc.context.sendActivity(MESSAGES.staleCard);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return undefined;
  }
}
