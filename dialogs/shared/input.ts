// Reading what the user typed: bounded, folded for comparisons, checked for secrets.
import type { Activity } from 'botbuilder';
import { normalizeName } from '../../services/text.js';

/** Longest text the dialogs look at; longer messages are cut (never a crash, never slow). */
export const MAX_INPUT_CHARS = 1000;

/** The message text, trimmed and bounded. */
export function inputText(activity: Partial<Activity>): string {
  const text = typeof activity.text === 'string' ? activity.text : '';
  return text.slice(0, MAX_INPUT_CHARS * 4).trim().slice(0, MAX_INPUT_CHARS);
}

/** Lower case, accents and punctuation folded ("Arrêter !" -> "arreter"). */
export function folded(text: string): string {
  return normalizeName(text.slice(0, MAX_INPUT_CHARS));
}

const CANCEL_WORDS = new Set([
  'annuler',
  'annule',
  'annulez',
  'annulation',
  'stop',
  'stopper',
  'arreter',
  'arrete',
  'arretez',
  'abandonner',
  'abandon',
  'quitter',
  'je veux annuler',
  'on arrete',
  'laisse tomber',
  'laissez tomber',
]);
const HELP_WORDS = new Set(['aide', 'a l aide', 'aidez moi', 'help', 'besoin d aide', 'j ai besoin d aide']);

export function isCancel(text: string): boolean {
  return CANCEL_WORDS.has(folded(text));
}

export function isHelp(text: string): boolean {
  return text.trim() === '?' || HELP_WORDS.has(folded(text));
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+$/;
const IDENTIFIER_LIKE = /^[a-z][a-z-]*\.[a-z-]+\d*$/;
const PASSWORD_MENTION = /(mot\s*de\s*passe|mdp|password|pwd)\s*(est|:|=|c'est|c’est|provisoire\s*:)\s*\S+/i;

/**
 * Does the message look like it contains a password? Either it states one ("mon mot de passe
 * est …", "mdp: …"), or it is a single word mixing lower case, upper case and a digit or
 * a special character that is neither an email nor an identifier. Such a message is never
 * echoed, stored or passed on.
 */
export function looksLikePassword(text: string): boolean {
  const t = text.trim();
  if (PASSWORD_MENTION.test(t)) return true;
  if (/\s/.test(t) || t.length < 8 || t.length > 64) return false;
  if (EMAIL_LIKE.test(t) || IDENTIFIER_LIKE.test(t)) return false;
  const lower = /\p{Ll}/u.test(t);
  const upper = /\p{Lu}/u.test(t);
  const digit = /\d/.test(t);
  const special = /[^\p{L}\d]/u.test(t);
  return lower && upper && (digit || special);
}
