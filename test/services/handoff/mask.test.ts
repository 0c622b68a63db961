// What agents read of a parent's conversation never carries a secret.
import { describe, expect, it } from 'vitest';
import { maskText } from '../../../services/handoff/mask.js';

describe('masking the transcript', () => {
  it.each([
    ['mon mot de passe est Soleil2024! voilà', 'mon mot de passe est [mot de passe masqué] voilà'],
    ['mdp : azerty', 'mdp : [mot de passe masqué]'],
    ['Tr0ub4dor&3', '[mot de passe masqué]'],
    ['le code 482913 ne marche pas', 'le code [code masqué] ne marche pas'],
    ['voici le lien https://exemple.fr/reset?t=abc123', 'voici le lien [lien masqué]'],
    ['écrivez à marie.dupont@exemple.fr', 'écrivez à m***t@exemple.fr'],
    ['mon portable 06 12 34 56 78', 'mon portable 061*****78'],
  ])('%j', (input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it('keeps ordinary words, identifiers and dates', () => {
    for (const t of ["j'ai perdu mon mot de passe", 'mon identifiant est j.dupont3', 'né le 12/03/2015', 'Parler à une personne']) expect(maskText(t)).toBe(t);
  });
});
