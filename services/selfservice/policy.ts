// Password policy since April 2024, the one place every page and dialog that sets a password
// uses (checkNewPassword): at least 12 characters and 3 of the 4 classes (lower case, upper
// case, digit, special), counted after NFKC normalisation (full-width letters are letters);
// long passphrases accepted (up to 128); refused when it holds a control or invisible
// character, when common, when it contains the identifier or the guardian's names, or when
// the strength estimate (zxcvbn-ts with the French and common dictionaries) finds it easy to
// guess. Every reason is listed.
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnFrench from '@zxcvbn-ts/language-fr';
import { lazyModule } from '../lazy-module.js';
import { hasInvisible, normalizeName } from '../text.js';

// The dictionaries are ~8 MB of heap: loaded at the first password checked, not at start.
const zxcvbnCore = lazyModule<typeof ZxcvbnCore>('@zxcvbn-ts/core');
const zxcvbnCommon = lazyModule<typeof ZxcvbnCommon>('@zxcvbn-ts/language-common');
const zxcvbnFrench = lazyModule<typeof ZxcvbnFrench>('@zxcvbn-ts/language-fr');

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PolicyResult = { ok: true } | { ok: false; reasons: string[] };

export interface PolicySubject {
  identifier: string;
  lastName: string;
  firstName: string;
}

let common: Set<string> | undefined;
/** The common passwords (lower case), built on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(zxcvbnCommon().dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/**
 * At least 10^9 estimated guesses. zxcvbn's score 3 starts at 10^8, which lets through
 * "Aaaaaaaaaaa1" and "Abcdefghijk1" (a repeat or a run dressed with one capital and one digit).
 */
export const MIN_GUESSES_LOG10 = 9;
/** The estimate reads this many characters (longer ones are strong anyway) and tries few l33t substitutions: it stays within tens of milliseconds. */
const ESTIMATE = { maxLength: 64, l33tMaxSubstitutions: 10 };

let estimator: ZxcvbnCore.ZxcvbnFactory | undefined;

/** The strength estimate, built on first use (the dictionaries take a few hundred milliseconds to load). */
function estimate(password: string, subject: PolicySubject): ZxcvbnCore.ZxcvbnResult {
  if (!estimator) {
    const { adjacencyGraphs, dictionary } = zxcvbnCommon();
    const { dictionary: frenchDictionary, translations } = zxcvbnFrench();
    estimator = new (zxcvbnCore().ZxcvbnFactory)({ dictionary: { ...dictionary, ...frenchDictionary }, graphs: adjacencyGraphs, translations, ...ESTIMATE });
  }
  return estimator.check(
    password,
    [subject.identifier, subject.lastName, subject.firstName].filter((v) => v.length > 0),
  );
}

/** The rule as shown next to the password fields. */
export const PASSWORD_RULE_TEXT =
  'Au moins 12 caractères, avec au moins 3 types parmi : minuscules, majuscules, chiffres et caractères spéciaux. Évitez votre nom, votre identifiant, les mots courants, les suites (abcd, 1234) et les répétitions (aaaa) : plusieurs mots sans rapport entre eux font un bon mot de passe.';

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  // "Motdepasse2024!" is a common word dressed up: strip leading/trailing non-letters too.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const set = commonPasswords();
  return set.has(lower) || (core.length >= 4 && set.has(core));
}

/** Compact form for "contains" checks: accents, case, spaces and punctuation folded. */
const compact = (s: string): string => normalizeName(s).replace(/ /g, '');

function containsName(password: string, name: string): boolean {
  const pw = compact(password);
  const parts = normalizeName(name)
    .split(' ')
    .filter((p) => p.length >= 3);
  const whole = compact(name);
  if (whole.length >= 3) parts.push(whole);
  return parts.some((p) => pw.includes(p));
}

function containsIdentifier(password: string, identifier: string): boolean {
  const id = identifier.trim().toLowerCase();
  if (id.length < 3) return false;
  const pw = password.toLowerCase();
  const compactId = compact(id);
  return pw.includes(id) || (compactId.length >= 3 && compact(password).includes(compactId));
}

export function checkPasswordPolicy(password: string, subject: PolicySubject): PolicyResult {
  if (hasInvisible(password)) {
    return {
      ok: false,
      reasons: ['Le mot de passe contient un caractère invisible ou de contrôle (par exemple copié depuis un autre document) : tapez-le au clavier.'],
    };
  }
  const pw = password.normalize('NFKC');
  const length = Array.from(pw).length;
  const reasons: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) reasons.push(`Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères (il en contient ${length}).`);
  if (length > PASSWORD_MAX_LENGTH) reasons.push(`Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((re) => re.test(pw)).length;
  if (classes < 3) {
    reasons.push('Le mot de passe doit mélanger au moins 3 types de caractères parmi : minuscules, majuscules, chiffres et caractères spéciaux.');
  }
  const common = isCommon(pw);
  if (common) reasons.push('Ce mot de passe est trop courant et facile à deviner : choisissez-en un autre.');
  const withIdentifier = containsIdentifier(pw, subject.identifier);
  if (withIdentifier) reasons.push('Le mot de passe ne doit pas contenir votre identifiant.');
  const withName = containsName(pw, subject.lastName) || containsName(pw, subject.firstName);
  if (withName) reasons.push('Le mot de passe ne doit pas contenir votre nom ni votre prénom.');
  // The estimate only when no reason above already says why it is weak.
  if (reasons.length === 0) {
    const strength = estimate(pw, subject);
    if (strength.guessesLog10 < MIN_GUESSES_LOG10) {
      const pattern = strength.sequence.some((m) => (m.pattern === 'repeat' || m.pattern === 'sequence' || m.pattern === 'spatial') && m.token.length >= 4);
      reasons.push(
        pattern
          ? 'Ce mot de passe est facile à deviner : il repose sur une suite ou une répétition (abcd, 1234, aaaa, azerty). Ajoutez des mots sans rapport entre eux.'
          : 'Ce mot de passe est facile à deviner (mot du dictionnaire, prénom, date ou suite de chiffres) : allongez-le, par exemple avec plusieurs mots sans rapport entre eux.',
      );
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** Policy plus confirmation: the reasons to show under the new-password field, or none. */
export function checkNewPassword(password: string, confirmation: string, subject: PolicySubject): PolicyResult {
  const r = checkPasswordPolicy(password, subject);
  const reasons = r.ok ? [] : [...r.reasons];
  if (password !== confirmation) reasons.push('La confirmation ne correspond pas au nouveau mot de passe.');
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
