// "Où en est ma demande EDU-2026-000123 ?": the state of the case and its school, nothing
// personal, for a parent who gives the reference (the root dialog routes here on the
// reference, whatever the intent; staff open the case itself in the cases dialog).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { caseStatus } from '../../services/case-status.js';
import { ServiceError } from '../../services/errors.js';
import { BaseDialog } from './base-dialog.js';
import { turnActor, type DialogDeps, type RoutedOptions } from '../types.js';

export const CASE_STATUS_DIALOG = 'shared.caseStatus';

export class CaseStatusDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(CASE_STATUS_DIALOG, deps);
    this.addSteps(this.answerStep);
  }

  protected helpText(): string {
    return 'Donnez la référence de votre demande, par exemple EDU-2026-000123 : je vous dis où elle en est.';
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options ?? {};
    const references = options.entities?.caseReference ?? [];
    const reference = references[0];
    if (!reference) {
      await step.context.sendActivity(this.helpText());
      return step.endDialog();
    }
    try {
      const status = await caseStatus(this.deps.ctx, turnActor(step.context), reference);
      const more = references.length > 1 ? ' Pour une autre demande, donnez sa référence dans un nouveau message.' : '';
      await step.context.sendActivity(`${status.text}${more}`);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code === 'forbidden') throw error;
      await step.context.sendActivity(error.userMessage);
    }
    return step.endDialog();
  }
}
