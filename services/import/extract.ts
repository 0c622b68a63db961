// The nightly register extract (shared/formats/extract.md): one row per pupil–guardian link.
//
// How a file is applied
// - The whole file is first proven readable (UTF-8, CSV, header): otherwise nothing changes.
// - Rows are then streamed and applied in batches (one transaction each, bulk SQL). A row is
//   validated, then applied entirely (school, class, pupil, guardian, link) or rejected with
//   its line number; the other rows of its batch are applied.
// - The file is a full extract of every school it contains: at the end, the links of pupils of
//   those schools that the file did not mention are removed. Schools absent from the file are
//   untouched, and a link mentioned by a rejected row is kept as it is.
// - The register is the source of names and contacts: a non-empty email or mobile replaces
//   the account's (its confirmation flag becomes the file's, else false); an empty one keeps
//   what the account has (the parent may have given it at activation). `account_*` columns
//   only apply when the account is created: afterwards the state belongs to the account
//   service.
// - Within one file, the same school, class, pupil or guardian_ref must always carry the same
//   data (a later contradicting row is rejected), so that importing a file twice changes
//   nothing. When two refs lead to one account (merged accounts), the first row met updates it.
// - Memory: the per-run state is a few compact arrays (16 bytes per pupil, guardian and
//   link met), never the rows themselves.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { normalizeEmail } from '../accounts/contact.js';
import { resolveCasesAfterImport } from '../cases.js';
import type { ServiceContext } from '../context.js';
import type { AccountOrigin, AccountState, Degree, LinkKind, Tx } from '../db/index.js';
import { encryptSecret, generateTemporaryPassword, hashPassword } from '../passwords.js';
import { normalizeMobile } from '../phone.js';
import { identifierBase, normalizeUai, searchKey } from '../text.js';
import { CompactNumberMap } from './compact-map.js';
import { checkCsvFile, readCsvRows, withFile, type CsvRow } from './csv.js';

export { ImportFileError } from './csv.js';

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

const LEVELS: Record<Degree, readonly string[]> = {
  FIRST: ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'],
  SECOND: ['6E', '5E', '4E', '3E', '2NDE', '1ERE', 'TLE'],
};
const STATES: Record<string, AccountState> = { not_notified: 'NOT_NOTIFIED', notified: 'NOTIFIED', activating: 'ACTIVATING', activated: 'ACTIVATED' };
const ORIGINS: Record<string, AccountOrigin> = { school: 'SCHOOL', self: 'SELF', franceconnect: 'FRANCECONNECT', unset: 'UNSET' };
const INE_PATTERN = /^[0-9A-Z]{11}$/;
const IDENTIFIER_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const MAX_NAME = 100;
/** Rejections kept in the report (all are passed to `onRejection`). */
export const MAX_KEPT_REJECTIONS = 1000;
/** Rows per transaction: large enough to amortise round trips (PGlite), small enough to keep transactions short. */
const DEFAULT_BATCH = 1000;
/** Serialises the batches of concurrent imports (their identifier allocation above all). */
const IMPORT_LOCK = 724_310_002;

export interface RowRejection {
  line: number;
  reason: string;
}

export interface ImportProgress {
  rowsRead: number;
  rowsTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** What the register changed that open cases may be waiting for. */
export interface RegisterChanges {
  pupilIds: number[];
  guardianIds: number[];
}

/** What every import (extract, staff directory) reports. */
export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Entries the file no longer contains. */
  removed: number;
  rejected: number;
  /** The first MAX_KEPT_REJECTIONS rejected rows, by line. */
  rejections: RowRejection[];
}

/**
 * Counts are per row (pupil–guardian link): `created` the link is new; `updated` the link or
 * something it carries (school, class, pupil, guardian) changed; `removed` links of the
 * extracted schools that the file no longer contains.
 */
export interface ExtractReport extends ImportReport {
  /** Schools of the file (at least one row applied): their links were reconciled. */
  schools: string[];
  /** Pupils whose birth date changed. */
  changedBirthDates: number[];
  /** Guardians whose mobile changed. */
  changedMobiles: number[];
  /** Cases resolved after the import (by `afterImport`). */
  casesResolved: number;
}

export interface ExtractOptions {
  /** Who runs the import (audit). Default: the system job "import". */
  actor?: Actor;
  /** Rows per transaction. */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Every rejected row, as soon as its batch is done (the report keeps only the first ones). */
  onRejection?: (rejection: RowRejection) => void;
  /** Runs after the import with the register changes; returns how many cases it resolved. Default: resolveCasesAfterImport. */
  afterImport?: (ctx: ServiceContext, changes: RegisterChanges) => Promise<number>;
  /** Demo data only: the password given to accounts created `activating`/`activated` (else a random secret nobody knows). */
  knownPassword?: string;
}

