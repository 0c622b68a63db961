// Deterministic entity extractors for French help-desk messages: school codes (UAI),
// EduConnect identifiers, emails, mobile numbers (E.164), dates (ISO), levels and class
// names, account states, notification channel and export format.
import { isoDate, monthNumber, MONTH_SPELLING_PATTERN } from '../../services/calendar.js';
import { normalizeMobile } from '../../services/phone.js';
import { MAX_INPUT_LENGTH, stripMarks } from './fold.js';

/** Account states, spelled as the `AccountState` enum of the data model. */
export type AccountStateName = 'NOT_NOTIFIED' | 'NOTIFIED' | 'ACTIVATING' | 'ACTIVATED';
/** Levels, spelled as in the extract format (`formats/extract.md`). */
export type LevelName = 'PS' | 'MS' | 'GS' | 'CP' | 'CE1' | 'CE2' | 'CM1' | 'CM2' | '6E' | '5E' | '4E' | '3E' | '2NDE' | '1ERE' | 'TLE';
/** How accounts are notified: by email, or by printed sheet (PDF). */
export type ChannelName = 'email' | 'sheet';
/** Export formats of account lists. */
export type FormatName = 'pdf' | 'csv' | 'excel';
/** Subjects that belong to the school or the ENT, not to the EduConnect account. */
export type SchoolTopicName = 'canteen' | 'enrolment' | 'marks' | 'timetable' | 'homework' | 'absence' | 'school_life';

/** Every value found in a message, in order of appearance, without duplicates; absent when none. */
export interface Entities {
  uai?: string[];
  identifier?: string[];
  email?: string[];
  /** E.164, e.g. "+33612345678", "+262692123456". */
  mobile?: string[];
  /** ISO dates YYYY-MM-DD. */
  date?: string[];
  level?: LevelName[];
  /** Class names as written, upper case: "CM1 A", "CE1/2", "6E B". */
  className?: string[];
  state?: AccountStateName[];
  channel?: ChannelName[];
  format?: FormatName[];
  /** Case references as the service writes them: "EDU-2026-000123" (from "edu-2026-123", "EDU 2026 000123"…). */
  caseReference?: string[];
  /** The message is about school life (canteen, enrolment, marks…): ask the school or the ENT. */
  schoolTopic?: SchoolTopicName[];
}

/**
 * Shapes of concrete values, shared with the normaliser (which replaces them by placeholder
 * words). Without flags: callers add the flags they need. They expect folded (lower case,
 * accent-free) text.
 */
export const ENTITY_PATTERNS = {
  email: /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/,
  isoDate: /(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)/,
  numericDate: /(?<![\d/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])/,
  phone: /(?:(?<![\w+])\+|(?<!\w)00)\d(?:[ .-]?\d){7,13}(?!\d)|(?<![\w+])0\d(?:[ .-]?\d){8}(?!\d)/,
  uai: /(?<![a-z0-9])\d{7}[a-z](?![a-z0-9])/,
  identifier: /(?<![\w.@-])[a-z]+\.[a-z]+\d*(?!\w|[.@-]\w)/,
} as const;

/** Second parts of "x.y" that make it a host name, not an identifier. */
const NOT_IDENTIFIER_SUFFIX = /^(?:fr|com|net|org|gouv|eu|io|info|html?|php|pdf|csv|xlsx?|docx?|jpe?g|png)\d*$/;

const WRITTEN_DATE = new RegExp(`(?<![\\d])(\\d{1,2})(?:er)?\\s+(${MONTH_SPELLING_PATTERN})\\.?\\s+(\\d{4})(?!\\d)`, 'g');

function all(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(new RegExp(pattern.source, 'g'))].map((m) => m[0]);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Two-digit years: 00–49 are 20xx, 50–99 are 19xx. */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

function extractDates(text: string): string[] {
  const found: { at: number; iso: string | null }[] = [];
  for (const m of text.matchAll(new RegExp(ENTITY_PATTERNS.isoDate.source, 'g'))) {
    const [y = '', mo = '', d = ''] = m[0].split('-');
    found.push({ at: m.index, iso: isoDate(Number(y), Number(mo), Number(d)) });
  }
  for (const m of text.matchAll(new RegExp(ENTITY_PATTERNS.numericDate.source, 'g'))) {
    const [d = '', mo = '', y = ''] = m[0].split(/[/.-]/);
    found.push({ at: m.index, iso: isoDate(fullYear(y), Number(mo), Number(d)) });
  }
  for (const m of text.matchAll(WRITTEN_DATE)) {
    found.push({ at: m.index, iso: isoDate(Number(m[3]), monthNumber(m[2] ?? '') ?? 0, Number(m[1])) });
  }
  return unique(
    found
      .sort((a, b) => a.at - b.at)
      .map((f) => f.iso)
      .filter((iso): iso is string => iso !== null),
  );
}

