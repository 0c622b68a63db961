// Statistics: a director sees their school's card (school chosen first when they have
// several); an agent chooses the whole country, an academy or a school. "Recalculer"
// computes again on demand and shows the new card.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { computeAggregateStats, computeSchoolStats, getAggregateStats, getSchoolStats } from '../../services/stats.js';
import { normalizeUai } from '../../services/text.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { aggregateStatsCard, DONE, RECOMPUTE, schoolStatsCard } from '../../cards/staff/stats-card.js';
import { folded } from '../shared/input.js';
import type { Parsed, PromptInput } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, type SchoolChoice } from './choose-school-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';

export const STATISTICS_DIALOG = 'staff.statistics';
const SCOPE_PROMPT = 'staff.statistics.scope';
const CARD_PROMPT = 'staff.statistics.card';

/** What the statistics are about. */
export type StatsTarget = { scope: 'SCHOOL'; uai: string } | { scope: 'NATIONAL' } | { scope: 'ACADEMY'; academy: string };

interface StatisticsOptions extends RoutedOptions {
  /** Set when the dialog restarts itself after "Recalculer". */
  target?: StatsTarget;
  recompute?: boolean;
}

const SCOPE_QUESTION =
  "Quelles statistiques souhaitez-vous ? Écrivez « national », le nom d'une académie (par exemple « Toulouse ») ou le code UAI d'un établissement.";

/** Agents: "national", a UAI, or an academy name. */
export function parseStatsTarget({ text }: PromptInput): Parsed<StatsTarget> {
  const uai = normalizeUai(text.replace(/\s/g, ''));
  if (uai) return { ok: true, value: { scope: 'SCHOOL', uai } };
  const t = folded(text);
  if (['national', 'nationales', 'france', 'toute la france', 'niveau national'].includes(t)) return { ok: true, value: { scope: 'NATIONAL' } };
  const academy = text.trim().replace(/^acad[ée]mie\s+(de\s+|d['’]\s*)?/i, '').trim();
  return academy.length >= 3 && academy.length <= 60 && /\p{L}/u.test(academy) ? { ok: true, value: { scope: 'ACADEMY', academy } } : { ok: false, retry: SCOPE_QUESTION };
}

/** The card's buttons, or "recalculer" typed; any other text closes the card. */
function parseCardAnswer({ text, value }: PromptInput): Parsed<string> {
  const clicked = cardSubmission(value)?.choice;
  if (clicked === RECOMPUTE || clicked === DONE) return { ok: true, value: clicked };
  return { ok: true, value: ['recalculer', 'recalcul', 'calculer', 'mettre a jour', 'actualiser'].includes(folded(text)) ? RECOMPUTE : DONE };
}

export class StatisticsDialog extends StaffDialog {
  constructor(deps: DialogDeps) {
    super(STATISTICS_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addPrompt(SCOPE_PROMPT, parseStatsTarget);
    this.addPrompt(CARD_PROMPT, parseCardAnswer);
    this.addSteps(this.targetStep, this.showStep, this.afterCardStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CARD_PROMPT) return '« Recalculer » met les chiffres à jour maintenant ; « Terminé » ferme les statistiques.';
    return SCOPE_QUESTION;
  }

  private async targetStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: StatisticsOptions = step.options;
    if (options.target) return step.next({ ok: true, value: options.target });
    const actor = staffActorOf(step.context);
    if (actor.kind === 'director') return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
    const uai = entityText(options.entities, 'uai');
    if (uai) return step.next({ ok: true, value: { scope: 'SCHOOL', uai } });
    return this.ask(step, SCOPE_PROMPT, SCOPE_QUESTION);
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: StatisticsOptions = step.options;
    const actor = staffActorOf(step.context);
    let target: StatsTarget | undefined;
    if (actor.kind === 'director' && !options.target) {
      const school: SchoolChoice | undefined = step.result;
      if (!school) return step.endDialog();
      target = { scope: 'SCHOOL', uai: school.uai };
    } else {
      target = this.answer<StatsTarget>(step);
      if (!target) return this.giveUp(step);
    }
    this.keep(step, 'target', target);
    const ctx = this.deps.ctx;
    if (target.scope === 'SCHOOL') {
      const stats = options.recompute ? await computeSchoolStats(ctx, actor, target.uai) : await getSchoolStats(ctx, actor, target.uai);
      return this.askWithCard(step, CARD_PROMPT, (nonce) => schoolStatsCard({ stats, nonce }));
    }
    const academy = target.scope === 'ACADEMY' ? target.academy : undefined;
    const stats = options.recompute ? await computeAggregateStats(ctx, actor, target.scope, academy) : await getAggregateStats(ctx, actor, target.scope, academy);
    return this.askWithCard(step, CARD_PROMPT, (nonce) => aggregateStatsCard({ stats, nonce }));
  }

  private async afterCardStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.answer<string>(step) === RECOMPUTE) {
      await step.context.sendActivity('Je recalcule les statistiques…');
      return step.replaceDialog(this.id, { target: this.kept<StatsTarget>(step, 'target'), recompute: true } satisfies StatisticsOptions);
    }
    await step.context.sendActivity('Très bien. Que puis-je faire d’autre pour vous ?');
    return step.endDialog();
  }
}
