// The bot: works out who is speaking (staff directory or anonymous parent), greets, and
// hands every message to the root dialog when one is plugged in. Conversation and user
// state are saved at the end of every turn (database storage, see bot/storage.ts).
import {
  TeamsActivityHandler,
  TurnContext,
  type Activity,
  type ConversationState,
  type FileConsentCardResponse,
  type StatePropertyAccessor,
  type UserState,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import type { ServiceContext } from '../services/context.js';
import type { Actor } from '../services/actor.js';
import { findStaffActor, schoolsOfStaff, type SchoolSummary } from '../services/staff.js';
import { StaffCache } from './staff-cache.js';
import { ACTOR_KEY, turnActor } from '../dialogs/types.js';
import { recordReferences, type RecordedReferences } from './references.js';
import { RootDialog } from '../dialogs/shared/root-dialog.js';
import { waitsForTypedAnswer } from '../dialogs/shared/waiting.js';
import { normalizeInput } from '../services/text.js';
import { withLogBindings } from '../services/logger.js';
import { CLIENT_ADDRESS_KEY } from './adapter.js';
import { acceptFile, declineFile } from './file-consent.js';
import { TURN_READ_AHEAD, type DatabaseStorage } from './storage.js';
import type { TurnReadAhead } from '../services/chat-store.js';
import { conversationKey } from '../services/conversation-refs.js';

/**
 * Turn-state key: the id of the handoff request under way in the turn's conversation (a
 * promise of it, or of null), read with the conversation state (DatabaseStorage.readAhead).
 */
export const ACTIVE_HANDOFF_REQUEST_ID = Symbol('educonnect.activeHandoffRequestId');

/**
 * Who is speaking. Teams gives `from.aadObjectId`, looked up in the staff directory.
 * Outside production only, an activity without it (Emulator, web chat with ?as=) is looked
 * up by `from.id`. Anyone else is an anonymous parent: their rate-limit source is the client's
 * address when our web chat facade gave it (`ip:…`, the key the pages use, so that chat and
 * pages count together), else the conversation.
 */
export async function identifyActor(
  ctx: ServiceContext,
  activity: Partial<Activity>,
  production: boolean,
  cache?: StaffCache,
  clientAddress?: string,
): Promise<Actor> {
  const from = activity.from;
  const aadObjectId = from?.aadObjectId?.trim();
  const staffId = aadObjectId || (production ? undefined : from?.id?.trim());
  if (staffId) {
    const staff = cache ? await cache.find(ctx, staffId) : await findStaffActor(ctx, staffId);
    if (staff) return staff;
  }
  return { kind: 'anonymous', source: clientAddress ?? `conversation:${activity.conversation?.id ?? 'unknown'}` };
}

/** The greeting: who the assistant is and what it can do for this actor (Markdown, or a message with buttons). */
export type WelcomeWriter = (actor: Actor, schools: readonly SchoolSummary[]) => string | Partial<Activity>;

const bullets = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n');

export const defaultWelcome: WelcomeWriter = (actor, schools) => {
  switch (actor.kind) {
    case 'director': {
      const scope = schools.length
        ? `Vos établissements : ${schools.map((s) => `${s.name} (${s.uai})`).join(', ')}.`
        : "Aucun établissement ne vous est rattaché dans l'annuaire : contactez l'assistance.";
      return [
        `Bonjour ${actor.name}, je suis l'assistant EduConnect.`,
        scope,
        'Je peux :',
        bullets([
          "afficher les statistiques d'activation des comptes ;",
          'notifier ou renotifier des comptes (courrier ou e-mail) ;',
          'réinitialiser un mot de passe ;',
          "renvoyer l'e-mail d'activation ;",
          'produire la liste des comptes (PDF ou CSV) ;',
          'suivre les demandes des parents de vos établissements.',
        ]),
        'Écrivez votre demande en quelques mots.',
      ].join('\n\n');
    }
    case 'agent':
    case 'admin':
      return [
        `Bonjour ${actor.name}, je suis l'assistant EduConnect.`,
        "En tant qu'agent de l'assistance, vous pouvez :",
        bullets([
          "rechercher n'importe quel compte de responsable ou d'élève ;",
          "agir pour le compte d'un établissement : notification, réinitialisation, e-mail d'activation ;",
          "consulter les statistiques d'un établissement et produire des listes ;",
          "prendre en charge la conversation d'un parent ;",
          'suivre les demandes en cours.',
          ...(actor.kind === 'admin' ? ["importer l'extraction des établissements et l'annuaire du personnel."] : []),
        ]),
        'Écrivez votre demande en quelques mots.',
      ].join('\n\n');
    default:
      return [
        "Bonjour, je suis l'assistant EduConnect. Je peux vous aider si :",
        bullets([
          'vous avez perdu votre identifiant ;',
          'vous avez perdu votre mot de passe ;',
          "vous n'avez pas reçu l'e-mail d'activation ;",
          'la date de naissance de votre enfant est refusée ;',
          "votre numéro de téléphone n'est pas reconnu ;",
          'vous voulez regrouper vos enfants sur un seul compte ;',
          'un enfant est rattaché à votre compte par erreur ;',
          'vous voulez utiliser FranceConnect ;',
          'vous souhaitez parler à une personne.',
        ]),
        'Décrivez votre situation en quelques mots. Je ne vous demanderai jamais votre mot de passe.',
      ].join('\n\n');
  }
};

/**
 * A message in a Teams channel that neither mentions the bot nor clicks one of its cards. The
 * app reads its team's channel messages (RSC ChannelMessage.Read.Group, for the agents' threads,
 * bot/handoff/); elsewhere in the channel it answers only when addressed.
 */
export function notAddressed(activity: Partial<Activity>): boolean {
  if (activity.channelId !== 'msteams' || activity.conversation?.conversationType !== 'channel' || activity.value !== undefined) return false;
  const botId = activity.recipient?.id;
  return !(activity.entities ?? []).some(
    (e) => e.type === 'mention' && typeof e.mentioned === 'object' && e.mentioned !== null && Reflect.get(e.mentioned, 'id') === botId,
  );
}

/**
 * Continues the conversation's active dialog, or begins `root`. botbuilder-dialogs' runDialog
 * does this plus, every turn, what only declarative (adaptive) dialogs and skills use: it loads
 * every memory scope and snapshots them into a "Bot State" trace activity (an extra HTTP
 * request to the Emulator, built and dropped on the other channels). Chat bench (Emulator
 * channel, load 11-15): 11.1-11.6 ms of CPU per turn with runDialog, 8.8-9.1 ms without.
 */
async function runRootDialog(root: Dialog, context: TurnContext, state: StatePropertyAccessor<DialogState>): Promise<void> {
  const dialogs = new DialogSet(state);
  dialogs.add(root);
  const dc = await dialogs.createContext(context);
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) await dc.beginDialog(root.id);
}

