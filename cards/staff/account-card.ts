// One account as staff consult it (admin guide §5.2): identifier, state, origin, password
// (the temporary one in clear for a director while it is temporary, "*****" once personal,
// nothing for Non notifié), contacts partially masked, dates, the pupils with their class and
// school and how the guardian is linked to each, open cases, the situation picker (what the
// parent reports) and a way out.
import { choiceFor, CLOSE } from './choices.js';
import type { AccountSummary } from '../../services/lookup.js';
import type { Situation } from '../../services/playbook.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardAction, type Fact } from '../shared/adaptive.js';
import { LINK_LABELS, ORIGIN_LABELS, parisDate, STATE_LABELS } from './labels.js';

export const SITUATION_LABELS: Record<Situation, string> = {
  lost_identifier: 'Identifiant perdu',
  lost_password: 'Mot de passe perdu',
  lost_activation_link: "Lien d'activation perdu",
  email_change: "Changement d'adresse e-mail",
  birth_date_refused: 'Date de naissance refusée',
  mobile_not_recognised: 'Portable non reconnu',
  lost_site_address: 'Adresse du site perdue',
};

const contact = (present: boolean, masked: string, confirmed: boolean): string =>
  present ? `${masked} (${confirmed ? 'confirmé' : 'non confirmé'})` : 'Aucun';

export interface AccountCardData {
  account: AccountSummary;
  /**
   * The password as consultAccount reads it (temporary in clear, "*****", or null for Non
   * notifié); undefined: not shown, only whether it is temporary (agents read it by an action).
   */
  password?: string | null;
  /** Show the situation buttons (choice `situation:<code>`). */
  situations: readonly Situation[];
  nonce: string;
}

export const situationChoice = (s: Situation): string => choiceFor('situation', s);

function passwordFact(a: AccountSummary, password: string | null | undefined): Fact[] {
  if (a.state === 'NOT_NOTIFIED' || password === null) return [];
  if (password === undefined) return [{ title: 'Mot de passe', value: a.passwordTemporary ? 'Provisoire' : 'Personnel' }];
  return [{ title: 'Mot de passe', value: a.passwordTemporary ? `${password} (provisoire)` : password }];
}

export function accountCard({ account: a, password, situations, nonce }: AccountCardData): AdaptiveCardJson {
  const buttons: CardAction[] = situations.map((s) => submit(SITUATION_LABELS[s], nonce, situationChoice(s)));
  const rows: CardAction[][] = [];
  for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
  return adaptiveCard(
    [
      title(`${a.lastName} ${a.firstName}`),
      facts([
        { title: 'Identifiant', value: a.identifier },
        ...passwordFact(a, password),
        { title: 'État', value: STATE_LABELS[a.state] },
        { title: 'Origine', value: ORIGIN_LABELS[a.origin] },
        { title: 'E-mail', value: contact(a.hasEmail, a.emailMasked, a.emailConfirmed) },
        { title: 'Portable', value: contact(a.hasMobile, a.mobileMasked, a.mobileConfirmed) },
        { title: 'Distribution', value: a.distributedAt ? parisDate(a.distributedAt) : '—' },
        { title: 'Dernière connexion', value: a.lastAccessAt ? parisDate(a.lastAccessAt) : 'Jamais' },
        { title: 'Demandes en cours', value: String(a.openCases) },
      ]),
      ...(password !== undefined && a.passwordTemporary
        ? [text('Ne communiquez le mot de passe provisoire qu’au responsable lui-même.', { isSubtle: true, size: 'Small' as const })]
        : []),
      text('Élèves rattachés', { weight: 'Bolder' }),
      ...a.children.map((c) =>
        text(`${c.firstName} ${c.lastName} – ${c.className}, ${c.schoolName} (${c.uai}) – ${LINK_LABELS[c.link]}`, { spacing: 'Small' }),
      ),
      ...(rows.length
        ? [text('Quelle est la situation du responsable ?', { weight: 'Bolder' as const }), ...rows.map((actions) => ({ type: 'ActionSet' as const, actions }))]
        : []),
    ],
    [submit('Fermer', nonce, CLOSE)],
    `Compte de ${a.firstName} ${a.lastName}, ${STATE_LABELS[a.state]}.`,
  );
}
