// Which school? The parent gives a UAI or the school's name and town; several matches are
// offered as a card. Ends with the school chosen, or nothing (gave up: human help offered).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { findSchools, type SchoolMatch } from '../../services/schools.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { MAX_ATTEMPTS } from '../shared/prompts.js';
import { folded } from '../shared/input.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { parseSchool, type InputParser, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';

export const SCHOOL_LOOKUP_DIALOG = 'parent.schoolLookup';
const SCHOOL = `${SCHOOL_LOOKUP_DIALOG}.school`;
const PICK = `${SCHOOL_LOOKUP_DIALOG}.pick`;
const NONE = 'none';
/** Schools offered at once: with "none of these", 5 buttons (the hosts' default action cap). */
const MAX_MATCHES = 4;

export interface SchoolLookupOptions {
  question: string;
  tries?: number;
}

/** The dialog's result: the school, or undefined when the parent gave up. */
export type SchoolLookupResult = SchoolMatch | undefined;

/** A UAI clicked on the card (or typed), or "none of these". */
const parsePick: InputParser<string> = (input) => {
  const clicked = cardSubmission(input.value)?.choice;
  if (clicked) return { ok: true, value: clicked };
  if (['aucun', 'aucune', 'aucun de ceux ci', 'non', 'autre'].includes(folded(input.text))) return { ok: true, value: NONE };
  const typed = parseSchool(input);
  return typed.ok && /^\d{7}[A-Z]$/.test(typed.value)
    ? typed
    : { ok: false, retry: "Merci de choisir l'établissement dans la liste, ou « Aucun de ceux-ci »." };
};

function isSchoolMatch(v: unknown): v is SchoolMatch {
  if (typeof v !== 'object' || v === null) return false;
  return ['uai', 'name', 'academy'].every((k) => typeof Reflect.get(v, k) === 'string');
}

export class SchoolLookupDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(SCHOOL_LOOKUP_DIALOG, deps);
    this.addPrompt(SCHOOL, parseSchool);
    this.addPrompt(PICK, parsePick);
    this.addSteps(this.askSchoolStep, this.searchStep, this.pickStep);
  }

  protected helpText(): string {
    return "Indiquez le nom de l'école ou de l'établissement et sa commune (par exemple « école Jules Ferry Toulouse »), ou son code UAI : 7 chiffres et une lettre, inscrit sur les courriers de l'école.";
  }

  private options(step: WaterfallStepContext): SchoolLookupOptions {
    return step.options as SchoolLookupOptions;
  }

  private async askSchoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, SCHOOL, this.options(step).question);
  }

  private async searchStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const school = step.result as Parsed<string>;
    if (!school.ok) return this.giveUp(step);
    const matches = await findSchools(this.deps.ctx, school.value, MAX_MATCHES);
    if (matches.length === 0)
      return this.retry(step, 'Je ne trouve aucun établissement qui corresponde. Essayez avec le nom et la commune, ou avec le code UAI.');
    if (matches.length === 1) return step.endDialog(matches[0] satisfies SchoolLookupResult);
    this.remember(step, 'matches', JSON.stringify(matches));
    return this.askWithCard(step, PICK, (nonce) =>
      choiceCard({
        question: 'Plusieurs établissements correspondent. Lequel est le bon ?',
        nonce,
        choices: [...matches.map((m) => ({ value: m.uai, title: `${m.name} (${m.uai})` })), { value: NONE, title: 'Aucun de ceux-ci' }],
      }),
    );
  }

  private async pickStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const pick = step.result as Parsed<string>;
    if (!pick.ok) return this.giveUp(step);
    const matches: unknown = JSON.parse(this.recall(step, 'matches') ?? '[]');
    const chosen = Array.isArray(matches) ? matches.filter(isSchoolMatch).find((m) => m.uai === pick.value) : undefined;
    if (chosen) return step.endDialog(chosen satisfies SchoolLookupResult);
    return this.retry(step, "D'accord. Essayons autrement : précisez le nom et la commune, ou donnez le code UAI.");
  }

  private async retry(step: WaterfallStepContext, message: string): Promise<DialogTurnResult> {
    const tries = (this.options(step).tries ?? 1) + 1;
    if (tries > MAX_ATTEMPTS) return this.giveUp(step);
    await step.context.sendActivity(message);
    return step.replaceDialog(SCHOOL_LOOKUP_DIALOG, { question: this.options(step).question, tries } satisfies SchoolLookupOptions);
  }
}
