import { describe, expect, it } from 'vitest';
import { courtesyIntent, isBareAnswer, isSuccessReport } from '../../../bot/recognizer/courtesy.js';
import { normalizeUtterance } from '../../../bot/recognizer/normalize.js';

describe('courtesyIntent', () => {
  it.each([
    ['wesh', 'greeting'],
    ['Rebonjour madame', 'greeting'],
    ['hello tout le monde', 'greeting'],
    ['y a quelqu’un ?', 'greeting'],
    ['merci infiniment !!', 'thanks'],
    ['ok merci, c’est parfait', 'thanks'],
    ['tchao', 'goodbye'],
    ['merci et au revoir', 'goodbye'],
    ['c’est tout pour moi, bonne soirée', 'goodbye'],
    ['bonjour, pouvez-vous m’aider ? merci', 'help'],
    ['à quoi tu sers', 'help'],
    ['retour au menu', 'help'],
    ["j'ai un problème avec EduConnect", 'help'],
    ['je comprend rien', 'help'],
    ["bonjour, je suis parent d'élève", 'greeting'],
    ["je suis la directrice de l'école", 'greeting'],
    ['ok', null],
    ['super', null],
    ['bonjour j’ai perdu mon identifiant', null],
    ['merci, j’ai perdu mon mot de passe', null],
    ['menu de la cantine', null],
  ] as const)('%j -> %s', (text, expected) => {
    expect(courtesyIntent(normalizeUtterance(text))).toBe(expected);
  });
});

describe('isBareAnswer', () => {
  it.each([
    ['ok', true],
    ['Non.', true],
    ["d'accord", true],
    ['non reconnu', false],
    ['oui merci', false],
  ] as const)('%j -> %s', (text, expected) => {
    expect(isBareAnswer(normalizeUtterance(text))).toBe(expected);
  });
});

describe('isSuccessReport', () => {
  it.each([
    ["ça y est, j'ai pu me connecter", true],
    ["c'est bon j'ai reçu mon identifiant", true],
    ["j'ai bien reçu le mail mais le lien ne marche pas", false],
    ['ça marche pas', false],
    ["c'est bon ? comment je fais", false],
  ] as const)('%j -> %s', (text, expected) => {
    expect(isSuccessReport(normalizeUtterance(text))).toBe(expected);
  });
});
