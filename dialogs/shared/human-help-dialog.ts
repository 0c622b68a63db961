// "I want to talk to someone": how to reach the national assistance platform, and whether
// it answers the phone right now (Paris time).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../types.js';
import { BaseDialog } from './base-dialog.js';
import { humanHelpActivity } from './human-help.js';

export const HUMAN_HELP_DIALOG = 'humanHelp';

export class HumanHelpDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(HUMAN_HELP_DIALOG, deps);
    this.addSteps(this.contactStep);
  }

  protected helpText(): string {
    return "La plateforme d'assistance répond par téléphone et par un formulaire en ligne.";
  }

  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const intro =
      "Des conseillers de la plateforme d'assistance nationale peuvent vous aider. Ne leur communiquez jamais votre mot de passe : ils ne vous le demanderont pas.";
    await step.context.sendActivity(humanHelpActivity(this.deps.ctx.now(), intro));
    return step.endDialog();
  }
}