interface ExtractRow {
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

/** A rejected row; `ine`/`ref` when readable, so that its existing link is kept. */
interface Rejected extends RowRejection {
  ine?: string;
  ref?: string;
}

type Validation = { ok: true; row: ExtractRow } | { ok: false; rejected: Rejected };

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

function validate(csv: CsvRow, header: number, today: Date): Validation {
  const line = csv.line;
  if (!csv.values) {
    return { ok: false, rejected: { line, reason: `${csv.fieldCount} champ(s) au lieu de ${header} (vérifiez les « ; »)` } };
  }
  const v = (c: string): string => csv.values?.[c] ?? '';
  const rawIne = v('ine').toUpperCase();
  const ref = v('guardian_ref');
  const reject = (reason: string): Validation => ({
    ok: false,
    rejected: { line, reason, ...(INE_PATTERN.test(rawIne) ? { ine: rawIne } : {}), ...(ref ? { ref } : {}) },
  });
  const empty = EXTRACT_REQUIRED_COLUMNS.filter((c) => v(c) === '');
  if (empty.length) return reject(`valeur manquante : ${empty.join(', ')}`);
  const long = ['school_name', 'academy', 'class', 'pupil_last_name', 'pupil_first_name', 'guardian_last_name', 'guardian_first_name', 'guardian_ref'].find(
    (c) => v(c).length > MAX_NAME,
  );
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
  let email: string | null = null;
  if (v('guardian_email')) {
    email = normalizeEmail(v('guardian_email'));
    if (!email) return reject(`adresse électronique « ${v('guardian_email')} » invalide`);
  }
  let mobile: string | null = null;
  if (v('guardian_mobile')) {
    const m = normalizeMobile(v('guardian_mobile'));
    if (!m.ok) return reject(`téléphone portable « ${v('guardian_mobile')} » refusé : ${m.reason}`);
    mobile = m.e164;
  }
  const emailConfirmed = flag(v('email_confirmed'));
  const mobileConfirmed = flag(v('mobile_confirmed'));
  if (emailConfirmed === undefined) return reject(`email_confirmed « ${v('email_confirmed')} » invalide (1 ou 0)`);
  if (mobileConfirmed === undefined) return reject(`mobile_confirmed « ${v('mobile_confirmed')} » invalide (1 ou 0)`);
  if (emailConfirmed && !email) return reject('email_confirmed = 1 sans adresse électronique');
  if (mobileConfirmed && !mobile) return reject('mobile_confirmed = 1 sans téléphone portable');
  const stateText = v('account_state').toLowerCase();
  const originText = v('account_origin').toLowerCase();
  const state = stateText === '' ? 'NOT_NOTIFIED' : STATES[stateText];
  if (!state) return reject(`account_state « ${v('account_state')} » invalide (${Object.keys(STATES).join(', ')})`);
  const origin = originText === '' ? (state === 'NOT_NOTIFIED' ? 'UNSET' : 'SCHOOL') : ORIGINS[originText];
  if (!origin) return reject(`account_origin « ${v('account_origin')} » invalide (${Object.keys(ORIGINS).join(', ')})`);
  if ((state === 'NOT_NOTIFIED') !== (origin === 'UNSET')) return reject(`account_origin ${originText || 'unset'} incompatible avec l'état ${stateText || 'not_notified'}`);
  if ((origin === 'SELF' || origin === 'FRANCECONNECT') && state !== 'ACTIVATED') return reject(`un compte d'origine ${originText} est forcément activé (activated)`);
  let identifier: string | null = null;
  if (v('account_identifier')) {
    identifier = v('account_identifier').toLowerCase();
    if (!IDENTIFIER_PATTERN.test(identifier)) return reject(`account_identifier « ${v('account_identifier')} » invalide`);
  }
  return {
    ok: true,
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

/** FNV-1a, 30 bits (a small integer in V8). */
function hash30(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x3fffffff;
}

const REF_BITS = 2 ** 22;
const LINK_GUARDIAN_BITS = 2 ** 27;
const LINK_PUPIL_LIMIT = 2 ** 26;

function linkKey(pupilId: number, guardianId: number): number {
  if (pupilId >= LINK_PUPIL_LIMIT || guardianId >= LINK_GUARDIAN_BITS) throw new Error('identifier too large for the import link map');
  return pupilId * LINK_GUARDIAN_BITS + guardianId;
}

const KIND_CODE: Record<LinkKind, number> = { LEGAL: 0, IN_CHARGE: 1 };
/** Link map value of a link mentioned by a rejected row: kept, not compared. */
const MENTIONED = -1;

const pupilHash = (r: ExtractRow): number => hash30([r.pupilLastName, r.pupilFirstName, r.birthDate, r.uai, r.className].join('\t'));
const guardianHash = (r: ExtractRow): number =>
  hash30([r.lastName, r.firstName, r.email, r.mobile, r.emailConfirmed, r.mobileConfirmed, r.identifier, r.state, r.origin].join('\t'));
const classKey = (uai: string, name: string): string => `${uai}\t${name}`;

interface RunState {
  schools: Map<string, string>;
  classes: Map<string, string>;
  pupils: CompactNumberMap;
  guardians: CompactNumberMap;
  links: CompactNumberMap;
  extracted: Set<string>;
  /** Per identifier base, the first suffix not yet tried in this run. */
  identifierCursors: Map<string, number>;
}

interface DbPupil {
  id: number;
  ine: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  schoolUai: string;
  classId: number;
}


interface PupilData {
  lastName: string;
  firstName: string;
  birthDate: string;
  uai: string;
  classKey: string;
}

interface GuardianData {
  lastName: string;
  firstName: string;
  email: string | null;
  emailConfirmed: boolean;
  mobile: string | null;
  mobileConfirmed: boolean;
}

interface DbGuardian extends GuardianData {
  ref: string;
  id: number;
  deletedAt: Date | null;
}

interface NewGuardian extends GuardianData {
  ref: string;
  identifier: string | null;
  state: AccountState;
  origin: AccountOrigin;
}

type GuardianKey = { id: number } | { ref: string };

interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
  changedBirthDates: number[];
  changedMobiles: number[];
  commit: () => void;
}

/** Everything one batch transaction does. */
class Batch {
  readonly rejected: Rejected[] = [];
  created = 0;
  updated = 0;
  unchanged = 0;
  private readonly schoolsSeen = new Map<string, string>();
  private readonly classesSeen = new Map<string, string>();
  private readonly pupilsSeen = new Map<string, number>();
  private readonly guardiansSeenById = new Map<number, number>();
  private readonly newGuardianSeen = new Map<string, number>();
  private readonly linksSeen = new Map<string, number>();
  private readonly reservedIdentifiers = new Set<string>();

  private readonly newSchools = new Map<string, { name: string; academy: string; degree: Degree }>();
  private readonly updSchools = new Map<string, { name: string; academy: string; degree: Degree }>();
  private readonly newClasses = new Map<string, { uai: string; name: string; level: string }>();
  private readonly updClasses = new Map<number, string>();
  private readonly newPupils = new Map<string, PupilData>();
  private readonly updPupils = new Map<number, PupilData>();
  private readonly newGuardians = new Map<string, NewGuardian>();
  private readonly updGuardians = new Map<number, GuardianData>();
  private readonly newLinks: { ine: string; guardian: GuardianKey; kind: LinkKind }[] = [];
  private readonly updLinks: { pupilId: number; guardianId: number; kind: LinkKind }[] = [];
  private readonly changedBirthDates = new Set<number>();
  private readonly changedMobiles = new Set<number>();
  private readonly mentioned: { ine: string; ref: string }[] = [];
  private readonly extracted = new Set<string>();

  private schools = new Map<string, { name: string; academy: string; degree: string }>();
  private classes = new Map<string, { id: number; level: string }>();
  private pupils = new Map<string, DbPupil>();
  private guardians = new Map<string, DbGuardian>();
  private links = new Map<number, string>();
  private takenIdentifiers = new Set<string>();
  /** Accounts created by this batch, by ref. */
  private newGuardianIds = new Map<string, number>();

  constructor(
    private readonly tx: Tx,
    private readonly run: RunState,
    private readonly now: string,
    private readonly credentials: (state: AccountState) => Promise<{ tempPasswordEnc: string | null; passwordHash: string | null }>,
  ) {}

  async apply(rows: ExtractRow[], rejected: Rejected[]): Promise<BatchOutcome> {
    await this.load(rows, rejected);
    for (const row of rows) this.decide(row);
    // Links named by rejected rows (invalid, or contradicting the file) are kept as they are.
    for (const r of [...rejected, ...this.rejected]) if (r.ine && r.ref) this.mentioned.push({ ine: r.ine, ref: r.ref });
    await this.write();
    return this.outcome();
  }

  private async load(rows: ExtractRow[], rejected: Rejected[]): Promise<void> {
    const tx = this.tx;
    const uais = [...new Set(rows.map((r) => r.uai))];
    // The first query of the batch takes the import lock (one round trip less).
    const lockedSchools = await tx.$queryRaw<{ uai: string | null; name: string; academy: string; degree: string }[]>`
      WITH import_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${IMPORT_LOCK}::bigint)::text AS locked)
      SELECT s.uai, s.name, s.academy, s.degree::text AS degree FROM import_lock LEFT JOIN "School" s ON s.uai = ANY(${uais}::text[])`;
    this.schools = new Map(lockedSchools.flatMap((s) => (s.uai === null ? [] : [[s.uai, s] as const])));
    const classKeys = [...new Set(rows.map((r) => classKey(r.uai, r.className)))];
    const cu = classKeys.map((k) => k.split('\t')[0] as string);
    const cn = classKeys.map((k) => k.slice(k.indexOf('\t') + 1));
    const classes = await tx.$queryRaw<{ id: number; schoolUai: string; name: string; level: string }[]>`
      SELECT c.id, c."schoolUai", c.name, c.level FROM "SchoolClass" c
      JOIN unnest(${cu}::text[], ${cn}::text[]) AS k(uai, name) ON c."schoolUai" = k.uai AND c.name = k.name`;
    this.classes = new Map(classes.map((c) => [classKey(c.schoolUai, c.name), { id: c.id, level: c.level }]));
    const ines = [...new Set([...rows.map((r) => r.ine), ...rejected.flatMap((r) => (r.ine ? [r.ine] : []))])];
    const pupils = await tx.$queryRaw<DbPupil[]>`
      SELECT id, ine, "lastName", "firstName", "birthDate"::text AS "birthDate", "schoolUai", "classId"
      FROM "Pupil" WHERE ine = ANY(${ines}::text[])`;
    this.pupils = new Map(pupils.map((p) => [p.ine, p]));
    const refs = [...new Set([...rows.map((r) => r.ref), ...rejected.flatMap((r) => (r.ref ? [r.ref] : []))])];
    // A merged account's refs normally moved to the kept account; follow the chain anyway.
    const guardians = await tx.$queryRaw<DbGuardian[]>`
      WITH RECURSIVE chain AS (
        SELECT r.ref, g.id, g."mergedIntoId", 0 AS depth
        FROM "GuardianRef" r JOIN "Guardian" g ON g.id = r."guardianId" WHERE r.ref = ANY(${refs}::text[])
        UNION ALL
        SELECT c.ref, g.id, g."mergedIntoId", c.depth + 1 FROM chain c JOIN "Guardian" g ON g.id = c."mergedIntoId" WHERE c.depth < 20
      )
      SELECT c.ref, g.id, g."lastName", g."firstName", g.email, g."emailConfirmed", g.mobile, g."mobileConfirmed", g."deletedAt"
      FROM chain c JOIN "Guardian" g ON g.id = c.id WHERE c."mergedIntoId" IS NULL`;
    this.guardians = new Map(guardians.map((g) => [g.ref, g]));
    const pupilIds = pupils.map((p) => p.id);
    const links = pupilIds.length
      ? await tx.$queryRaw<{ pupilId: number; guardianId: number; kind: string }[]>`
          SELECT "pupilId", "guardianId", kind::text AS kind FROM "PupilGuardian" WHERE "pupilId" = ANY(${pupilIds}::int[])`
      : [];
    this.links = new Map(links.map((l) => [linkKey(l.pupilId, l.guardianId), l.kind]));
    const explicit = [...new Set(rows.flatMap((r) => (r.identifier && !this.guardians.has(r.ref) ? [r.identifier] : [])))];
    const taken = explicit.length
      ? await tx.$queryRaw<{ identifier: string }[]>`SELECT identifier FROM "Guardian" WHERE identifier = ANY(${explicit}::text[])`
      : [];
    this.takenIdentifiers = new Set(taken.map((t) => t.identifier));
  }

  /** Decides what one row changes; rejects it (changing nothing) when it contradicts the file or the base. */
  private decide(row: ExtractRow): void {
    const reject = (reason: string): void => {
      this.rejected.push({ line: row.line, reason, ine: row.ine, ref: row.ref });
    };
    const run = this.run;

    // School
    const schoolData = { name: row.schoolName, academy: row.academy, degree: row.degree };
    const schoolKey = `${row.schoolName}\t${row.academy}\t${row.degree}`;
    const schoolSeen = run.schools.get(row.uai) ?? this.schoolsSeen.get(row.uai);
    if (schoolSeen !== undefined && schoolSeen !== schoolKey) return reject(`école ${row.uai} : nom, académie ou degré différents d'une ligne précédente`);
    const dbSchool = this.schools.get(row.uai);
    const schoolAction = schoolSeen !== undefined ? null : !dbSchool ? 'new' : `${dbSchool.name}\t${dbSchool.academy}\t${dbSchool.degree}` !== schoolKey ? 'update' : null;

    // Class
    const ck = classKey(row.uai, row.className);
    const classSeen = run.classes.get(ck) ?? this.classesSeen.get(ck);
    if (classSeen !== undefined && classSeen !== row.level) return reject(`classe « ${row.className} » : niveau différent d'une ligne précédente`);
    const dbClass = this.classes.get(ck);
    const classAction = classSeen !== undefined ? null : !dbClass ? 'new' : dbClass.level !== row.level ? 'update' : null;

    // Pupil
    const ph = pupilHash(row);
    const dbPupil = this.pupils.get(row.ine);
    const pupilSeen = (dbPupil ? run.pupils.get(dbPupil.id) : undefined) ?? this.pupilsSeen.get(row.ine);
    if (pupilSeen !== undefined && pupilSeen !== ph) return reject(`élève ${row.ine} : nom, date de naissance ou classe différents d'une ligne précédente`);
    const pupilData: PupilData = { lastName: row.pupilLastName, firstName: row.pupilFirstName, birthDate: row.birthDate, uai: row.uai, classKey: ck };
    let pupilAction: 'new' | 'update' | null = null;
    if (pupilSeen === undefined) {
      if (!dbPupil) pupilAction = 'new';
      else if (
        dbPupil.lastName !== row.pupilLastName ||
        dbPupil.firstName !== row.pupilFirstName ||
        dbPupil.birthDate !== row.birthDate ||
        dbPupil.schoolUai !== row.uai ||
        dbClass?.id !== dbPupil.classId
      ) {
        pupilAction = 'update';
      }
    }

    // Guardian
    const gh = guardianHash(row);
    const refHash = hash30(row.ref) % REF_BITS;
    const dbGuardian = this.guardians.get(row.ref);
    let guardianAction: 'new' | 'update' | null = null;
    let guardianUpdate: GuardianData | null = null;
    if (dbGuardian) {
      if (dbGuardian.deletedAt) return reject(`le compte du responsable ${row.ref} a été supprimé`);
      const seen = run.guardians.get(dbGuardian.id) ?? this.guardiansSeenById.get(dbGuardian.id);
      if (seen !== undefined && seen % REF_BITS === refHash && Math.floor(seen / REF_BITS) !== gh) {
        return reject(`responsable ${row.ref} : nom ou coordonnées différents d'une ligne précédente`);
      }
      if (seen === undefined) {
        guardianUpdate = this.guardianUpdate(dbGuardian, row);
        if (guardianUpdate) guardianAction = 'update';
      }
    } else {
      const seen = this.newGuardianSeen.get(row.ref);
      if (seen !== undefined && seen !== gh) return reject(`responsable ${row.ref} : nom ou coordonnées différents d'une ligne précédente`);
      if (seen === undefined) {
        if (row.identifier && (this.takenIdentifiers.has(row.identifier) || this.reservedIdentifiers.has(row.identifier))) {
          return reject(`account_identifier « ${row.identifier} » déjà utilisé par un autre compte`);
        }
        guardianAction = 'new';
      }
    }

    // Link
    const guardianKey: GuardianKey = dbGuardian ? { id: dbGuardian.id } : { ref: row.ref };
    const lk = `${row.ine}\t${dbGuardian ? `g${dbGuardian.id}` : `r${row.ref}`}`;
    const numericLink = dbPupil && dbGuardian ? linkKey(dbPupil.id, dbGuardian.id) : undefined;
    const runLink = numericLink !== undefined ? run.links.get(numericLink) : undefined;
    const linkSeen = (runLink === MENTIONED ? undefined : runLink) ?? this.linksSeen.get(lk);
    if (linkSeen !== undefined && linkSeen !== KIND_CODE[row.kind]) return reject(`lien ${row.ine} – ${row.ref} : type de lien différent d'une ligne précédente`);
    const dbLink = numericLink !== undefined ? this.links.get(numericLink) : undefined;
    const linkAction = linkSeen !== undefined ? null : dbLink === undefined ? 'new' : dbLink !== row.kind ? 'update' : null;

    // The row is accepted: record everything it changes.
    this.extracted.add(row.uai);
    if (schoolSeen === undefined) this.schoolsSeen.set(row.uai, schoolKey);
    if (schoolAction === 'new') this.newSchools.set(row.uai, schoolData);
    if (schoolAction === 'update') this.updSchools.set(row.uai, schoolData);
    if (classSeen === undefined) this.classesSeen.set(ck, row.level);
    if (classAction === 'new') this.newClasses.set(ck, { uai: row.uai, name: row.className, level: row.level });
    if (classAction === 'update' && dbClass) this.updClasses.set(dbClass.id, row.level);
    if (pupilSeen === undefined) this.pupilsSeen.set(row.ine, ph);
    if (pupilAction === 'new') this.newPupils.set(row.ine, pupilData);
    if (pupilAction === 'update' && dbPupil) {
      this.updPupils.set(dbPupil.id, pupilData);
      if (dbPupil.birthDate !== row.birthDate) this.changedBirthDates.add(dbPupil.id);
    }
    if (dbGuardian) {
      if (!this.guardiansSeenById.has(dbGuardian.id) && run.guardians.get(dbGuardian.id) === undefined) {
        this.guardiansSeenById.set(dbGuardian.id, gh * REF_BITS + refHash);
      }
      if (guardianAction === 'update' && guardianUpdate) {
        this.updGuardians.set(dbGuardian.id, guardianUpdate);
        if (guardianUpdate.mobile !== dbGuardian.mobile) this.changedMobiles.add(dbGuardian.id);
      }
    } else if (guardianAction === 'new') {
      this.newGuardianSeen.set(row.ref, gh);
      if (row.identifier) this.reservedIdentifiers.add(row.identifier);
      this.newGuardians.set(row.ref, {
        ref: row.ref,
        lastName: row.lastName,
        firstName: row.firstName,
        email: row.email,
        emailConfirmed: row.emailConfirmed ?? false,
        mobile: row.mobile,
        mobileConfirmed: row.mobileConfirmed ?? false,
        identifier: row.identifier,
        state: row.state,
        origin: row.origin,
      });
    }
    if (linkSeen === undefined) this.linksSeen.set(lk, KIND_CODE[row.kind]);
    if (linkAction === 'new') this.newLinks.push({ ine: row.ine, guardian: guardianKey, kind: row.kind });
    if (linkAction === 'update' && dbPupil && dbGuardian) this.updLinks.push({ pupilId: dbPupil.id, guardianId: dbGuardian.id, kind: row.kind });

    const changed = schoolAction !== null || classAction !== null || pupilAction !== null || guardianAction !== null || linkAction === 'update';
    if (linkAction === 'new') this.created++;
    else if (changed) this.updated++;
    else this.unchanged++;
  }

  /** The register is the source of names and contacts; an empty contact keeps the account's. */
  private guardianUpdate(db: DbGuardian, row: ExtractRow): GuardianData | null {
    const next: GuardianData = {
      lastName: row.lastName,
      firstName: row.firstName,
      email: db.email,
      emailConfirmed: db.emailConfirmed,
      mobile: db.mobile,
      mobileConfirmed: db.mobileConfirmed,
    };
    if (row.email !== null && row.email !== db.email) {
      next.email = row.email;
      next.emailConfirmed = row.emailConfirmed ?? false;
    } else if (row.email !== null && row.emailConfirmed !== null) {
      next.emailConfirmed = row.emailConfirmed;
    }
    if (row.mobile !== null && row.mobile !== db.mobile) {
      next.mobile = row.mobile;
      next.mobileConfirmed = row.mobileConfirmed ?? false;
    } else if (row.mobile !== null && row.mobileConfirmed !== null) {
      next.mobileConfirmed = row.mobileConfirmed;
    }
    const same =
      next.lastName === db.lastName &&
      next.firstName === db.firstName &&
      next.email === db.email &&
      next.emailConfirmed === db.emailConfirmed &&
      next.mobile === db.mobile &&
      next.mobileConfirmed === db.mobileConfirmed;
    return same ? null : next;
  }

  private async write(): Promise<void> {
    const { tx, now } = this;
    if (this.newSchools.size) {
      const s = [...this.newSchools];
      await tx.$executeRaw`
        INSERT INTO "School" (uai, name, academy, degree, "createdAt", "updatedAt")
        SELECT u.uai, u.name, u.academy, u.degree::"Degree", ${now}::timestamp, ${now}::timestamp
        FROM unnest(${s.map(([k]) => k)}::text[], ${s.map(([, v]) => v.name)}::text[], ${s.map(([, v]) => v.academy)}::text[], ${s.map(([, v]) => v.degree)}::text[]) AS u(uai, name, academy, degree)`;
    }
    if (this.updSchools.size) {
      const s = [...this.updSchools];
      await tx.$executeRaw`
        UPDATE "School" t SET name = u.name, academy = u.academy, degree = u.degree::"Degree", "updatedAt" = ${now}::timestamp
        FROM unnest(${s.map(([k]) => k)}::text[], ${s.map(([, v]) => v.name)}::text[], ${s.map(([, v]) => v.academy)}::text[], ${s.map(([, v]) => v.degree)}::text[]) AS u(uai, name, academy, degree)
        WHERE t.uai = u.uai`;
    }
    if (this.newClasses.size) {
      const c = [...this.newClasses.values()];
      const inserted = await tx.$queryRaw<{ id: number; schoolUai: string; name: string; level: string }[]>`
        INSERT INTO "SchoolClass" ("schoolUai", name, level)
        SELECT * FROM unnest(${c.map((x) => x.uai)}::text[], ${c.map((x) => x.name)}::text[], ${c.map((x) => x.level)}::text[])
        RETURNING id, "schoolUai", name, level`;
      for (const x of inserted) this.classes.set(classKey(x.schoolUai, x.name), { id: x.id, level: x.level });
    }
    if (this.updClasses.size) {
      const c = [...this.updClasses];
      await tx.$executeRaw`
        UPDATE "SchoolClass" t SET level = u.level FROM unnest(${c.map(([k]) => k)}::int[], ${c.map(([, v]) => v)}::text[]) AS u(id, level) WHERE t.id = u.id`;
    }
    const classId = (key: string): number => {
      const c = this.classes.get(key);
      if (!c) throw new Error(`class not written: ${key}`);
      return c.id;
    };
    if (this.newPupils.size) {
      const p = [...this.newPupils];
      const inserted = await tx.$queryRaw<DbPupil[]>`
        INSERT INTO "Pupil" (ine, "lastName", "firstName", "searchName", "birthDate", "schoolUai", "classId", "createdAt", "updatedAt")
        SELECT u.ine, u.last, u.first, u.search, u.birth, u.uai, u.class, ${now}::timestamp, ${now}::timestamp
        FROM unnest(${p.map(([k]) => k)}::text[], ${p.map(([, v]) => v.lastName)}::text[], ${p.map(([, v]) => v.firstName)}::text[],
          ${p.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${p.map(([, v]) => v.birthDate)}::date[], ${p.map(([, v]) => v.uai)}::text[],
          ${p.map(([, v]) => classId(v.classKey))}::int[]) AS u(ine, last, first, search, birth, uai, class)
        RETURNING id, ine, "lastName", "firstName", "birthDate"::text AS "birthDate", "schoolUai", "classId"`;
      for (const x of inserted) this.pupils.set(x.ine, x);
    }
    if (this.updPupils.size) {
      const p = [...this.updPupils];
      await tx.$executeRaw`
        UPDATE "Pupil" t SET "lastName" = u.last, "firstName" = u.first, "searchName" = u.search, "birthDate" = u.birth, "schoolUai" = u.uai,
          "classId" = u.class, "updatedAt" = ${now}::timestamp
        FROM unnest(${p.map(([k]) => k)}::int[], ${p.map(([, v]) => v.lastName)}::text[], ${p.map(([, v]) => v.firstName)}::text[],
          ${p.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${p.map(([, v]) => v.birthDate)}::date[], ${p.map(([, v]) => v.uai)}::text[],
          ${p.map(([, v]) => classId(v.classKey))}::int[]) AS u(id, last, first, search, birth, uai, class)
        WHERE t.id = u.id`;
    }
    const newGuardianIds = this.newGuardians.size ? await this.insertGuardians([...this.newGuardians.values()]) : new Map<string, number>();
    if (this.updGuardians.size) {
      const g = [...this.updGuardians];
      await tx.$executeRaw`
        UPDATE "Guardian" t SET "lastName" = u.last, "firstName" = u.first, "searchName" = u.search, email = u.email, "emailConfirmed" = u.ec,
          mobile = u.mobile, "mobileConfirmed" = u.mc, "updatedAt" = ${now}::timestamp
        FROM unnest(${g.map(([k]) => k)}::int[], ${g.map(([, v]) => v.lastName)}::text[], ${g.map(([, v]) => v.firstName)}::text[],
          ${g.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${g.map(([, v]) => v.email)}::text[], ${g.map(([, v]) => v.emailConfirmed)}::boolean[],
          ${g.map(([, v]) => v.mobile)}::text[], ${g.map(([, v]) => v.mobileConfirmed)}::boolean[]) AS u(id, last, first, search, email, ec, mobile, mc)
        WHERE t.id = u.id`;
    }
    const guardianId = (k: GuardianKey): number => {
      const id = 'id' in k ? k.id : newGuardianIds.get(k.ref);
      if (id === undefined) throw new Error('guardian not written');
      return id;
    };
    const pupilId = (ine: string): number => {
      const p = this.pupils.get(ine);
      if (!p) throw new Error(`pupil not written: ${ine}`);
      return p.id;
    };
    if (this.newLinks.length) {
      const l = this.newLinks;
      await tx.$executeRaw`
        INSERT INTO "PupilGuardian" ("pupilId", "guardianId", kind, "createdAt")
        SELECT u.p, u.g, u.kind::"LinkKind", ${now}::timestamp
        FROM unnest(${l.map((x) => pupilId(x.ine))}::int[], ${l.map((x) => guardianId(x.guardian))}::int[], ${l.map((x) => x.kind)}::text[]) AS u(p, g, kind)`;
    }
    if (this.updLinks.length) {
      const l = this.updLinks;
      await tx.$executeRaw`
        UPDATE "PupilGuardian" t SET kind = u.kind::"LinkKind"
        FROM unnest(${l.map((x) => x.pupilId)}::int[], ${l.map((x) => x.guardianId)}::int[], ${l.map((x) => x.kind)}::text[]) AS u(p, g, kind)
        WHERE t."pupilId" = u.p AND t."guardianId" = u.g`;
    }
    this.newGuardianIds = newGuardianIds;
  }

  /** Creates accounts with unique identifiers (the unique index decides; taken ones are retried). */
  private async insertGuardians(list: NewGuardian[]): Promise<Map<string, number>> {
    const { tx, now } = this;
    const ids = new Map<string, number>();
    const reserved = new Set(list.flatMap((g) => (g.identifier ? [g.identifier] : [])));
    let pending = list;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 10) throw new Error('could not allocate unique identifiers');
      const generated = await allocateIdentifiers(
        tx,
        pending.filter((g) => !g.identifier).map((g) => identifierBase(g.firstName, g.lastName)),
        reserved,
        this.run.identifierCursors,
      );
      let n = 0;
      const identifiers = pending.map((g) => g.identifier ?? (generated[n++] as string));
      const distributed = pending.map((g) => g.state !== 'NOT_NOTIFIED' && g.origin === 'SCHOOL');
      const inserted = await tx.$queryRaw<{ id: number; identifier: string }[]>`
        INSERT INTO "Guardian" (identifier, "lastName", "firstName", "searchName", email, "emailConfirmed", mobile, "mobileConfirmed", state, origin,
          "distributedAt", "activatedAt", "createdAt", "updatedAt")
        SELECT u.identifier, u.last, u.first, u.search, u.email, u.ec, u.mobile, u.mc, u.state::"AccountState", u.origin::"AccountOrigin",
          CASE WHEN u.distributed THEN ${now}::timestamp END, CASE WHEN u.state = 'ACTIVATED' THEN ${now}::timestamp END, ${now}::timestamp, ${now}::timestamp
        FROM unnest(${identifiers}::text[], ${pending.map((g) => g.lastName)}::text[], ${pending.map((g) => g.firstName)}::text[],
          ${pending.map((g) => searchKey(g.lastName, g.firstName))}::text[], ${pending.map((g) => g.email)}::text[], ${pending.map((g) => g.emailConfirmed)}::boolean[],
          ${pending.map((g) => g.mobile)}::text[], ${pending.map((g) => g.mobileConfirmed)}::boolean[], ${pending.map((g) => g.state)}::text[],
          ${pending.map((g) => g.origin)}::text[], ${distributed}::boolean[])
          AS u(identifier, last, first, search, email, ec, mobile, mc, state, origin, distributed)
        ON CONFLICT (identifier) DO NOTHING
        RETURNING id, identifier`;
      const byIdentifier = new Map(inserted.map((r) => [r.identifier, r.id]));
      const retry: NewGuardian[] = [];
      pending.forEach((g, i) => {
        const identifier = identifiers[i] as string;
        const id = byIdentifier.get(identifier);
        if (id !== undefined) ids.set(g.ref, id);
        else if (g.identifier) throw new Error(`identifier ${identifier} was taken meanwhile`);
        else {
          reserved.add(identifier);
          retry.push(g);
        }
      });
      pending = retry;
    }
    const refs = [...ids];
    await tx.$executeRaw`INSERT INTO "GuardianRef" (ref, "guardianId") SELECT * FROM unnest(${refs.map(([r]) => r)}::text[], ${refs.map(([, id]) => id)}::int[])`;
    const withCredential = list.filter((g) => g.state !== 'NOT_NOTIFIED');
    if (withCredential.length) {
      const creds = await Promise.all(withCredential.map((g) => this.credentials(g.state)));
      await tx.$executeRaw`
        INSERT INTO "Credential" ("guardianId", "tempPasswordEnc", "passwordHash", "isTemporary", "passwordChangedAt", "updatedAt")
        SELECT u.id, u.temp, u.hash, u.temp IS NOT NULL, CASE WHEN u.temp IS NULL THEN ${now}::timestamp END, ${now}::timestamp
        FROM unnest(${withCredential.map((g) => ids.get(g.ref) as number)}::int[], ${creds.map((c) => c.tempPasswordEnc)}::text[], ${creds.map((c) => c.passwordHash)}::text[]) AS u(id, temp, hash)`;
    }
    return ids;
  }

