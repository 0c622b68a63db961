// Password reset by a director: school, accounts (one guardian, named in the request or not,
// or a population), a summary to confirm (Non notifié accounts are skipped, with the warning),
// then the reset, and a "Renotifier ces comptes" button: the new temporary passwords must be
// communicated by re-notifying, which starts with these accounts already chosen.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { previewNotify } from '../../services/accounts/notify.js';
import { RESET_CONFIRMATION, resetPasswords } from '../../services/accounts/reset.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { displayName } from '../../services/accounts/load.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import type { Choice } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { NOTIFY_DIALOG, NotifyDialog } from './notify-dialog.js';
import { SchoolAccountsDialog, type SchoolAccountsOptions, type SchoolAccountsValues } from './school-accounts-dialog.js';
import { selectedAccounts, type AccountSelection } from './select-accounts-dialog.js';
import { CLOSED, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const RESET_PASSWORD_DIALOG = 'staff.resetPassword';
const CONFIRM_PROMPT = promptId<string>('staff.resetPassword.confirm');
const NEXT_PROMPT = promptId<'renotify' | 'done'>('staff.resetPassword.next');

const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];
const NEXT: readonly Choice<'renotify' | 'done'>[] = [
  { value: 'renotify', title: 'Renotifier ces comptes', synonyms: ['renotifier', 're-notifier', 'notifier', 'oui'] },
  { value: 'done', title: 'Plus tard', synonyms: ['non', 'plus tard', 'termine', 'merci'] },
];

/** What the steps keep. */
interface ResetPasswordValues extends SchoolAccountsValues {
  selection: AccountSelection;
}

export class ResetPasswordDialog extends SchoolAccountsDialog<ResetPasswordValues> {
  constructor(deps: DialogDeps) {
    super(RESET_PASSWORD_DIALOG, deps);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addChoicePrompt(NEXT_PROMPT, NEXT);
    this.addDialog(new NotifyDialog(deps));
    this.addSteps(this.schoolStep, this.selectStep, this.confirmStep, this.resetStep, this.nextStep);
  }

  protected helpText(): string {
    return "La réinitialisation remplace le mot de passe par un nouveau mot de passe provisoire : l'ancien cesse aussitôt de fonctionner. Il faut ensuite re-notifier le compte.";
  }

  private async selectStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.selectAccountsStep(step, 'De quels comptes faut-il réinitialiser le mot de passe ?');
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const selection = selectedAccounts(step);
    const school = this.kept(step, 'school');
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
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : aucun mot de passe n'a été modifié.");
      return step.endDialog();
    }
    const school = this.kept(step, 'school');
    const selection = this.kept(step, 'selection');
    if (!school || !selection) return step.endDialog();
    const result = await resetPasswords(this.deps.ctx, staffActorOf(step.context), school.uai, selection.guardianIds, { confirmation: keptConfirmation(step) });
    if (result.reset.length === 0) {
      await step.context.sendActivity(result.messages.join('\n\n'));
      return step.endDialog();
    }
    const reset = result.reset.map((a) => a.guardianId);
    this.keep(step, 'selection', {
      guardianIds: reset,
      label: `${selection.label.replace(/ \(\d+ compte\(s\)\)$/, '')} (${reset.length} compte(s) réinitialisé(s))`,
    });
    return this.askChoice(step, NEXT_PROMPT, result.messages.join('\n\n'), NEXT, 'Renotifier maintenant : par fiche à imprimer ou par e-mail, au choix.');
  }

  private async nextStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const next = this.answer(step, NEXT_PROMPT);
    const school = this.kept(step, 'school');
    const selection = this.kept(step, 'selection');
    if (next !== 'renotify' || !school || !selection) {
      await step.context.sendActivity(next ? 'Très bien. Pensez à renotifier ces comptes : demandez-moi « renotifier » quand vous voulez.' : CLOSED);
      return step.endDialog();
    }
    return step.beginDialog(NOTIFY_DIALOG, { preset: { school, selection } } satisfies SchoolAccountsOptions);
  }
}
