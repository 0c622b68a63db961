// The national assistance platform: how to reach it and whether it is open now (Paris time).
// Monday–Friday 8:00–20:00, Saturday 8:00–12:00, closed on Sunday and in August.
import { parisWallClock } from '../../services/paris.js';

export const ASSISTANCE = {
  phone: '0 809 54 06 06',
  phoneUri: 'tel:+33809540606',
  price: "prix d'un appel local",
  hours: 'du lundi au vendredi de 8 h à 20 h et le samedi de 8 h à 12 h (heure de Paris), sauf au mois d’août',
  formUrl: 'https://assistanceteleservices.education.gouv.fr',
} as const;

export type AssistanceStatus =
  | { open: true; closesAt: string }
  | { open: false; reason: 'august' | 'sunday' | 'outside_hours' };

export function assistanceStatus(now: Date): AssistanceStatus {
  const w = parisWallClock(now);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday
  const minutes = w.hour * 60 + w.minute;
  if (w.month === 8) return { open: false, reason: 'august' };
  if (weekday === 0) return { open: false, reason: 'sunday' };
  const saturday = weekday === 6;
  if (minutes >= 8 * 60 && minutes < (saturday ? 12 : 20) * 60) return { open: true, closesAt: saturday ? '12 h' : '20 h' };
  return { open: false, reason: 'outside_hours' };
}

/** One French sentence saying whether the platform answers the phone now. */
export function assistanceStatusText(now: Date): string {
  const s = assistanceStatus(now);
  if (s.open) return `La plateforme est ouverte en ce moment, jusqu'à ${s.closesAt} (heure de Paris).`;
  if (s.reason === 'august') return "La plateforme est fermée pendant tout le mois d'août ; le formulaire en ligne reste disponible.";
  return 'La plateforme est fermée en ce moment ; vous pouvez appeler aux horaires ci-dessous ou utiliser le formulaire en ligne.';
}
