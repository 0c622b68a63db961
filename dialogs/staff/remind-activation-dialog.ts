// Activation reminders (guide §1.3.3: activate within 3 months; §3.1 "relancer les responsables
// n'ayant pas encore activé leur compte"): a director for their school, an agent for any school,
// chooses "notified more than N days ago" (default 60), a channel for the "Notifié et non
// activé" accounts (sheet or email; "En cours d'activation" ones get their activation mail),
// sees the count, confirms once; sheets come back as a download link.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { DEFAULT_REMINDER_DAYS, previewActivationReminders, REMIND_CONFIRMATION, sendActivationReminders } from '../../services/accounts/reminders.js';
import { displayName } from '../../services/accounts/load.js';
import { createSheetsFile } from '../../services/delivery/files.js';
import type { NotifyChannel } from '../../services/letters.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import { reminderPreviewCard } from '../../cards/staff/reminder-preview-card.js';
import { choiceParser, type Choice, type Parsed, type PromptInput } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { offerFile } from './file-offer.js';
import { CHANNELS } from './notify-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const REMIND_ACTIVATION_DIALOG = 'staff.remindActivation';
const DAYS_PROMPT = promptId<number>('staff.remindActivation.days');
const CHANNEL_PROMPT = promptId<NotifyChannel>('staff.remindActivation.channel');
const CONFIRM_PROMPT = promptId<string>('staff.remindActivation.confirm');

const DAYS: readonly Choice<string>[] = [
  { value: String(DEFAULT_REMINDER_DAYS), title: `${DEFAULT_REMINDER_DAYS} jours (conseillé)`, synonyms: ['par defaut', 'defaut', 'conseille'] },
  { value: '30', title: '30 jours', synonyms: ['un mois', '1 mois'] },
  { value: '90', title: '90 jours (délai de 3 mois dépassé)', synonyms: ['trois mois', '3 mois'] },
];
const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider', 'ok'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];
const DAYS_RETRY = 'Indiquez un nombre de jours entre 1 et 365 (par exemple 60), ou choisissez l’une des réponses proposées.';

/** "45", "45 jours", "depuis plus de 45 j": a number of days from 1 to 365. */
export function daysIn(text: string): number | undefined {
  const m = /(?:^|\D)(\d{1,3})\s*(?:j\b|jours?\b|$)/i.exec(text.trim());
  const n = m?.[1] ? Number(m[1]) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 365 ? n : undefined;
}

const parseDayChoice = choiceParser(DAYS, '');
function parseDays(input: PromptInput): Parsed<number> {
  const chosen = parseDayChoice(input);
  const n = chosen.ok ? Number(chosen.value) : daysIn(input.text);
  return n ? { ok: true, value: n } : { ok: false, retry: DAYS_RETRY };
}

const isChannel = (c: string | undefined): c is NotifyChannel => c === 'sheet' || c === 'email';

/** What the steps keep. */
interface RemindActivationValues {
  school: SchoolChoice;
  days: number;
  channel: NotifyChannel;
}

export class RemindActivationDialog extends StaffDialog<RemindActivationValues> {
  constructor(deps: DialogDeps) {
    super(REMIND_ACTIVATION_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addPrompt(DAYS_PROMPT, parseDays);
    this.addChoicePrompt(CHANNEL_PROMPT, CHANNELS);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.schoolStep, this.daysStep, this.channelStep, this.previewStep, this.sendStep);
  }

  protected helpText(promptId: string | undefined): string {
    switch (promptId) {
      case DAYS_PROMPT:
        return `Je relance les comptes notifiés il y a plus de ce nombre de jours et pas encore activés. ${DEFAULT_REMINDER_DAYS} jours laissent un mois avant l’échéance des 3 mois.`;
      case CHANNEL_PROMPT:
        return "Pour les comptes « Notifié et non activé » : la fiche est un PDF à imprimer, l'e-mail ne part qu'aux comptes qui ont une adresse. Les comptes « En cours d'activation » reçoivent leur e-mail d'activation.";
      case CONFIRM_PROMPT:
        return 'Vérifiez le résumé puis cliquez sur « Confirmer » pour envoyer les relances, ou « Annuler ».';
      default:
        return 'Je prépare la relance des comptes qui ne sont pas encore activés.';
    }
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async daysStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    const asked = daysIn(options.text ?? '');
    if (asked) return step.next({ ok: true, value: asked });
    return this.askChoice(
      step,
      DAYS_PROMPT,
      'Relancer les comptes notifiés depuis plus de combien de jours ?',
      DAYS,
      'Vous pouvez aussi écrire un nombre de jours, par exemple 45.',
    );
  }

  private async channelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const days = this.answer(step, DAYS_PROMPT);
    if (!days) return this.giveUp(step);
    this.keep(step, 'days', days);
    const channel = entityText(options.entities, 'channel');
    if (isChannel(channel)) return step.next({ ok: true, value: channel });
    return this.askChoice(
      step,
      CHANNEL_PROMPT,
      'Par quel moyen relancer les comptes « Notifié et non activé » ?',
      CHANNELS,
      "Les comptes « En cours d'activation » reçoivent de toute façon leur e-mail d'activation.",
    );
  }

  private async previewStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const channel = this.answer(step, CHANNEL_PROMPT);
    if (!channel) return this.giveUp(step);
    this.keep(step, 'channel', channel);
    const school = this.kept(step, 'school');
    const days = this.kept(step, 'days');
    if (!school || !days) return step.endDialog();
    const p = await previewActivationReminders(this.deps.ctx, staffActorOf(step.context), school.uai, { olderThanDays: days, channel });
    if (p.total === 0) {
      const hint = p.withoutEmail.length ? ` ${p.withoutEmail.length} compte(s) sans adresse e-mail pourraient être relancés par fiche.` : '';
      await step.context.sendActivity(`Aucun compte de ${school.name} notifié il y a plus de ${days} jours n’est à relancer.${hint}`);
      return step.endDialog();
    }
    await keepConfirmation(this.deps.ctx, step, REMIND_CONFIRMATION);
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      reminderPreviewCard({
        schoolName: school.name,
        olderThanDays: days,
        channel,
        notified: p.notified.length,
        activating: p.activating.length,
        withoutEmail: p.withoutEmail.map(displayName),
        pastDeadline: p.pastDeadline,
        nonce,
      }),
    );
  }

  private async sendStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : aucune relance n'a été envoyée.");
      return step.endDialog();
    }
    const school = this.kept(step, 'school');
    const days = this.kept(step, 'days');
    const channel = this.kept(step, 'channel');
    if (!school || !days || !channel) return step.endDialog();
    const actor = staffActorOf(step.context);
    const r = await sendActivationReminders(this.deps.ctx, actor, school.uai, { olderThanDays: days, channel, confirmation: keptConfirmation(step) });
    if (r.letters.length === 0) {
      await step.context.sendActivity(r.messages.join('\n\n'));
      return step.endDialog();
    }
    const file = await createSheetsFile(this.deps.ctx, actor, r.letters);
    await offerFile(step.context, file, 'Les fiches de rappel sont prêtes', r.messages);
    return step.endDialog();
  }
}
