// The name rules: search keys and identifier bases, whole or put together from parts already
// normalised (the import normalises each part once), which must give the same strings.
import { describe, expect, it } from 'vitest';
import { foldName, identifierBase, identifierBaseOf, normalizeName, searchKey, searchKeyOf } from '../../services/text.js';
import { prng } from '../helpers/prng.js';

/** Characters that names in registers (and typos in them) carry. */
const ALPHABET = Array.from("aeéèêëiïîoôöuùüçœæ AÉÈÇŒÆ-'’.,_0123456789\t  ").concat(['\u0301', '\u0308', 'İ', 'ß', 'Σ', 'ﬁ', '😀', 'ǅ', 'Å']);

function randomPart(random: () => number): string {
  const length = Math.floor(random() * 9);
  let part = '';
  for (let i = 0; i < length; i++) part += ALPHABET[Math.floor(random() * ALPHABET.length)] ?? '';
  return part;
}

describe('name rules', () => {
  it.each([
    ['Du Pont', 'Céline', 'du pont celine', 'c.dupont'],
    ["D'Arc-Müller", 'Éloïse', 'd arc muller eloise', 'e.darcmuller'],
    ['Lœwen', '  Anne-Marie ', 'loewen anne marie', 'a.loewen'],
    ['---', 'Zoé', 'zoe', 'z.responsable'],
    ['Martin', '', 'martin', 'x.martin'],
    ['', '', '', 'x.responsable'],
  ])('%s / %s → "%s", %s', (last, first, key, base) => {
    expect(searchKey(last, first)).toBe(key);
    expect(identifierBase(first, last)).toBe(base);
  });

  it('puts the same keys and bases together from normalised parts as from the whole names (random names, seeded)', () => {
    const random = prng(20261204);
    for (let i = 0; i < 20_000; i++) {
      const last = randomPart(random);
      const first = randomPart(random);
      const whole = normalizeName(`${last} ${first}`);
      expect(searchKeyOf(normalizeName(last), normalizeName(first)), JSON.stringify([last, first])).toBe(whole);
      expect(searchKey(last, first)).toBe(whole);
      expect(identifierBaseOf(normalizeName(first), normalizeName(last))).toBe(identifierBase(first, last));
    }
  });

  it('normalizes plain ASCII names (its lower-case shortcut) as the whole rule does (random names, seeded)', () => {
    const random = prng(20261205);
    const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c));
    const letters = Array.from('abcxyzABCXYZ0189@[`{/:');
    for (let i = 0; i < 50_000; i++) {
      const list = i % 3 === 0 ? ascii : i % 3 === 1 ? letters : letters.concat(ALPHABET);
      let s = '';
      const length = Math.floor(random() * 10);
      for (let j = 0; j < length; j++) s += list[Math.floor(random() * list.length)] as string;
      expect(normalizeName(s), JSON.stringify(s)).toBe(foldName(s));
    }
  });
});