function extractMobiles(text: string): string[] {
  return unique(
    all(text, ENTITY_PATTERNS.phone).flatMap((candidate) => {
      const r = normalizeMobile(candidate);
      return r.ok ? [r.e164] : [];
    }),
  );
}

/** Whether a match of `ENTITY_PATTERNS.identifier` is an identifier rather than a host name. */
export function isIdentifier(candidate: string): boolean {
  const [first = '', second = ''] = candidate.split('.');
  return first !== 'www' && !NOT_IDENTIFIER_SUFFIX.test(second);
}

/**
 * A secondary level: its short form ("6e", "6eme") anywhere, its word ("sixième") only in a
 * school context ("en sixième", "classe de sixième"; not "mon troisième enfant").
 */
function ordinal(short: string, word: string): RegExp {
  return new RegExp(String.raw`\b${short}\b|(?:\ben|\bde|\bclasses?|\bniveau|\beleves? de)\s+${word}\b`);
}

/** Level words, folded, to their canonical names. */
const LEVEL_WORDS: readonly (readonly [RegExp, LevelName])[] = [
  [/\b(?:ps|petite section)\b/, 'PS'],
  [/\b(?:ms|moyenne section)\b/, 'MS'],
  [/\b(?:gs|grande section)\b/, 'GS'],
  [/\bcp\b/, 'CP'],
  [/\bce1\b/, 'CE1'],
  [/\bce2\b|\bce1\s*\/\s*2\b/, 'CE2'],
  [/\bcm1\b/, 'CM1'],
  [/\bcm2\b|\bcm1\s*\/\s*2\b/, 'CM2'],
  [ordinal('6(?:e|eme|ieme)', 'sixieme'), '6E'],
  [ordinal('5(?:e|eme|ieme)', 'cinquieme'), '5E'],
  [ordinal('4(?:e|eme|ieme)', 'quatrieme'), '4E'],
  [ordinal('3(?:e|eme|ieme)', 'troisieme'), '3E'],
  [ordinal('2(?:nde|de|nd)', 'seconde'), '2NDE'],
  [ordinal(String.raw`1(?:ere|re)(?!\s+(?:fois|connexion|etape|activation|inscription|demande)\b)`, 'premiere'), '1ERE'],
  [/\b(?:terminales?|tle|term)\b/, 'TLE'],
];

/** Level tokens, any case, as they may start a class name. */
const LEVEL_TOKEN = /(?<![\p{L}\d])(?:ps|ms|gs|cp|ce[12]|cm[12]|[3-6](?:eme|e))(?![\p{L}])/giu;

/**
 * "CM1 A", "CE1/2", "CE2-CM1", "6e B", "5E3": a level (upper-cased beforehand) followed by an
 * upper-case section letter, a digit, or a second level.
 */
const CLASS_NAME = /(?<![\p{L}\d])((?:PS|MS|GS|CP|CE[12]|CM[12]|[3-6](?:EME|E))(?:\s*[/-]\s*(?:PS|MS|GS|CP|CE[12]|CM[12]|[12])|\s?[A-Z]|\d)(?![\p{L}\d]))/gu;

function extractClassNames(original: string): string[] {
  const marked = original.replace(LEVEL_TOKEN, (token) => token.toUpperCase());
  return unique(
    [...marked.matchAll(CLASS_NAME)].map((m) =>
      (m[1] ?? '')
        .replace(/^([3-6])EME/, '$1E')
        .replace(/\s*([/-])\s*/g, '$1')
        .replace(/\s+/g, ' '),
    ),
  );
}

/** Not preceded by a negation: "non notifiés", "pas encore activés", "jamais été activé". */
const NOT_NEGATED = String.raw`(?<!\b(?:non|pas|jamais)(?:\s+encore)?(?:\s+ete)?\s+)`;

