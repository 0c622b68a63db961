// Generates the demo data set (prisma/demo/extract.csv and staff.csv) deterministically:
// `npx tsx scripts/make-demo.ts` (test/scripts/make-demo.test.ts checks that the committed files
// are what it writes). The special situations documented in prisma/demo/README.md come first in
// the file (so their identifiers are the plain ones), then ~150 seeded random families.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXTRACT_REQUIRED_COLUMNS } from '../services/import/extract-rows.js';
import { foldName } from '../services/text.js';
import { prng } from '../test/helpers/prng.js';
import { FIRST_ADULT, FIRST_CHILD, LAST, type Area } from './demo-names.js';

type Level = 'PS' | 'MS' | 'GS' | 'CP' | 'CE1' | 'CE2' | 'CM1' | 'CM2' | '6E' | '5E' | '4E' | '3E' | '2NDE' | '1ERE' | 'TLE';
interface School {
  name: string;
  academy: string;
  degree: 1 | 2;
  levels: Level[];
  area: Area;
}
interface Pupil {
  uai: string;
  ine: string;
  lastName: string;
  firstName: string;
  level: Level;
  birthDate: string;
}
interface Contacts {
  email?: string;
  emailConfirmed?: 0 | 1;
  mobile?: string;
  mobileConfirmed?: 0 | 1;
  identifier?: string;
}
interface Guardian extends Contacts {
  ref: string;
  lastName: string;
  firstName: string;
  state: string;
  origin: string;
}
type Row = (string | number)[];

/** The generator of the current run (extractRows starts it from its seed). */
let rnd: () => number;
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const chance = (p: number): boolean => rnd() < p;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
/** A name as the local part of a demo email: folded, letters only ("Marie-Noëlle" -> "marienoelle"). */
const ascii = (s: string): string => foldName(s).replace(/[^a-z]+/g, '');

