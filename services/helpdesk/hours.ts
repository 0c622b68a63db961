// When people of the assistance platform answer: HELPDESK_HOURS, parsed once at start
// (bot/config.ts) into HelpdeskHours. Syntax (clauses separated by ";", case-insensitive):
//   always                                  open at all times (a 24/7 team; what tests use)
//   <days> HH:MM-HH:MM[,HH:MM-HH:MM]        opening ranges; days: mon tue wed thu fri sat sun,
//                                           a range "mon-fri" or a list "mon,wed"
//   closed <item>[,<item>]                  august (any month name: january…december),
//                                           holidays (French public holidays, Easter-based
//                                           ones included), or a date YYYY-MM-DD
//   tz <IANA zone>                          default Europe/Paris
// Default: "mon-fri 08:00-20:00; sat 08:00-12:00; closed august, holidays; tz Europe/Paris".
// French public holidays come from the `date-holidays` library.
import type Holidays from 'date-holidays';
import { lazyModule } from '../lazy-module.js';

export const DEFAULT_HELPDESK_HOURS = 'mon-fri 08:00-20:00; sat 08:00-12:00; closed august, holidays; tz Europe/Paris';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** Minutes since midnight, [from, to). */
export interface Range {
  from: number;
  to: number;
}

export interface HelpdeskHours {
  /** The text it was parsed from. */
  source: string;
  always: boolean;
  /** Opening ranges per weekday (0 = Sunday). */
  week: Range[][];
  closedMonths: number[];
  closedOnHolidays: boolean;
  closedDates: string[];
  timeZone: string;
}

export class HoursSyntaxError extends Error {}

function parseTime(t: string, clause: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(t);
  const h = Number(m?.[1]);
  const min = Number(m?.[2]);
  if (!m || h > 24 || min > 59 || (h === 24 && min > 0)) throw new HoursSyntaxError(`"${t}" is not a time HH:MM (in "${clause}")`);
  return h * 60 + min;
}

function parseDays(spec: string, clause: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-');
    const from = DAYS.findIndex((d) => d === a);
    const to = b === undefined ? from : DAYS.findIndex((d) => d === b);
    if (from < 0 || to < 0) throw new HoursSyntaxError(`"${part}" is not a day or a range of days (mon…sun) (in "${clause}")`);
    for (let d = from; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === to) break;
    }
  }
  return [...out];
}

/** Parses HELPDESK_HOURS; throws HoursSyntaxError with a message naming the faulty part. */
export function parseHelpdeskHours(raw: string): HelpdeskHours {
  const source = raw.trim();
  const hours: HelpdeskHours = {
    source,
    always: false,
    week: DAYS.map(() => []),
    closedMonths: [],
    closedOnHolidays: false,
    closedDates: [],
    timeZone: 'Europe/Paris',
  };
  const clauses = source
    .toLowerCase()
    .split(';')
    .map((c) => c.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  if (clauses.length === 0) throw new HoursSyntaxError('is empty');
  for (const clause of clauses) {
    if (clause === 'always') {
      hours.always = true;
      continue;
    }
    const tz = /^tz (\S+)$/.exec(clause);
    if (tz?.[1]) {
      const zone = raw.slice(raw.toLowerCase().indexOf(tz[1]), raw.toLowerCase().indexOf(tz[1]) + tz[1].length);
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: zone });
      } catch {
        throw new HoursSyntaxError(`"${zone}" is not a time zone`);
      }
      hours.timeZone = zone;
      continue;
    }
    const closed = /^closed (.+)$/.exec(clause);
    if (closed?.[1]) {
      for (const item of closed[1].split(',').map((s) => s.trim())) {
        const month = MONTHS.findIndex((m) => m === item);
        if (item === 'holidays') hours.closedOnHolidays = true;
        else if (month >= 0) hours.closedMonths.push(month + 1);
        else if (/^\d{4}-\d{2}-\d{2}$/.test(item)) hours.closedDates.push(item);
        else throw new HoursSyntaxError(`"${item}" is not a month name, "holidays" or a date YYYY-MM-DD (in "${clause}")`);
      }
      continue;
    }
    const open = /^(\S+) (\S+)$/.exec(clause.replace(/ ?, ?/g, ','));
    if (!open?.[1] || !open[2]) throw new HoursSyntaxError(`"${clause}" is not understood (expected e.g. "mon-fri 08:00-20:00", "closed august" or "always")`);
    const days = parseDays(open[1], clause);
    for (const range of open[2].split(',')) {
      const [a, b] = range.split('-');
      if (a === undefined || b === undefined) throw new HoursSyntaxError(`"${range}" is not a range HH:MM-HH:MM (in "${clause}")`);
      const from = parseTime(a, clause);
      const to = parseTime(b, clause);
      if (to <= from) throw new HoursSyntaxError(`"${range}" ends before it starts (in "${clause}")`);
      for (const d of days) hours.week[d]?.push({ from, to });
    }
  }
  if (!hours.always && hours.week.every((r) => r.length === 0)) throw new HoursSyntaxError('opens on no day (write "always" for a 24/7 team)');
  for (const ranges of hours.week) ranges.sort((x, y) => x.from - y.from);
  return hours;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minutes: number;
  iso: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(at: Date, timeZone: string): Wall {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const year = get('year');
  const month = get('month');
  const day = get('day');
  const p = (n: number): string => String(n).padStart(2, '0');
  return {
    year,
    month,
    day,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
    minutes: get('hour') * 60 + get('minute'),
    iso: `${year}-${p(month)}-${p(day)}`,
  };
}