/**
 * Turn-state key under which botbuilder-dialogs' DialogStateManager keeps the memory scopes
 * and path resolvers of the turn. Each turn's first dialog context builds them anew (a
 * service collection, nine scopes and five resolvers, zod checks of every registered
 * component: ~0.4 ms of CPU per turn in the chat bench's profile); they hold no turn data (each
 * reads the dialog context it is given), so the first turn's set serves every later turn.
 */
const STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

const GREETING = /^\s*(bonjour|bonsoir|salut|coucou|hello|hi|allo|allô|bjr|slt)\b/i;

export interface EduConnectBotOptions {
  ctx: ServiceContext;
  conversationState: ConversationState;
  userState: UserState;
  production: boolean;
  /** The root dialog: when given, every message (and card submission) is handed to it. */
  rootDialog?: Dialog;
  /** Replaces the greeting text. */
  welcome?: WelcomeWriter;
  /**
   * The storage of `conversationState`, when it is the database's: a message's turn reads its
   * state and the handoff lookup in one statement (ACTIVE_HANDOFF_REQUEST_ID).
   */
  storage?: DatabaseStorage;
  /**
   * Sees every message before the dialogs (e.g. the human handoff relay, bot/handoff/);
   * returns true when it has answered the turn, so the dialogs do not run.
   */
  interceptor?: TurnInterceptor;
}

