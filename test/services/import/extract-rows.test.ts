// The extract row's date check, read digit by digit, against the regular expression and Date
// round trip it replaced.
import { describe, expect, it } from 'vitest';
import { isRealDate } from '../../../services/import/extract-rows.js';
import { prng } from '../../helpers/prng.js';

/** The former implementation, kept as the reference. */
function reference(s: string, today: Date): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getTime() <= today.getTime();
}

const TODAYS = [new Date('2026-12-04T00:00:00Z'), new Date('2026-12-04T13:45:12Z'), new Date('2024-02-29T23:59:59Z'), new Date(Number.NaN)];
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('isRealDate', () => {
  it('agrees with the Date round trip on every day, month and day number 00-39 of years 1890-2110 and some far years', () => {
    const years = [0, 1, 99, 100, 999, 1000, 1600, 1700, 1800, 9999];
    for (let y = 1890; y <= 2110; y++) years.push(y);
    for (const y of years) {
      for (let mo = 0; mo <= 13; mo++) {
        for (let d = 0; d <= 39; d++) {
          const s = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
          for (const today of TODAYS) expect(isRealDate(s, today), `${s} ${today.getTime()}`).toBe(reference(s, today));
        }
      }
    }
  });

  it('agrees on tricky and random texts (seeded)', () => {
    const tricky = [
      '',
      '2020-01-01 ',
      ' 2020-01-01',
      '2020-01-01\n',
      '2020/01/01',
      '2020-1-01',
      '20200101',
      '２０２０-01-01',
      '٢٠٢٠-01-01',
      '2020-0a-01',
      '+020-01-01',
      '-020-01-01',
      '2020--1-01',
      '2020-01-1 ',
      '2020-01-+1',
    ];
    for (const s of tricky) for (const today of TODAYS) expect(isRealDate(s, today), s).toBe(reference(s, today));
    const random = prng(20261204);
    const alphabet = Array.from('0123456789-- /a+.٣６');
    for (let i = 0; i < 100_000; i++) {
      let s = '';
      const length = 8 + Math.floor(random() * 4);
      for (let j = 0; j < length; j++) s += random() < 0.85 ? String(Math.floor(random() * 10)) : (alphabet[Math.floor(random() * alphabet.length)] as string);
      if (random() < 0.5) s = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
      const today = TODAYS[i % TODAYS.length] as Date;
      expect(isRealDate(s, today), s).toBe(reference(s, today));
    }
  });
});
