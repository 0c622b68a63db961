import { describe, expect, it } from 'vitest';
import { stripMarks } from '../../../bot/recognizer/fold.js';

describe('stripMarks', () => {
  it.each([
    ['L’Élève', "L'Eleve"],
    ['Œuvre, cœur, Æsop', 'OEuvre, coeur, AEsop'],
    ['mot\u200fde\u202epasse', 'mot de passe'],
    ['a\u0000\u0007b', 'a b'],
    ['ﬁche', 'fiche'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(stripMarks(input)).toBe(expected);
  });
});
