// Mobile numbers to E.164, metropolitan and overseas, and clear reasons for refusals.
import { describe, expect, it } from 'vitest';
import { libraryPhone, metropolitanMobile, normalizeMobile, normalizePhone } from '../../services/phone.js';
import { prng } from '../helpers/prng.js';

describe('normalizeMobile', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['07 56 12 34 56', '+33756123456'],
    // La Réunion, Mayotte (+262 639), Guadeloupe, Guyane, Martinique: national or international form.
    ['0692 12 34 56', '+262692123456'],
    ['+262 692 12 34 56', '+262692123456'],
    ['0639 01 23 45', '+262639012345'],
    ['+262 639 01 23 45', '+262639012345'],
    ['0690 12 34 56', '+590690123456'],
    ['+590 690 12 34 56', '+590690123456'],
    ['0694 20 12 34', '+594694201234'],
    ['+594 694 20 12 34', '+594694201234'],
    ['0696 12 34 56', '+596696123456'],
    ['+596 696 12 34 56', '+596696123456'],
    // Comoros (+269, Mayotte's former code), New Caledonia, French Polynesia.
    ['+269 321 23 45', '+2693212345'],
    ['+687 79 12 34', '+687791234'],
    ['+689 87 12 34 56', '+68987123456'],
    ['+44 7400 123456', '+447400123456'],
  ])('%s -> %s', (input, e164) => {
    expect(normalizeMobile(input)).toEqual({ ok: true, e164, mobile: true });
  });

  it.each([
    ['', 'Le numéro est vide.'],
    ['06 12', 'Le numéro est trop court.'],
    ['+33 6 12 34 56 78 90 12 34 56', 'Le numéro est trop long.'],
    ['06 12 34 56 7x', 'Le numéro ne doit contenir que des chiffres.'],
    ['+33 6 12 34 56 7', "Ce numéro n'est pas un numéro de téléphone valide."],
    ['07 00 00 00 00', "Ce numéro n'est pas un numéro de téléphone valide."],
    // Bare New Caledonia / Polynesia numbers are not guessed: they need their prefix.
    ['75 12 34', 'Le numéro est trop court.'],
    ['87 12 34 56', 'Le numéro est trop court.'],
    ['01 23 45 67 89', "Ce numéro n'est pas un numéro de téléphone portable."],
    ['0262 21 12 34', "Ce numéro n'est pas un numéro de téléphone portable."],
  ])('refuses %j: %s', (input, reason) => {
    expect(normalizeMobile(input)).toEqual({ ok: false, reason });
  });

  it('accepts a landline as a phone but not as a mobile', () => {
    expect(normalizePhone('01 23 45 67 89')).toEqual({ ok: true, e164: '+33123456789', mobile: false });
  });
});

describe('metropolitan mobiles without libphonenumber', () => {
  // Every prefix 06 00 … 07 99, each in the formats files use, with several endings: the fast
  // path gives libphonenumber's result exactly, or stands aside (null).
  const formats: ((n: string) => string)[] = [
    (n) => `0${n}`,
    (n) => `0${n.slice(0, 1)} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
    (n) => `0${n.slice(0, 1)}.${n.slice(1, 3)}.${n.slice(3, 5)}.${n.slice(5, 7)}.${n.slice(7)}`,
    (n) => `0${n.slice(0, 1)}-${n.slice(1, 3)}-${n.slice(3, 5)}-${n.slice(5, 7)}-${n.slice(7)}`,
    (n) => `+33${n}`,
    (n) => `+33 ${n.slice(0, 1)} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
    (n) => `+33${n.slice(0, 1)}.${n.slice(1, 3)}.${n.slice(3, 5)}.${n.slice(5, 7)}.${n.slice(7)}`,
    (n) => `+33 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
    (n) => `0${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
    (n) => `0${n.slice(0, 1)} ${n.slice(1, 3)}.${n.slice(3, 5)}-${n.slice(5, 7)}${n.slice(7)}`,
  ];
  const endings = ['000000', '999999', '123456', '010203', '987654'];

  it('agrees with libphonenumber on every prefix and format', () => {
    let fast = 0;
    for (let prefix = 600; prefix <= 799; prefix++) {
      for (const ending of endings) {
        for (const format of formats) {
          const raw = format(`${prefix}${ending}`);
          const result = metropolitanMobile(raw);
          if (result) {
            fast++;
            expect(result, raw).toEqual(libraryPhone(raw));
          }
          expect(normalizePhone(raw), raw).toEqual(libraryPhone(raw));
          if (raw.startsWith('+33')) expect(normalizePhone(`0033${raw.slice(3)}`), raw).toEqual(libraryPhone(raw));
        }
      }
    }
    // 06 00-38, 06 40-89, 06 95, 06 98, 06 99 and 07 30-99 (0639, 0690-0694… are overseas or unassigned).
    expect(fast).toBe(162 * endings.length * formats.length);
  });

  it('leaves other shapes to libphonenumber', () => {
    for (const raw of [
      '06 12 34 56 7',
      '06 12 34 56 789',
      '06  12 34 56 78',
      '(06) 12 34 56 78',
      '+33 (0)6 12 34 56 78',
      '+330612345678',
      '0639 01 23 45',
      '0690 12 34 56',
      '+262 692 12 34 56',
      '06 12 34 56 7x',
      '6 12 34 56 78',
    ]) {
      expect(metropolitanMobile(raw), raw).toBeNull();
    }
  });

  it('reads the same numbers as the regular expressions it replaced (random texts, seeded)', () => {
    // The former implementation, kept here as the reference.
    const shape = /^(?:0|\+33)[ .-]?([67](?:[ .-]?\d){8})$/;
    const frMobile = /^(?:6(?:[0-24-8]\d|3[0-8]|9[589])|7[3-9]\d)\d{6}$/;
    const reference = (raw: string): string | null => {
      const m = shape.exec(raw);
      if (!m) return null;
      const national = (m[1] as string).replace(/[ .-]/g, '');
      return frMobile.test(national) ? `+33${national}` : null;
    };
    const alphabet = Array.from('0123456789678 .-+3\t_x()/,٣６');
    const random = prng(20261204);
    const pick = (list: readonly string[]): string => list[Math.floor(random() * list.length)] as string;
    let fast = 0;
    for (let i = 0; i < 200_000; i++) {
      let raw = pick(['0', '+33', '0', '+3', '', '00', '+33 ', '0 ']) + pick(['6', '7', '6', '7', '5', '8', ' 6', '.7']);
      const length = 6 + Math.floor(random() * 5);
      for (let j = 0; j < length; j++)
        raw += (random() < 0.3 ? pick([' ', '.', '-']) : '') + (random() < 0.95 ? String(Math.floor(random() * 10)) : pick(alphabet));
      const expected = reference(raw);
      const result = metropolitanMobile(raw);
      if (expected) fast++;
      expect(result, JSON.stringify(raw)).toEqual(expected === null ? null : { ok: true, e164: expected, mobile: true });
      if (i % 100 === 0) {
        const replaced = raw.trim().replace(/^00/, '+');
        expect(normalizePhone(raw), JSON.stringify(raw)).toEqual(metropolitanMobile(replaced) ?? libraryPhone(replaced));
      }
    }
    expect(fast).toBeGreaterThan(10_000);
  });
});