const SCHOOLS: Record<string, School> = {
  '0311478N': { name: 'École Sainte-Famille', academy: 'Toulouse', degree: 1, levels: ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'], area: 'TLS' },
  '0312093K': { name: 'Collège Jean-Jaurès', academy: 'Toulouse', degree: 2, levels: ['6E', '5E', '4E', '3E'], area: 'TLS' },
  '9740021R': { name: 'École primaire Les Camélias', academy: 'La Réunion', degree: 1, levels: ['GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'], area: 'REU' },
  '9741087A': { name: 'Lycée Bois-de-Nèfles', academy: 'La Réunion', degree: 2, levels: ['2NDE', '1ERE', 'TLE'], area: 'REU' },
};
const BIRTH_YEAR: Record<Level, number> = {
  PS: 2023,
  MS: 2022,
  GS: 2021,
  CP: 2020,
  CE1: 2019,
  CE2: 2018,
  CM1: 2017,
  CM2: 2016,
  '6E': 2015,
  '5E': 2014,
  '4E': 2013,
  '3E': 2012,
  '2NDE': 2011,
  '1ERE': 2010,
  TLE: 2009,
};
const CLASS_NAME: Record<Level, string> = {
  PS: 'PS Les Lutins',
  MS: 'MS Les Lutins',
  GS: 'GS Les Explorateurs',
  CP: 'CP A',
  CE1: 'CE1 A',
  CE2: 'CE2 A',
  CM1: 'CM1 A',
  CM2: 'CM2 B',
  '6E': '6e 2',
  '5E': '5e 1',
  '4E': '4e 3',
  '3E': '3e 1',
  '2NDE': '2nde 4',
  '1ERE': '1re G2',
  TLE: 'Tle G1',
};

const HEADER = [
  ...EXTRACT_REQUIRED_COLUMNS,
  'guardian_email',
  'guardian_mobile',
  'link',
  'account_identifier',
  'account_state',
  'account_origin',
  'email_confirmed',
  'mobile_confirmed',
];

// The rows and counters of the current run, set afresh by extractRows.
let rows: Row[];
let ineCounter: number;
let refCounter: number;

function pupil(uai: string, lastName: string, firstName: string, level: Level, birthDate?: string): Pupil {
  ineCounter++;
  const year = BIRTH_YEAR[level];
  return {
    uai,
    ine: `${String(180000000 + ineCounter * 37)}${SCHOOLS[uai]?.degree === 1 ? 'EC' : 'SD'}`,
    lastName,
    firstName,
    level,
    birthDate: birthDate ?? `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
  };
}

function mobileFor(area: Area): string {
  // Numbers typed as schools do, in ranges that are real mobile ranges (Réunion: 0692).
  const two = (): number => 10 + Math.floor(rnd() * 29); // 0639 is Mayotte
  if (area === 'REU')
    return pick([
      `0692 ${digits(2)} ${digits(2)} ${digits(2)}`,
      `+262 692 ${digits(2)} ${digits(2)} ${digits(2)}`,
      `06 92 ${digits(2)} ${digits(2)} ${digits(2)}`,
    ]);
  return pick([
    `06 ${two()} ${digits(2)} ${digits(2)} ${digits(2)}`,
    `07 ${50 + Math.floor(rnd() * 40)} ${digits(2)} ${digits(2)} ${digits(2)}`,
    `+33 6 ${two()} ${digits(2)} ${digits(2)} ${digits(2)}`,
  ]);
}

function add(p: Pupil, g: Guardian, link = 'legal'): void {
  const s = SCHOOLS[p.uai] as School;
  rows.push([
    p.uai,
    s.name,
    s.academy,
    s.degree,
    p.ine,
    p.lastName,
    p.firstName,
    p.birthDate,
    p.level,
    CLASS_NAME[p.level],
    g.ref,
    g.lastName,
    g.firstName,
    g.email ?? '',
    g.mobile ?? '',
    link,
    g.identifier ?? '',
    g.state,
    g.origin,
    g.emailConfirmed ?? '',
    g.mobileConfirmed ?? '',
  ]);
}

const g = (ref: string, lastName: string, firstName: string, state: string, origin: string, contacts: Contacts = {}): Guardian => ({
  ref,
  lastName,
  firstName,
  state,
  origin,
  ...contacts,
});

// The random families' accounts: states and origins by share.
const STATES: [number, string, string][] = [
  [0.28, 'not_notified', 'unset'],
  [0.22, 'notified', 'school'],
  [0.12, 'activating', 'school'],
  [0.22, 'activated', 'school'],
  [0.08, 'activated', 'self'],
  [0.08, 'activated', 'franceconnect'],
];
function account(area: Area, lastName: string): Guardian {
  refCounter++;
  let x = rnd();
  let [, state, origin] = STATES[STATES.length - 1] as [number, string, string];
  for (const [p, s, o] of STATES) {
    if (x < p) {
      [state, origin] = [s, o];
      break;
    }
    x -= p;
  }
  const firstName = pick(FIRST_ADULT);
  const viaSms = origin === 'self' || origin === 'franceconnect';
  const email = state === 'activating' || chance(0.7) ? `${ascii(firstName)}.${ascii(lastName)}${refCounter}@example.fr` : undefined;
  const mobile = viaSms || chance(0.75) ? mobileFor(area) : undefined;
  return g(`G-${String(300000 + refCounter)}`, lastName, firstName, state, origin, {
    email,
    emailConfirmed: email ? (state === 'activated' && origin === 'school' ? (chance(0.85) ? 1 : 0) : 0) : undefined,
    mobile,
    mobileConfirmed: mobile ? (viaSms ? 1 : state === 'activated' && chance(0.4) ? 1 : 0) : undefined,
  });
}

/** The extract's rows, the same on every call. */
function extractRows(): Row[] {
  rnd = prng(2026);
  rows = [];
  ineCounter = 0;
  refCounter = 0;
  // --- Special situations (prisma/demo/README.md) ---
  const rousseau = g('G-100001', 'ROUSSEAU', 'Amandine', 'activated', 'school', {
    email: 'amandine.rousseau@example.fr',
    emailConfirmed: 1,
    mobile: '06 71 42 18 90',
    mobileConfirmed: 1,
  });
  add(pupil('0311478N', 'ROUSSEAU', 'Jules', 'CM2', '2016-06-21'), rousseau);
  add(pupil('0312093K', 'ROUSSEAU', 'Inès', '5E', '2014-02-09'), rousseau);

  const dupontEcole = g('G-200001', 'DUPONT', 'Céline', 'activated', 'school', {
    email: 'celine.dupont@example.fr',
    emailConfirmed: 1,
    mobile: '0692 40 11 22',
    mobileConfirmed: 0,
  });
  const dupontLycee = g('G-200002', 'Dupont', 'Céline', 'notified', 'school', { mobile: '0692 40 11 22' });
  add(pupil('9740021R', 'DUPONT', 'Lola', 'CE1', '2019-05-12'), dupontEcole);
  add(pupil('9741087A', 'DUPONT', 'Hugo', '1ERE', '2010-10-03'), dupontLycee);

  const hoarau = g('G-200003', 'HOARAU', 'Nathalie', 'activated', 'franceconnect', {
    identifier: 'n.hoarau7',
    mobile: '+262 692 12 34 56',
    mobileConfirmed: 1,
  });
  add(pupil('9740021R', 'HOARAU', 'Timéo', 'CM1', '2017-08-30'), hoarau);
  const lambert = g('G-200004', 'LAMBERT', 'Fabrice', 'activated', 'self', { mobile: '+590 690 12 34 56', mobileConfirmed: 1 });
  const lambertChild = pupil('9741087A', 'LAMBERT', 'Maëlys', 'TLE', '2009-01-17');
  add(lambertChild, lambert);
  const payet = g('G-200005', 'PAYET', 'Gérard', 'not_notified', 'unset');
  add(pupil('9740021R', 'PAYET', 'Noé', 'CP', '2020-04-04'), payet);
  const martin = g('G-100002', 'MARTIN', 'Sophie', 'notified', 'school', { email: 'sophie.martin@example.fr', emailConfirmed: 0 });
  add(pupil('0311478N', 'MARTIN', 'Léa', 'CE2', '2018-11-15'), martin);
  const girard = g('G-100003', 'GIRARD', 'Hélène', 'activating', 'school', { email: 'helene.girard@example.fr', emailConfirmed: 0, mobile: '07 68 22 31 40' });
  add(pupil('0312093K', 'GIRARD', 'Théo', '4E', '2013-03-22'), girard);
  const grondinChild = pupil('9741087A', 'GRONDIN', 'Elyès', '2NDE', '2011-07-07');
  add(grondinChild, g('G-200006', 'GRONDIN', 'Jean-Hugues', 'activated', 'school', { email: 'jh.grondin@example.fr', emailConfirmed: 1 }));
  add(grondinChild, g('G-200007', 'GRONDIN', 'Marie-Noëlle', 'not_notified', 'unset', { mobile: '0692 55 66 77' }), 'in_charge');
  const faure = g('G-100004', 'FAURE', 'Benoît', 'activated', 'school', { mobile: '06 12 98 76 54', mobileConfirmed: 1 });
  add(pupil('0311478N', 'FAURE', 'Zoé', 'GS', '2021-09-01'), faure);

  // --- Random families ---
  const uais = Object.keys(SCHOOLS);
  for (let f = 0; f < 165; f++) {
    const uai = uais[f % uais.length] as string;
    const s = SCHOOLS[uai] as School;
    const lastName = pick(LAST[s.area]);
    const guardians = [account(s.area, lastName)];
    if (chance(0.72)) guardians.push(account(s.area, chance(0.7) ? lastName : pick(LAST[s.area])));
    const children = chance(0.25) ? 2 : 1;
    const levels = [...s.levels].sort(() => rnd() - 0.5).slice(0, children);
    for (const level of levels) {
      const child = pupil(uai, lastName, pick(FIRST_CHILD), level);
      guardians.forEach((guardian, i) => add(child, guardian, s.degree === 2 && i === 1 && chance(0.2) ? 'in_charge' : 'legal'));
    }
  }

  return rows;
}

const STAFF = [
  ['aad_object_id', 'upn', 'display_name', 'role', 'uai_list'],
  ['00000000-0000-0000-0000-00000000d001', 'direction.0311478n@ac-toulouse.example', 'Claire Vidal (directrice, École Sainte-Famille)', 'director', '0311478N'],
  [
    '00000000-0000-0000-0000-00000000d002',
    'direction.reunion@ac-reunion.example',
    'Patrick Hoareau (directeur, Les Camélias et Lycée Bois-de-Nèfles)',
    'director',
    '9740021R,9741087A',
  ],
  ['00000000-0000-0000-0000-00000000d003', 'ce.0312093k@ac-toulouse.example', 'Isabelle Roques (principale, Collège Jean-Jaurès)', 'director', '0312093K'],
  ['00000000-0000-0000-0000-00000000a001', 'agent1@assistance.example', "Karim Benali (agent d'assistance)", 'agent', ''],
  ['00000000-0000-0000-0000-00000000a002', 'agent2@assistance.example', "Julie Morel (agente d'assistance)", 'agent', ''],
  ['00000000-0000-0000-0000-0000000ad001', 'admin@assistance.example', 'Marc Lefort (administrateur)', 'admin', ''],
];

const csv = (table: Row[]): string => table.map((r) => r.join(';')).join('\n') + '\n';

/** Writes extract.csv and staff.csv into `dir`; returns a summary line. */
export function writeDemo(dir: string): string {
  const extract = extractRows();
  writeFileSync(path.join(dir, 'extract.csv'), csv([HEADER, ...extract]));
  writeFileSync(path.join(dir, 'staff.csv'), csv(STAFF));
  const refs = new Set(extract.map((r) => r[10]));
  return `extract.csv: ${extract.length} rows, ${refs.size} guardian refs, ${ineCounter} pupils; staff.csv: ${STAFF.length - 1} people`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.stdout.write(`${writeDemo(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../prisma/demo'))}\n`);
}
