// Mobile numbers to E.164, metropolitan and overseas, and clear reasons for refusals.
import { describe, expect, it } from 'vitest';
import { normalizeMobile, normalizePhone } from '../../services/phone.js';

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
