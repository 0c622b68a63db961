// Which school a director works on: their only school at once; a card listing their schools
// by name when they have several. A school that is not theirs (named by UAI in the request or
// typed) is refused politely, saying nothing about it. An agent (acting for any school) names
// it by UAI or by its name. Returns a SchoolChoice, or undefined.
import { choiceFor, clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { TurnContext } from 'botbuilder';
import { schoolsOfStaff, type SchoolSummary } from '../../services/staff.js';
import { findSchools } from '../../services/schools.js';
import { normalizeUai } from '../../services/text.js';
import { questionCard } from '../../cards/staff/buttons-card.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { folded } from '../shared/input.js';
import type { Parsed, PromptInput } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { StaffDialog, TurnPrompt, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const CHOOSE_SCHOOL_DIALOG = 'staff.chooseSchool';
const SCHOOL_PROMPT = promptId<SchoolChoice>('staff.chooseSchool.school');

export interface SchoolChoice {
  uai: string;
  name: string;
}

/** The school this dialog ended with, read by the step after it (undefined: none chosen). */
export function chosenSchool(step: WaterfallStepContext): SchoolChoice | undefined {
  return step.result as SchoolChoice | undefined;
}

/** What the director is told when a school is not theirs (nothing about that school). */
export const NOT_YOUR_SCHOOL = 'Je ne peux vous répondre que pour les établissements dont vous avez la charge.';
const NO_SCHOOL = "Aucun établissement ne vous est rattaché dans l'annuaire : contactez l'assistance de votre académie.";
const WHICH_SCHOOL = 'Pour quel établissement ? Écrivez son code UAI (par exemple 0311478N) ou son nom.';

/** A school of the list named by card click, UAI or (part of) its name; undefined if none. */
function matchSchool(schools: readonly SchoolSummary[], input: PromptInput): SchoolSummary | 'foreign' | undefined {
  if (cardSubmission(input.value)) return schools.find((s) => s.uai === clickedId(input.value, 'school'));
  const uai = normalizeUai(input.text.replace(/\s/g, ''));
  if (uai) return schools.find((s) => s.uai === uai) ?? 'foreign';
  const t = folded(input.text);
  if (t.length < 3) return undefined;
  const byName = schools.filter((s) => folded(s.name).includes(t));
  return byName.length === 1 ? byName[0] : undefined;
}

export class ChooseSchoolDialog extends StaffDialog {
  constructor(deps: DialogDeps) {
    super(CHOOSE_SCHOOL_DIALOG, deps);
    this.addDialog(new TurnPrompt<SchoolChoice>(SCHOOL_PROMPT, (input, context) => this.parseSchool(input, context)));
    this.addSteps(this.chooseStep, this.doneStep);
  }

  protected helpText(): string {
    return 'Choisissez l’établissement concerné en cliquant sur son nom (ou écrivez son nom ou son code UAI).';
  }

  private async schools(context: TurnContext): Promise<SchoolSummary[]> {
    return schoolsOfStaff(this.deps.ctx, staffActorOf(context));
  }

  /** Agents: every school, by UAI or by the words of its name (one match needed). */
  private async parseAnySchool({ text }: PromptInput): Promise<Parsed<SchoolChoice>> {
    const found = text.trim().length >= 3 ? await findSchools(this.deps.ctx, text, 6) : [];
    const only = found.length === 1 ? found[0] : undefined;
    if (only) return { ok: true, value: { uai: only.uai, name: only.name } };
    if (found.length > 1)
      return {
        ok: false,
        retry: `Plusieurs établissements correspondent : ${found.map((f) => `${f.name} (${f.uai})`).join(', ')}. Écrivez le code UAI de celui qui vous intéresse.`,
      };
    return { ok: false, retry: `Je ne trouve pas cet établissement. ${WHICH_SCHOOL}` };
  }

  private async parseSchool(input: PromptInput, context: TurnContext): Promise<Parsed<SchoolChoice>> {
    if (staffActorOf(context).kind !== 'director') return this.parseAnySchool(input);
    const schools = await this.schools(context);
    const hit = matchSchool(schools, input);
    const list = schools.map((s) => s.name).join(', ');
    if (hit === 'foreign') return { ok: false, retry: `${NOT_YOUR_SCHOOL} Merci de choisir l'un de vos établissements : ${list}.` };
    return hit ? { ok: true, value: { uai: hit.uai, name: hit.name } } : { ok: false, retry: `Merci de choisir l'un de vos établissements : ${list}.` };
  }

  private async chooseStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    if (staffActorOf(step.context).kind !== 'director') {
      const named = entityText(options.entities, 'uai');
      const found = named ? await this.parseAnySchool({ text: named, value: undefined }) : undefined;
      return found?.ok ? step.endDialog(found.value) : this.ask(step, SCHOOL_PROMPT, WHICH_SCHOOL);
    }
    const schools = await this.schools(step.context);
    if (schools.length === 0) {
      await step.context.sendActivity(NO_SCHOOL);
      return step.endDialog();
    }
    const named = entityText(options.entities, 'uai');
    if (named) {
      const mine = schools.find((s) => s.uai === normalizeUai(named));
      if (!mine) {
        await step.context.sendActivity(NOT_YOUR_SCHOOL);
        return step.endDialog();
      }
      return step.endDialog({ uai: mine.uai, name: mine.name } satisfies SchoolChoice);
    }
    const only = schools.length === 1 ? schools[0] : undefined;
    if (only) return step.endDialog({ uai: only.uai, name: only.name } satisfies SchoolChoice);
    return this.askWithCard(step, SCHOOL_PROMPT, (nonce) =>
      questionCard({ question: 'Pour quel établissement ?', nonce, choices: schools.map((s) => ({ value: choiceFor('school', s.uai), title: s.name })) }),
    );
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const school = this.answer(step, SCHOOL_PROMPT);
    return school ? step.endDialog(school) : this.giveUp(step);
  }
}
