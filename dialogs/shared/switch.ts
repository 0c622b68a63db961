// Changing one's mind in the middle of a dialog. When a question waits and the parent writes
// something it cannot read, this decides whether the message is really another request: a
// strong different intent ("j'ai perdu mon identifiant aussi" while the identifier is asked
// for the lost password), or a value of another kind that another route takes (an email
// where the identifier is asked, "je peux le recevoir par sms ?" where the email is asked).
// The prompt then offers to switch in one click (ParsedPrompt); BaseDialog reads the click,
// the RootDialog starts the other route. Staff are offered only a strong different intent in
// an answer their question did not take ("liste des comptes" where a name is asked: the
// name questions refuse a text made only of request words, staff-dialog.ts); a free text
// their question takes (a name, a school) is never second-guessed.
import { MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { ActorRole, IntentRecognizer, RecognizedEntities } from '../types.js';
import { folded } from './input.js';
import type { Route, RouteTable, ValueKind } from './route-table.js';

export type { ValueKind } from './route-table.js';

/** What the root dialog tells the prompts of this turn (turn state ROUTING_KEY). */
export interface Routing {
  routes: RouteTable;
  role: ActorRole | undefined;
  /** The dialog id of the route in progress, if any. */
  current: string | undefined;
}

/** A switch the parent may accept: the route to start and what it starts from. */
export interface SwitchOffer {
  dialogId: string;
  label: string;
  entities: RecognizedEntities;
}

export const ROUTING_KEY = Symbol('educonnect.routing');
/** Set by BaseDialog when the parent accepts an offer; read by the root dialog. */
export const SWITCH_KEY = Symbol('educonnect.switch');

/** Emails, identifiers, numbers: removed before counting the words of a request. */
const VALUES = /\S+@\S+|\S*\d\S*|\b\p{L}+\.\p{L}+\b/gu;

/** A recognised intent this sure is another request, not a clumsy answer. */
export const STRONG_INTENT_SCORE = 0.7;

const ACCEPT_TITLE = (label: string): string => `Oui : ${label}`;
const DECLINE_TITLE = 'Non, je continue ici';
const YES = new Set(['oui', 'ok', 'd accord', 'oui merci', 'volontiers', 'yes']);
const NO = new Set(['non', 'non merci', 'continuer', 'je continue', 'non je continue ici', 'no']);

function routingOf(context: TurnContext): Routing | undefined {
  const routing: Routing | undefined = context.turnState.get(ROUTING_KEY);
  return routing;
}

/** The kinds of value a message carries, from the recognizer's entities and its words. */
export function valueKinds(text: string, entities: RecognizedEntities): Set<ValueKind> {
  const kinds = new Set<ValueKind>();
  if (entities.email?.length) kinds.add('email');
  if (entities.mobile?.length) kinds.add('mobile');
  if (entities.identifier?.length) kinds.add('identifier');
  const words = ` ${folded(text)} `;
  if (/ (?:sms|texto|textos) /.test(words)) kinds.add('bySms');
  else if (!kinds.has('email') && / (?:mail|e mail|email|courriel) /.test(words)) kinds.add('byEmail');
  return kinds;
}

/** The entities a route is started with: only the kinds it takes. */
function entitiesFor(route: Route, kinds: Set<ValueKind>, entities: RecognizedEntities): RecognizedEntities {
  const takes = (k: ValueKind): boolean => kinds.has(k) && (route.accepts ?? []).includes(k);
  return {
    ...(takes('email') ? { email: entities.email } : {}),
    ...(takes('mobile') ? { mobile: entities.mobile, channel: ['sms'] } : {}),
    ...(takes('identifier') ? { identifier: entities.identifier } : {}),
    ...(takes('bySms') ? { channel: ['sms'] } : {}),
    ...(takes('byEmail') || takes('email') ? { channel: ['email'] } : {}),
  };
}

/**
 * The switch a message not read by the waiting prompt calls for, if any. `strongOnly`: only
 * a strong different intent (used before free-text prompts read a sentence as a name).
 */
export async function findSwitch(context: TurnContext, text: string, recognizer: IntentRecognizer, strongOnly: boolean): Promise<SwitchOffer | undefined> {
  const routing = routingOf(context);
  if (!routing?.role || text.trim() === '' || (routing.role !== 'parent' && strongOnly)) return undefined;
  const current = routing.routes.forRole(routing.role).find((r) => r.dialogId === routing.current);

  const recognition = await recognizer.recognize(text);
  const kinds = strongOnly ? new Set<ValueKind>() : valueKinds(text, recognition.entities);
  const offer = (route: Route | undefined, entities: RecognizedEntities): SwitchOffer | undefined =>
    route && Object.keys(entities).length > 0 ? { dialogId: route.dialogId, label: route.label, entities } : undefined;
  // 1. The request in progress, from a value or a wish it takes ("par SMS", a number).
  const same = current?.accepts ? offer(current, entitiesFor(current, kinds, recognition.entities)) : undefined;
  if (same) return same;
  // 2. Another request, clearly worded (a bare value says what it is, not what is wanted).
  const words = text
    .replace(VALUES, ' ')
    .split(/\s+/)
    .filter((w) => /\p{L}{2,}/u.test(w));
  if (words.length >= 2 && recognition.score >= STRONG_INTENT_SCORE && recognition.intent !== current?.intent) {
    const route = routing.routes.find(recognition.intent, routing.role);
    if (route && route.dialogId !== current?.dialogId) return { dialogId: route.dialogId, label: route.label, entities: recognition.entities };
  }
  // 3. Another request that takes the value typed (an email where the identifier is asked).
  if (!current?.accepts) return undefined;
  for (const route of routing.routes.forRole(routing.role).filter((r) => r !== current && r.accepts)) {
    const other = offer(route, entitiesFor(route, kinds, recognition.entities));
    if (other) return other;
  }
  return undefined;
}

/** The offer, after the question's own explanation, as a message with two suggested actions. */
export function offerActivity(offer: SwitchOffer, sameRoute: boolean, explanation: string | undefined): Partial<Activity> {
  const proposal = sameRoute
    ? `Ou voulez-vous reprendre « ${offer.label} » avec ce que vous venez d'écrire ?`
    : `Ou souhaitez-vous plutôt : « ${offer.label} » ?`;
  const text = explanation ? `${explanation}\n\n${proposal}` : proposal;
  return MessageFactory.suggestedActions([ACCEPT_TITLE(offer.label), DECLINE_TITLE], text);
}

/** Whether the route of an offer is the route in progress. */
export function isSameRoute(context: TurnContext, offer: SwitchOffer): boolean {
  return routingOf(context)?.current === offer.dialogId;
}

/** How a message answers a pending offer: accepted, declined, or neither (read it normally). */
export function answerToOffer(text: string, offer: SwitchOffer): 'accept' | 'decline' | undefined {
  const t = folded(text);
  if (t === folded(ACCEPT_TITLE(offer.label)) || t === folded(offer.label) || YES.has(t)) return 'accept';
  if (t === folded(DECLINE_TITLE) || NO.has(t)) return 'decline';
  return undefined;
}
