// The card of a parent's request in the agents' Teams thread, updated in place as the
// request moves on (waiting -> claimed -> ended…). Everything on it is already masked.
import { adaptiveCard, submitData, text, title, type AdaptiveCardJson, type CardAction, type CardElement } from '../shared/adaptive.js';

export type HandoffCardState = 'WAITING' | 'CLAIMED' | 'AWAITING_CONTACT' | 'CALLBACK' | 'ENDED' | 'CANCELLED' | 'ABANDONED';

export interface TranscriptLine {
  from: 'Parent' | 'Assistant';
  text: string;
}

export interface HandoffCardData {
  requestId: number;
  state: HandoffCardState;
  question: string;
  note?: string;
  transcript: readonly TranscriptLine[];
  verification: string;
  disclosed: string;
  /** Only when the parent is verified. */
  account?: string;
  /** "depuis 10 h 32" */
  since: string;
  agentName?: string;
  /** A checked contact for a written request (callback). */
  contact?: string;
  /** The claim button's single-use confirmation (services/confirmations.ts). */
  claimConfirmation?: string;
}

/** The values of the card's buttons (also read by the bot). */
export const HANDOFF_ACTIONS = { claim: 'claim', end: 'end', account: 'account', search: 'search' } as const;
export type HandoffAction = keyof typeof HANDOFF_ACTIONS;

const STATUS: Record<HandoffCardState, (d: HandoffCardData) => string> = {
  WAITING: (d) => `En attente d'un conseiller ${d.since}.`,
  CLAIMED: (d) => `Pris en charge par ${d.agentName ?? 'un conseiller'}.`,
  AWAITING_CONTACT: () => "Personne n'a pu répondre : le parent est invité à laisser une demande écrite.",
  CALLBACK: (d) => `Demande écrite : recontacter le parent (${d.contact ?? 'contact à venir'}).`,
  ENDED: (d) => `Terminé${d.agentName ? ` par ${d.agentName}` : ''}.`,
  CANCELLED: () => 'Annulé par le parent.',
  ABANDONED: () => 'Le parent a quitté la conversation : demande close.',
};

const button = (label: string, action: HandoffAction, requestId: number, confirmation?: string): CardAction =>
  submitData(label, { handoff: HANDOFF_ACTIONS[action], requestId, ...(confirmation ? { confirmation } : {}) });

export function handoffRequestCard(d: HandoffCardData): AdaptiveCardJson {
  const body: CardElement[] = [
    title(`Demande d'un parent n° ${d.requestId}`),
    text(STATUS[d.state](d), { weight: 'Bolder', color: d.state === 'WAITING' ? 'Attention' : d.state === 'CLAIMED' ? 'Good' : 'Default' }),
    text(`**Demande :** ${d.question}`),
    ...(d.note ? [text(`**Précision du parent :** ${d.note}`)] : []),
    text(`**Vérification :** ${d.verification}`),
    text(`**Communiqué par l'assistant :** ${d.disclosed}`),
    text(d.account ? `**Compte vérifié :** ${d.account}` : '**Compte :** non communiqué (parent non vérifié).'),
  ];
  if (d.transcript.length) {
    body.push(text('**Conversation avec l’assistant** (mots de passe, codes et liens masqués) :', { spacing: 'Medium' }));
    for (const line of d.transcript) body.push(text(`${line.from} : ${line.text}`, { isSubtle: line.from === 'Assistant', spacing: 'None' }));
  }
  const actions: CardAction[] = [];
  if (d.state === 'WAITING') actions.push(button('Prendre en charge', 'claim', d.requestId, d.claimConfirmation));
  if (d.state === 'CLAIMED') {
    // Verified: the account's card and actions, in this thread; else the search, and the agent checks who they talk to.
    actions.push(d.account ? button('Voir le compte', 'account', d.requestId) : button('Rechercher un compte', 'search', d.requestId));
    actions.push(button('Terminer', 'end', d.requestId));
  }
  if (d.state === 'CALLBACK') actions.push(button('Marquer comme traitée', 'end', d.requestId));
  return adaptiveCard(body, actions, `Demande d'un parent n° ${d.requestId}. ${STATUS[d.state](d)}`);
}
