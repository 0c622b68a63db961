// French labels and formats shared by the staff cards (states, origins, Paris dates, percentages).
import type { AccountOrigin, AccountState, CaseKind, CaseState, LinkKind } from '../../services/db/index.js';
import { parisWallClock } from '../../services/paris.js';

export const STATE_LABELS: Record<AccountState, string> = {
  NOT_NOTIFIED: 'Non notifié',
  NOTIFIED: 'Notifié et non activé',
  ACTIVATING: "En cours d'activation",
  ACTIVATED: 'Activé',
};

export const ORIGIN_LABELS: Record<AccountOrigin, string> = {
  UNSET: 'Non renseigné',
  SCHOOL: 'Établissement',
  SELF: 'Responsable',
  FRANCECONNECT: 'FranceConnect',
};

/** How a guardian is linked to a pupil ("personne en charge" exists in the 2nd degree only). */
export const LINK_LABELS: Record<LinkKind, string> = {
  LEGAL: 'représentant légal',
  IN_CHARGE: 'personne en charge',
};

export const CASE_KIND_LABELS: Record<CaseKind, string> = {
  BIRTH_DATE: 'Date de naissance refusée',
  MOBILE: 'Téléphone non reconnu',
  REGROUP: 'Regroupement de comptes',
  OTHER: 'Autre demande',
};

export const CASE_STATE_LABELS: Record<CaseState, string> = {
  OPEN: 'Ouvert',
  WAITING_REGISTER: 'En attente du registre',
  RESOLVED: 'Résolu',
  CLOSED: 'Clos',
};

const two = (n: number): string => String(n).padStart(2, '0');

/** "22/11/2026" (Paris). */
export function parisDate(d: Date): string {
  const w = parisWallClock(d);
  return `${two(w.day)}/${two(w.month)}/${w.year}`;
}

/** "22/11/2026 à 02:00" (Paris). */
export function parisDateTime(d: Date): string {
  const w = parisWallClock(d);
  return `${parisDate(d)} à ${two(w.hour)}:${two(w.minute)}`;
}

/** "42,5 %" (French decimal comma, at most one decimal). */
export function percent(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return `${String(rounded).replace('.', ',')} %`;
}
