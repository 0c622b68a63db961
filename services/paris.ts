// Europe/Paris wall-clock helpers (file names, nightly schedules), independent of the host's zone.

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function parisWallClock(d: Date): WallClock {
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(PARTS.formatToParts(d).find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** "YYYYMMDDHHMMSS" in Paris time. */
export function parisStamp(d: Date): string {
  const w = parisWallClock(d);
  const p = (n: number, len = 2): string => String(n).padStart(len, '0');
  return `${p(w.year, 4)}${p(w.month)}${p(w.day)}${p(w.hour)}${p(w.minute)}${p(w.second)}`;
}

/** The instant at which Paris clocks show `hour`:00 on the Paris day of `d` (DST aware). */
export function parisTimeOnDay(d: Date, hour: number): Date {
  const w = parisWallClock(d);
  const wanted = Date.UTC(w.year, w.month - 1, w.day, hour);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const g = parisWallClock(new Date(guess));
    const shown = Date.UTC(g.year, g.month - 1, g.day, g.hour, g.minute, g.second);
    guess += wanted - shown;
  }
  return new Date(guess);
}
