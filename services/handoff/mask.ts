// What agents may read of a parent's conversation: never a secret. Passwords (or what looks
// like one), codes and links are masked; mail addresses and phone numbers are shortened.
import { maskEmail, maskPhone } from '../logger.js';

export const MASKED_PASSWORD = '[mot de passe masqué]';
export const MASKED_CODE = '[code masqué]';
export const MASKED_LINK = '[lien masqué]';

const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/gi;
const EMAIL_PATTERN = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/gi;
const PHONE_PATTERN = /(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/g;
const CODE_PATTERN = /\b\d{6,8}\b/g;
const PASSWORD_IS = /\b(mot de passe|mdp|password)(\s*(?:est|:|=|c'est)\s*:?\s*)(\S+)/gi;

/** A word that looks like a password: 8+ characters mixing lower case, digits and upper case or symbols. */
function passwordLike(word: string): boolean {
  if (word.length < 8 || word.length > 64 || word.includes('@')) return false;
  if (/^[A-Za-z]{1,}\.[A-Za-z]{1,}\d*$/.test(word)) return false; // an identifier such as j.dupont3
  const lower = /\p{Ll}/u.test(word);
  const digit = /\d/.test(word);
  const upper = /\p{Lu}/u.test(word);
  const special = /[^\p{L}\d.,;:!?'"()-]/u.test(word);
  return lower && digit && (upper || special);
}

export function maskText(text: string): string {
  return text
    .replace(URL_PATTERN, MASKED_LINK)
    .replace(PASSWORD_IS, (_m, what: string, sep: string) => `${what}${sep}${MASKED_PASSWORD}`)
    .replace(EMAIL_PATTERN, (m) => maskEmail(m))
    .replace(PHONE_PATTERN, (m) => maskPhone(m.replace(/[\s.-]/g, '')))
    .replace(CODE_PATTERN, MASKED_CODE)
    .split(/(\s+)/)
    .map((w) => (passwordLike(w) ? MASKED_PASSWORD : w))
    .join('');
}
