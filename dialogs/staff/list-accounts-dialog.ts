// The list of a school's accounts as PDF or CSV, returned as a signed short-lived link for the
// director who asked (the file carries temporary passwords: never sent anywhere else).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { listAccounts } from '../../services/accounts/list.js';
import { createListFile } from '../../services/delivery/files.js';
import { fileCard } from '../../cards/staff/file-card.js';
import type { Choice } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, type SchoolChoice } from './choose-school-dialog.js';
import { StaffDialog, cardActivity, staffActorOf } from './staff-dialog.js';

export const LIST_ACCOUNTS_DIALOG = 'staff.listAccounts';
const FORMAT_PROMPT = 'staff.listAccounts.format';

type ListFormat = 'pdf' | 'csv';
const FORMATS: readonly Choice<ListFormat>[] = [
  { value: 'pdf', title: 'PDF', synonyms: ['pdf', 'a imprimer', 'imprimable'] },
  { value: 'csv', title: 'CSV (tableur)', synonyms: ['csv', 'excel', 'tableur', 'tableau'] },
];

export class ListAccountsDialog extends StaffDialog {
  constructor(deps: DialogDeps) {
    super(LIST_ACCOUNTS_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addChoicePrompt(FORMAT_PROMPT, FORMATS);
    this.addSteps(this.schoolStep, this.formatStep, this.listStep);
  }

  protected helpText(): string {
    return 'Le PDF se lit et s’imprime ; le CSV (séparateur « ; ») s’ouvre dans un tableur.';
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async formatStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const school: SchoolChoice | undefined = step.result;
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    const format = entityText(options.entities, 'format');
    if (format === 'pdf') return step.next({ ok: true, value: 'pdf' });
    if (format === 'csv' || format === 'excel') return step.next({ ok: true, value: 'csv' });
    return this.askChoice(step, FORMAT_PROMPT, 'Dans quel format ?', FORMATS);
  }

  private async listStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const format = this.answer<ListFormat>(step);
    if (!format) return this.giveUp(step);
    const school = this.kept<SchoolChoice>(step, 'school');
    if (!school) return step.endDialog();
    const actor = staffActorOf(step.context);
    const list = await listAccounts(this.deps.ctx, actor, school.uai);
    const file = await createListFile(this.deps.ctx, actor, list, format);
    await step.context.sendActivity(
      cardActivity(
        fileCard({ heading: `Liste des comptes de ${school.name}`, fileName: file.fileName, url: file.url, expiresAt: file.expiresAt, lines: [`${list.rows.length} ligne(s) (une par élève et responsable).`] }),
        `Liste des comptes : ${file.fileName}`,
      ),
    );
    return step.endDialog();
  }
}
