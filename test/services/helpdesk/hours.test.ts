// HELPDESK_HOURS: parsing (and its errors), opening at given instants in Paris time, French
// public holidays (Easter-based ones included) from date-holidays, August, DST, and the
// French sentences every page, mail and card uses.
import { describe, expect, it } from 'vitest';
import { DEFAULT_HELPDESK_HOURS, HoursSyntaxError, isOpen, nextOpening, parseHelpdeskHours, publicHolidays } from '../../../services/helpdesk/hours.js';
import { DEFAULT_HOURS, helpSentence, hoursText, statusText } from '../../../services/helpdesk/contact.js';
import { loadConfig, ConfigError } from '../../../bot/config.js';

const paris = parseHelpdeskHours(DEFAULT_HELPDESK_HOURS);

describe('parsing HELPDESK_HOURS', () => {
  it('reads the default, "always", lists of days and several ranges', () => {
    expect(paris.week[1]).toEqual([{ from: 480, to: 1200 }]);
    expect(paris.week[6]).toEqual([{ from: 480, to: 720 }]);
    expect(paris.week[0]).toEqual([]);
    expect(paris).toMatchObject({ closedMonths: [8], closedOnHolidays: true, timeZone: 'Europe/Paris', always: false });
    expect(parseHelpdeskHours('always').always).toBe(true);
    const split = parseHelpdeskHours('Mon, Wed 09:00-12:00, 14:00-17:30; closed 2026-12-24; tz America/Cayenne');
    expect(split.week[3]).toEqual([
      { from: 540, to: 720 },
      { from: 840, to: 1050 },
    ]);
    expect(split.week[2]).toEqual([]);
    expect(split.closedDates).toEqual(['2026-12-24']);
    expect(split.timeZone).toBe('America/Cayenne');
    expect(parseHelpdeskHours('sat-mon 10:00-11:00').week.map((r) => r.length)).toEqual([1, 1, 0, 0, 0, 0, 1]);
  });

  it.each([
    ['', 'is empty'],
    ['mon-fri 8h-20h', 'is not a time HH:MM'],
    ['lundi 08:00-20:00', 'is not a day'],
    ['mon 20:00-08:00', 'ends before it starts'],
    ['mon 08:00-25:00', 'is not a time'],
    ['closed aout', 'is not a month name'],
    ['mon 08:00-12:00; tz Mars/Olympus', 'is not a time zone'],
    ['closed august', 'opens on no day'],
    ['open sometimes', 'is not a day'],
    ['mon-fri', 'is not understood'],
  ])('refuses %j (%s)', (raw, message) => {
    expect(() => parseHelpdeskHours(raw)).toThrow(HoursSyntaxError);
    expect(() => parseHelpdeskHours(raw)).toThrow(message);
  });

  it('stops the start with a clear message on a wrong value, and reads the handoff settings', () => {
    const env = { NODE_ENV: 'test', SECRET_KEY: '00'.repeat(32) };
    expect(() => loadConfig({ ...env, HELPDESK_HOURS: 'mon-fri 8h-20h' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, HELPDESK_HOURS: 'mon-fri 8h-20h' })).toThrow(/HELPDESK_HOURS: "8h" is not a time HH:MM.*Example/s);
    expect(() => loadConfig({ ...env, AGENTS_TEAM_ID: 'general' })).toThrow(/AGENTS_TEAM_ID/);
    expect(() => loadConfig({ ...env, HANDOFF_WAIT_MINUTES: '0' })).toThrow(/HANDOFF_WAIT_MINUTES/);
    const config = loadConfig({ ...env, HELPDESK_HOURS: 'always', AGENTS_TEAM_ID: '19:abc@thread.tacv2', HANDOFF_WAIT_MINUTES: '5' });
    expect(config.helpdesk).toMatchObject({ waitMinutes: 5, agentsTeamId: '19:abc@thread.tacv2' });
    expect(config.helpdesk.hours.always).toBe(true);
    expect(loadConfig(env).helpdesk).toMatchObject({ waitMinutes: 10, hours: { source: DEFAULT_HELPDESK_HOURS } });
  });
});

