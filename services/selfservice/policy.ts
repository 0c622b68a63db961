// Password policy since April 2024: at least 12 characters and 3 of the 4 classes (lower
// case, upper case, digit, special); long passphrases accepted (up to 128); refused when
// common or when it contains the identifier or the guardian's names. Every reason is listed.
import { dictionary } from '@zxcvbn-ts/language-common';
import { normalizeName } from '../text.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PolicyResult = { ok: true } | { ok: false; reasons: string[] };

export interface PolicySubject {
  identifier: string;
  lastName: string;
  firstName: string;
}

const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** The rule as shown next to the password fields. */
export const PASSWORD_RULE_TEXT =
  'Au moins 12 caractères, avec au moins 3 types parmi : minuscules, majuscules, chiffres et caractères spéciaux. Évitez votre nom, votre identifiant et les mots de passe courants.';

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  // "Motdepasse2024!" is a common word dressed up: strip leading/trailing non-letters too.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return COMMON.has(lower) || (core.length >= 4 && COMMON.has(core));
}

/** Compact form for "contains" checks: accents, case, spaces and punctuation folded. */
const compact = (s: string): string => normalizeName(s).replace(/ /g, '');

function containsName(password: string, name: string): boolean {
  const pw = compact(password);
  const parts = normalizeName(name).split(' ').filter((p) => p.length >= 3);
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
  const pw = password.normalize('NFC');
  const length = Array.from(pw).length;
  const reasons: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) reasons.push(`Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères (il en contient ${length}).`);
  if (length > PASSWORD_MAX_LENGTH) reasons.push(`Le mot de passe ne doit pas dépasser ${PASSWORD_MAX_LENGTH} caractères.`);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((re) => re.test(pw)).length;
  if (classes < 3) {
    reasons.push('Le mot de passe doit mélanger au moins 3 types de caractères parmi : minuscules, majuscules, chiffres et caractères spéciaux.');
  }
  if (isCommon(pw)) reasons.push('Ce mot de passe est trop courant et facile à deviner : choisissez-en un autre.');
  if (containsIdentifier(pw, subject.identifier)) reasons.push('Le mot de passe ne doit pas contenir votre identifiant.');
  if (containsName(pw, subject.lastName) || containsName(pw, subject.firstName)) {
    reasons.push('Le mot de passe ne doit pas contenir votre nom ni votre prénom.');
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