/** A part of the bot that may take a message before the dialogs, and act after the turn. */
export interface TurnInterceptor {
  beforeDialogs(context: TurnContext, dialogs: ConversationDialogs): Promise<boolean>;
  afterTurn(context: TurnContext, dialogs: ConversationDialogs): Promise<void>;
}

/** What an interceptor may ask about the dialogs of the turn's conversation. */
export interface ConversationDialogs {
  /** They wait for a typed answer (a question without card buttons). */
  waitsForTypedAnswer(): Promise<boolean>;
}

export class EduConnectBot extends TeamsActivityHandler {
  readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly welcomed: StatePropertyAccessor<boolean>;
  /** What the conversation last recorded of its references (bot/references.ts). */
  private readonly referencesRecorded: StatePropertyAccessor<RecordedReferences | undefined>;
  /** The memory scopes built by this bot's first turn, handed to every later turn (STATE_MANAGER_CONFIGURATION). */
  private stateManagerConfiguration: DialogStateManagerConfiguration | undefined;
  private readonly welcome: WelcomeWriter;
  /** Who is speaking, asked every turn: cached a few seconds (bot/staff-cache.ts). */
  private readonly staffCache = new StaffCache();

  constructor(private readonly options: EduConnectBotOptions) {
    super();
    this.dialogState = options.conversationState.createProperty<DialogState>('dialogState');
    this.welcomed = options.conversationState.createProperty<boolean>('welcomed');
    this.referencesRecorded = options.conversationState.createProperty<RecordedReferences | undefined>('referencesRecorded');
    // With the root dialog, the greeting lists the routes the speaker really has.
    const root = options.rootDialog instanceof RootDialog ? options.rootDialog : undefined;
    this.welcome = options.welcome ?? (root ? (actor, schools) => root.welcome(actor, schools) : defaultWelcome);

    this.onMembersAdded(async (context, next) => {
      const added = context.activity.membersAdded ?? [];
      const botId = context.activity.recipient?.id;
      const someoneJoined = added.some((m) => m.id !== botId);
      // In a Teams personal chat only the bot is announced when the app is installed.
      const botInstalledInPersonalChat =
        context.activity.channelId === 'msteams' && context.activity.conversation?.conversationType === 'personal' && added.some((m) => m.id === botId);
      if ((someoneJoined || botInstalledInPersonalChat) && !(await this.welcomed.get(context, false))) {
        await this.sendWelcome(context);
      }
      await next();
    });

    this.onMessage(async (context, next) => {
      // In a Teams channel or group chat the message starts with "@Assistant": the dialogs get the request only.
      if (context.activity.channelId === 'msteams' && context.activity.text) {
        context.activity.text = TurnContext.removeRecipientMention(context.activity).trim();
      }
      const text = context.activity.text ?? '';
      const firstContact = !(await this.welcomed.get(context, false));
      const dialogs = this.dialogsOf(context);
      if (await options.interceptor?.beforeDialogs(context, dialogs)) {
        // answered by the interceptor (e.g. relayed to a person)
      } else if (notAddressed(context.activity) && !(await dialogs.waitsForTypedAnswer())) {
        // A channel message for the team, not for the assistant: left alone.
      } else if (options.rootDialog) {
        await runRootDialog(options.rootDialog, context, this.dialogState);
      } else if (firstContact || GREETING.test(text)) {
        await this.sendWelcome(context);
      } else {
        const welcome = this.welcome(turnActor(context), await this.schools(context));
        const text = typeof welcome === 'string' ? welcome : (welcome.text ?? '');
        await context.sendActivity("Je n'ai pas encore de réponse à cette demande. " + text.split('\n\n').slice(1).join('\n\n'));
      }
      await next();
    });
  }

