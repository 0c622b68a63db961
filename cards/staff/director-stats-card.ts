// A director's schools together: the sum of their figures (the four states, the totals, the
// activated shares), then each school with its own figures, the time of its computation and a
// button to its detail per class and per level.
import { choiceFor } from './choices.js';
import type { DirectorStats } from '../../services/director-stats.js';
import { adaptiveCard, submit, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { parisDateTime, percent } from './labels.js';
import { DONE, RECOMPUTE, statesLine, summaryFacts } from './stats-card.js';

export interface DirectorStatsCardData {
  stats: DirectorStats;
  nonce: string;
}

export function directorStatsCard({ stats, nonce }: DirectorStatsCardData): AdaptiveCardJson {
  const heading = `Statistiques de vos ${stats.schools.length} établissements`;
  const body: CardElement[] = [title(heading), text('Ensemble de vos établissements', { weight: 'Bolder' }), summaryFacts(stats.combined)];
  for (const s of stats.schools) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${s.name} (${s.uai})**`),
        text(statesLine(s.summary), { spacing: 'None' }),
        text(`Élèves avec un responsable activé : ${percent(s.summary.pupilsWithActivatedPct)}. Calculées le ${parisDateTime(s.computedAt)}.`, {
          isSubtle: true,
          spacing: 'None',
        }),
        { type: 'ActionSet', actions: [submit(`Détail de ${s.name}`, nonce, choiceFor('school', s.uai))] },
      ],
    });
  }
  body.push(text('Un responsable ayant des enfants dans plusieurs de vos établissements est compté dans chacun.', { isSubtle: true, size: 'Small' }));
  return adaptiveCard(
    body,
    [submit('Recalculer', nonce, RECOMPUTE), submit('Terminé', nonce, DONE)],
    `${heading}. ${percent(stats.combined.activatedPct)} des responsables ont activé leur compte.`,
  );
}
