// A director of school A is denied every read and write on school B, with guessed ids too,
// without learning whether the target exists; agents act anywhere; parents on nothing here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../services/actor.js';
import { resendActivation } from '../../../services/accounts/activation-resend.js';
import { consultAccount } from '../../../services/accounts/consult.js';
import { listAccounts } from '../../../services/accounts/list.js';
import { notify, previewNotify } from '../../../services/accounts/notify.js';
import { selectPopulation } from '../../../services/accounts/population.js';
import { resetPasswords } from '../../../services/accounts/reset.js';
import { createCase, getCase, listCases, setCaseState } from '../../../services/cases.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { findAccounts } from '../../../services/lookup.js';
import { computeAggregateStats, computeSchoolStats, getSchoolStats } from '../../../services/stats.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { agent, anonymous, createClass, createGuardian, createPupil, createSchool, director } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const A = '0311478N';
const B = '0312151V';
const UNKNOWN = '0999999Z';
const dirA = director(A);
let gA: number;
let gB: number;
let refB: string;
const GUESSED = 987654;

afterAll(() => db.$disconnect());

beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  await createSchool(db, A);
  await createSchool(db, B);
  const pA = await createPupil(db, { schoolUai: A, classId: await createClass(db, A, 'CP', 'CP'), lastName: 'ALPHA', firstName: 'Ana' });
  const pB = await createPupil(db, { schoolUai: B, classId: await createClass(db, B, 'CP', 'CP'), lastName: 'BRAVO', firstName: 'Bob' });
  gA = await createGuardian(db, {
    lastName: 'ALPHA',
    firstName: 'Marc',
    identifier: 'm.alpha',
    email: 'marc@example.org',
    state: 'ACTIVATING',
    pupilIds: [pA],
  });
  gB = await createGuardian(db, {
    lastName: 'BRAVO',
    firstName: 'Zoé',
    identifier: 'z.bravo',
    email: 'zoe@example.org',
    mobile: '+33612345678',
    state: 'ACTIVATING',
    personalPassword: 'Perso-passe-999',
    pupilIds: [pB],
  });
  refB = (await createCase(ctx, anonymous, { kind: 'BIRTH_DATE', schoolUai: B, pupilId: pB, contactEmail: 'zoe@example.org', summary: 'Date refusée' }))
    .reference;
});

type Attempt = [string, () => Promise<unknown>, 'forbidden' | 'not_found'];

