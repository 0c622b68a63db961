// The agents' "file d'attente": waiting, claimed and written requests with their waiting
// times; for admins, the last days' counts and satisfaction.
import { adaptiveCard, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';

export interface QueueCardEntry {
  id: number;
  state: 'WAITING' | 'CLAIMED' | 'CALLBACK';
  question: string;
  waitingMinutes: number;
  agentName?: string;
  contact?: string;
}

export interface QueueCardDay {
  day: string;
  requests: number;
  claimed: number;
  callbacks: number;
  abandoned: number;
  satisfaction?: number;
  ratings: number;
}

const SECTIONS: { state: QueueCardEntry['state']; heading: string }[] = [
  { state: 'WAITING', heading: 'En attente' },
  { state: 'CLAIMED', heading: 'Pris en charge' },
  { state: 'CALLBACK', heading: 'Demandes écrites à rappeler' },
];

const minutes = (n: number): string => (n < 60 ? `${n} min` : `${Math.floor(n / 60)} h ${String(n % 60).padStart(2, '0')}`);

function line(e: QueueCardEntry): string {
  const who = e.state === 'CLAIMED' ? ` — ${e.agentName ?? 'un conseiller'}` : e.state === 'CALLBACK' && e.contact ? ` — ${e.contact}` : '';
  return `n° ${e.id} · depuis ${minutes(e.waitingMinutes)}${who} : ${e.question.slice(0, 140)}`;
}

export function queueCard(entries: readonly QueueCardEntry[], days?: readonly QueueCardDay[]): AdaptiveCardJson {
  const body: CardElement[] = [title("File d'attente des parents")];
  for (const { state, heading } of SECTIONS) {
    const mine = entries.filter((e) => e.state === state);
    body.push(text(`**${heading}** (${mine.length})`, { spacing: 'Medium' }));
    if (mine.length === 0) body.push(text('Aucune demande.', { isSubtle: true, spacing: 'None' }));
    for (const e of mine) body.push(text(line(e), { spacing: 'None' }));
  }
  if (days) {
    body.push(text('**Derniers jours**', { spacing: 'Medium' }));
    if (days.length === 0) body.push(text('Aucune demande.', { isSubtle: true, spacing: 'None' }));
    for (const d of days) {
      const rating = d.satisfaction !== undefined ? `satisfaction ${String(d.satisfaction).replace('.', ',')}/5 (${d.ratings} avis)` : 'aucun avis';
      body.push(
        text(`${d.day} : ${d.requests} demande(s), ${d.claimed} prise(s) en charge, ${d.callbacks} écrite(s), ${d.abandoned} abandonnée(s) ; ${rating}`, {
          spacing: 'None',
        }),
      );
    }
  }
  return adaptiveCard(body, [], `File d'attente : ${entries.filter((e) => e.state === 'WAITING').length} demande(s) en attente.`);
}
