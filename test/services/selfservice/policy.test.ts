import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, checkNewPassword } from '../../../services/selfservice/policy.js';

const who = { identifier: 'c.dupont114', lastName: 'Du Pont', firstName: 'Céline' };
/** 128 characters that are neither a repetition nor a sequence. */
const LONG_128 = 'Le-Verger-Bleu_du-Quai-7 ; une barque rouge, trois mouettes et 42 cerises tombent doucement sur la jetée de Brest, un soir d’été'.padEnd(
  128,
  '#',
);

describe('password policy', () => {
  const cases: [string, string, boolean, RegExp?][] = [
    ['12 chars, 3 classes', 'Vaque7tortue', true],
    ['11 chars', 'Vaque7tortu', false, /au moins 12 caractères/],
    ['only lower + digit', 'vaque7tortue9', false, /3 types/],
    ['lower + upper + special', 'Vaque-tortue-Ciel', true],
    ['accented letters count as letters', 'Éléphantçàùé9', true],
    ['accents only lower + upper', 'ÉléphantÇàùéô', false, /3 types/],
    ['64 characters accepted', 'Un long chemin de 64 caracteres vers la Mer, 2024 !'.padEnd(64, 'x'), true],
    ['128 characters accepted', LONG_128, true],
    ['129 characters refused', LONG_128 + 'x', false, /128/],
    ['a long repetition refused', 'Aa1!'.repeat(32), false, /suite ou une répétition/],
    ['one letter repeated, dressed up', 'Aaaaaaaaaaa1', false, /suite ou une répétition/],
    ['a run of the alphabet, dressed up', 'Abcdefghijk1', false, /suite ou une répétition/],
    ['a French word and a run of digits', 'Doudou123456', false, /facile à deviner/],
    ['a keyboard row', 'Azertyuiop12', false, /facile à deviner/],
    ['l33t spelling of a common word', 'M0tdep@sse123', false, /facile à deviner/],
    ['a word, a year and punctuation', 'Bonjour2024!!', false, /facile à deviner/],
    ['unrelated words', 'Jardin-Fleuri-2031', true],
    ['the demo password', 'Demo-EduConnect-2026', true],
    ['full-width letters counted after NFKC', 'Ｖａｑｕｅ７ｔｏｒｔｕｅ', true],
    ['full-width, too short after NFKC', 'Ｖａｑｕｅ７ｔｏｒｔ', false, /au moins 12 caractères \(il en contient 10\)/],
    ['zero-width space refused', 'Jardin-\u200bFleuri-2031', false, /caractère invisible/],
    ['NUL refused', 'Jardin-Fleuri-2031\u0000', false, /caractère invisible/],
    ['bidi override refused', '\u202eJardin-Fleuri-2031', false, /caractère invisible/],
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
