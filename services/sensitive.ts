// What a person types that must never be kept: one detector, used by the dialogs (to warn
// and not pass the text on) and by the web chat storage (to never store or serve it).
import { normalizeName } from './text.js';

/** Longest text looked at (the dialogs cut messages to the same length). */
const MAX_CHARS = 1000;

/**
 * Single words that are something else than a password, whatever their case: an email, an
 * EduConnect identifier (`C.Dupont114`: phones capitalise), a case reference
 * (`edu-2026-000123`), a UAI, a phone number, a date, a web address, or markup and code
 * (`<script>…`, `${…}`, `alert(1)`, `%s`). The current prompt reads them first; if it does
 * not expect them, they get its own explanation, never the password warning.
 */
const NOT_A_PASSWORD: readonly RegExp[] = [
  /^[^\s@]+@[^\s@]+$/, // email (even incomplete)
  /^[a-z][a-z-]*\.[a-z-]+\d*$/i, // identifier
  /^edu-?\d{4}-?\d{6}$/i, // case reference
  /^\d{7}[a-z]$/i, // UAI
  /^\+?[\d .()-]{8,}$/, // phone number, code
  /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$/, // date
  /^(?:https?:\/\/|www\.)|\.(?:fr|com|org|net|gouv)(?:\/|$)/i, // web address
  /[<>{}]|\$\{|%[sdnx]|^[\w.$]+\(.*\)\W*$/i, // markup, code
];
const NAME_LIKE = /^\p{L}+(?:['’-]\p{L}+)*$/u;
/** "mot de passe : X", "mon mdp est X", "password = X": X is the password unless it describes it ("refusé", "je l'ai perdu"…). */
const PASSWORD_IS = /(mot\s*de\s*passe|mdp|password|pwd)(\s+provisoire)?(\s*[:=]\s*|\s+(?:est|c'est|c’est|etait|était)\s+)(\S+)/i;
const DESCRIPTIONS = new Set(
  'refuse refuses perdu bloque bloques faux incorrect incorrecte errone expire oublie invalide mauvais trop pas plus toujours le la un une bon correct juste change reinitialise provisoire temporaire vide inconnu different bien deja encore rejete je j il on ne n ce c'.split(
    ' ',
  ),
);

/**
 * THE password detector (one function for the chat guard and for what is kept in storage).
 * Does the message look like it contains a password? Either it gives one ("mon mot de passe
 * est Xyz…", "mdp : …"), or it is a single word of 8 to 64 characters mixing lower case,
 * digits and upper case or special characters that is none of NOT_A_PASSWORD nor a name.
 * Prompts apply it only to answers they could not read (what they expect comes first). Such
 * a message is never echoed, stored or passed on.
 */
/** A case reference as the parent got it ("EDU-2026-000123", "edu-2026-123"): not a password. */
const CASE_REFERENCE_LIKE = /^edu[-_]?20\d\d[-_]?\d{1,6}$/i;

export function looksLikePassword(text: string): boolean {
  const t = text.trim().slice(0, MAX_CHARS);
  const said = PASSWORD_IS.exec(t)?.[4];
  if (said !== undefined && !DESCRIPTIONS.has(normalizeName(said).split(' ')[0] ?? '')) return true;
  if (/\s/.test(t) || t.length < 8 || t.length > 64) return false;
  if (NAME_LIKE.test(t) || CASE_REFERENCE_LIKE.test(t) || NOT_A_PASSWORD.some((shape) => shape.test(t))) return false;
  const lower = /\p{Ll}/u.test(t);
  const digit = /\d/.test(t);
  const upper = /\p{Lu}/u.test(t);
  const special = /[^\p{L}\d]/u.test(t);
  return lower && digit && (upper || special);
}

/** What is stored (and shown back) instead of a message that looked like a password. */
export const MASKED_PASSWORD_TEXT = '•••••••• (message masqué : il ressemblait à un mot de passe, il n’a pas été conservé)';
