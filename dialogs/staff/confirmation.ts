// Single-use confirmations in staff dialogs (services/confirmations.ts): the step that shows a
// confirmation card issues one and keeps its id in the dialog state; the step that acts
// passes it to the service, which consumes it in the action's transaction. Two deliveries of
// the same "Confirmer" (double click, connector retry, two instances) act once; the other
// gets a polite "déjà pris en compte" (the service's ServiceError, shown by the root dialog).
import type { WaterfallStepContext } from 'botbuilder-dialogs';
import type { ServiceContext } from '../../services/context.js';
import { issueConfirmation } from '../../services/confirmations.js';
import { staffActorOf } from './staff-dialog.js';

const KEY = 'confirmation';

export async function keepConfirmation(ctx: ServiceContext, step: WaterfallStepContext, kind: string): Promise<void> {
  Reflect.set(step.values, KEY, await issueConfirmation(ctx, { kind, actor: staffActorOf(step.context) }));
}

export function keptConfirmation(step: WaterfallStepContext): string | undefined {
  const id: unknown = Reflect.get(step.values, KEY);
  return typeof id === 'string' ? id : undefined;
}