describe('open or closed (Paris time)', () => {
  it.each([
    ['Monday 7:59 (winter)', '2026-12-07T06:59:00Z', false],
    ['Monday 8:00 (winter)', '2026-12-07T07:00:00Z', true],
    ['Monday 19:59 (summer time)', '2026-06-08T17:59:00Z', true],
    ['Monday 20:00 (summer time)', '2026-06-08T18:00:00Z', false],
    ['Saturday 11:59', '2026-12-05T10:59:00Z', true],
    ['Saturday 12:00', '2026-12-05T11:00:00Z', false],
    ['Sunday noon', '2026-12-06T11:00:00Z', false],
    ['a Tuesday in August', '2026-08-04T09:00:00Z', false],
    ['Easter Monday 2026', '2026-04-06T09:00:00Z', false],
    ['Ascension Thursday 2026', '2026-05-14T09:00:00Z', false],
    ['Whit Monday 2027', '2027-05-17T09:00:00Z', false],
    ['Easter Monday 2027', '2027-03-29T09:00:00Z', false],
    ['14 July', '2026-07-14T09:00:00Z', false],
    ['Christmas', '2026-12-25T09:00:00Z', false],
    ['11 November', '2026-11-11T09:00:00Z', false],
    ['the Tuesday after Easter', '2026-04-07T09:00:00Z', true],
  ])('%s -> open: %s', (_label, iso, open) => {
    expect(isOpen(paris, new Date(iso))).toBe(open);
  });

  it('knows Easter-based holidays of any year (date-holidays)', () => {
    expect([...publicHolidays(2028)]).toEqual(expect.arrayContaining(['2028-04-17', '2028-05-25', '2028-06-05', '2028-08-15']));
  });

  it('"always" is open at any time, even on Christmas night', () => {
    expect(isOpen(parseHelpdeskHours('always'), new Date('2026-12-25T02:00:00Z'))).toBe(true);
  });

  it('finds the next opening across a weekend, a holiday and August', () => {
    expect(nextOpening(paris, new Date('2026-12-05T13:00:00Z'))?.toISOString()).toBe('2026-12-07T07:00:00.000Z');
    expect(nextOpening(paris, new Date('2026-12-24T19:30:00Z'))?.toISOString()).toBe('2026-12-26T07:00:00.000Z');
    expect(nextOpening(paris, new Date('2026-07-31T18:30:00Z'))?.toISOString()).toBe('2026-09-01T06:00:00.000Z');
  });
});

describe('the French sentences', () => {
  it('describes the hours, the status and the help sentence from the one module', () => {
    expect(hoursText(DEFAULT_HOURS)).toBe('du lundi au vendredi de 8 h à 20 h et le samedi de 8 h à 12 h (heure de Paris), sauf en août et les jours fériés');
    expect(hoursText(parseHelpdeskHours('mon,tue 09:30-12:00, 14:00-18:00'))).toBe('le lundi et le mardi de 9 h 30 à 12 h et de 14 h à 18 h (heure de Paris)');
    expect(hoursText(parseHelpdeskHours('always'))).toBe('tous les jours, à toute heure');
    expect(statusText(DEFAULT_HOURS, new Date('2026-12-07T09:00:00Z'))).toBe("La plateforme est ouverte en ce moment, jusqu'à 20 h (heure de Paris).");
    expect(statusText(DEFAULT_HOURS, new Date('2026-12-06T09:00:00Z'))).toContain('Elle rouvrira le lundi 7 décembre à 8 h.');
    expect(statusText(DEFAULT_HOURS, new Date('2026-08-04T09:00:00Z'))).toContain("fermée pendant tout le mois d'août");
    expect(statusText(DEFAULT_HOURS, new Date('2026-12-25T09:00:00Z'))).toContain('jour férié');
    expect(helpSentence(DEFAULT_HOURS)).toContain('0 809 54 06 06');
  });
});