  /** Runs the turn; every line logged meanwhile carries its conversation and activity. */
  override async run(context: TurnContext): Promise<void> {
    const { conversation, id, channelId } = context.activity;
    await withLogBindings({ conversationId: conversation?.id, activityId: id, channelId }, () => this.runTurn(context));
  }

  /** Sets the actor of the turn, runs the handlers, then saves the state. */
  private async runTurn(context: TurnContext): Promise<void> {
    const readAhead = this.readAhead(context);
    try {
      await this.runHandlers(context);
    } finally {
      readAhead?.forget();
    }
  }

  /**
   * A message's conversation state and handoff lookup, started in one statement before anything
   * else of the turn; on the web chat, read by the statement that stored the activity (a
   * message, or the conversationUpdate that starts the conversation).
   */
  private readAhead(context: TurnContext): { forget(): void } | undefined {
    const { storage, conversationState } = this.options;
    const { type, channelId, conversation } = context.activity;
    const read = context.turnState.get<TurnReadAhead | undefined>(TURN_READ_AHEAD);
    if (!storage || !conversation?.id || (type !== 'message' && !read)) return undefined;
    const key = conversationState.getStorageKey(context);
    if (key === undefined) return undefined;
    const ahead =
      read?.stateKey === key
        ? storage.readAheadFrom(read)
        : type === 'message'
          ? storage.readAhead(key, conversationKey(channelId, conversation.id))
          : undefined;
    if (!ahead) return undefined;
    context.turnState.set(ACTIVE_HANDOFF_REQUEST_ID, ahead.activeRequestId);
    return ahead;
  }

  private async runHandlers(context: TurnContext): Promise<void> {
    // Input made safe once, where it enters (NUL, lone surrogates, full-width letters…).
    if (typeof context.activity.text === 'string') context.activity.text = normalizeInput(context.activity.text);
    const address: unknown = context.turnState.get(CLIENT_ADDRESS_KEY);
    const actor = await identifyActor(
      this.options.ctx,
      context.activity,
      this.options.production,
      this.staffCache,
      typeof address === 'string' ? address : undefined,
    );
    context.turnState.set(ACTOR_KEY, actor);
    if (this.stateManagerConfiguration) context.turnState.set(STATE_MANAGER_CONFIGURATION, this.stateManagerConfiguration);
    try {
      await recordReferences(this.options.ctx, context.activity, actor, {
        last: () => this.referencesRecorded.get(context),
        remember: (recorded) => this.referencesRecorded.set(context, recorded),
      });
    } catch (err) {
      this.options.ctx.log.warn({ err }, 'could not record the conversation reference');
    }
    await super.run(context);
    await this.options.interceptor?.afterTurn(context, this.dialogsOf(context));
    this.stateManagerConfiguration ??= context.turnState.get<DialogStateManagerConfiguration | undefined>(STATE_MANAGER_CONFIGURATION);
    await this.options.conversationState.saveChanges(context, false);
    await this.options.userState.saveChanges(context, false);
  }

  /** A file consent card accepted in a Teams personal chat (bot/file-consent.ts). */
  protected override async handleTeamsFileConsentAccept(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await acceptFile(this.options.ctx, context, response);
  }

  protected override async handleTeamsFileConsentDecline(context: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await declineFile(this.options.ctx, context, response);
  }

  private dialogsOf(context: TurnContext): ConversationDialogs {
    const root = this.options.rootDialog;
    return { waitsForTypedAnswer: async () => (root ? waitsForTypedAnswer(root, context, this.dialogState) : false) };
  }

  private async schools(context: TurnContext): Promise<SchoolSummary[]> {
    const actor = turnActor(context);
    return actor.kind === 'director' ? schoolsOfStaff(this.options.ctx, actor) : [];
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    await context.sendActivity(this.welcome(turnActor(context), await this.schools(context)));
    await this.welcomed.set(context, true);
  }
}
