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
}

export function extractColumns(header: string[]): ExtractColumns {
  const at = {} as Record<Column, number>;
  for (const c of [...EXTRACT_REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) at[c] = header.indexOf(c);
  return { width: header.length, at };
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

function isRealDate(s: string, today: Date): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getTime() <= today.getTime();
}

function flag(v: string): boolean | null | undefined {
  if (v === '') return null;
  if (v === '1') return true;
  if (v === '0') return false;
  return undefined;
}

interface Contacts {
  email: string | null;
  mobile: string | null;
  emailConfirmed: boolean | null;
  mobileConfirmed: boolean | null;
  warnings: RowWarning[];
}

// The per-row helpers below are made by factories rather than declared as `const f = () => …`
// in the row's function: under tsx (which runs the import CLI and the bench) every such
// declaration names its function with Object.defineProperty, on every row (profiled: ~15% of
// the staging CPU).

/** Reads a row's value by column name ('' when the file has no such column). */
function reader(fields: string[], columns: ExtractColumns): (column: Column) => string {
  return (c) => {
    const i = columns.at[c];
    return i < 0 ? '' : (fields[i] as string);
  };
}

/** Records a warning of the row and gives null (the value left out). */
function warner(warnings: RowWarning[], line: number): (reason: string) => null {
  return (reason) => {
    warnings.push({ line, reason });
    return null;
  };
}

/** A confirmation flag: null without a usable value, or left out with a warning when unreadable. */
function confirmedFlag(v: (column: Column) => string, warn: (reason: string) => null, column: Column, value: string | null, what: string): boolean | null {
  const f = flag(v(column));
  if (f === undefined) return warn(`${column} « ${v(column)} » ignoré (1 ou 0 attendu)`);
  if (f && !value) return warn(`${column} = 1 ignoré : ${what}`);
  return value ? f : null;
}

/**
 * The optional contacts of a row. They never cost the guardian an account: a value that cannot
 * be used is left out with a warning (value masked), and the rest of the row is applied.
 */
function optionalContacts(v: (column: Column) => string, line: number): Contacts {
  const warnings: RowWarning[] = [];
  const warn = warner(warnings, line);
  const rawEmail = v('guardian_email');
  const email = rawEmail ? (normalizeEmail(rawEmail) ?? warn(`adresse e-mail « ${maskEmail(rawEmail)} » ignorée : adresse invalide`)) : null;
  const rawMobile = v('guardian_mobile');
  let mobile: string | null = null;
  if (rawMobile) {
    const m = normalizeMobile(rawMobile);
    mobile = m.ok ? m.e164 : warn(`téléphone portable « ${maskPhone(rawMobile)} » ignoré : ${m.reason}`);
  }
  return {
    email,
    mobile,
    emailConfirmed: confirmedFlag(v, warn, 'email_confirmed', email, "pas d'adresse e-mail utilisable"),
    mobileConfirmed: confirmedFlag(v, warn, 'mobile_confirmed', mobile, 'pas de téléphone portable utilisable'),
    warnings,
  };
}

/** Rejects the row, with its INE and guardian_ref when readable (its existing link is then kept). */
function rejecter(line: number, rawIne: string, ref: string): (reason: string) => Validation {
  return (reason) => ({
    ok: false,
    rejected: { line, reason, ...(INE_PATTERN.test(rawIne) ? { ine: rawIne } : {}), ...(ref ? { ref } : {}) },
  });
}

export function validate(csv: CsvRow, columns: ExtractColumns, today: Date): Validation {
  const { line, fields } = csv;
  if (!fields) {
    return { ok: false, rejected: { line, reason: `${csv.fieldCount} champ(s) au lieu de ${columns.width} (vérifiez les « ; »)` } };
  }
  const v = reader(fields, columns);
  const rawIne = v('ine').toUpperCase();
  const ref = v('guardian_ref');
  const reject = rejecter(line, rawIne, ref);
  const empty = EXTRACT_REQUIRED_COLUMNS.filter((c) => v(c) === '');
  if (empty.length) return reject(`valeur manquante : ${empty.join(', ')}`);
  const long = LIMITED_COLUMNS.find((c) => v(c).length > MAX_NAME);
  if (long) return reject(`${long} : plus de ${MAX_NAME} caractères`);
  const uai = normalizeUai(v('uai'));
  if (!uai) return reject(`UAI « ${v('uai')} » invalide (7 chiffres et une lettre attendus)`);
  const degree = v('degree') === '1' ? 'FIRST' : v('degree') === '2' ? 'SECOND' : null;
  if (!degree) return reject(`degré « ${v('degree')} » invalide (1 ou 2 attendu)`);
  if (!INE_PATTERN.test(rawIne)) return reject(`INE « ${v('ine')} » invalide (11 caractères, chiffres et lettres)`);
  const birthDate = v('pupil_birth_date');
  if (!isRealDate(birthDate, today)) return reject(`date de naissance « ${birthDate} » invalide (AAAA-MM-JJ, date réelle et passée)`);
  const level = v('level').toUpperCase();
  if (!LEVELS[degree].includes(level)) {
    return reject(`niveau « ${v('level')} » invalide pour le ${degree === 'FIRST' ? '1er' : '2nd'} degré (${LEVELS[degree].join(' ')})`);
  }
  const linkText = v('link').toLowerCase();
  const kind: LinkKind | null = linkText === '' || linkText === 'legal' ? 'LEGAL' : linkText === 'in_charge' ? 'IN_CHARGE' : null;
  if (!kind) return reject(`lien « ${v('link')} » invalide (legal ou in_charge)`);
  if (kind === 'IN_CHARGE' && degree === 'FIRST') return reject('lien in_charge (personne en charge) réservé au 2nd degré');
  const { email, mobile, emailConfirmed, mobileConfirmed, warnings } = optionalContacts(v, line);
  const stateText = v('account_state').toLowerCase();
  const originText = v('account_origin').toLowerCase();
  const state = stateText === '' ? 'NOT_NOTIFIED' : STATES[stateText];
  if (!state) return reject(`account_state « ${v('account_state')} » invalide (${Object.keys(STATES).join(', ')})`);
  const origin = originText === '' ? (state === 'NOT_NOTIFIED' ? 'UNSET' : 'SCHOOL') : ORIGINS[originText];
  if (!origin) return reject(`account_origin « ${v('account_origin')} » invalide (${Object.keys(ORIGINS).join(', ')})`);
  if ((state === 'NOT_NOTIFIED') !== (origin === 'UNSET'))
    return reject(`account_origin ${originText || 'unset'} incompatible avec l'état ${stateText || 'not_notified'}`);
  if ((origin === 'SELF' || origin === 'FRANCECONNECT') && state !== 'ACTIVATED')
    return reject(`un compte d'origine ${originText} est forcément activé (activated)`);
  let identifier: string | null = null;
  if (v('account_identifier')) {
    identifier = v('account_identifier').toLowerCase();
    if (!IDENTIFIER_PATTERN.test(identifier)) return reject(`account_identifier « ${v('account_identifier')} » invalide`);
  }
  return {
    ok: true,
    warnings,
    row: {
      line,
      uai,
      schoolName: v('school_name'),
      academy: v('academy'),
      degree,
      ine: rawIne,
      pupilLastName: v('pupil_last_name'),
      pupilFirstName: v('pupil_first_name'),
      birthDate,
      level,
      className: v('class'),
      ref,
      lastName: v('guardian_last_name'),
      firstName: v('guardian_first_name'),
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
