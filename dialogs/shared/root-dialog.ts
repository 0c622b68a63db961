// The root dialog: routes each request by recognised intent through a RouteTable
// (role-checked); greets and lists what a role can ask with greeting.ts; hears a staff request
// typed while a card waits (waiting.ts). It also catches any unexpected error of a turn:
// polite answer, dialogs cleared, the conversation goes on.
import {
  ComponentDialog,
  Dialog,
  DialogContextError,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { ServiceError } from '../../services/errors.js';
import { isStaff, type Actor } from '../../services/actor.js';
import type { SchoolSummary } from '../../services/staff.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import {
  roleOf,
  START_DIALOG_KEY,
  turnActor,
  type ActorRole,
  type DialogDeps,
  type IntentName,
  type RecognizedEntities,
  type RoutedOptions,
  type StartDialog,
} from '../types.js';
import { inputText, isCancel, isHelp, looksLikePassword } from './input.js';
import { MESSAGES } from './messages.js';
import { ParsedPrompt } from './prompts.js';
import { RouteTable, type Route, type ValueKind } from './route-table.js';
import { ROUTING_KEY, SWITCH_KEY, type Routing, type SwitchOffer } from './switch.js';
import { capabilities, INTRO, welcome } from './greeting.js';
import { waitingPrompt } from './waiting.js';

export const ROOT_DIALOG = 'root';
/** Below this score the recognised intent is treated as "none". */
export const MIN_INTENT_SCORE = 0.5;

const SMALL_TALK: Partial<Record<string, string>> = {
  thanks: 'Avec plaisir ! Avez-vous besoin d’autre chose ?',
  goodbye: 'Au revoir, et bonne journée !',
};

/** Card clicks handled whatever dialog is under way (cards sent proactively, outside any dialog). */
export interface CardHandler {
  matches(value: unknown): boolean;
  answer(context: TurnContext): Promise<void>;
}

/** A dialog reached by an entity of the message (a case reference), whatever the intent. */
interface EntityRoute {
  entity: keyof RecognizedEntities;
  dialogId: string;
  roles: readonly ActorRole[];
}

export class RootDialog extends ComponentDialog {
  private readonly routes = new RouteTable();
  private readonly cardHandlers: CardHandler[] = [];
  private readonly entityRoutes: EntityRoute[] = [];

