// Helpers around botbuilder-testing's DialogTestClient for dialog tests (parents and staff):
// an actor set the way the bot sets it, every reply of a turn collected, cards flattened to
// text, transcripts as data tables, card clicks, and a recognizer driven by a table.
import { DialogTestClient } from 'botbuilder-testing';
import type { Activity, Attachment, ConversationState, Middleware } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { expect } from 'vitest';
import type { Actor } from '../../services/actor.js';
import type { ServiceContext } from '../../services/context.js';
import { ACTOR_KEY, type DialogDeps, type IntentName, type IntentRecognizer, type Recognition } from '../../dialogs/types.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { adaptiveAttachments, expectValidCards, submitData } from './adaptive.js';

export const anonymousParent = (source = 'test-conversation'): Actor => ({ kind: 'anonymous', source });

/**
 * A DialogTestClient whose turns carry `actor` under ACTOR_KEY, as the bot does; in the web
 * chat unless `teamsPersonal` (a Teams personal chat: channel msteams, conversationType personal)
 * or `teamsChannel` (a thread of a Teams channel: conversationType channel, isGroup).
 */
export function dialogClient(
  dialog: Dialog,
  options: { actor?: Actor; dialogOptions?: object; conversationState?: ConversationState; teamsPersonal?: boolean; teamsChannel?: boolean } = {},
): DialogTestClient {
  const actor = options.actor ?? anonymousParent();
  const setActor: Middleware = {
    onTurn: async (context, next) => {
      context.turnState.set(ACTOR_KEY, actor);
      if (options.teamsPersonal) context.activity.conversation = { ...context.activity.conversation, conversationType: 'personal' };
      if (options.teamsChannel) context.activity.conversation = { ...context.activity.conversation, conversationType: 'channel', isGroup: true };
      await next();
    },
  };
  return new DialogTestClient(
    options.teamsPersonal || options.teamsChannel ? 'msteams' : 'webchat',
    dialog,
    options.dialogOptions,
    [setActor],
    options.conversationState,
  );
}

/** Sends one user message (text or activity) and returns every reply of that turn. */
export async function say(client: DialogTestClient, input: string | Partial<Activity>): Promise<Partial<Activity>[]> {
  const first: Partial<Activity> | undefined = await client.sendActivity(input);
  const replies: Partial<Activity>[] = first ? [first] : [];
  for (let next: Partial<Activity> | undefined = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
  expectValidCards(replies);
  return replies;
}

function cardText(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) cardText(n, out);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const type: unknown = Reflect.get(node, 'type');
  const text: unknown = Reflect.get(node, 'text');
  if (type === 'TextBlock' && typeof text === 'string') out.push(text);
  const title: unknown = Reflect.get(node, 'title');
  const value: unknown = Reflect.get(node, 'value');
  const url: unknown = Reflect.get(node, 'url');
  if (typeof title === 'string') out.push(typeof value === 'string' ? `${title} : ${value}` : title);
  if (typeof url === 'string') out.push(url);
  for (const key of ['body', 'facts', 'actions', 'items', 'columns']) cardText(Reflect.get(node, key), out);
}

/** What a person reads in one reply: its text, then the text of its cards and buttons. */
export function replyText(activity: Partial<Activity>): string {
  const parts: string[] = [];
  if (activity.text) parts.push(activity.text);
  for (const att of activity.attachments ?? []) cardText((att satisfies Attachment).content, parts);
  for (const action of activity.suggestedActions?.actions ?? []) parts.push(`[${action.title}]`);
  return parts.join('\n');
}

export const turnText = (replies: readonly Partial<Activity>[]): string => replies.map(replyText).join('\n---\n');

export type Expectation = string | RegExp;

export interface TranscriptStep {
  /** What the user sends; a function receives the previous turn's replies (to click a card). */
  user: string | Partial<Activity> | ((previous: Partial<Activity>[]) => Partial<Activity>);
  /** Each must be found in the turn's text (strings: contained; RegExp: matched). */
  bot: Expectation | Expectation[];
  /** Must NOT appear in the turn's text. */
  not?: Expectation | Expectation[];
}

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function expectIn(text: string, e: Expectation, step: number): void {
  if (typeof e === 'string') expect(text, `turn ${step}`).toContain(e);
  else expect(text, `turn ${step}`).toMatch(e);
}

/** Plays a transcript table; returns every turn's replies (for further assertions). */
export async function runTranscript(client: DialogTestClient, steps: readonly TranscriptStep[]): Promise<Partial<Activity>[][]> {
  const turns: Partial<Activity>[][] = [];
  let previous: Partial<Activity>[] = [];
  for (const [i, step] of steps.entries()) {
    const input = typeof step.user === 'function' ? step.user(previous) : step.user;
    previous = await say(client, input);
    turns.push(previous);
    const text = turnText(previous);
    for (const e of asList(step.bot)) expectIn(text, e, i + 1);
    for (const e of asList(step.not)) {
      if (typeof e === 'string') expect(text, `turn ${i + 1}`).not.toContain(e);
      else expect(text, `turn ${i + 1}`).not.toMatch(e);
    }
  }
  return turns;
}

/**
 * The activity Web Chat sends when the user clicks the card button whose choice is `choice`
 * (anywhere in the card: its actions, or ActionSets in the body), in the latest reply that has it.
 */
export function clickCard(replies: readonly Partial<Activity>[], choice: string): Partial<Activity> {
  for (const reply of [...replies].reverse()) {
    for (const att of adaptiveAttachments(reply)) {
      const hit = submitData(att.content)
        .map((d) => cardSubmission(d))
        .find((d) => d?.choice === choice);
      if (hit) return { type: 'message', value: hit };
    }
  }
  throw new Error(`no card button "${choice}" in the replies`);
}

/** A transcript with random parts masked (card nonces), to compare two runs byte for byte. */
export function stableTranscript(turns: readonly Partial<Activity>[][]): string {
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  return JSON.stringify(turns.map((t) => t.map((a) => ({ text: a.text, attachments: a.attachments, suggested: a.suggestedActions })))).replace(uuid, '<nonce>');
}

/**
 * A recognizer for dialog tests driven by a table (text -> intent, entities); unknown
 * texts are `none`. Use the real recognizer (bot/recognizer) when testing routing itself.
 */
export function tableRecognizer(table: Record<string, IntentName | Recognition>): IntentRecognizer {
  return {
    recognize(text: string): Recognition {
      const hit = table[text];
      if (hit === undefined) return { intent: 'none', score: 1, entities: {} };
      return typeof hit === 'string' ? { intent: hit, score: 1, entities: {} } : hit;
    },
  };
}

export function dialogDeps(ctx: ServiceContext, recognizer: IntentRecognizer = tableRecognizer({})): DialogDeps {
  return { ctx, recognizer };
}
