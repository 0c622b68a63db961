// Calendar dates as people write them in French: the ONE list of month names (as written to a
// reader, and every spelling accepted from one) and the check that a day exists. Read by the
// dialogs' birth-date answers (dialogs/shared/validators.ts), the recognizer's date entities
// and normaliser (bot/recognizer/) and the help desk's hours (services/helpdesk/contact.ts).

/** The months as written to a reader, January first. */
export const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const;

/**
 * Abbreviations accepted besides the full names, January first, folded (lower case, no accent,
 * no final dot): the usual ones ("janv.", "févr.", "avr.", "juil.", "sept.", "oct.", "nov.",
 * "déc.") and the short forms people type ("jan", "fév", "sep").
 */
const ABBREVIATIONS: readonly (readonly string[])[] = [
  ['janv', 'jan'],
  ['fevr', 'fev'],
  [],
  ['avr'],
  [],
  [],
  ['juil', 'juill'],
  [],
  ['sept', 'sep'],
  ['oct'],
  ['nov'],
  ['dec'],
];

/** Lower case, accents removed: "Févr" -> "fevr". */
const fold = (word: string): string =>
  word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** Every accepted spelling of a month, folded, with the month's number (1 = January). */
export const MONTH_SPELLINGS: ReadonlyMap<string, number> = new Map(
  MONTH_NAMES.flatMap((name, i) => [fold(name), ...(ABBREVIATIONS[i] ?? [])].map((spelling) => [spelling, i + 1] as const)),
);

/** The month a word names, in any case, with or without accents and final dot ("Févr.", "aout"), or undefined. */
export function monthNumber(word: string): number | undefined {
  return MONTH_SPELLINGS.get(fold(word).replace(/\.$/, ''));
}

/** Every accepted spelling as a regular-expression alternation for folded text, longest first. */
export const MONTH_SPELLING_PATTERN = [...MONTH_SPELLINGS.keys()].sort((a, b) => b.length - a.length).join('|');

/** The full names only, folded, as a regular-expression alternation ("janvier|fevrier|…"). */
export const MONTH_FULL_NAME_PATTERN = MONTH_NAMES.map(fold).join('|');

/** A calendar date as ISO YYYY-MM-DD, or null when it does not exist (31/02, month 13…) or lies outside 1900–2100. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}
