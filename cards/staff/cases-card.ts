// Cases (requests to follow up): the list of a school or of everyone, and one case in detail
// with the state changes allowed.
import { choiceFor, CLOSE } from './choices.js';
import type { CaseState } from '../../services/db/index.js';
import type { CaseSummary, CaseView } from '../../services/cases.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardElement, type InputText, type SubmitAction } from '../shared/adaptive.js';
import { caseNoteInputId } from '../shared/card-action.js';
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
  return adaptiveCard(body, [submit('Fermer', d.nonce, CLOSE)], d.heading);
}

/** The states a staff member can set from a card. */
export const SETTABLE_STATES: readonly CaseState[] = ['RESOLVED', 'WAITING_REGISTER', 'CLOSED', 'OPEN'];

const SET_LABELS: Record<CaseState, string> = { RESOLVED: 'Résolue', WAITING_REGISTER: 'En attente du registre', CLOSED: 'Clore', OPEN: 'Rouvrir' };

/** The id of the message field of the detail card (its value comes with the button clicked). */
export const NOTE_INPUT = 'note';
export const NOTE_MAX = 1000;

const noteInput = (id: string): InputText => ({
  type: 'Input.Text',
  id,
  label: 'Message au parent (facultatif, joint à votre choix)',
  placeholder: 'Par exemple : la date a été corrigée, réessayez demain.',
  isMultiline: true,
  maxLength: NOTE_MAX,
});

/** What staff need to act: the child, the parent, the contact given and what they typed. */
function caseFacts(c: CaseView): CardElement[] {
  const contact = [c.contactEmail, c.contactMobile].filter(Boolean).join(' · ');
  return [
    facts([
      { title: 'Objet', value: CASE_KIND_LABELS[c.kind] },
      { title: 'État', value: CASE_STATE_LABELS[c.state] },
      { title: 'Établissement', value: `${c.schoolName} (${c.schoolUai})` },
      { title: 'Élève', value: c.pupil ? `${c.pupil.firstName} ${c.pupil.lastName} (${c.pupil.className})` : '—' },
      { title: 'Responsable', value: c.guardian ? `${c.guardian.firstName} ${c.guardian.lastName} (${c.guardian.identifier})` : '—' },
      { title: 'Contact donné', value: contact || '—' },
      ...(c.typed ? [{ title: c.typed.label, value: c.typed.value }] : []),
      { title: 'Ouverte le', value: parisDateTime(c.createdAt) },
    ]),
    text(c.summary),
  ];
}

export function caseDetailCard(c: CaseView, nonce: string): AdaptiveCardJson {
  const next = c.next.filter((s) => SETTABLE_STATES.includes(s));
  return adaptiveCard(
    [
      title(`Demande ${c.reference}`),
      ...caseFacts(c),
      text('Historique', { weight: 'Bolder' }),
      ...c.events.map((e) =>
        text(`${parisDateTime(e.at)} : ${CASE_STATE_LABELS[e.toState]}${e.note ? ` – ${e.note}` : ''}`, { spacing: 'Small', size: 'Small' }),
      ),
      ...(next.length > 0 ? [noteInput(NOTE_INPUT)] : []),
    ],
    [...next.map((s) => submit(SET_LABELS[s], nonce, stateChoice(s))), submit('Retour à la liste', nonce, BACK), submit('Fermer', nonce, CLOSE)],
    `Demande ${c.reference}, ${CASE_STATE_LABELS[c.state]}.`,
  );
}

const caseAction = (label: string, c: CaseView, to: CaseState, confirmation: string | undefined): SubmitAction => ({
  type: 'Action.Submit',
  title: label,
  data: { caseAction: { reference: c.reference, to, from: c.state, ...(confirmation ? { confirmation } : {}) } },
});

/**
 * The card a director receives in their Teams chat when requests open for one of their
 * schools: each case with what they need and its actions (a message field per case). The
 * buttons of a case carry its single-use confirmation (`confirmations`, by reference).
 */
export function caseAlertCard(
  schoolName: string,
  cases: readonly CaseView[],
  total = cases.length,
  confirmations: Readonly<Record<string, string>> = {},
): AdaptiveCardJson {
  const heading = total === 1 ? `Nouvelle demande d'un parent – ${schoolName}` : `${total} nouvelles demandes de parents – ${schoolName}`;
  const body: CardElement[] = [title(heading)];
  cases.forEach((c, i) => {
    const next = c.next.filter((s) => SETTABLE_STATES.includes(s) && s !== 'OPEN');
    body.push({
      type: 'Container',
      separator: i > 0,
      items: [
        text(`**${c.reference}**`),
        ...caseFacts(c),
        ...(next.length > 0
          ? [
              noteInput(caseNoteInputId(c.reference)),
              { type: 'ActionSet' as const, actions: next.map((s) => caseAction(SET_LABELS[s], c, s, confirmations[c.reference])) },
            ]
          : []),
      ],
    });
  });
  const more = total - cases.length;
  if (more > 0) body.push(text(more === 1 ? 'Une autre demande vous attend.' : `${more} autres demandes vous attendent.`, { weight: 'Bolder' }));
  body.push(text('Vous retrouvez toutes les demandes avec « Suivre les demandes des parents ».', { isSubtle: true, size: 'Small' }));
  return adaptiveCard(body, [], heading);
}