  constructor(private readonly deps: DialogDeps) {
    super(ROOT_DIALOG);
    this.addDialog(new WaterfallDialog(`${ROOT_DIALOG}.steps`, [this.routeStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = `${ROOT_DIALOG}.steps`;
  }

  /**
   * Routes `intent` to `dialog` for these roles. `label` is the request as a user would say it
   * (listed in the greeting and offered as a button). Register every route before the first turn.
   * `intent` null: reached by its label only (no recognizer intent for it). `accepts`: values
   * the route starts from (see Route.accepts).
   */
  registerRoute(
    intent: IntentName | null,
    dialog: Dialog,
    roles: readonly ActorRole[],
    label: string,
    phrases: readonly string[] = [],
    accepts?: readonly ValueKind[],
  ): this {
    if (!this.findDialog(dialog.id)) this.addDialog(dialog);
    this.routes.register({ intent, dialogId: dialog.id, roles, label, phrases, ...(accepts ? { accepts } : {}) });
    return this;
  }

  /** The routes of a role, in the order the greeting lists them. */
  routesFor(role: ActorRole | undefined): readonly Route[] {
    return this.routes.forRole(role);
  }

  /** Routes any message carrying `entity` (e.g. a case reference) to `dialog` for these roles, before intents. */
  registerEntityRoute(entity: keyof RecognizedEntities, dialog: Dialog, roles: readonly ActorRole[]): this {
    if (!this.findDialog(dialog.id)) this.addDialog(dialog);
    this.entityRoutes.push({ entity, dialogId: dialog.id, roles });
    return this;
  }

  /** Answers the clicks `handler` matches before any dialog sees them; the dialog under way stays where it was. */
  registerCardHandler(handler: CardHandler): this {
    this.cardHandlers.push(handler);
    return this;
  }

  private async answeredCard(innerDc: DialogContext): Promise<boolean> {
    const value: unknown = innerDc.context.activity.value;
    const handler =
      innerDc.context.activity.type === (ActivityTypes.Message as string) && value !== undefined ? this.cardHandlers.find((h) => h.matches(value)) : undefined;
    if (!handler) return false;
    await handler.answer(innerDc.context);
    return true;
  }

  private capabilities(role: ActorRole | undefined, intro: string | undefined): Partial<Activity> {
    return capabilities(this.routes, role, intro);
  }

  /**
   * The greeting of a conversation (the bot sends it when someone joins): built from the
   * routes this actor really has, so that every line it offers, typed back, is understood.
   */
  welcome(actor: Actor, schools: readonly SchoolSummary[]): Partial<Activity> {
    return welcome(this.routes, actor, schools);
  }

  /** The route a typed text asks for (its label or phrase, else the recognised intent), with its entities. */
  private async resolve(
    text: string,
    role: ActorRole | undefined,
  ): Promise<{ route: Route; entities: RecognizedEntities } | { intent: string; entities: RecognizedEntities }> {
    const byLabel = this.routes.findByLabel(text, role);
    if (byLabel) return { route: byLabel, entities: {} };
    const recognition = await this.deps.recognizer.recognize(text);
    const byEntity = role ? this.entityRoutes.find((r) => r.roles.includes(role) && (recognition.entities[r.entity]?.length ?? 0) > 0) : undefined;
    if (byEntity) return { route: { intent: null, dialogId: byEntity.dialogId, roles: byEntity.roles, label: '' }, entities: recognition.entities };
    const intent = recognition.score >= MIN_INTENT_SCORE ? recognition.intent : 'none';
    const route = this.routes.find(intent, role);
    return route ? { route, entities: recognition.entities } : { intent, entities: recognition.entities };
  }

  /**
   * Staff waiting on a card (statistics, account, case…): a typed message that the card's
   * question does not take and that asks for something else starts that request at once;
   * the card's buttons are then stale. Parents are offered a switch by their dialogs instead.
   */
  private async switchFromWaitingCard(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity: Partial<Activity> = innerDc.context.activity;
    const actor = turnActor(innerDc.context);
    if (activity.type !== ActivityTypes.Message || cardSubmission(activity.value) || !isStaff(actor)) return undefined;
    const text = inputText(activity);
    if (!text || isCancel(text) || isHelp(text) || looksLikePassword(text)) return undefined;
    const waiting = waitingPrompt(innerDc);
    if (!waiting || ParsedPrompt.expectedNonce(waiting.instance) === undefined) return undefined;
    if (await waiting.prompt.accepts(waiting.leaf.context, ParsedPrompt.optionsOf(waiting.instance))) return undefined;
    const resolved = await this.resolve(text, roleOf(actor));
    if (!('route' in resolved)) return undefined;
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(resolved.route.dialogId, { entities: resolved.entities, text } satisfies RoutedOptions);
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    return this.guarded(
      innerDc,
      async () =>
        (await this.startedByBot(innerDc)) ??
        ((await this.answeredCard(innerDc)) ? { status: DialogTurnStatus.complete } : super.onBeginDialog(innerDc, options)),
    );
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return this.guarded(
      innerDc,
      async () =>
        (await this.startedByBot(innerDc)) ??
        ((await this.answeredCard(innerDc)) ? Dialog.EndOfTurn : ((await this.switchFromWaitingCard(innerDc)) ?? this.continueOrSwitch(innerDc))),
    );
  }

  /** The dialog the bot asked to start this turn (startDialogThisTurn), in place of what was under way. */
  private async startedByBot(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const start: StartDialog | undefined = innerDc.context.turnState.get(START_DIALOG_KEY);
    if (!start || !this.findDialog(start.dialogId)) return undefined;
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(start.dialogId, start.options);
  }

  /** Continues the dialog under way; if the parent accepted an offer to switch (switch.ts), starts that request instead. */
  private async continueOrSwitch(innerDc: DialogContext): Promise<DialogTurnResult> {
    const routing: Routing = { routes: this.routes, role: roleOf(turnActor(innerDc.context)), current: innerDc.activeDialog?.id };
    innerDc.context.turnState.set(ROUTING_KEY, routing);
    const result = await super.onContinueDialog(innerDc);
    const offer: SwitchOffer | undefined = innerDc.context.turnState.get(SWITCH_KEY);
    if (!offer) return result;
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(offer.dialogId, { entities: offer.entities } satisfies RoutedOptions);
  }

  private async guarded(innerDc: DialogContext, turn: () => Promise<DialogTurnResult>): Promise<DialogTurnResult> {
    try {
      return await turn();
    } catch (error) {
      // botbuilder-dialogs wraps a step's error in DialogContextError (its `error`).
      const cause: unknown = error instanceof DialogContextError ? error.error : error;
      const known = cause instanceof ServiceError;
      this.deps.ctx.log.error({ err: error, code: known ? cause.code : undefined }, 'dialog turn failed');
      await innerDc.context.sendActivity(known ? cause.userMessage : MESSAGES.error);
      await innerDc.cancelAllDialogs();
      return { status: DialogTurnStatus.complete };
    }
  }

  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const activity: Partial<Activity> = step.context.activity;
    if (activity.type !== ActivityTypes.Message) return step.endDialog();
    const role = roleOf(turnActor(step.context));
    const text = inputText(activity);
    const reply = async (message: string | Partial<Activity>): Promise<DialogTurnResult> => {
      await step.context.sendActivity(message);
      return step.endDialog();
    };
    if (cardSubmission(activity.value)) return reply(MESSAGES.staleCardIdle);
    if (!text) return reply(this.capabilities(role, MESSAGES.emptyMessage));
    if (looksLikePassword(text)) return reply(MESSAGES.passwordWarning);
    if (isCancel(text)) return reply(MESSAGES.nothingToCancel);
    if (isHelp(text)) return reply(this.capabilities(role, undefined));
    const resolved = await this.resolve(text, role);
    if ('route' in resolved) return step.beginDialog(resolved.route.dialogId, { entities: resolved.entities, text } satisfies RoutedOptions);
    const { intent } = resolved;
    const smallTalk = SMALL_TALK[intent];
    if (smallTalk) return reply(smallTalk);
    if (intent === 'greeting') return reply(this.capabilities(role, role ? INTRO[role] : undefined));
    if (intent === 'help') return reply(this.capabilities(role, undefined));
    if (role === 'parent' && resolved.entities.schoolTopic?.length) return reply(this.capabilities(role, MESSAGES.schoolMatter));
    return reply(this.capabilities(role, "Je ne suis pas sûr d'avoir compris votre demande."));
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
