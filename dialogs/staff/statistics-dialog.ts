// Statistics: a director of one school sees its card; a director of several sees their schools
// together, then each school's detail on demand; a school named in the request (UAI or words
// of its name) is shown if it is theirs, and refused by name if it is not (never their own
// figures instead). An agent chooses the whole country, an academy or a school. "Recalculer"
// computes again on demand and shows the new card; a typed request starts that request.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { StaffActor } from '../../services/actor.js';
import { computeAggregateStats, computeSchoolStats, getAggregateStats, getSchoolStats } from '../../services/stats.js';
import { getDirectorStats } from '../../services/director-stats.js';
import { findSchools } from '../../services/schools.js';
import { schoolsOfStaff } from '../../services/staff.js';
import { normalizeUai } from '../../services/text.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { clickedId } from '../../cards/staff/choices.js';
import { aggregateStatsCard, BACK, DONE, RECOMPUTE, schoolStatsCard } from '../../cards/staff/stats-card.js';
import { directorStatsCard } from '../../cards/staff/director-stats-card.js';
import { folded } from '../shared/input.js';
import type { Parsed, PromptInput } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { NOT_YOUR_SCHOOL } from './choose-school-dialog.js';
import { residualWords } from './request-words.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const STATISTICS_DIALOG = 'staff.statistics';
const SCOPE_PROMPT = promptId<StatsTarget>('staff.statistics.scope');
const CARD_PROMPT = promptId<string>('staff.statistics.card');

/** What the statistics are about ('MINE': a director's schools together). */
export type StatsTarget = { scope: 'SCHOOL'; uai: string; back?: boolean } | { scope: 'MINE' } | { scope: 'NATIONAL' } | { scope: 'ACADEMY'; academy: string };

interface StatisticsOptions extends RoutedOptions {
  /** Set when the dialog restarts itself (after "Recalculer", a school's detail, "Retour"). */
  target?: StatsTarget;
  recompute?: boolean;
}

const SCOPE_QUESTION =
  "Quelles statistiques souhaitez-vous ? Écrivez « national », le nom d'une académie (par exemple « Toulouse ») ou le code UAI d'un établissement.";
const NO_SCHOOL = "Aucun établissement ne vous est rattaché dans l'annuaire : contactez l'assistance de votre académie.";

