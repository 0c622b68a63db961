import { describe, expect, it } from 'vitest';
import { editDistance, Vocabulary } from '../../../bot/recognizer/vocabulary.js';

describe('Vocabulary', () => {
  const vocabulary = new Vocabulary(['j ai perdu mon identifiant', 'motdepasse oublie', 'date de naissance refusee']);

  it.each([
    ['identifaint perdu', 'identifiant perdu'],
    ['identifint perdu', 'identifiant perdu'],
    ['date de naisssance refusee', 'date de naissance refusee'],
    ['pizza', 'pizza'],
  ])('corrects %j -> %j', (input, expected) => {
    expect(vocabulary.correct(input)).toBe(expected);
  });

  it.each([
    ['j ai perdu mon identifiant', 1],
    ['quelle meteo demain', 0],
    ['identifiant pizza', 0.5],
    ['de la', null],
  ] as const)('coverage of %j is %s', (input, expected) => {
    expect(vocabulary.coverage(input)).toBe(expected);
  });

  it.each([
    ['abc', 'abc', 0],
    ['identifiant', 'identifaint', 1],
    ['chat', 'chats', 1],
    ['chat', 'chien', 2],
    ['a', 'abcdef', 2],
  ])('editDistance(%j, %j) capped at 1 -> %i', (a, b, expected) => {
    expect(editDistance(a, b, 1)).toBe(Math.min(expected, 2));
  });
});
