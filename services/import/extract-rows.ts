// Validation of one register extract row (shared/formats/extract.md): a CSV record becomes a
// typed row or a rejection with its line number and a French reason.
import { normalizeEmail } from '../accounts/contact.js';
import type { AccountOrigin, AccountState, Degree, LinkKind } from '../db/index.js';
import { maskEmail, maskPhone } from '../logger.js';
import { normalizeMobile } from '../phone.js';
import { normalizeUai } from '../text.js';
import type { CsvRow } from './csv.js';
import type { RowRejection } from './report.js';

export const EXTRACT_REQUIRED_COLUMNS = [
  'uai',
  'school_name',
  'academy',
  'degree',
  'ine',
  'pupil_last_name',
  'pupil_first_name',
  'pupil_birth_date',
  'level',
  'class',
  'guardian_ref',
  'guardian_last_name',
  'guardian_first_name',
] as const;
const OPTIONAL_COLUMNS = [
  'link',
  'guardian_email',
  'guardian_mobile',
  'email_confirmed',
  'mobile_confirmed',
  'account_state',
  'account_origin',
  'account_identifier',
] as const;
type Column = (typeof EXTRACT_REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Where each column of the format is in a file's header (-1 when absent), and how many fields a row has. */
export interface ExtractColumns {
  width: number;
  at: Record<Column, number>;
  /** Positions of EXTRACT_REQUIRED_COLUMNS and LIMITED_COLUMNS, in their order (-1 when absent). */
  required: number[];
  limited: number[];
}

export function extractColumns(header: string[]): ExtractColumns {
  const at = {} as Record<Column, number>;
  for (const c of [...EXTRACT_REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) at[c] = header.indexOf(c);
  return { width: header.length, at, required: EXTRACT_REQUIRED_COLUMNS.map((c) => at[c]), limited: LIMITED_COLUMNS.map((c) => at[c]) };
}

const LEVELS: Record<Degree, readonly string[]> = {
  FIRST: ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'],
  SECOND: ['6E', '5E', '4E', '3E', '2NDE', '1ERE', 'TLE'],
};
const STATES: Record<string, AccountState> = { not_notified: 'NOT_NOTIFIED', notified: 'NOTIFIED', activating: 'ACTIVATING', activated: 'ACTIVATED' };
const ORIGINS: Record<string, AccountOrigin> = { school: 'SCHOOL', self: 'SELF', franceconnect: 'FRANCECONNECT', unset: 'UNSET' };
export const INE_PATTERN = /^[0-9A-Z]{11}$/;
const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const MAX_NAME = 100;
const LIMITED_COLUMNS: readonly Column[] = [
  'school_name',
  'academy',
  'class',
  'pupil_last_name',
  'pupil_first_name',
  'guardian_last_name',
  'guardian_first_name',
  'guardian_ref',
];

export interface ExtractRow {
  line: number;
  uai: string;
  schoolName: string;
  academy: string;
  degree: Degree;
  ine: string;
  pupilLastName: string;
  pupilFirstName: string;
  birthDate: string;
  level: string;
  className: string;
  ref: string;
  lastName: string;
  firstName: string;
  email: string | null;
  mobile: string | null;
  kind: LinkKind;
  identifier: string | null;
  state: AccountState;
  origin: AccountOrigin;
  emailConfirmed: boolean | null;
  mobileConfirmed: boolean | null;
}

/** A row not applied whose existing link stays as it is (`ine`/`ref` when readable). */
export interface KeptLink {
  ine?: string;
  ref?: string;
}

/** A rejected row; `ine`/`ref` when readable, so that its existing link is kept. */
export interface Rejected extends RowRejection, KeptLink {}

/** Something of a row that was left out (the rest of the row is applied), with its line. */
export type RowWarning = RowRejection;

export type Validation = { ok: true; row: ExtractRow; warnings: RowWarning[] } | { ok: false; rejected: Rejected };

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The ASCII digit at `i` of `s` as a number, or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * AAAA-MM-JJ, a real date from 1900 to `today`. Read digit by digit (a regular expression, three
 * numbers and a Date per row cost ~0.4 µs a row, profiled); the same answer as the Date round
 * trip it replaces (test/services/import/extract-rows.test.ts compares both).
 */
export function isRealDate(s: string, today: Date): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y0 = digit(s, 0);
  const y1 = digit(s, 1);
  const y2 = digit(s, 2);
  const y3 = digit(s, 3);
  const m0 = digit(s, 5);
  const m1 = digit(s, 6);
  const d0 = digit(s, 8);
  const d1 = digit(s, 9);
  if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0) return false;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : (MONTH_DAYS[mo - 1] as number))) return false;
  return Date.UTC(y, mo - 1, d) <= today.getTime();
}