/** Agents: "national", a UAI, or an academy name. */
export function parseStatsTarget({ text }: PromptInput): Parsed<StatsTarget> {
  const uai = normalizeUai(text.replace(/\s/g, ''));
  if (uai) return { ok: true, value: { scope: 'SCHOOL', uai } };
  const t = folded(text);
  if (['national', 'nationales', 'france', 'toute la france', 'niveau national'].includes(t)) return { ok: true, value: { scope: 'NATIONAL' } };
  const academy = text
    .trim()
    .replace(/^acad[ée]mie\s+(de\s+|d['’]\s*)?/i, '')
    .trim();
  return academy.length >= 3 && academy.length <= 60 && /\p{L}/u.test(academy)
    ? { ok: true, value: { scope: 'ACADEMY', academy } }
    : { ok: false, retry: SCOPE_QUESTION };
}

const RECOMPUTE_WORDS = ['recalculer', 'recalcul', 'calculer', 'mettre a jour', 'actualiser'];
const DONE_WORDS = ['termine', 'terminer', 'fini', 'fermer', 'merci', 'ok', 'c est bon', 'ca ira', 'non merci'];

/** The card's buttons, or a few words typed; anything else is re-asked (a request typed is routed by the root). */
function parseCardAnswer({ text, value }: PromptInput): Parsed<string> {
  const clicked = cardSubmission(value)?.choice;
  const school = clickedId(value, 'school');
  if (school) return { ok: true, value: `school:${school}` };
  if (clicked === RECOMPUTE || clicked === DONE || clicked === BACK) return { ok: true, value: clicked };
  const t = folded(text);
  if (RECOMPUTE_WORDS.includes(t)) return { ok: true, value: RECOMPUTE };
  if (DONE_WORDS.includes(t)) return { ok: true, value: DONE };
  return { ok: false, retry: 'Cliquez sur l’un des boutons des statistiques, ou écrivez votre demande.' };
}

/** What the steps keep. */
interface StatisticsValues {
  target: StatsTarget;
}

export class StatisticsDialog extends StaffDialog<StatisticsValues> {
  constructor(deps: DialogDeps) {
    super(STATISTICS_DIALOG, deps);
    this.addPrompt(SCOPE_PROMPT, parseStatsTarget);
    this.addPrompt(CARD_PROMPT, parseCardAnswer);
    this.addSteps(this.targetStep, this.showStep, this.afterCardStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CARD_PROMPT) return '« Recalculer » met les chiffres à jour maintenant ; « Terminé » ferme les statistiques.';
    return SCOPE_QUESTION;
  }

  /** A director's target: the school named (theirs, or refused), their only school, or all of them. */
  private async directorTarget(step: WaterfallStepContext, actor: StaffActor, options: StatisticsOptions): Promise<StatsTarget | undefined> {
    const mine = await schoolsOfStaff(this.deps.ctx, actor);
    const named = entityText(options.entities, 'uai');
    if (named) {
      const uai = normalizeUai(named);
      if (mine.some((s) => s.uai === uai)) return { scope: 'SCHOOL', uai: uai ?? '' };
      await step.context.sendActivity(NOT_YOUR_SCHOOL);
      return undefined;
    }
    const words = residualWords(options.text ?? '').join(' ');
    const found = words ? await findSchools(this.deps.ctx, words, 20) : [];
    const own = found.find((f) => mine.some((s) => s.uai === f.uai));
    if (own) return { scope: 'SCHOOL', uai: own.uai };
    if (found.length > 0) {
      const list = mine.map((s) => s.name).join(', ');
      const asked = found.length === 1 ? (found[0]?.name ?? words) : `« ${words} »`;
      await step.context.sendActivity(
        `${asked} ne fait pas partie de vos établissements : je ne peux vous montrer que les statistiques de ${list || 'vos établissements'}.`,
      );
      return undefined;
    }
    if (mine.length === 0) {
      await step.context.sendActivity(NO_SCHOOL);
      return undefined;
    }
    const only = mine.length === 1 ? mine[0] : undefined;
    return only ? { scope: 'SCHOOL', uai: only.uai } : { scope: 'MINE' };
  }

  private async targetStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: StatisticsOptions = step.options;
    if (options.target) return step.next({ ok: true, value: options.target });
    const actor = staffActorOf(step.context);
    if (actor.kind === 'director') {
      const target = await this.directorTarget(step, actor, options);
      return target ? step.next({ ok: true, value: target }) : step.endDialog();
    }
    const uai = entityText(options.entities, 'uai');
    if (uai) return step.next({ ok: true, value: { scope: 'SCHOOL', uai } });
    return this.ask(step, SCOPE_PROMPT, SCOPE_QUESTION);
  }

  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: StatisticsOptions = step.options;
    const actor = staffActorOf(step.context);
    const target = this.answer(step, SCOPE_PROMPT);
    if (!target) return this.giveUp(step);
    this.keep(step, 'target', target);
    const ctx = this.deps.ctx;
    const recompute = options.recompute === true;
    if (target.scope === 'SCHOOL') {
      const stats = recompute ? await computeSchoolStats(ctx, actor, target.uai) : await getSchoolStats(ctx, actor, target.uai);
      return this.askWithCard(step, CARD_PROMPT, (nonce) => schoolStatsCard({ stats, nonce, back: target.back === true }));
    }
    if (target.scope === 'MINE') {
      const stats = await getDirectorStats(ctx, actor, { recompute });
      return this.askWithCard(step, CARD_PROMPT, (nonce) => directorStatsCard({ stats, nonce }));
    }
    const academy = target.scope === 'ACADEMY' ? target.academy : undefined;
    const stats = recompute ? await computeAggregateStats(ctx, actor, target.scope, academy) : await getAggregateStats(ctx, actor, target.scope, academy);
    return this.askWithCard(step, CARD_PROMPT, (nonce) => aggregateStatsCard({ stats, nonce }));
  }

  private async afterCardStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = this.answer(step, CARD_PROMPT);
    if (answer === undefined) return this.giveUp(step);
    const target = this.kept(step, 'target');
    if (answer === RECOMPUTE) {
      await step.context.sendActivity('Je recalcule les statistiques…');
      return step.replaceDialog(this.id, { target, recompute: true } satisfies StatisticsOptions);
    }
    if (answer.startsWith('school:'))
      return step.replaceDialog(this.id, { target: { scope: 'SCHOOL', uai: answer.slice('school:'.length), back: true } } satisfies StatisticsOptions);
    if (answer === BACK) return step.replaceDialog(this.id, { target: { scope: 'MINE' } } satisfies StatisticsOptions);
    await step.context.sendActivity('Très bien. Que puis-je faire d’autre pour vous ?');
    return step.endDialog();
  }
}
