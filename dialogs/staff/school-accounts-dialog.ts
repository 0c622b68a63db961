// The first two steps shared by the staff dialogs acting on a selection of a school's accounts
// (notify, reset password): the school (the request may already name it), then the accounts;
// the chosen school is kept for the next steps. Both may come already chosen (`preset`: the
// accounts just reset, to renotify them).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps, RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { SELECT_ACCOUNTS_DIALOG, SelectAccountsDialog, type AccountSelection, type SelectAccountsOptions } from './select-accounts-dialog.js';
import { StaffDialog } from './staff-dialog.js';

export interface SchoolAccountsOptions extends RoutedOptions {
  /** The school and accounts already chosen (JSON: kept in dialog state). */
  preset?: { school: SchoolChoice; selection: AccountSelection };
}

/** What the shared steps keep; subclasses add theirs. */
export interface SchoolAccountsValues {
  school: SchoolChoice;
}

export abstract class SchoolAccountsDialog<V extends SchoolAccountsValues = SchoolAccountsValues> extends StaffDialog<V> {
  protected constructor(dialogId: string, deps: DialogDeps) {
    super(dialogId, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addDialog(new SelectAccountsDialog(deps));
  }

  /** Step: which school. */
  protected async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: SchoolAccountsOptions = step.options;
    if (options.preset) return step.next(options.preset.school);
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  /** Step after `schoolStep`: keeps the school and asks `question` about its accounts (ends when no school was chosen). */
  protected async selectAccountsStep(step: WaterfallStepContext, question: string): Promise<DialogTurnResult> {
    const options: SchoolAccountsOptions = step.options;
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    if (options.preset) return step.next(options.preset.selection);
    return step.beginDialog(SELECT_ACCOUNTS_DIALOG, {
      uai: school.uai,
      entities: options.entities,
      ...(options.text ? { text: options.text } : {}),
      question,
    } satisfies SelectAccountsOptions);
  }
}
