// Children removed by parents ("n'est pas mon enfant", see services/accounts/refused-links.ts):
// a director for their school, an agent for any school, sees the refused links (the nightly
// import no longer recreates them) and restores one when the parent was wrong, after one
// confirmation (consumed once; audited by the service).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { listRefusedLinks, restoreRefusedLink, RESTORE_CONFIRMATION } from '../../services/accounts/refused-links.js';
import { displayName } from '../../services/accounts/load.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { clickedId } from '../../cards/staff/choices.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import { parseLinkId, refusedLinksCard, type RefusedLinkLine } from '../../cards/staff/refused-links-card.js';
import type { Choice, Parsed, PromptInput } from '../shared/validators.js';
import type { DialogDeps, RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const REFUSED_LINKS_DIALOG = 'staff.refusedLinks';
const PICK_PROMPT = promptId<{ pupilId: number; guardianId: number }>('staff.refusedLinks.pick');
const CONFIRM_PROMPT = promptId<string>('staff.refusedLinks.confirm');

/** Links shown on the card (the most recent first). */
export const MAX_LINKS = 15;

const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];

type Link = Omit<RefusedLinkLine, 'refusedAt'>;

function parsePick({ value }: PromptInput): Parsed<{ pupilId: number; guardianId: number }> {
  const link = parseLinkId(clickedId(value, 'link'));
  return link ? { ok: true, value: link } : { ok: false, retry: 'Cliquez sur « Rétablir » à côté de l’élève concerné, ou sur « Fermer ».' };
}

/** What the steps keep. */
interface RefusedLinksValues {
  school: SchoolChoice;
  links: Link[];
  link: Link;
}

export class RefusedLinksDialog extends StaffDialog<RefusedLinksValues> {
  constructor(deps: DialogDeps) {
    super(REFUSED_LINKS_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addPrompt(PICK_PROMPT, parsePick);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.schoolStep, this.listStep, this.confirmStep, this.restoreStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CONFIRM_PROMPT) return 'Cliquez sur « Confirmer » pour rattacher de nouveau l’élève à ce compte, ou « Annuler ».';
    return "Ces élèves ont été retirés de leur compte par un parent. Rétablir le lien les rattache de nouveau ; l'import de la nuit le garde ensuite.";
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async listStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    const rows = await listRefusedLinks(this.deps.ctx, staffActorOf(step.context), school.uai);
    if (rows.length === 0) {
      await step.context.sendActivity(`Aucun parent de ${school.name} n'a retiré d'enfant de son compte.`);
      return step.endDialog();
    }
    const lines: RefusedLinkLine[] = rows.slice(0, MAX_LINKS).map((r) => ({
      pupilId: r.pupilId,
      guardianId: r.guardianId,
      pupil: `${r.pupilFirstName} ${r.pupilLastName.toUpperCase()} (${r.className})`,
      guardian: `${displayName({ lastName: r.guardianLastName, firstName: r.guardianFirstName })} (${r.identifier})`,
      refusedAt: r.refusedAt,
    }));
    this.keep(step, 'school', school);
    this.keep(
      step,
      'links',
      lines.map((l) => ({ pupilId: l.pupilId, guardianId: l.guardianId, pupil: l.pupil, guardian: l.guardian })),
    );
    return this.askWithCard(step, PICK_PROMPT, (nonce) =>
      refusedLinksCard({ schoolName: school.name, links: lines, truncated: rows.length > MAX_LINKS, nonce }),
    );
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked = this.answer(step, PICK_PROMPT);
    if (!picked) return this.giveUp(step);
    const link = this.kept(step, 'links')?.find((l) => l.pupilId === picked.pupilId && l.guardianId === picked.guardianId);
    if (!link) return step.endDialog();
    this.keep(step, 'link', link);
    await keepConfirmation(this.deps.ctx, step, RESTORE_CONFIRMATION);
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      choiceCard({
        question: `Rattacher de nouveau ${link.pupil} au compte de ${link.guardian} ?`,
        hint: "L'élève apparaîtra de nouveau sur ce compte, et l'import de la nuit gardera ce lien.",
        nonce,
        choices: DECISION,
      }),
    );
  }

  private async restoreStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    const link = this.kept(step, 'link');
    if (decision !== CONFIRM || !link) {
      await step.context.sendActivity("C'est annulé : le lien reste refusé.");
      return step.endDialog();
    }
    await restoreRefusedLink(this.deps.ctx, staffActorOf(step.context), link.pupilId, link.guardianId, { confirmation: keptConfirmation(step) });
    await step.context.sendActivity(`C'est fait : le lien entre ${link.pupil} et le compte de ${link.guardian} est rétabli.`);
    return step.endDialog();
  }
}
