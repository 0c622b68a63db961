// The list of a school's accounts, or of one class (for its teacher, admin guide §3.1), as PDF
// or CSV, returned as a signed short-lived link for the director who asked (the file carries
// temporary passwords: never sent anywhere else). A class named in the request is used at
// once ("liste des comptes de la classe CE1-A"); otherwise the classes are offered as buttons.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { listAccounts } from '../../services/accounts/list.js';
import { classesInText, schoolClasses } from '../../services/accounts/classes.js';
import { createListFile } from '../../services/delivery/files.js';
import { offerFile } from './file-offer.js';
import type { Choice } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { askClass, ClassPrompt, type OfferedClass } from './class-prompt.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const LIST_ACCOUNTS_DIALOG = 'staff.listAccounts';
const SCOPE_PROMPT = promptId<'school' | 'class' | { class: OfferedClass }>('staff.listAccounts.scope');
const CLASS_PROMPT = promptId<OfferedClass | null>('staff.listAccounts.class');
const FORMAT_PROMPT = promptId<ListFormat>('staff.listAccounts.format');

type ListFormat = 'pdf' | 'csv';
const FORMATS: readonly Choice<ListFormat>[] = [
  { value: 'pdf', title: 'PDF', synonyms: ['pdf', 'a imprimer', 'imprimable'] },
  { value: 'csv', title: 'CSV (tableur)', synonyms: ['csv', 'excel', 'tableur', 'tableau'] },
];
const SCOPES: readonly Choice<'school' | 'class'>[] = [
  { value: 'school', title: "Tout l'établissement", synonyms: ['tout', 'tous', 'toute l ecole', 'l ecole', 'tous les comptes', 'etablissement'] },
  { value: 'class', title: 'Une classe', synonyms: ['classe', 'une seule classe', 'pour un enseignant'] },
];

/** What the steps keep. */
interface ListAccountsValues {
  school: SchoolChoice;
  classes: OfferedClass[];
  class: OfferedClass;
}

export class ListAccountsDialog extends StaffDialog<ListAccountsValues> {
  constructor(deps: DialogDeps) {
    super(LIST_ACCOUNTS_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addChoicePrompt(SCOPE_PROMPT, SCOPES);
    this.addDialog(new ClassPrompt(CLASS_PROMPT));
    this.addChoicePrompt(FORMAT_PROMPT, FORMATS);
    this.addSteps(this.schoolStep, this.scopeStep, this.classStep, this.formatStep, this.listStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === SCOPE_PROMPT || promptId === CLASS_PROMPT)
      return 'La liste d’une classe aide son enseignant à distribuer les fiches ; celle de l’établissement contient tous les comptes.';
    return 'Le PDF se lit et s’imprime ; le CSV (séparateur « ; ») s’ouvre dans un tableur.';
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async scopeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    const classes = await schoolClasses(this.deps.ctx, staffActorOf(step.context), school.uai);
    this.keep(
      step,
      'classes',
      classes.map((c) => ({ classId: c.classId, name: c.name })),
    );
    const named = [options.text ?? '', ...(options.entities?.className ?? [])].flatMap((t) => classesInText(t, classes))[0];
    if (named) return step.next({ ok: true, value: { class: { classId: named.classId, name: named.name } } });
    if (classes.length < 2) return step.next({ ok: true, value: 'school' });
    return this.askChoice(
      step,
      SCOPE_PROMPT,
      'La liste de tout l’établissement, ou d’une classe ?',
      SCOPES,
      'La liste d’une classe aide son enseignant à distribuer les fiches.',
    );
  }

  private async classStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const scope = this.answer(step, SCOPE_PROMPT);
    if (!scope) return this.giveUp(step);
    if (scope === 'school') return step.next({ ok: true, value: null });
    if (scope !== 'class') return step.next({ ok: true, value: scope.class });
    return askClass(step, CLASS_PROMPT, 'Quelle classe ?', this.kept(step, 'classes') ?? []);
  }

  private async formatStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const chosen = this.answer(step, CLASS_PROMPT);
    if (chosen === undefined) return this.giveUp(step);
    if (chosen) this.keep(step, 'class', chosen);
    const format = entityText(options.entities, 'format');
    if (format === 'pdf') return step.next({ ok: true, value: 'pdf' });
    if (format === 'csv' || format === 'excel') return step.next({ ok: true, value: 'csv' });
    return this.askChoice(step, FORMAT_PROMPT, 'Dans quel format ?', FORMATS);
  }

  private async listStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const format = this.answer(step, FORMAT_PROMPT);
    if (!format) return this.giveUp(step);
    const school = this.kept(step, 'school');
    if (!school) return step.endDialog();
    const chosen = this.kept(step, 'class');
    const actor = staffActorOf(step.context);
    const list = await listAccounts(this.deps.ctx, actor, school.uai, chosen ? { classIds: [chosen.classId] } : {});
    const file = await createListFile(this.deps.ctx, actor, list, format);
    const heading = chosen ? `Liste des comptes de la classe ${chosen.name} – ${school.name}` : `Liste des comptes de ${school.name}`;
    await offerFile(step.context, file, heading, [`${list.rows.length} ligne(s) (une par élève et responsable).`]);
    return step.endDialog();
  }
}
