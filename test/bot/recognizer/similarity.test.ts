import { describe, expect, it } from 'vitest';
import { NearestExamples } from '../../../bot/recognizer/similarity.js';

describe('NearestExamples', () => {
  const examples = new NearestExamples<'password' | 'mail' | 'none'>([
    ['password', 'j ai oublie mon motdepasse'],
    ['password', 'motdepasse refuse'],
    ['password', 'nouveau motdepasse'],
    ['mail', 'je n ai pas recu le mail d activation'],
    ['mail', 'mail d activation perdu'],
    ['none', 'quel temps fait il'],
  ]);

  it.each([
    ['motdepasse perdu', 'password'],
    ['le mail n arrive pas', 'mail'],
    ['activation impossible', 'mail'],
    ['il fait beau temps', 'none'],
  ])('%j is nearest to %s', (text, label) => {
    const nearest = examples.nearest(text);
    expect(nearest?.label).toBe(label);
    expect(nearest?.score).toBeGreaterThan(0);
    expect(nearest?.score).toBeLessThanOrEqual(1);
  });

  it('gives null when no word is shared', () => {
    expect(examples.nearest('pizza margherita')).toBeNull();
    expect(examples.nearest('')).toBeNull();
  });

  it('scores an exact example higher than a partial match', () => {
    const exact = examples.nearest('motdepasse refuse')?.score ?? 0;
    const partial = examples.nearest('refuse')?.score ?? 0;
    expect(exact).toBeGreaterThan(partial);
  });
});