const STATES: readonly (readonly [RegExp, AccountStateName])[] = [
  [/\b(?:non|pas|jamais)(?:\s+encore)?(?:\s+ete)?\s+notifie(?:e|s|es)?\b/, 'NOT_NOTIFIED'],
  [new RegExp(NOT_NEGATED + String.raw`\bnotifie(?:e|s|es)?\b`), 'NOTIFIED'],
  [/\ben\s+cours\s+d\s?'?\s?activation\b/, 'ACTIVATING'],
  [new RegExp(NOT_NEGATED + String.raw`\bactive(?:e|s|es)?\b`), 'ACTIVATED'],
];

function extractMatches<T>(folded: string, table: readonly (readonly [RegExp, T])[]): T[] {
  const found: { at: number; value: T }[] = [];
  for (const [pattern, value] of table) {
    for (const m of folded.matchAll(new RegExp(pattern.source, 'g'))) found.push({ at: m.index, value });
  }
  return unique(found.sort((a, b) => a.at - b.at).map((f) => f.value));
}

const CHANNELS: readonly (readonly [RegExp, ChannelName])[] = [
  [/\bpar\s+(?:e-?\s?mail|mail|mel|courriel|messagerie)\b/, 'email'],
  [/\bfiches?\b|\bpapier\b|\bpdf\b|\bimprim\w*|\bpar\s+courrier\b/, 'sheet'],
];

const FORMATS: readonly (readonly [RegExp, FormatName])[] = [
  [/\bpdf\b/, 'pdf'],
  [/\bcsv\b/, 'csv'],
  [/\bexcel\b|\bxlsx?\b|\btableur\b/, 'excel'],
];

const CASE_REFERENCE = /(?<![a-z0-9])edu\s?[-_ ]?\s?(20\d\d)\s?[-_ ]?\s?(\d{1,6})(?!\d)/g;

/** Case references, normalised to EDU-<year>-<6 digits>. */
function extractCaseReferences(folded: string): string[] {
  return unique([...folded.matchAll(CASE_REFERENCE)].map((m) => `EDU-${m[1] ?? ''}-${(m[2] ?? '').padStart(6, '0')}`));
}

const CHILD = String.raw`(?:mon|ma|mes|notre|nos)\s+(?:fils|fille|filles|enfants?|petite?s?|garcon)`;
const SCHOOL_TOPICS: readonly (readonly [RegExp, SchoolTopicName])[] = [
  [
    /\bcantines?\b|\brestauration scolaire\b|\bmenus? (?:de |du |d )?(?:la |l |ce |cette )?(?:cantine|self|midi|jour|semaine|demain|lundi|mardi|mercredi|jeudi|vendredi)|\bgarderie\b|\bperiscolaire\b|\bcentre de loisirs\b|\brepas\b/,
    'canteen',
  ],
  [
    new RegExp(
      String.raw`\b(?:re)?inscri\w*\s+(?:${CHILD}|(?:a|au|en)\s+(?:l\s?'?\s?ecole|la maternelle|college|lycee|creche|cp|6e|sixieme|seconde|petite section|moyenne section|grande section))|\binscriptions?\s+(?:scolaire|a l\s?'?\s?ecole|au college|au lycee|en)|\bderogation\b|\baffectation\b`,
    ),
    'enrolment',
  ],
  [/\bnotes?\b(?!\s+de\s+frais)|\bbulletins?\b|\bmoyennes?\b(?!\s+section)|\blivret scolaire\b|\bevaluations?\b/, 'marks'],
  [/\bemploi du temps\b|\bedt\b|\bvacances\b|\bcalendrier scolaire\b|\bhoraires? (?:de l\s?'?\s?ecole|des cours|de cours|du college|du lycee)\b/, 'timetable'],
  [/\bdevoirs?\b|\bcahier de textes?\b|\bcahier\b|\blecons?\b/, 'homework'],
  [/\babsente?s?\b|\babsences?\b|\bmalade\b|\bjustificatif\b/, 'absence'],
  [
    /\breunion parents?\b|\bprofs?\b|\bprofesseurs?\b|\bmaitresse\b|\binstituteur\b|\b(?:bus|transport|sortie|voyage) scolaire\b|\bfournitures\b|\bphoto de classe\b/,
    'school_life',
  ],
];

/** Every entity of a message. Never throws; ignores what it does not recognise. */
export function extractEntities(input: string, maxLength = MAX_INPUT_LENGTH): Entities {
  const original = stripMarks(input.slice(0, maxLength));
  const folded = original.toLowerCase();
  const emails = unique(all(folded, ENTITY_PATTERNS.email));
  const withoutEmails = folded.replace(new RegExp(ENTITY_PATTERNS.email.source, 'g'), ' ');
  const caseReference = extractCaseReferences(folded);
  const withoutReferences = caseReference.length > 0 ? withoutEmails.replace(CASE_REFERENCE, ' ') : withoutEmails;
  const entities: Entities = {
    uai: unique(all(withoutReferences, ENTITY_PATTERNS.uai).map((u) => u.toUpperCase())),
    identifier: unique(all(withoutReferences, ENTITY_PATTERNS.identifier).filter(isIdentifier)),
    email: emails,
    mobile: extractMobiles(withoutReferences),
    date: extractDates(withoutReferences),
    level: extractMatches(withoutReferences, LEVEL_WORDS),
    className: extractClassNames(original),
    state: extractMatches(withoutReferences, STATES),
    channel: extractMatches(withoutReferences, CHANNELS),
    format: extractMatches(withoutReferences, FORMATS),
    caseReference,
    schoolTopic: extractMatches(withoutReferences, SCHOOL_TOPICS),
  };
  return Object.fromEntries(Object.entries(entities as Record<string, unknown[]>).filter(([, values]) => values.length > 0));
}