  private outcome(): BatchOutcome {
    const run = this.run;
    return {
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      rejected: this.rejected,
      changedBirthDates: [...this.changedBirthDates],
      changedMobiles: [...this.changedMobiles],
      // Applied to the run's state only once the transaction committed.
      commit: () => {
        for (const [k, v] of this.schoolsSeen) run.schools.set(k, v);
        for (const [k, v] of this.classesSeen) run.classes.set(k, v);
        for (const u of this.extracted) run.extracted.add(u);
        const pupils = new Map<number, number>();
        for (const [ine, h] of this.pupilsSeen) pupils.set(this.pupils.get(ine)?.id as number, h);
        run.pupils.setAll(pupils);
        const guardians = new Map(this.guardiansSeenById);
        for (const [ref, h] of this.newGuardianSeen) guardians.set(this.newGuardianIds.get(ref) as number, h * REF_BITS + (hash30(ref) % REF_BITS));
        run.guardians.setAll(guardians);
        const links = new Map<number, number>();
        for (const [k, kind] of this.linksSeen) {
          const [ine, g] = k.split('\t') as [string, string];
          const gid = g.startsWith('g') ? Number(g.slice(1)) : (this.newGuardianIds.get(g.slice(1)) as number);
          links.set(linkKey(this.pupils.get(ine)?.id as number, gid), kind);
        }
        for (const m of this.mentioned) {
          const p = this.pupils.get(m.ine);
          const g = this.guardians.get(m.ref);
          if (p && g && this.links.has(linkKey(p.id, g.id))) {
            const key = linkKey(p.id, g.id);
            if (!links.has(key) && run.links.get(key) === undefined) links.set(key, MENTIONED);
          }
        }
        run.links.setAll(links);
      },
    };
  }
}

