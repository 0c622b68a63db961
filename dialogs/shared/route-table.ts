// Which dialog answers which intent, for which roles. Parents only reach parent dialogs;
// staff dialogs register their own routes (see RootDialog.registerRoute).
import { counterpartOf, type ActorRole, type IntentName } from '../types.js';
import { folded } from './input.js';

/** Kinds of value a route can start from (RoutedOptions.entities it reads); see switch.ts. */
export type ValueKind = 'email' | 'mobile' | 'identifier' | 'bySms' | 'byEmail';

export interface Route {
  /** null: no intent of the recognizer leads there; reached by its label (greeting button) only. */
  intent: IntentName | null;
  dialogId: string;
  roles: readonly ActorRole[];
  /** What the user can ask, as they would say it (listed in the greeting, offered as a button). */
  label: string;
  /** Other ways of saying it, understood anywhere in a message ("les demandes des parents"). */
  phrases?: readonly string[];
  /**
   * Values the route can start from (it reads them in RoutedOptions.entities): a parent who
   * types one of them where another route's question does not expect it is offered this route.
   */
  accepts?: readonly ValueKind[];
}

/** Whether `phrase` occurs in `text` as whole words (both folded). */
function containsWords(text: string, phrase: string): boolean {
  return phrase !== '' && ` ${text} `.includes(` ${phrase} `);
}

export class RouteTable {
  private readonly routes: Route[] = [];

  register(route: Route): void {
    const clash = this.routes.find((r) => route.intent !== null && r.intent === route.intent && r.roles.some((role) => route.roles.includes(role)));
    if (clash) throw new Error(`Intent ${route.intent} is already routed to ${clash.dialogId} for one of ${route.roles.join(', ')}`);
    this.routes.push(route);
  }

  /**
   * The route for a recognised intent, if this role may use it; else the route of its other
   * side ("reset password" from a parent is their lost password, counterpartOf).
   */
  find(intent: string, role: ActorRole | undefined): Route | undefined {
    if (!role) return undefined;
    const routeOf = (i: string | undefined): Route | undefined => this.routes.find((r) => i !== undefined && r.intent === i && r.roles.includes(role));
    return routeOf(intent) ?? routeOf(counterpartOf(intent));
  }

  /**
   * The route whose label is exactly this text (a suggested action clicked, a greeting line
   * typed back), or one of whose phrases the text contains, for this role.
   */
  findByLabel(text: string, role: ActorRole | undefined): Route | undefined {
    const t = folded(text);
    if (!role || !t) return undefined;
    const mine = this.routes.filter((r) => r.roles.includes(role));
    return mine.find((r) => folded(r.label) === t) ?? mine.find((r) => (r.phrases ?? []).some((p) => containsWords(t, folded(p))));
  }

  /** Every route of a role, in registration order. */
  forRole(role: ActorRole | undefined): Route[] {
    return role ? this.routes.filter((r) => r.roles.includes(role)) : [];
  }
}
