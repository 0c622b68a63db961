// Cases to follow up: a director sees those of their school (chosen first when they have
// several), an agent those of every school. A case opens in detail; it can be marked
// resolved, "en attente du registre", closed or reopened, with a message to the parent, and
// the list comes back.
import { clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CASE_CONFIRMATION, getCase, listCases } from '../../services/cases.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { applyCaseAction } from './case-action.js';
import type { CaseState } from '../../services/db/index.js';
import { ServiceError } from '../../services/errors.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { BACK, caseDetailCard, caseListCard, NOTE_INPUT, SETTABLE_STATES } from '../../cards/staff/cases-card.js';
import type { Parsed, PromptInput } from '../shared/validators.js';
import type { DialogDeps, RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const CASES_DIALOG = 'staff.cases';
const LIST_PROMPT = promptId<string>('staff.cases.list');
const DETAIL_PROMPT = promptId<CaseActionAnswer | typeof BACK>('staff.cases.detail');

interface CasesOptions extends RoutedOptions {
  /** Set when the list is shown again (after a change or "Retour à la liste"). */
  school?: SchoolChoice | null;
}

const ACTIVE: CaseState[] = ['OPEN', 'WAITING_REGISTER'];

/** "case:<reference>" from the list card, or a reference typed ("EDU-2026-000001"). */
function parseCasePick({ text, value }: PromptInput): Parsed<string> {
  const clicked = clickedId(value, 'case');
  if (clicked) return { ok: true, value: clicked };
  const typed = /^EDU-\d{4}-\d{6}$/i.exec(text.trim());
  return typed
    ? { ok: true, value: typed[0].toUpperCase() }
    : { ok: false, retry: 'Cliquez sur « Voir » sous une demande, ou écrivez sa référence (par exemple EDU-2026-000001).' };
}

interface CaseActionAnswer {
  state: CaseState;
  note: string;
}

/** A state button of the detail card, with the message typed in its field. */
function parseCaseAction({ value }: PromptInput): Parsed<CaseActionAnswer | typeof BACK> {
  const choice = cardSubmission(value)?.choice;
  if (choice === BACK) return { ok: true, value: BACK };
  const state = SETTABLE_STATES.find((s) => clickedId(value, 'state') === s);
  const note: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, NOTE_INPUT) : undefined;
  return state
    ? { ok: true, value: { state, note: typeof note === 'string' ? note : '' } }
    : { ok: false, retry: 'Cliquez sur l’un des boutons de la demande.' };
}

/** What the steps keep. */
interface CasesValues {
  typedReference: string;
  school: SchoolChoice | null;
  reference: string;
  state: CaseState;
}

export class CasesDialog extends StaffDialog<CasesValues> {
  constructor(deps: DialogDeps) {
    super(CASES_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addPrompt(LIST_PROMPT, parseCasePick);
    this.addPrompt(DETAIL_PROMPT, parseCaseAction);
    this.addSteps(this.schoolStep, this.listStep, this.detailStep, this.actionStep);
  }

  protected helpText(): string {
    return 'Les demandes des parents (date de naissance, portable, regroupement…) sont suivies ici : ouvrez-en une pour la mettre en attente du registre ou la clore.';
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: CasesOptions = step.options;
    if (options.school !== undefined) return step.next(options.school ?? undefined);
    // A reference typed ("EDU-2026-000123", "où en est la demande edu-2026-123 ?"): straight to that case.
    const typed = options.entities?.caseReference?.[0];
    if (typed) {
      this.keep(step, 'typedReference', typed);
      return step.next();
    }
    if (staffActorOf(step.context).kind !== 'director') return step.next();
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async listStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const actor = staffActorOf(step.context);
    const school = chosenSchool(step);
    const typed = this.kept(step, 'typedReference');
    if (typed) {
      this.keep(step, 'school', null);
      return step.next({ ok: true, value: typed } satisfies Parsed<string>);
    }
    if (actor.kind === 'director' && !school) return step.endDialog();
    this.keep(step, 'school', school ?? null);
    const cases = await listCases(this.deps.ctx, actor, { ...(school ? { uai: school.uai } : {}), states: ACTIVE });
    if (cases.length === 0) {
      await step.context.sendActivity(school ? `Aucune demande en cours pour ${school.name}.` : 'Aucune demande en cours.');
      return step.endDialog();
    }
    const heading = school ? `Demandes en cours – ${school.name}` : 'Demandes en cours';
    return this.askWithCard(step, LIST_PROMPT, (nonce) => caseListCard({ heading, cases: cases.slice(0, 20), nonce }));
  }

  private async detailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const reference = this.answer(step, LIST_PROMPT);
    if (!reference) return this.giveUp(step);
    const view = await getCase(this.deps.ctx, staffActorOf(step.context), reference).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === 'not_found') return error;
      throw error;
    });
    if (view instanceof ServiceError) {
      // Unknown and out-of-scope references look the same: the service's neutral sentence, then the list again.
      await step.context.sendActivity(view.userMessage);
      return step.replaceDialog(this.id, { school: this.kept(step, 'school') ?? null } satisfies CasesOptions);
    }
    this.keep(step, 'reference', view.reference);
    this.keep(step, 'state', view.state);
    await keepConfirmation(this.deps.ctx, step, CASE_CONFIRMATION);
    return this.askWithCard(step, DETAIL_PROMPT, (nonce) => caseDetailCard(view, nonce));
  }

  private async actionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = this.answer(step, DETAIL_PROMPT);
    if (!action) return this.giveUp(step);
    const school = this.kept(step, 'school') ?? null;
    if (action !== BACK) {
      const reference = this.kept(step, 'reference') ?? '';
      const expected = this.kept(step, 'state');
      const change = { note: action.note, ...(expected ? { expected } : {}), confirmation: keptConfirmation(step) };
      await step.context.sendActivity(await applyCaseAction(this.deps.ctx, staffActorOf(step.context), reference, action.state, change));
    }
    return step.replaceDialog(this.id, { school } satisfies CasesOptions);
  }
}
