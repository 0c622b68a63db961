// What every dialog receives (constructor injection) and how the bot hands over the actor
// of the turn. Dialogs never import Prisma: they call services with `deps.ctx`.
import type { TurnContext } from 'botbuilder';
import type { ServiceContext } from '../services/context.js';
import type { Actor } from '../services/actor.js';

/** Intent names printed by the recognizer (shared/formats/intents.md). */
export const INTENTS = [
  'lost_identifier',
  'lost_password',
  'activation_mail',
  'wrong_birth_date',
  'mobile_not_recognised',
  'regroup_accounts',
  'wrong_child_link',
  'change_email',
  'franceconnect',
  'human_agent',
  'greeting',
  'thanks',
  'goodbye',
  'help',
  'statistics',
  'renotify',
  'reset_password',
  'resend_activation',
  'list_accounts',
  'find_account',
  'none',
] as const;
export type IntentName = (typeof INTENTS)[number];

/**
 * One request on both sides: a parent's about their own account, and a staff member's about
 * someone else's. The recognizer tells them apart by who the message is about; a role
 * without a route for the side recognised is routed to the other side.
 */
export const COUNTERPART_INTENTS: readonly (readonly [IntentName, IntentName])[] = [
  ['lost_password', 'reset_password'],
  ['activation_mail', 'resend_activation'],
  ['lost_identifier', 'find_account'],
];

/** The other side of a request (COUNTERPART_INTENTS), if it has one. */
export function counterpartOf(intent: string): IntentName | undefined {
  const pair = COUNTERPART_INTENTS.find((p) => p.includes(intent as IntentName));
  return pair ? (pair[0] === intent ? pair[1] : pair[0]) : undefined;
}

/** Entities found in a text (bot/recognizer `Entities`): every kind is a list of values. */
export interface RecognizedEntities {
  readonly uai?: readonly string[];
  readonly identifier?: readonly string[];
  readonly email?: readonly string[];
  /** E.164. */
  readonly mobile?: readonly string[];
  /** ISO dates YYYY-MM-DD. */
  readonly date?: readonly string[];
  readonly level?: readonly string[];
  readonly className?: readonly string[];
  readonly state?: readonly string[];
  readonly channel?: readonly string[];
  readonly format?: readonly string[];
  /** Case references, "EDU-2026-000123". */
  readonly caseReference?: readonly string[];
  /** School life (canteen, enrolment, marks…): a matter for the school or the ENT. */
  readonly schoolTopic?: readonly string[];
}

export interface Recognition {
  intent: string;
  score: number;
  entities: RecognizedEntities;
}

/** The recognizer (bot/recognizer): structural, so any implementation fits. */
export interface IntentRecognizer {
  recognize(text: string): Promise<Recognition> | Recognition;
}

export interface DialogDeps {
  ctx: ServiceContext;
  recognizer: IntentRecognizer;
}

/**
 * Turn-state key of the actor of the turn. The bot sets it before running the root dialog:
 * `turnContext.turnState.set(ACTOR_KEY, actor)`.
 */
export const ACTOR_KEY = Symbol('educonnect.actor');

/**
 * The actor of the turn. Without one set by the bot, the speaker is an anonymous parent of
 * this conversation (the least privileged actor, never a staff member).
 */
export function turnActor(context: TurnContext): Actor {
  const actor: Actor | undefined = context.turnState.get(ACTOR_KEY);
  return actor ?? { kind: 'anonymous', source: `conversation:${context.activity.conversation?.id ?? 'unknown'}` };
}

/** Who a route is for: parents (anonymous or verified) or a staff role. */
export type ActorRole = 'parent' | 'director' | 'agent' | 'admin';

export function roleOf(actor: Actor): ActorRole | undefined {
  switch (actor.kind) {
    case 'anonymous':
    case 'guardian':
      return 'parent';
    case 'director':
    case 'agent':
    case 'admin':
      return actor.kind;
    default:
      return undefined;
  }
}

/** Options every routed dialog receives from the root dialog. */
export interface RoutedOptions {
  /** Entities recognised in the message that started the dialog (may prefill answers). */
  entities?: RecognizedEntities;
  /** The message that started the dialog (names and class names in it may prefill answers). */
  text?: string;
}

/** The first value of an entity, if any. */
export function entityText(entities: RecognizedEntities | undefined, name: keyof RecognizedEntities): string | undefined {
  const v = entities?.[name]?.[0]?.trim();
  return v ? v : undefined;
}

/**
 * Turn-state key of the handoff requests whose relay outbox the turn wrote to: the bot
 * delivers them at the end of the turn (bot/handoff/). Dialogs call `requestRelay`.
 */
export const HANDOFF_KICK = Symbol('educonnect.handoffKick');

export function requestRelay(context: TurnContext, requestId: number): void {
  const ids: Set<number> = context.turnState.get(HANDOFF_KICK) ?? new Set<number>();
  ids.add(requestId);
  context.turnState.set(HANDOFF_KICK, ids);
}

/**
 * Turn-state key of a dialog the bot starts this turn instead of routing the message (the
 * account of a handoff request opened in the agents' thread, bot/handoff/): the root dialog
 * clears what was under way and begins it.
 */
export const START_DIALOG_KEY = Symbol('educonnect.startDialog');

export interface StartDialog {
  dialogId: string;
  options: RoutedOptions;
}

export function startDialogThisTurn(context: TurnContext, start: StartDialog): void {
  context.turnState.set(START_DIALOG_KEY, start);
}
