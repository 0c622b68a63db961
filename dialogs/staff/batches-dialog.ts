// Following up email notifications and files: a director picks a school (at once when they
// have only one), sees its email batches of the last 30 days with their delivery counts, and
// opens one to see, guardian by guardian, what was sent, what is pending and what failed (and
// why); the sheets and lists of the last 30 days can be produced again (their links expire).
// Only the card's buttons open a batch (a batch reference typed would be taken for a password).
import { clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { getBatchReportFor, listRecentBatches } from '../../services/accounts/batches.js';
import { listRecentFiles, reissueList, reissueSheets } from '../../services/accounts/reissue.js';
import { offerFile } from './file-offer.js';
import { ServiceError } from '../../services/errors.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { BACK, batchListCard, batchReportCard, DONE } from '../../cards/staff/batches-card.js';
import type { Parsed, PromptInput } from '../shared/validators.js';
import type { DialogDeps, RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const BATCHES_DIALOG = 'staff.batches';
const LIST_PROMPT = promptId<string>('staff.batches.list');
const REPORT_PROMPT = promptId<typeof BACK | typeof DONE>('staff.batches.report');

interface BatchesOptions extends RoutedOptions {
  /** Set when the list is shown again ("Retour à la liste"). */
  school?: SchoolChoice;
}

/** "batch:<id>", "file:<kind>.<ref>[.<format>]" or "Terminé" from the list card. */
function parseBatchPick({ value }: PromptInput): Parsed<string> {
  const file = clickedId(value, 'file');
  const clicked = clickedId(value, 'batch') ?? (file ? `file:${file}` : undefined) ?? (cardSubmission(value)?.choice === DONE ? DONE : undefined);
  return clicked
    ? { ok: true, value: clicked }
    : { ok: false, retry: 'Cliquez sur « Voir l’envoi » sous un envoi, sur un fichier à refaire, ou sur « Terminé ».' };
}

function parseReportAction({ value }: PromptInput): Parsed<typeof BACK | typeof DONE> {
  const choice = cardSubmission(value)?.choice;
  if (choice === BACK || choice === DONE) return { ok: true, value: choice };
  return { ok: false, retry: 'Cliquez sur « Retour à la liste » ou sur « Terminé ».' };
}

/** What the steps keep. */
interface BatchesValues {
  school: SchoolChoice;
}

export class BatchesDialog extends StaffDialog<BatchesValues> {
  constructor(deps: DialogDeps) {
    super(BATCHES_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addPrompt(LIST_PROMPT, parseBatchPick);
    this.addPrompt(REPORT_PROMPT, parseReportAction);
    this.addSteps(this.schoolStep, this.listStep, this.reportStep, this.afterReportStep);
  }

  protected helpText(): string {
    return 'Je vous montre vos envois de notifications par e-mail des 30 derniers jours : ouvrez-en un pour voir, responsable par responsable, les e-mails envoyés, en attente ou en échec.';
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: BatchesOptions = step.options;
    if (options.school) return step.next(options.school);
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async listStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    const actor = staffActorOf(step.context);
    const batches = await listRecentBatches(this.deps.ctx, actor, school.uai);
    const files = await listRecentFiles(this.deps.ctx, actor, school.uai);
    if (batches.length === 0 && files.length === 0) {
      await step.context.sendActivity(`Aucun envoi par e-mail ni aucun fichier ces 30 derniers jours pour ${school.name}.`);
      return step.endDialog();
    }
    return this.askWithCard(step, LIST_PROMPT, (nonce) => batchListCard({ schoolName: school.name, batches, files, nonce }));
  }

  private async reportStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const batchId = this.answer(step, LIST_PROMPT);
    if (!batchId) return this.giveUp(step);
    if (batchId === DONE) return this.done(step);
    const school = this.kept(step, 'school');
    if (!school) return step.endDialog();
    if (batchId.startsWith('file:')) {
      const made = await this.reissue(step, school, batchId.slice('file:'.length)).catch((error: unknown) => {
        if (error instanceof ServiceError && error.code === 'not_found') return error;
        throw error;
      });
      if (!(made instanceof ServiceError)) return step.endDialog();
      // Gone by now, or a forged button naming another school's file: the same neutral sentence, then the list again.
      await step.context.sendActivity(made.userMessage);
      return step.replaceDialog(this.id, { school } satisfies BatchesOptions);
    }
    const report = await getBatchReportFor(this.deps.ctx, staffActorOf(step.context), school.uai, batchId).catch((error: unknown) => {
      if (error instanceof ServiceError && error.code === 'not_found') return error;
      throw error;
    });
    if (report instanceof ServiceError) {
      // Too old by now, or a forged button naming another school's batch: the same neutral sentence, then the list again.
      await step.context.sendActivity(report.userMessage);
      return step.replaceDialog(this.id, { school } satisfies BatchesOptions);
    }
    return this.askWithCard(step, REPORT_PROMPT, (nonce) => batchReportCard(report, nonce));
  }

  private async afterReportStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = this.answer(step, REPORT_PROMPT);
    if (!action) return this.giveUp(step);
    const school = this.kept(step, 'school');
    if (action === BACK && school) return step.replaceDialog(this.id, { school } satisfies BatchesOptions);
    return this.done(step);
  }

  /** Produces a file again ("sheets.<batch>" or "list.<ref>.<pdf|csv>") and gives its new link. */
  private async reissue(step: WaterfallStepContext, school: SchoolChoice, what: string): Promise<void> {
    const actor = staffActorOf(step.context);
    const [kind = '', ref = '', format] = what.split('.');
    if (kind === 'sheets') {
      const file = await reissueSheets(this.deps.ctx, actor, school.uai, ref);
      const lines = [`${file.pages} page(s), avec les informations à jour (aucun compte n'a été notifié de nouveau).`];
      await offerFile(step.context, file, 'Les fiches sont prêtes', lines);
    } else {
      const file = await reissueList(this.deps.ctx, actor, school.uai, ref, format === 'csv' ? 'csv' : 'pdf');
      const heading = file.className ? `Liste des comptes de la classe ${file.className} – ${school.name}` : `Liste des comptes de ${school.name}`;
      await offerFile(step.context, file, heading, [`${file.rows} ligne(s), à jour.`]);
    }
  }

  private async done(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity('Très bien. Que puis-je faire d’autre pour vous ?');
    return step.endDialog();
  }
}
