import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, checkNewPassword } from '../../../services/selfservice/policy.js';

const who = { identifier: 'c.dupont114', lastName: 'Du Pont', firstName: 'Céline' };

describe('password policy', () => {
  const cases: [string, string, boolean, RegExp?][] = [
    ['12 chars, 3 classes', 'Vaque7tortue', true],
    ['11 chars', 'Vaque7tortu', false, /au moins 12 caractères/],
    ['only lower + digit', 'vaque7tortue9', false, /3 types/],
    ['lower + upper + special', 'Vaque-tortue-Ciel', true],
    ['accented letters count as letters', 'Éléphantçàùé9', true],
    ['accents only lower + upper', 'ÉléphantÇàùéô', false, /3 types/],
    ['64 characters accepted', 'Un long chemin de 64 caracteres vers la Mer, 2024 !'.padEnd(64, 'x'), true],
    ['128 characters accepted', 'Aa1!'.repeat(32), true],
    ['129 characters refused', 'Aa1!'.repeat(32) + 'x', false, /128/],
    ['common password', 'Password1234', false, /courant/],
    ['common password, any case', 'PASSWORD1234!', false, /courant/],
    ['contains identifier', 'xC.Dupont114!!', false, /identifiant/],
    ['contains last name (spaces, case folded)', 'MonDUPONTchat7', false, /nom/],
    ['contains first name without accents', 'celineEstLa-2024', false, /nom/],
    ['short name parts ignored (<3 letters)', 'DuVentFort-2024', true],
  ];
  it.each(cases)('%s', (_label, pw, ok, reason) => {
    const r = checkPasswordPolicy(pw, who);
    expect(r.ok).toBe(ok);
    if (!r.ok && reason) expect(r.reasons.join(' ')).toMatch(reason);
  });

  it('lists every reason at once, in French', () => {
    const r = checkPasswordPolicy('celine', who);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons.length).toBeGreaterThanOrEqual(3);
      expect(r.reasons.join(' ')).toMatch(/12 caractères/);
      expect(r.reasons.join(' ')).toMatch(/3 types/);
      expect(r.reasons.join(' ')).toMatch(/nom/);
    }
  });

  it('checks the confirmation', () => {
    const r = checkNewPassword('Vaque7tortue', 'Vaque7tortuE', who);
    expect(r).toEqual({ ok: false, reasons: ['La confirmation ne correspond pas au nouveau mot de passe.'] });
  });
});