/**
 * Free identifiers for the given bases, in order (`c.dupont`, `c.dupont1`, `c.dupont2`…),
 * skipping the taken and the reserved ones. `cursors` remembers, per base, where the previous
 * batches of the run stopped, so that common names do not rescan their taken suffixes; the
 * database is still asked about every candidate (one query per round of growing windows).
 */
async function allocateIdentifiers(tx: Tx, bases: string[], reserved: Set<string>, cursors: Map<string, number>): Promise<string[]> {
  const need = new Map<string, number>();
  for (const b of bases) need.set(b, (need.get(b) ?? 0) + 1);
  const free = new Map<string, string[]>();
  const name = (base: string, n: number): string => (n === 0 ? base : `${base}${n}`);
  for (let window = 8; need.size; window *= 4) {
    const candidates: string[] = [];
    for (const [base, count] of need) {
      const from = cursors.get(base) ?? 0;
      for (let n = from; n < from + window + count; n++) candidates.push(name(base, n));
    }
    const taken = new Set(
      (await tx.$queryRaw<{ identifier: string }[]>`SELECT identifier FROM "Guardian" WHERE identifier = ANY(${candidates}::text[])`).map((r) => r.identifier),
    );
    for (const [base, count] of [...need]) {
      const list = free.get(base) ?? [];
      const from = cursors.get(base) ?? 0;
      let n = from;
      for (; n < from + window + count && list.length < count; n++) {
        const id = name(base, n);
        if (!taken.has(id) && !reserved.has(id)) list.push(id);
      }
      free.set(base, list);
      cursors.set(base, n);
      if (list.length >= count) need.delete(base);
    }
  }
  const used = new Map<string, number>();
  return bases.map((b) => {
    const i = used.get(b) ?? 0;
    used.set(b, i + 1);
    return (free.get(b) as string[])[i] as string;
  });
}

