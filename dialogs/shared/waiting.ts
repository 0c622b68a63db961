// What the conversation's innermost dialog is waiting for: a question answered by a click on a
// card (a prompt with a nonce), or by typing. The root dialog and the bot read it to decide
// whether a typed message answers the question or asks for something else.
import { DialogSet, type Dialog, type DialogContext, type DialogInstance, type DialogState } from 'botbuilder-dialogs';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { ParsedPrompt } from './prompts.js';

/** The innermost dialog context of `dc` (the one whose dialog is asking the question). */
export function leafContext(dc: DialogContext): DialogContext {
  let leaf = dc;
  while (leaf.child) leaf = leaf.child;
  return leaf;
}

/** The prompt the innermost dialog waits on, with its instance; undefined when it is not a ParsedPrompt. */
export function waitingPrompt(dc: DialogContext): { leaf: DialogContext; instance: DialogInstance; prompt: ParsedPrompt<unknown> } | undefined {
  const leaf = leafContext(dc);
  const instance = leaf.activeDialog;
  const prompt = instance ? leaf.findDialog(instance.id) : undefined;
  return instance && prompt instanceof ParsedPrompt ? { leaf, instance, prompt } : undefined;
}

/** Whether the conversation's dialogs (under `root`) wait for a typed answer: a question shown without card buttons. */
export async function waitsForTypedAnswer(root: Dialog, context: TurnContext, state: StatePropertyAccessor<DialogState>): Promise<boolean> {
  const dialogs = new DialogSet(state);
  dialogs.add(root);
  const waiting = waitingPrompt(await dialogs.createContext(context));
  return waiting !== undefined && ParsedPrompt.expectedNonce(waiting.instance) === undefined;
}