function flag(v: string): boolean | null | undefined {
  if (v === '') return null;
  if (v === '1') return true;
  if (v === '0') return false;
  return undefined;
}

// No function is declared in the row's functions (`const f = () => …`): under tsx (which runs
// the import CLI and the bench) every such declaration names its function with
// Object.defineProperty, on every row (profiled: ~15% of the staging CPU); nor is an array or
// closure made for a row that needs none (garbage collection was ~10% of the staging's CPU).

/** A row's value at a column's position ('' when the file has no such column). */
function at(fields: string[], i: number): string {
  return i < 0 ? '' : (fields[i] as string);
}

/** A confirmation flag: null without a usable value, or left out with a warning when unreadable. */
function confirmedFlag(raw: string, warnings: RowWarning[], line: number, column: Column, value: string | null, what: string): boolean | null {
  const f = flag(raw);
  if (f === undefined) {
    warnings.push({ line, reason: `${column} « ${raw} » ignoré (1 ou 0 attendu)` });
    return null;
  }
  if (f && !value) {
    warnings.push({ line, reason: `${column} = 1 ignoré : ${what}` });
    return null;
  }
  return value ? f : null;
}

/** Rejects the row, with its INE and guardian_ref when readable (its existing link is then kept). */
function rejected(line: number, rawIne: string, ref: string, reason: string): Validation {
  return {
    ok: false,
    rejected: { line, reason, ...(INE_PATTERN.test(rawIne) ? { ine: rawIne } : {}), ...(ref ? { ref } : {}) },
  };
}