const holidayCache = new Map<number, Set<string>>();
// The holiday tables of every country (~8 MB of heap): loaded at the first day checked against
// the holidays, never when the hours do not close on them ("always", the bench).
const holidays = lazyModule<typeof Holidays>('date-holidays');
let frenchHolidays: Holidays | undefined;
/** French public holidays of a year, as YYYY-MM-DD (Easter Monday, Ascension, Whit Monday included). */
export function publicHolidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    frenchHolidays ??= new (holidays())('FR');
    set = new Set(
      frenchHolidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    holidayCache.set(year, set);
  }
  return set;
}

function closedDay(hours: HelpdeskHours, w: Wall): boolean {
  return hours.closedMonths.includes(w.month) || hours.closedDates.includes(w.iso) || (hours.closedOnHolidays && publicHolidays(w.year).has(w.iso));
}

/** Why the desk is closed on the day of `at`, if the whole day is closed. */
export function closedReason(hours: HelpdeskHours, at: Date): 'month' | 'holiday' | 'date' | undefined {
  if (hours.always) return undefined;
  const w = wallClock(at, hours.timeZone);
  if (hours.closedMonths.includes(w.month)) return 'month';
  if (hours.closedDates.includes(w.iso)) return 'date';
  if (hours.closedOnHolidays && publicHolidays(w.year).has(w.iso)) return 'holiday';
  return undefined;
}

export function isOpen(hours: HelpdeskHours, at: Date): boolean {
  if (hours.always) return true;
  const w = wallClock(at, hours.timeZone);
  if (closedDay(hours, w)) return false;
  return (hours.week[w.weekday] ?? []).some((r) => w.minutes >= r.from && w.minutes < r.to);
}

/** When the current opening ends ("20:00"), in the desk's wall-clock time; undefined when closed or always open. */
export function closingTime(hours: HelpdeskHours, at: Date): number | undefined {
  if (hours.always || !isOpen(hours, at)) return undefined;
  const w = wallClock(at, hours.timeZone);
  return (hours.week[w.weekday] ?? []).find((r) => w.minutes >= r.from && w.minutes < r.to)?.to;
}

/** The next instant the desk opens after `at` (to the minute), or undefined within a year. */
export function nextOpening(hours: HelpdeskHours, at: Date): Date | undefined {
  if (hours.always) return at;
  // Walk forward in 15-minute steps to an opening, then back to its exact minute.
  const step = 15 * 60_000;
  let t = Math.ceil(at.getTime() / 60_000) * 60_000;
  const end = t + 370 * 24 * 3_600_000;
  if (isOpen(hours, new Date(t))) return new Date(t);
  while (t < end) {
    const w = wallClock(new Date(t), hours.timeZone);
    // Skip whole closed days quickly.
    t += closedDay(hours, w) ? Math.max(step, (24 * 60 - w.minutes) * 60_000) : step;
    if (isOpen(hours, new Date(t))) {
      let back = t;
      while (isOpen(hours, new Date(back - 60_000)) && back - 60_000 > at.getTime()) back -= 60_000;
      return new Date(back);
    }
  }
  return undefined;
}

/** Minutes since midnight as "8 h" or "8 h 30". */
export function frenchTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
}

export { wallClock as helpdeskWallClock };
