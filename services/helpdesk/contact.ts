// The ONE place that knows how to reach the national assistance platform: its phone number,
// price, online form, and (from HELPDESK_HOURS, see hours.ts) its opening hours in French.
// Every page, mail, letter and card takes them from here.
import { MONTH_NAMES } from '../calendar.js';
import {
  closedReason,
  closingTime,
  frenchTime,
  isOpen,
  nextOpening,
  parseHelpdeskHours,
  DEFAULT_HELPDESK_HOURS,
  type HelpdeskHours,
  type Range,
} from './hours.js';

export const HELPDESK = {
  phone: '0 809 54 06 06',
  /** The number as SMS write it (no spaces). */
  phoneCompact: '0809540606',
  phoneUri: 'tel:+33809540606',
  price: "prix d'un appel local",
  formUrl: 'https://assistanceteleservices.education.gouv.fr',
  formHost: 'assistanceteleservices.education.gouv.fr',
} as const;

/** The platform's own hours (the default of HELPDESK_HOURS). */
export const DEFAULT_HOURS: HelpdeskHours = parseHelpdeskHours(DEFAULT_HELPDESK_HOURS);

export interface HelpdeskConfig {
  hours: HelpdeskHours;
  waitMinutes: number;
  agentsTeamId?: string;
}

/** The configured help desk (HELPDESK_HOURS, HANDOFF_WAIT_MINUTES, AGENTS_TEAM_ID), or the defaults. */
export function helpdeskOf(settings: { helpdesk?: HelpdeskConfig }): HelpdeskConfig {
  return settings.helpdesk ?? { hours: DEFAULT_HOURS, waitMinutes: 10 };
}

const DAY_NAMES = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];
/** Monday first, as French people read a week. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

const joinFrench = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
const rangesText = (ranges: readonly Range[]): string => joinFrench(ranges.map((r) => `de ${frenchTime(r.from)} à ${frenchTime(r.to)}`));
const zoneText = (tz: string): string => (tz === 'Europe/Paris' ? 'heure de Paris' : `heure de ${tz}`);

/** "du lundi au vendredi de 8 h à 20 h et le samedi de 8 h à 12 h (heure de Paris), sauf en août et les jours fériés" */
export function hoursText(hours: HelpdeskHours): string {
  if (hours.always) return 'tous les jours, à toute heure';
  const groups: { days: number[]; key: string }[] = [];
  for (const d of WEEK_ORDER) {
    const ranges = hours.week[d] ?? [];
    if (ranges.length === 0) continue;
    const key = JSON.stringify(ranges);
    const last = groups[groups.length - 1];
    const lastDay = last?.days[last.days.length - 1];
    if (last?.key === key && lastDay !== undefined && WEEK_ORDER.indexOf(lastDay) === WEEK_ORDER.indexOf(d) - 1) last.days.push(d);
    else groups.push({ days: [d], key });
  }
  const parts = groups.map(({ days }) => {
    const first = DAY_NAMES[days[0] ?? 0] ?? '';
    const lastName = DAY_NAMES[days[days.length - 1] ?? 0] ?? '';
    const when = days.length >= 3 ? `du ${first} au ${lastName}` : days.length === 2 ? `le ${first} et le ${lastName}` : `le ${first}`;
    return `${when} ${rangesText(hours.week[days[0] ?? 0] ?? [])}`;
  });
  const closures = [...hours.closedMonths.map((m) => `en ${MONTH_NAMES[m - 1] ?? ''}`), ...(hours.closedOnHolidays ? ['les jours fériés'] : [])];
  return `${joinFrench(parts)} (${zoneText(hours.timeZone)})${closures.length ? `, sauf ${joinFrench(closures)}` : ''}`;
}

/** "lundi 7 décembre à 8 h" in the desk's time zone. */
export function openingText(hours: HelpdeskHours, at: Date): string {
  const f = new Intl.DateTimeFormat('fr-FR', {
    timeZone: hours.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = f.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')} à ${frenchTime(Number(get('hour')) * 60 + Number(get('minute')))}`;
}

/** One French sentence: is a person answering now, and if not, when. */
export function statusText(hours: HelpdeskHours, now: Date): string {
  if (hours.always) return "La plateforme d'assistance répond à toute heure.";
  const closes = closingTime(hours, now);
  if (closes !== undefined) return `La plateforme est ouverte en ce moment, jusqu'à ${frenchTime(closes)} (${zoneText(hours.timeZone)}).`;
  const next = nextOpening(hours, now);
  const reopens = next ? ` Elle rouvrira le ${openingText(hours, next)}.` : '';
  const reason = closedReason(hours, now);
  if (reason === 'month') {
    const month = MONTH_NAMES[Number(new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, month: 'numeric' }).format(now)) - 1] ?? '';
    return `La plateforme est fermée pendant tout le mois ${/^[aeiou]/.test(month) ? "d'" : 'de '}${month} ; le formulaire en ligne reste disponible.${reopens}`;
  }
  if (reason === 'holiday') return `La plateforme est fermée aujourd'hui, jour férié ; le formulaire en ligne reste disponible.${reopens}`;
  return `La plateforme est fermée en ce moment ; le formulaire en ligne reste disponible.${reopens}`;
}

export { isOpen };

/** The assistance platform in one sentence (letters, mails). */
export function helpSentence(hours: HelpdeskHours): string {
  return (
    `Besoin d'aide ? Adressez-vous d'abord à l'école. Vous pouvez aussi joindre la plateforme d'assistance ` +
    `au ${HELPDESK.phone} (${HELPDESK.price}), ${hoursText(hours)}, ou par le formulaire en ligne sur ${HELPDESK.formHost}.`
  );
}
