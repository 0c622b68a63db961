// Parsers, interruption words and password detection, as tables.
import { describe, expect, it } from 'vitest';
import { isCancel, isHelp, looksLikePassword } from '../../../dialogs/shared/input.js';
import { parseContact, parseEmail, parseIdentifier, parseMobile, parseSchool, parseSmsCode, parseUai, parseYesNo } from '../../../dialogs/shared/validators.js';

const input = (text: string) => ({ text, value: undefined });

describe('interruptions', () => {
  it.each(['annuler', 'Annuler.', 'STOP', 'arrêter', 'Arrêtez !', 'laissez tomber'])('cancel: %s', (t) => expect(isCancel(t)).toBe(true));
  it.each(['aide', 'Aide ?', '?', "j'ai besoin d'aide"])('help: %s', (t) => expect(isHelp(t)).toBe(true));
  it.each(['annuler mon compte et en créer un autre', 'stop aux spams', 'aide financière'])('not an interruption: %s', (t) => {
    expect(isCancel(t) || isHelp(t)).toBe(false);
  });
});

describe('password detection', () => {
  it.each([
    'Secret2024!',
    'Un-Mot-De-Passe-2024',
    'mon mot de passe est toto',
    'Mon mot de passe provisoire est Kx7-pQ',
    'mdp: abc',
    'MotDePasse#1',
    'azerty123!',
  ])('looks like a password: %s', (t) => expect(looksLikePassword(t)).toBe(true));
  it.each([
    'c.dupont114',
    'celine.dupont@exemple.fr',
    '06 12 34 56 78',
    '+33612345678',
    '123456',
    'Dupont',
    'Jean-Pierre',
    "D'Artagnan-Müller",
    'Bonjour!',
    "J'ai perdu mon mot de passe",
    'mon mot de passe est refusé',
    'Mon mot de passe est bloqué depuis hier',
    "mot de passe : je l'ai oublié",
    'mdp: perdu',
    '0311478N',
    'EDU-2026-000001',
    'Léa',
  ])('not a password: %s', (t) => expect(looksLikePassword(t)).toBe(false));
});

describe('parsers', () => {
  it.each([
    ['email', parseEmail, ' Celine.Dupont@Exemple.FR ', 'celine.dupont@exemple.fr'],
    ['mobile', parseMobile, '06 12 34 56 78', '+33612345678'],
    ['overseas mobile', parseMobile, '0692 12 34 56', '+262692123456'],
    ['identifier', parseIdentifier, 'C.Dupont114', 'c.dupont114'],
    ['code', parseSmsCode, '123 456', '123456'],
    ['uai', parseUai, '0311478n', '0311478N'],
    ['school name', parseSchool, '  école   Jules Ferry ', 'école Jules Ferry'],
    ['yes', parseYesNo, 'Oui !', true],
    ['no', parseYesNo, 'non merci', false],
    ['contact email', parseContact, 'a@exemple.fr', { email: 'a@exemple.fr' }],
    ['contact mobile', parseContact, '0612345678', { mobile: '+33612345678' }],
  ] as const)('%s accepts', (_n, parse, text, value) => {
    expect(parse(input(text))).toEqual({ ok: true, value });
  });

  it.each([
    ['email', parseEmail, 'celine.dupont', 'prenom.nom@exemple.fr'],
    ['mobile', parseMobile, '01 23 45 67 89', 'portable'],
    ['identifier', parseIdentifier, 'Celine Dupont', 'c.dupont114'],
    ['code', parseSmsCode, 'douze', 'code reçu par SMS'],
    ['uai', parseUai, '031147', '0311478N'],
    ['yes/no', parseYesNo, 'peut-être', '« oui »'],
    ['contact', parseContact, 'plus tard', 'adresse e-mail'],
  ] as const)('%s re-prompts saying what is expected', (_n, parse, text, expected) => {
    const r = parse(input(text));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.retry).toContain(expected);
  });
});
