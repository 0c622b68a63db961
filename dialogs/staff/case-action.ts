// A staff member moves a case (from the cases dialog, or from the proactive card a director
// received in Teams): the service checks the scope, the state shown on the card and the
// message, tells the parent, and this says in French what happened.
import type { TurnContext } from 'botbuilder';
import type { StaffActor } from '../../services/actor.js';
import { isStaff } from '../../services/actor.js';
import { setCaseState, type CaseChange } from '../../services/cases.js';
import type { ServiceContext } from '../../services/context.js';
import type { CaseState } from '../../services/db/index.js';
import { ServiceError } from '../../services/errors.js';
import type { Told } from '../../services/case-notices.js';
import { caseActionSubmission } from '../../cards/shared/card-action.js';
import { SETTABLE_STATES } from '../../cards/staff/cases-card.js';
import { CASE_STATE_LABELS } from '../../cards/staff/labels.js';
import { turnActor } from '../types.js';

function toldSentence(told: Told | null): string {
  if (!told) return '';
  const ways = [told.email ? 'par e-mail' : '', told.sms ? 'par SMS' : '', told.chat ? 'dans sa conversation avec l’assistant' : ''].filter(Boolean);
  if (ways.length === 0) return " Le parent n'a laissé aucun moyen d'être prévenu : contactez-le si vous le pouvez.";
  const list = ways.length === 1 ? ways[0] : `${ways.slice(0, -1).join(', ')} et ${ways.at(-1)}`;
  return ` Le parent est prévenu ${list}.`;
}

/** Applies the change; returns the sentence for the staff member (refusals included). */
export async function applyCaseAction(ctx: ServiceContext, actor: StaffActor, reference: string, state: CaseState, change: CaseChange): Promise<string> {
  try {
    const view = await setCaseState(ctx, actor, reference, state, change);
    return `La demande ${view.reference} est maintenant « ${CASE_STATE_LABELS[view.state]} ».${toldSentence(view.told)}`;
  } catch (error) {
    if (error instanceof ServiceError && error.code !== 'forbidden') return error.userMessage;
    throw error;
  }
}

const isState = (s: string): s is CaseState => (SETTABLE_STATES as readonly string[]).includes(s);

/** Whether an activity value is a case action of a proactive card. */
export const isCaseActionCard = (value: unknown): boolean => caseActionSubmission(value) !== undefined;

/** Answers a click on a case action of a proactive card (staff only), whatever dialog is under way. */
export async function answerCaseActionCard(ctx: ServiceContext, context: TurnContext): Promise<void> {
  const action = caseActionSubmission(context.activity.value);
  const actor = turnActor(context);
  if (!action || !isStaff(actor) || !isState(action.to) || !isState(action.from)) {
    await context.sendActivity("Ce bouton n'est pas valable ici. Pour suivre les demandes des parents, écrivez « Suivre les demandes des parents ».");
    return;
  }
  const change = { note: action.note, expected: action.from, ...(action.confirmation ? { confirmation: action.confirmation } : {}) };
  await context.sendActivity(await applyCaseAction(ctx, actor, action.reference, action.to, change));
}
