// Statistics of a school (summary, per class, per level: the four states and the totals, as
// the guide's tables) and of an academy or the whole country, with the time of the
// computation and, for schools, a bar chart of activation per class drawn with card-native
// columns (the percentage is written too, for screen readers).
import type { AggregateStatsData, SchoolStatsData, Stats, StatsCounts } from '../../services/stats.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardElement, type ColumnSet } from '../shared/adaptive.js';
import { parisDateTime, percent, STATE_LABELS } from './labels.js';

export const RECOMPUTE = 'recompute';
export const DONE = 'done';
/** From a school's card back to the director's schools together. */
export const BACK = 'back';

export function summaryFacts(c: StatsCounts): CardElement {
  return facts([
    { title: 'Comptes', value: String(c.accounts) },
    { title: STATE_LABELS.NOT_NOTIFIED, value: String(c.notNotified) },
    { title: STATE_LABELS.NOTIFIED, value: String(c.notified) },
    { title: STATE_LABELS.ACTIVATING, value: String(c.activating) },
    { title: STATE_LABELS.ACTIVATED, value: String(c.activated) },
    { title: 'Responsables activés', value: percent(c.activatedPct) },
    { title: 'Élèves avec un responsable activé', value: `${percent(c.pupilsWithActivatedPct)} (${c.pupilsWithActivated} / ${c.pupils})` },
  ]);
}

/** The four states and the total of a group, in words ("12 comptes : 3 non notifiés · …"). */
export function statesLine(c: StatsCounts): string {
  return (
    `${c.accounts} compte(s) : ${c.notNotified} non notifié(s) · ${c.notified} notifié(s) non activé(s) · ` +
    `${c.activating} en cours d'activation · ${c.activated} activé(s) (${percent(c.activatedPct)})`
  );
}

/** One line per group, then the total line: "CM1 A – 12 compte(s) : 3 non notifié(s) · …". */
function detailLines(rows: readonly { label: string; counts: StatsCounts }[], totals?: StatsCounts): CardElement[] {
  return [
    ...rows.map((r) => text(`**${r.label}** – ${statesLine(r.counts)}`, { spacing: 'Small' })),
    ...(totals ? [text(`**Total** – ${statesLine(totals)}`, { spacing: 'Small' })] : []),
  ];
}

/** A horizontal bar: label, a coloured column proportional to the value, the rest empty, the value in text. */
export function percentBar(label: string, pct: number): ColumnSet {
  const filled = Math.max(0, Math.min(100, Math.round(pct)));
  const bar = [
    ...(filled > 0 ? [{ type: 'Column' as const, width: String(filled), style: 'good' as const, minHeight: '16px', items: [] }] : []),
    ...(filled < 100 ? [{ type: 'Column' as const, width: String(100 - filled), style: 'emphasis' as const, minHeight: '16px', items: [] }] : []),
  ];
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      { type: 'Column', width: '2', verticalContentAlignment: 'Center', items: [text(label, { size: 'Small' })] },
      { type: 'Column', width: '5', verticalContentAlignment: 'Center', items: [{ type: 'ColumnSet', columns: bar }] },
      { type: 'Column', width: '1', verticalContentAlignment: 'Center', items: [text(percent(pct), { size: 'Small', weight: 'Bolder' })] },
    ],
  };
}

export interface SchoolStatsCardData {
  stats: Stats<SchoolStatsData>;
  /** Nonce of the prompt that shows the card. */
  nonce: string;
  /** Offer "Retour à vos établissements" (the director came from their schools together). */
  back?: boolean;
}

export function schoolStatsCard({ stats, nonce, back }: SchoolStatsCardData): AdaptiveCardJson {
  const computed = `Statistiques calculées le ${parisDateTime(stats.computedAt)}.`;
  const classes = stats.classes.map((c) => ({ label: c.className, counts: c }));
  return adaptiveCard(
    [
      title(`Statistiques de ${stats.name} (${stats.uai})`),
      text(computed, { isSubtle: true }),
      summaryFacts(stats.summary),
      ...(stats.pastActivationDeadline !== undefined
        ? [
            text(
              `Comptes notifiés il y a plus de 3 mois et toujours pas activés : **${stats.pastActivationDeadline}**${stats.pastActivationDeadline > 0 ? ' (relancez-les : « relancer les comptes non activés »)' : ''}.`,
            ),
          ]
        : []),
      text('Activation des responsables par classe', { weight: 'Bolder' }),
      ...(classes.length ? stats.classes.map((c) => percentBar(c.className, c.activatedPct)) : [text('Aucune classe.')]),
      text('Détail par classe', { weight: 'Bolder' }),
      ...detailLines(classes, stats.classesTotal),
      text('Détail par niveau', { weight: 'Bolder' }),
      ...detailLines(
        stats.levels.map((l) => ({ label: l.label, counts: l })),
        stats.levelsTotal,
      ),
      text('Un responsable ayant des enfants dans plusieurs classes est compté dans chacune : les totaux du détail peuvent dépasser ceux du résumé.', {
        isSubtle: true,
        size: 'Small',
      }),
    ],
    [submit('Recalculer', nonce, RECOMPUTE), ...(back ? [submit('Retour à vos établissements', nonce, BACK)] : []), submit('Terminé', nonce, DONE)],
    `Statistiques de ${stats.name}. ${percent(stats.summary.activatedPct)} des responsables ont activé leur compte. ${computed}`,
  );
}

export interface AggregateStatsCardData {
  stats: Stats<AggregateStatsData>;
  nonce: string;
}

/** National or academy figures: summary, per level, and the schools with the lowest activation. */
export function aggregateStatsCard({ stats, nonce }: AggregateStatsCardData): AdaptiveCardJson {
  const scope = stats.scope === 'NATIONAL' ? 'Statistiques nationales' : `Statistiques de l'académie de ${stats.key}`;
  const computed = `Statistiques calculées le ${parisDateTime(stats.computedAt)}.`;
  const lowest = [...stats.schools].sort((a, b) => a.activatedPct - b.activatedPct).slice(0, 10);
  return adaptiveCard(
    [
      title(scope),
      text(computed, { isSubtle: true }),
      text(`${stats.schools.length} établissement(s).`),
      summaryFacts(stats.summary),
      text('Activation des responsables par niveau', { weight: 'Bolder' }),
      ...stats.levels.map((l) => percentBar(l.label, l.activatedPct)),
      text('Détail par niveau', { weight: 'Bolder' }),
      ...detailLines(
        stats.levels.map((l) => ({ label: l.label, counts: l })),
        stats.levelsTotal,
      ),
      text('Établissements les moins avancés', { weight: 'Bolder' }),
      ...detailLines(lowest.map((s) => ({ label: `${s.name} (${s.uai})`, counts: s }))),
    ],
    [submit('Recalculer', nonce, RECOMPUTE), submit('Terminé', nonce, DONE)],
    `${scope}. ${percent(stats.summary.activatedPct)} des responsables ont activé leur compte. ${computed}`,
  );
}
