// (Re)notification by a director: school, accounts (one guardian found by name, the accounts
// not notified, a class, everyone), sheet or email, with or without password reset; then a
// preview card and an explicit "Confirmer" before anything changes; sheets come back as a
// download link, emails with a report the director can check later.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { NOTIFY_CONFIRMATION, previewNotify } from '../../services/accounts/notify.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { getBatchReportFor } from '../../services/accounts/batches.js';
import type { NotifyChannel } from '../../services/letters.js';
import { CANCEL, CONFIRM, notifyPreviewCard } from '../../cards/staff/notify-preview-card.js';
import { choiceParser, type Choice, type Parsed } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { runNotify } from './notify-run.js';
import { SchoolAccountsDialog, type SchoolAccountsValues } from './school-accounts-dialog.js';
import { selectedAccounts, type AccountSelection } from './select-accounts-dialog.js';
import { staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const NOTIFY_DIALOG = 'staff.notify';
const CHANNEL_PROMPT = promptId<NotifyChannel>('staff.notify.channel');
const RESET_PROMPT = promptId<'reset' | 'keep'>('staff.notify.reset');
const CONFIRM_PROMPT = promptId<string>('staff.notify.confirm');
const REPORT_PROMPT = promptId<'report' | 'done'>('staff.notify.report');

export const CHANNELS: readonly Choice<NotifyChannel>[] = [
  { value: 'sheet', title: 'Fiche à imprimer', synonyms: ['fiche', 'fiches', 'papier', 'courrier', 'pdf', 'imprimer'] },
  { value: 'email', title: 'E-mail', synonyms: ['mail', 'email', 'courriel', 'par mail', 'par e-mail'] },
];
const RESET: readonly Choice<'reset' | 'keep'>[] = [
  { value: 'keep', title: 'Sans réinitialisation', synonyms: ['non', 'sans', 'garder'] },
  { value: 'reset', title: 'Avec réinitialisation', synonyms: ['oui', 'avec', 'reinitialiser', 'nouveau mot de passe'] },
];
const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider', 'ok'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];
const REPORT: readonly Choice<'report' | 'done'>[] = [
  { value: 'report', title: "Voir l'état des envois", synonyms: ['rapport', 'etat des envois', 'verifier'] },
  { value: 'done', title: 'Terminé', synonyms: ['non', 'merci', 'termine', 'fini'] },
];

const isChannel = (c: string | undefined): c is NotifyChannel => c === 'sheet' || c === 'email';

/** What the steps keep. */
interface NotifyValues extends SchoolAccountsValues {
  selection: AccountSelection;
  channel: NotifyChannel;
  reset: boolean;
  toNotify: number;
  batchId: string;
}

export class NotifyDialog extends SchoolAccountsDialog<NotifyValues> {
  constructor(deps: DialogDeps) {
    super(NOTIFY_DIALOG, deps);
    this.addChoicePrompt(CHANNEL_PROMPT, CHANNELS);
    this.addChoicePrompt(RESET_PROMPT, RESET);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    // Any answer closes the report offer; only the button (or "rapport") shows it.
    const parseReport = choiceParser(REPORT, '');
    this.addPrompt(REPORT_PROMPT, (input): Parsed<'report' | 'done'> => {
      const r = parseReport(input);
      return r.ok ? r : { ok: true, value: 'done' };
    });
    this.addSteps(this.schoolStep, this.selectStep, this.channelStep, this.resetStep, this.previewStep, this.confirmStep, this.reportStep);
  }

  protected helpText(promptId: string | undefined): string {
    switch (promptId) {
      case CHANNEL_PROMPT:
        return "La fiche est un PDF à imprimer (une page par compte) ; l'e-mail part seulement aux comptes qui ont une adresse.";
      case RESET_PROMPT:
        return 'Avec réinitialisation, un nouveau mot de passe provisoire remplace l’ancien (jamais pour les comptes non notifiés).';
      case CONFIRM_PROMPT:
        return 'Vérifiez le résumé puis cliquez sur « Confirmer » pour notifier, ou « Annuler » pour ne rien changer.';
      default:
        return 'Je prépare la notification des comptes choisis.';
    }
  }

  private async selectStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.selectAccountsStep(step, 'Quels comptes voulez-vous notifier ?');
  }

  private async channelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const selection = selectedAccounts(step);
    if (!selection) return step.endDialog();
    this.keep(step, 'selection', selection);
    const channel = entityText(options.entities, 'channel');
    if (isChannel(channel)) return step.next({ ok: true, value: channel });
    return this.askChoice(
      step,
      CHANNEL_PROMPT,
      'Par quel moyen ?',
      CHANNELS,
      "La fiche est un PDF à imprimer ; l'e-mail n'est envoyé qu'aux comptes qui ont une adresse.",
    );
  }

  private async resetStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const channel = this.answer(step, CHANNEL_PROMPT);
    if (!channel) return this.giveUp(step);
    this.keep(step, 'channel', channel);
    return this.askChoice(
      step,
      RESET_PROMPT,
      'Faut-il réinitialiser les mots de passe ?',
      RESET,
      "Utile quand un responsable a perdu un mot de passe qu'il avait déjà changé.",
    );
  }

  private async previewStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const reset = this.answer(step, RESET_PROMPT);
    if (!reset) return this.giveUp(step);
    this.keep(step, 'reset', reset === 'reset');
    const school = this.kept(step, 'school');
    const selection = this.kept(step, 'selection');
    const channel = this.kept(step, 'channel');
    if (!school || !selection || !channel) return step.endDialog();
    const preview = await previewNotify(this.deps.ctx, staffActorOf(step.context), school.uai, selection.guardianIds, { channel, reset: reset === 'reset' });
    this.keep(step, 'toNotify', preview.toNotify);
    await keepConfirmation(this.deps.ctx, step, NOTIFY_CONFIRMATION);
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      notifyPreviewCard({
        schoolName: school.name,
        selection: selection.label,
        channel,
        reset: reset === 'reset',
        toNotify: preview.toNotify,
        letters: preview.letters,
        warnings: preview.warnings,
        nonce,
      }),
    );
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    // Nothing to notify (e.g. by email, no account has an address): only "Annuler" was offered.
    if (decision !== CONFIRM || this.kept(step, 'toNotify') === 0) {
      await step.context.sendActivity("C'est annulé : aucun compte n'a été modifié.");
      return step.endDialog();
    }
    const school = this.kept(step, 'school');
    const selection = this.kept(step, 'selection');
    const channel = this.kept(step, 'channel');
    if (!school || !selection || !channel) return step.endDialog();
    const outcome = await runNotify(this.deps.ctx, step.context, staffActorOf(step.context), school.uai, selection.guardianIds, {
      channel,
      reset: this.kept(step, 'reset') === true,
      confirmation: keptConfirmation(step),
    });
    if (channel !== 'email' || outcome.notified === 0) return step.endDialog();
    this.keep(step, 'batchId', outcome.batchId);
    return this.askChoice(
      step,
      REPORT_PROMPT,
      "Le bouton « Voir l'état des envois » indique où en sont les e-mails ; il reste disponible tant que vous ne commencez pas une autre demande.",
      REPORT,
      `Référence de l'envoi : ${outcome.batchId}`,
    );
  }

  private async reportStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const batchId = this.kept(step, 'batchId');
    const school = this.kept(step, 'school');
    if (this.answer(step, REPORT_PROMPT) === 'report' && batchId && school) {
      const report = await getBatchReportFor(this.deps.ctx, staffActorOf(step.context), school.uai, batchId);
      await step.context.sendActivity(
        `État des envois : ${report.sent} envoyé(s), ${report.pending} en attente, ${report.failed} en échec.` +
          (report.failed > 0 ? ' Notifiez par fiche les comptes dont l’envoi a échoué.' : '') +
          ' Le détail par responsable reste disponible 30 jours : demandez « Suivre les envois et refaire les fichiers ».',
      );
    }
    return step.endDialog();
  }
}