export function validate(csv: CsvRow, columns: ExtractColumns, today: Date): Validation {
  const { line, fields } = csv;
  if (!fields) {
    return { ok: false, rejected: { line, reason: `${csv.fieldCount} champ(s) au lieu de ${columns.width} (vérifiez les « ; »)` } };
  }
  const c = columns.at;
  const rawIne = at(fields, c.ine).toUpperCase();
  const ref = at(fields, c.guardian_ref);
  const required = columns.required;
  for (const i of required) {
    if (at(fields, i) === '') {
      const empty = EXTRACT_REQUIRED_COLUMNS.filter((_, j) => at(fields, required[j] as number) === '');
      return rejected(line, rawIne, ref, `valeur manquante : ${empty.join(', ')}`);
    }
  }
  const limited = columns.limited;
  for (let i = 0; i < limited.length; i++) {
    if (at(fields, limited[i] as number).length > MAX_NAME)
      return rejected(line, rawIne, ref, `${LIMITED_COLUMNS[i] as Column} : plus de ${MAX_NAME} caractères`);
  }
  const rawUai = at(fields, c.uai);
  const uai = normalizeUai(rawUai);
  if (!uai) return rejected(line, rawIne, ref, `UAI « ${rawUai} » invalide (7 chiffres et une lettre attendus)`);
  const rawDegree = at(fields, c.degree);
  const degree = rawDegree === '1' ? 'FIRST' : rawDegree === '2' ? 'SECOND' : null;
  if (!degree) return rejected(line, rawIne, ref, `degré « ${rawDegree} » invalide (1 ou 2 attendu)`);
  if (!INE_PATTERN.test(rawIne)) return rejected(line, rawIne, ref, `INE « ${at(fields, c.ine)} » invalide (11 caractères, chiffres et lettres)`);
  const birthDate = at(fields, c.pupil_birth_date);
  if (!isRealDate(birthDate, today)) return rejected(line, rawIne, ref, `date de naissance « ${birthDate} » invalide (AAAA-MM-JJ, date réelle et passée)`);
  const rawLevel = at(fields, c.level);
  const level = rawLevel.toUpperCase();
  if (!LEVELS[degree].includes(level)) {
    return rejected(line, rawIne, ref, `niveau « ${rawLevel} » invalide pour le ${degree === 'FIRST' ? '1er' : '2nd'} degré (${LEVELS[degree].join(' ')})`);
  }
  const rawLink = at(fields, c.link);
  const linkText = rawLink.toLowerCase();
  const kind: LinkKind | null = linkText === '' || linkText === 'legal' ? 'LEGAL' : linkText === 'in_charge' ? 'IN_CHARGE' : null;
  if (!kind) return rejected(line, rawIne, ref, `lien « ${rawLink} » invalide (legal ou in_charge)`);
  if (kind === 'IN_CHARGE' && degree === 'FIRST') return rejected(line, rawIne, ref, 'lien in_charge (personne en charge) réservé au 2nd degré');
  // The optional contacts never cost the guardian an account: a value that cannot be used is
  // left out with a warning (value masked), and the rest of the row is applied.
  const warnings: RowWarning[] = [];
  const rawEmail = at(fields, c.guardian_email);
  let email: string | null = null;
  if (rawEmail) {
    email = normalizeEmail(rawEmail);
    if (email === null) warnings.push({ line, reason: `adresse e-mail « ${maskEmail(rawEmail)} » ignorée : adresse invalide` });
  }
  const rawMobile = at(fields, c.guardian_mobile);
  let mobile: string | null = null;
  if (rawMobile) {
    const m = normalizeMobile(rawMobile);
    if (m.ok) mobile = m.e164;
    else warnings.push({ line, reason: `téléphone portable « ${maskPhone(rawMobile)} » ignoré : ${m.reason}` });
  }
  const emailConfirmed = confirmedFlag(at(fields, c.email_confirmed), warnings, line, 'email_confirmed', email, "pas d'adresse e-mail utilisable");
  const mobileConfirmed = confirmedFlag(at(fields, c.mobile_confirmed), warnings, line, 'mobile_confirmed', mobile, 'pas de téléphone portable utilisable');
  const rawState = at(fields, c.account_state);
  const rawOrigin = at(fields, c.account_origin);
  const stateText = rawState.toLowerCase();
  const originText = rawOrigin.toLowerCase();
  const state = stateText === '' ? 'NOT_NOTIFIED' : STATES[stateText];
  if (!state) return rejected(line, rawIne, ref, `account_state « ${rawState} » invalide (${Object.keys(STATES).join(', ')})`);
  const origin = originText === '' ? (state === 'NOT_NOTIFIED' ? 'UNSET' : 'SCHOOL') : ORIGINS[originText];
  if (!origin) return rejected(line, rawIne, ref, `account_origin « ${rawOrigin} » invalide (${Object.keys(ORIGINS).join(', ')})`);
  if ((state === 'NOT_NOTIFIED') !== (origin === 'UNSET'))
    return rejected(line, rawIne, ref, `account_origin ${originText || 'unset'} incompatible avec l'état ${stateText || 'not_notified'}`);
  if ((origin === 'SELF' || origin === 'FRANCECONNECT') && state !== 'ACTIVATED')
    return rejected(line, rawIne, ref, `un compte d'origine ${originText} est forcément activé (activated)`);
  let identifier: string | null = null;
  const rawIdentifier = at(fields, c.account_identifier);
  if (rawIdentifier) {
    identifier = rawIdentifier.toLowerCase();
    if (!IDENTIFIER_PATTERN.test(identifier)) return rejected(line, rawIne, ref, `account_identifier « ${rawIdentifier} » invalide`);
  }
  return {
    ok: true,
    warnings,
    row: {
      line,
      uai,
      schoolName: at(fields, c.school_name),
      academy: at(fields, c.academy),
      degree,
      ine: rawIne,
      pupilLastName: at(fields, c.pupil_last_name),
      pupilFirstName: at(fields, c.pupil_first_name),
      birthDate,
      level,
      className: at(fields, c.class),
      ref,
      lastName: at(fields, c.guardian_last_name),
      firstName: at(fields, c.guardian_first_name),
      email,
      mobile,
      kind,
      identifier,
      state,
      origin,
      emailConfirmed,
      mobileConfirmed,
    },
  };
}