/** Imports a register extract (a path or a stream). Throws ImportFileError, changing nothing, when the file cannot be read. */
export async function importExtract(ctx: ServiceContext, source: string | Readable, options: ExtractOptions = {}): Promise<ExtractReport> {
  return withFile(source, async (file) => {
    const check = await checkCsvFile(file, EXTRACT_REQUIRED_COLUMNS);
    const started = Date.now();
    const actor: Actor = options.actor ?? { kind: 'system', job: 'import' };
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const report: ExtractReport = {
      rows: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      removed: 0,
      rejected: 0,
      rejections: [],
      schools: [],
      changedBirthDates: [],
      changedMobiles: [],
      casesResolved: 0,
    };
    const run: RunState = {
      schools: new Map(),
      classes: new Map(),
      pupils: new CompactNumberMap(),
      guardians: new CompactNumberMap(),
      links: new CompactNumberMap(),
      extracted: new Set(),
      identifierCursors: new Map(),
    };
    let unknownSecretHash: Promise<string> | undefined;
    const credentials = async (state: AccountState): Promise<{ tempPasswordEnc: string | null; passwordHash: string | null }> => {
      if (state === 'NOTIFIED') return { tempPasswordEnc: encryptSecret(generateTemporaryPassword(), ctx.settings.secretKey), passwordHash: null };
      // A personal password nobody knows (the parent uses "mot de passe perdu"), hashed once per import.
      unknownSecretHash ??= hashPassword(options.knownPassword ?? randomBytes(32).toString('base64url'));
      return { tempPasswordEnc: null, passwordHash: await unknownSecretHash };
    };
    const reject = (r: RowRejection): void => {
      report.rejected++;
      if (report.rejections.length < MAX_KEPT_REJECTIONS) report.rejections.push({ line: r.line, reason: r.reason });
      options.onRejection?.({ line: r.line, reason: r.reason });
    };

    const runBatch = async (rows: ExtractRow[], rejected: Rejected[]): Promise<BatchOutcome> =>
      ctx.db.$transaction((tx) => new Batch(tx, run, ctx.now().toISOString(), credentials).apply(rows, rejected), { timeout: 120_000, maxWait: 60_000 });

    const applyBatch = async (csvRows: CsvRow[]): Promise<void> => {
      const today = ctx.now();
      const valid: ExtractRow[] = [];
      const invalid: Rejected[] = [];
      for (const r of csvRows) {
        const v = validate(r, check.header.length, today);
        if (v.ok) valid.push(v.row);
        else invalid.push(v.rejected);
      }
      const rejections: Rejected[] = [...invalid];
      const outcomes: BatchOutcome[] = [];
      try {
        outcomes.push(await runBatch(valid, invalid));
      } catch (err) {
        // Unexpected database refusal: apply the rows one by one so that only the guilty row is rejected.
        ctx.log.warn({ err }, 'import batch failed, retrying row by row');
        outcomes.push(await runBatch([], invalid));
        for (const row of valid) {
          try {
            const single = await runBatch([row], []);
            single.commit();
            outcomes.push(single);
          } catch (rowErr) {
            ctx.log.error({ err: rowErr, line: row.line }, 'import row refused by the database');
            rejections.push({ line: row.line, reason: `refusée par la base de données : ${(rowErr as Error).message.split('\n')[0]}` });
          }
        }
      }
      (outcomes[0] as BatchOutcome).commit();
      for (const o of outcomes) {
        report.created += o.created;
        report.updated += o.updated;
        report.unchanged += o.unchanged;
        report.changedBirthDates.push(...o.changedBirthDates);
        report.changedMobiles.push(...o.changedMobiles);
        rejections.push(...o.rejected);
      }
      rejections.sort((a, b) => a.line - b.line).forEach(reject);
      report.rows += csvRows.length;
    };
    const progress = (): void => {
      options.onProgress?.({
        rowsRead: report.rows,
        rowsTotal: check.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
      });
    };

    // Progress is reported once the batch is released: only the run's compact state remains.
    let pending: CsvRow[] = [];
    for await (const row of readCsvRows(file)) {
      pending.push(row);
      if (pending.length >= batchSize) {
        const batch = pending;
        pending = [];
        await applyBatch(batch);
        progress();
      }
    }
    if (pending.length) {
      await applyBatch(pending);
      pending = [];
      progress();
    }

    report.schools = [...run.extracted].sort();
    report.changedBirthDates = [...new Set(report.changedBirthDates)];
    report.changedMobiles = [...new Set(report.changedMobiles)];
    const kept = { pupils: [] as number[], guardians: [] as number[] };
    run.links.forEach((key) => {
      kept.pupils.push(Math.floor(key / LINK_GUARDIAN_BITS));
      kept.guardians.push(key % LINK_GUARDIAN_BITS);
    });
    report.removed = await ctx.db.$transaction(
      async (tx) => {
        const removed = report.schools.length
          ? await tx.$executeRaw`
              DELETE FROM "PupilGuardian" l USING "Pupil" p
              WHERE l."pupilId" = p.id AND p."schoolUai" = ANY(${report.schools}::text[])
                AND NOT EXISTS (
                  SELECT 1 FROM unnest(${kept.pupils}::int[], ${kept.guardians}::int[]) AS k(p, g) WHERE k.p = l."pupilId" AND k.g = l."guardianId")`
          : 0;
        await audit(tx, {
          actor,
          action: 'import.extract',
          outcome: report.rejected ? 'partial' : 'success',
          at: ctx.now(),
          details: {
            rows: report.rows,
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            removed,
            rejected: report.rejected,
            schools: report.schools,
            changedBirthDates: report.changedBirthDates.length,
            changedMobiles: report.changedMobiles.length,
          },
        });
        return removed;
      },
      { timeout: 120_000, maxWait: 60_000 },
    );
    const afterImport = options.afterImport ?? resolveCasesAfterImport;
    report.casesResolved = await afterImport(ctx, { pupilIds: report.changedBirthDates, guardianIds: report.changedMobiles });
    ctx.log.info(
      { rows: report.rows, created: report.created, updated: report.updated, unchanged: report.unchanged, removed: report.removed, rejected: report.rejected, ms: Date.now() - started },
      'register extract imported',
    );
    return report;
  });
}
