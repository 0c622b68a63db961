// Cases (requests to follow up): the list of a school or of everyone, and one case in detail
// with the state changes allowed.
import { choiceFor } from './choices.js';
import type { CaseState } from '../../services/db/index.js';
import type { CaseSummary, CaseView } from '../../services/cases.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { CASE_KIND_LABELS, CASE_STATE_LABELS, parisDate, parisDateTime } from './labels.js';

export const caseChoice = (reference: string): string => choiceFor('case', reference);
export const stateChoice = (state: CaseState): string => choiceFor('state', state);
export const BACK = 'back';

export interface CaseListCardData {
  heading: string;
  cases: readonly CaseSummary[];
  nonce: string;
}

export function caseListCard(d: CaseListCardData): AdaptiveCardJson {
  const body: CardElement[] = [title(d.heading)];
  if (d.cases.length === 0) body.push(text('Aucune demande en cours.'));
  d.cases.forEach((c, i) =>
    body.push({
      type: 'Container',
      separator: i > 0,
      items: [
        text(`**${c.reference}** – ${CASE_KIND_LABELS[c.kind]} – ${CASE_STATE_LABELS[c.state]}`),
        text(`${c.schoolName} · ouverte le ${parisDate(c.createdAt)} · ${c.summary}`, { isSubtle: true, spacing: 'None' }),
        { type: 'ActionSet', actions: [submit(`Voir ${c.reference}`, d.nonce, caseChoice(c.reference))] },
      ],
    }),
  );
  return adaptiveCard(body, [], d.heading);
}

/** The states a staff member can set from the card. */
export const SETTABLE_STATES: readonly CaseState[] = ['WAITING_REGISTER', 'CLOSED', 'OPEN'];

const SET_LABELS: Partial<Record<CaseState, string>> = { WAITING_REGISTER: 'En attente du registre', CLOSED: 'Clore', OPEN: 'Rouvrir' };

export function caseDetailCard(c: CaseView, nonce: string): AdaptiveCardJson {
  const next = c.next.filter((s) => SETTABLE_STATES.includes(s));
  return adaptiveCard(
    [
      title(`Demande ${c.reference}`),
      facts([
        { title: 'Objet', value: CASE_KIND_LABELS[c.kind] },
        { title: 'État', value: CASE_STATE_LABELS[c.state] },
        { title: 'Établissement', value: `${c.schoolName} (${c.schoolUai})` },
        { title: 'Élève', value: c.pupil ? `${c.pupil.firstName} ${c.pupil.lastName} (${c.pupil.className})` : '—' },
        { title: 'Responsable', value: c.guardian ? `${c.guardian.firstName} ${c.guardian.lastName} (${c.guardian.identifier})` : '—' },
        { title: 'Ouverte le', value: parisDateTime(c.createdAt) },
      ]),
      text(c.summary),
      text('Historique', { weight: 'Bolder' }),
      ...c.events.map((e) => text(`${parisDateTime(e.at)} : ${CASE_STATE_LABELS[e.toState]}${e.note ? ` – ${e.note}` : ''}`, { spacing: 'Small', size: 'Small' })),
    ],
    [...next.map((s) => submit(SET_LABELS[s] ?? CASE_STATE_LABELS[s], nonce, stateChoice(s))), submit('Retour à la liste', nonce, BACK)],
    `Demande ${c.reference}, ${CASE_STATE_LABELS[c.state]}.`,
  );
}
