// The help-desk view of one account: state, origin, contacts partially masked, children with
// their schools, last access, open cases, and the situation picker (what the parent reports).
import { choiceFor } from './choices.js';
import type { AccountSummary } from '../../services/lookup.js';
import type { Situation } from '../../services/playbook.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardAction } from '../shared/adaptive.js';
import { ORIGIN_LABELS, parisDate, STATE_LABELS } from './labels.js';

export const SITUATION_LABELS: Record<Situation, string> = {
  lost_identifier: 'Identifiant perdu',
  lost_password: 'Mot de passe perdu',
  lost_activation_link: "Lien d'activation perdu",
  email_change: "Changement d'adresse e-mail",
  birth_date_refused: 'Date de naissance refusée',
  mobile_not_recognised: 'Portable non reconnu',
  lost_site_address: 'Adresse du site perdue',
};

const contact = (present: boolean, masked: string, confirmed: boolean): string => (present ? `${masked} (${confirmed ? 'confirmé' : 'non confirmé'})` : 'Aucun');

export interface AccountCardData {
  account: AccountSummary;
  /** Show the situation buttons (choice `situation:<code>`). */
  situations: readonly Situation[];
  nonce: string;
}

export const situationChoice = (s: Situation): string => choiceFor('situation', s);

export function accountCard({ account: a, situations, nonce }: AccountCardData): AdaptiveCardJson {
  const buttons: CardAction[] = situations.map((s) => submit(SITUATION_LABELS[s], nonce, situationChoice(s)));
  const rows: CardAction[][] = [];
  for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
  return adaptiveCard(
    [
      title(`${a.lastName} ${a.firstName}`),
      facts([
        { title: 'Identifiant', value: a.identifier },
        { title: 'État', value: STATE_LABELS[a.state] },
        { title: 'Origine', value: ORIGIN_LABELS[a.origin] },
        { title: 'Mot de passe', value: a.state === 'NOT_NOTIFIED' ? 'Aucun (compte non notifié)' : a.passwordTemporary ? 'Provisoire' : 'Personnel' },
        { title: 'E-mail', value: contact(a.hasEmail, a.emailMasked, a.emailConfirmed) },
        { title: 'Portable', value: contact(a.hasMobile, a.mobileMasked, a.mobileConfirmed) },
        { title: 'Distribution', value: a.distributedAt ? parisDate(a.distributedAt) : '—' },
        { title: 'Dernière connexion', value: a.lastAccessAt ? parisDate(a.lastAccessAt) : 'Jamais' },
        { title: 'Demandes en cours', value: String(a.openCases) },
      ]),
      text('Enfants', { weight: 'Bolder' }),
      ...a.children.map((c) => text(`${c.firstName} ${c.lastName} – ${c.className}, ${c.schoolName} (${c.uai})`, { spacing: 'Small' })),
      ...(rows.length ? [text('Quelle est la situation du responsable ?', { weight: 'Bolder' as const }), ...rows.map((actions) => ({ type: 'ActionSet' as const, actions }))] : []),
    ],
    [],
    `Compte de ${a.firstName} ${a.lastName}, ${STATE_LABELS[a.state]}.`,
  );
}
