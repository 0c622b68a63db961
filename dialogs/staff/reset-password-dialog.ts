// Password reset by a director: school, accounts (one guardian or a population), a summary
// to confirm (Non notifié accounts are skipped, with the warning), then the reset and the
// reminder that the new temporary passwords must be communicated by re-notifying.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { previewNotify } from '../../services/accounts/notify.js';
import { RESET_CONFIRMATION, resetPasswords } from '../../services/accounts/reset.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { displayName } from '../../services/accounts/load.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import type { Choice } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import type { SchoolChoice } from './choose-school-dialog.js';
import { SchoolAccountsDialog } from './school-accounts-dialog.js';
import type { AccountSelection } from './select-accounts-dialog.js';
import { staffActorOf } from './staff-dialog.js';

export const RESET_PASSWORD_DIALOG = 'staff.resetPassword';
const CONFIRM_PROMPT = 'staff.resetPassword.confirm';

const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];

export class ResetPasswordDialog extends SchoolAccountsDialog {
  constructor(deps: DialogDeps) {
    super(RESET_PASSWORD_DIALOG, deps);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.schoolStep, this.selectStep, this.confirmStep, this.resetStep);
  }

  protected helpText(): string {
    return "La réinitialisation remplace le mot de passe par un nouveau mot de passe provisoire : l'ancien cesse aussitôt de fonctionner. Il faut ensuite re-notifier le compte.";
  }

  private async selectStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.selectAccountsStep(step, 'De quels comptes faut-il réinitialiser le mot de passe ?');
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const selection: AccountSelection | undefined = step.result;
    const school = this.kept<SchoolChoice>(step, 'school');
    if (!selection || !school) return step.endDialog();
    this.keep(step, 'selection', selection);
    const preview = await previewNotify(this.deps.ctx, staffActorOf(step.context), school.uai, selection.guardianIds, { channel: 'sheet', reset: true });
    const toReset = selection.guardianIds.length - preview.resetSkipped.length;
    if (toReset === 0) {
      await step.context.sendActivity(
        `Aucun mot de passe à réinitialiser : ${preview.resetSkipped.map(displayName).join(', ')} n'${preview.resetSkipped.length > 1 ? 'ont' : 'a'} pas encore été notifié(s). Notifiez ces comptes : la fiche leur donnera un mot de passe provisoire.`,
      );
      return step.endDialog();
    }
    await keepConfirmation(this.deps.ctx, step, RESET_CONFIRMATION);
    const skipped = preview.resetSkipped.length ? ` Les comptes non notifiés seront ignorés : ${preview.resetSkipped.map(displayName).join(', ')}.` : '';
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      choiceCard({
        question: `Réinitialiser le mot de passe de ${toReset} compte(s) de ${school.name} (${selection.label}) ?`,
        hint: `L'ancien mot de passe cessera aussitôt de fonctionner.${skipped}`,
        nonce,
        choices: DECISION,
      }),
    );
  }

  private async resetStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer<string>(step);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : aucun mot de passe n'a été modifié.");
      return step.endDialog();
    }
    const school = this.kept<SchoolChoice>(step, 'school');
    const selection = this.kept<AccountSelection>(step, 'selection');
    if (!school || !selection) return step.endDialog();
    const result = await resetPasswords(this.deps.ctx, staffActorOf(step.context), school.uai, selection.guardianIds, { confirmation: keptConfirmation(step) });
    await step.context.sendActivity([...result.messages, 'Pour cela, demandez-moi par exemple « renotifier un compte ».'].join('\n\n'));
    return step.endDialog();
  }
}
