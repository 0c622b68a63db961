// Character-level clean-up shared by the normaliser and the entity extractors.

/** Longest text the recognizer looks at; anything after is ignored. */
export const MAX_INPUT_LENGTH = 2000;

/**
 * Accents stripped (NFKD, combining marks removed), ligatures spelt out, typographic
 * apostrophes unified, control, format (bidirectional marks, zero-width characters), private
 * and lone surrogate characters replaced by a space. Case is kept.
 * "L’Élève\u200f" -> "L'Eleve "
 */
export function stripMarks(input: string): string {
  return input
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/[’‘`´ʼ]/gu, "'")
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]+/gu, ' ');
}