describe('director of A on school B', () => {
  const attempts = (): Attempt[] => [
    ['select B', () => selectPopulation(ctx, dirA, B), 'forbidden'],
    ['select unknown school', () => selectPopulation(ctx, dirA, UNKNOWN), 'forbidden'],
    ['consult via B', () => consultAccount(ctx, dirA, gB, B), 'forbidden'],
    ['consult B account via A', () => consultAccount(ctx, dirA, gB, A), 'not_found'],
    ['consult guessed id via A', () => consultAccount(ctx, dirA, GUESSED, A), 'not_found'],
    ['consult malformed id via A', () => consultAccount(ctx, dirA, Number.NaN, A), 'not_found'],
    ['preview via B', () => previewNotify(ctx, dirA, B, [gB], { channel: 'sheet', reset: false }), 'forbidden'],
    ['notify via B', () => notify(ctx, dirA, B, [gB], { channel: 'email', reset: true }), 'forbidden'],
    ['notify B account via A', () => notify(ctx, dirA, A, [gB], { channel: 'sheet', reset: false }), 'not_found'],
    ['notify mixed batch via A', () => notify(ctx, dirA, A, [gA, gB], { channel: 'sheet', reset: false }), 'not_found'],
    ['notify guessed id', () => notify(ctx, dirA, A, [GUESSED], { channel: 'sheet', reset: false }), 'not_found'],
    ['reset via B', () => resetPasswords(ctx, dirA, B, [gB]), 'forbidden'],
    ['reset B account via A', () => resetPasswords(ctx, dirA, A, [gB]), 'not_found'],
    ['resend via B', () => resendActivation(ctx, dirA, B, gB, { correctedEmail: 'pirate@example.org' }), 'forbidden'],
    ['resend B account via A', () => resendActivation(ctx, dirA, A, gB, { correctedEmail: 'pirate@example.org' }), 'not_found'],
    ['list B', () => listAccounts(ctx, dirA, B), 'forbidden'],
    ['stats B', () => getSchoolStats(ctx, dirA, B), 'forbidden'],
    ['compute stats B', () => computeSchoolStats(ctx, dirA, B), 'forbidden'],
    ['academy stats', () => computeAggregateStats(ctx, dirA, 'ACADEMY', 'TOULOUSE'), 'forbidden'],
    ['national stats', () => computeAggregateStats(ctx, dirA, 'NATIONAL'), 'forbidden'],
    ['lookup by name in B', () => findAccounts(ctx, dirA, { by: 'name', name: 'bravo', uai: B }), 'forbidden'],
    ['cases of B', () => listCases(ctx, dirA, { uai: B }), 'forbidden'],
    ['case of B', () => getCase(ctx, dirA, refB), 'not_found'],
    ['guessed case', () => getCase(ctx, dirA, 'EDU-2026-999999'), 'not_found'],
    ['close case of B', () => setCaseState(ctx, dirA, refB, 'CLOSED', 'pirate'), 'not_found'],
    ['open case in B', () => createCase(ctx, dirA, { kind: 'OTHER', schoolUai: B, summary: 'x' }), 'forbidden'],
  ];

  it('is refused everything, with the same code for existing and guessed targets, and changes nothing in B', async () => {
    for (const [name, run, code] of attempts()) {
      await expect(run(), name).rejects.toMatchObject({ code });
    }
    // What the attempts aimed at is as it was (checked here, after them, whatever the order of the tests).
    const g = await db.guardian.findUniqueOrThrow({ where: { id: gB }, include: { credential: true } });
    expect(g).toMatchObject({ email: 'zoe@example.org', state: 'ACTIVATING', distributedAt: new Date('2026-09-01T08:00:00Z') });
    expect(g.credential?.passwordHash).toBeTruthy();
    expect(await db.outboxMessage.count({ where: { guardianId: gB } })).toBe(0);
    expect(await db.selfServiceToken.count()).toBe(0);
    expect((await db.case.findUniqueOrThrow({ where: { reference: refB } })).state).toBe('OPEN');
  });

  it('finds nothing of B through lookups and lists of A', async () => {
    expect((await findAccounts(ctx, dirA, { by: 'identifier', identifier: 'z.bravo' })).accounts).toEqual([]);
    expect((await findAccounts(ctx, dirA, { by: 'email', email: 'zoe@example.org' })).accounts).toEqual([]);
    expect((await findAccounts(ctx, dirA, { by: 'mobile', mobile: '06 12 34 56 78' })).accounts).toEqual([]);
    expect((await findAccounts(ctx, dirA, { by: 'name', name: 'bravo', uai: A })).accounts).toEqual([]);
    expect((await listAccounts(ctx, dirA, A, { guardianIds: [gB] })).rows).toEqual([]);
    expect((await selectPopulation(ctx, dirA, A, { text: 'bravo' })).total).toBe(0);
    expect((await listCases(ctx, dirA)).map((c) => c.reference)).not.toContain(refB);
  });
});

describe('other actors', () => {
  it('lets an agent act on B', async () => {
    expect((await selectPopulation(ctx, agent, B)).total).toBe(1);
    expect((await consultAccount(ctx, agent, gB, B)).identifier).toBe('z.bravo');
    expect((await findAccounts(ctx, agent, { by: 'mobile', mobile: '0612345678' })).accounts.map((a) => a.guardianId)).toEqual([gB]);
    expect((await getCase(ctx, agent, refB)).schoolUai).toBe(B);
    expect((await getSchoolStats(ctx, agent, B)).summary.accounts).toBe(1);
  });

  it('refuses parents every staff operation', async () => {
    const parent: Actor = { kind: 'guardian', guardianId: gB, source: 'web' };
    for (const actor of [anonymous, parent]) {
      await expect(selectPopulation(ctx, actor, B)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(consultAccount(ctx, actor, gB, B)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(notify(ctx, actor, B, [gB], { channel: 'sheet', reset: false })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(findAccounts(ctx, actor, { by: 'identifier', identifier: 'z.bravo' })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(listCases(ctx, actor)).rejects.toMatchObject({ code: 'forbidden' });
      await expect(getSchoolStats(ctx, actor, B)).rejects.toMatchObject({ code: 'forbidden' });
    }
  });
});
