// Generates the demo data set (prisma/demo/extract.csv and staff.csv) deterministically:
// `node scripts/make-demo.mjs`. The special situations documented in prisma/demo/README.md come
// first in the file (so their identifiers are the plain ones), then ~150 seeded random families.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../prisma/demo');

/** mulberry32: a small deterministic PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(2026);
const pick = (list) => list[Math.floor(rnd() * list.length)];
const chance = (p) => rnd() < p;
const digits = (n) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const ascii = (s) =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');

const SCHOOLS = {
  '0311478N': { name: 'École Sainte-Famille', academy: 'Toulouse', degree: 1, levels: ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'], area: 'TLS' },
  '0312093K': { name: 'Collège Jean-Jaurès', academy: 'Toulouse', degree: 2, levels: ['6E', '5E', '4E', '3E'], area: 'TLS' },
  '9740021R': { name: 'École primaire Les Camélias', academy: 'La Réunion', degree: 1, levels: ['GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2'], area: 'REU' },
  '9741087A': { name: 'Lycée Bois-de-Nèfles', academy: 'La Réunion', degree: 2, levels: ['2NDE', '1ERE', 'TLE'], area: 'REU' },
};
const BIRTH_YEAR = {
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
const CLASS_NAME = {
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

const LAST = {
  TLS: [
    'MARTIN',
    'BERNARD',
    'DUBOIS',
    'LEFÈVRE',
    'MOREAU',
    'GARCIA',
    'ROUX',
    'FOURNIER',
    'GIRARD',
    'BONNET',
    'LAMBERT',
    'FAURE',
    'MERCIER',
    'GUÉRIN',
    'CHEVALIER',
    'FRANÇOIS',
    'CLÉMENT',
    'MÉNARD',
    'BARRÈRE',
    'ESTÈVE',
    'CAZALS',
    'DELPECH',
    'SAINT-MARTIN',
    "N'DIAYE",
    'BENAÏSSA',
  ],
  REU: [
    'PAYET',
    'HOARAU',
    'GRONDIN',
    'FONTAINE',
    'RIVIÈRE',
    'BOYER',
    'TECHER',
    'LEBON',
    'NATIVEL',
    'DIJOUX',
    'MAILLOT',
    'HOAREAU',
    'ÉTHÈVE',
    'VIRAMA',
    'LAURET',
    'SAUTRON',
    'MUSSARD',
    'K/BIDI',
  ],
};
const FIRST_ADULT = [
  'Céline',
  'Hélène',
  'Stéphanie',
  'Valérie',
  'Sandrine',
  'Nathalie',
  'Gaëlle',
  'Agnès',
  'Anaïs',
  'Émilie',
  'Jérôme',
  'François',
  'Benoît',
  'Cédric',
  'Sébastien',
  'Frédéric',
  'Jérémy',
  'Loïc',
  'Grégory',
  'Raphaël',
  'Marie-Noëlle',
  'Jean-Hugues',
  'Aurélie',
  'Mickaël',
];
const FIRST_CHILD = [
  'Léa',
  'Chloé',
  'Zoé',
  'Maëlys',
  'Inès',
  'Éloïse',
  'Léna',
  'Noémie',
  'Anaïs',
  'Clémence',
  'Noé',
  'Mathéo',
  'Raphaël',
  'Loïs',
  'Gaël',
  'Théo',
  'Jérémie',
  'Bastien',
  'Timéo',
  'Aurélien',
  'Elyès',
  'Maël',
];

const HEADER = [
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
  'guardian_email',
  'guardian_mobile',
  'link',
  'account_identifier',
  'account_state',
  'account_origin',
  'email_confirmed',
  'mobile_confirmed',
];
const rows = [];
let ineCounter = 0;
let refCounter = 0;

function pupil(uai, lastName, firstName, level, birthDate) {
  ineCounter++;
  const year = BIRTH_YEAR[level];
  return {
    uai,
    ine: `${String(180000000 + ineCounter * 37)}${SCHOOLS[uai].degree === 1 ? 'EC' : 'SD'}`,
    lastName,
    firstName,
    level,
    birthDate: birthDate ?? `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
  };
}

function mobileFor(area) {
  // Numbers typed as schools do, in ranges that are real mobile ranges (Réunion: 0692).
  const two = () => 10 + Math.floor(rnd() * 29); // 0639 is Mayotte
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

function add(p, g, link = 'legal') {
  const s = SCHOOLS[p.uai];
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

const g = (ref, lastName, firstName, state, origin, contacts = {}) => ({ ref, lastName, firstName, state, origin, ...contacts });

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

const hoarau = g('G-200003', 'HOARAU', 'Nathalie', 'activated', 'franceconnect', { identifier: 'n.hoarau7', mobile: '+262 692 12 34 56', mobileConfirmed: 1 });
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
const STATES = [
  [0.28, 'not_notified', 'unset'],
  [0.22, 'notified', 'school'],
  [0.12, 'activating', 'school'],
  [0.22, 'activated', 'school'],
  [0.08, 'activated', 'self'],
  [0.08, 'activated', 'franceconnect'],
];
function account(area, lastName) {
  refCounter++;
  let x = rnd();
  let [, state, origin] = STATES[STATES.length - 1];
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

const uais = Object.keys(SCHOOLS);
for (let f = 0; f < 165; f++) {
  const uai = uais[f % uais.length];
  const s = SCHOOLS[uai];
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

const csv = (table) => table.map((r) => r.join(';')).join('\n') + '\n';
writeFileSync(path.join(out, 'extract.csv'), csv([HEADER, ...rows]));

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
writeFileSync(path.join(out, 'staff.csv'), csv(STAFF));
const accounts = new Set(rows.map((r) => r[10]));
process.stdout.write(`extract.csv: ${rows.length} rows, ${accounts.size} guardian refs, ${ineCounter} pupils; staff.csv: ${STAFF.length - 1} people\n`);
