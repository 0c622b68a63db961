// The month names and their spellings (services/calendar.ts), as both of their readers accept
// them: a birth date typed in a dialog, and a date recognised in a message.
import { describe, expect, it } from 'vitest';
import { isoDate, monthNumber, MONTH_NAMES, MONTH_SPELLINGS } from '../../services/calendar.js';
import { parseBirthDate } from '../../dialogs/shared/validators.js';
import { extractEntities } from '../../bot/recognizer/entities.js';

/** Spellings as people type them (accents or not, any case, final dot or not) -> month number. */
const TYPED: readonly (readonly [string, number])[] = [
  ['janvier', 1],
  ['Janvier', 1],
  ['janv.', 1],
  ['janv', 1],
  ['jan', 1],
  ['février', 2],
  ['fevrier', 2],
  ['FÉVRIER', 2],
  ['févr.', 2],
  ['fevr', 2],
  ['fév', 2],
  ['fev.', 2],
  ['mars', 3],
  ['avril', 4],
  ['avr.', 4],
  ['mai', 5],
  ['juin', 6],
  ['juillet', 7],
  ['juil.', 7],
  ['juill.', 7],
  ['août', 8],
  ['aout', 8],
  ['Août', 8],
  ['septembre', 9],
  ['sept.', 9],
  ['sept', 9],
  ['sep', 9],
  ['octobre', 10],
  ['oct.', 10],
  ['novembre', 11],
  ['nov', 11],
  ['décembre', 12],
  ['decembre', 12],
  ['déc.', 12],
  ['dec', 12],
];

const iso = (month: number): string => `2015-${String(month).padStart(2, '0')}-03`;

describe('month spellings, accepted alike by both readers', () => {
  it.each(TYPED)('%s is month %i', (typed, month) => {
    expect(monthNumber(typed)).toBe(month);
    expect(parseBirthDate({ text: `3 ${typed} 2015`, value: undefined })).toEqual({ ok: true, value: iso(month) });
    expect(extractEntities(`mon fils est né le 3 ${typed} 2015`).date).toEqual([iso(month)]);
  });

  it.each(['ja', 'fevrierr', 'mar', 'juli', 'sepembre', 'decemb', 'march', ''])('%j is no month, for either reader', (typed) => {
    expect(monthNumber(typed)).toBeUndefined();
    expect(parseBirthDate({ text: `3 ${typed} 2015`, value: undefined }).ok).toBe(false);
    expect(extractEntities(`né le 3 ${typed} 2015`).date).toBeUndefined();
  });

  it('has twelve months written for a reader, each one a spelling of itself', () => {
    expect(MONTH_NAMES).toHaveLength(12);
    MONTH_NAMES.forEach((name, i) => expect(monthNumber(name)).toBe(i + 1));
    expect(new Set(MONTH_SPELLINGS.values())).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
  });
});

describe('isoDate', () => {
  it.each([
    [2016, 3, 14, '2016-03-14'],
    [2016, 2, 29, '2016-02-29'],
    [2015, 2, 29, null],
    [2016, 0, 1, null],
    [2016, 13, 1, null],
    [2016, 1, 0, null],
    [2016, 4, 31, null],
    [1850, 1, 1, null],
    [2101, 1, 1, null],
  ])('%i-%i-%i -> %s', (y, m, d, expected) => {
    expect(isoDate(y, m, d)).toBe(expected);
  });
});
