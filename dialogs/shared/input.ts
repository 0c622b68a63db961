// Reading what the user typed: bounded, folded for comparisons, checked for secrets.
import type { Activity } from 'botbuilder';
import { normalizeName } from '../../services/text.js';

/** Longest text the dialogs look at; longer messages are cut (never a crash, never slow). */
export const MAX_INPUT_CHARS = 1000;

/** The message text, trimmed and bounded. */
export function inputText(activity: Partial<Activity>): string {
  const text = typeof activity.text === 'string' ? activity.text : '';
  return text
    .slice(0, MAX_INPUT_CHARS * 4)
    .trim()
    .slice(0, MAX_INPUT_CHARS);
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

// The password detector lives in services/ so that the web chat storage uses the same one.
export { looksLikePassword } from '../../services/sensitive.js';
