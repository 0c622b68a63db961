import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultAccount, MASKED_PASSWORD } from '../../../services/accounts/consult.js';
import { listAccounts, LIST_COLUMNS } from '../../../services/accounts/list.js';
import { populationLevels, selectPopulation } from '../../../services/accounts/population.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { agent, createClass, createGuardian, createPupil, createSchool, director } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const OTHER = '0312151V';
const ids: Record<string, number> = {};

afterAll(() => db.$disconnect());

// The guide's example table (§5.1), reduced.
beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(new Date('2026-07-09T13:05:09Z')); // 15:05:09 in Paris (summer time)
  await createSchool(db, UAI, 'E.E.PR-SAINTE-FAMILLE DES MINIMES');
  await createSchool(db, OTHER, 'E.E.PU-ALFRED DE MUSSET');
  const cm1 = await createClass(db, UAI, 'CM1 NEW', 'CM1');
  const ce1 = await createClass(db, UAI, 'CE1D', 'CE1');
  const gs = await createClass(db, UAI, 'GS', 'GS');
  const ms = await createClass(db, OTHER, 'MS', 'MS');
  const alice = await createPupil(db, { schoolUai: UAI, classId: cm1, lastName: 'AIXTHASI', firstName: 'Alice' });
  const lucie = await createPupil(db, { schoolUai: UAI, classId: cm1, lastName: 'AMEJDOBU', firstName: 'Lucie' });
  const paul = await createPupil(db, { schoolUai: UAI, classId: ce1, lastName: 'EDUALIBL', firstName: 'Paul' });
  const camille = await createPupil(db, { schoolUai: UAI, classId: gs, lastName: 'TUOUHN', firstName: 'Camille', birthDate: '2020-12-26' });
  const auguste = await createPupil(db, { schoolUai: OTHER, classId: ms, lastName: 'OTNACOD', firstName: 'Auguste' });
  ids.reabu = await createGuardian(db, { lastName: 'REABU', firstName: 'Guillaume', identifier: 'g.reabu5', pupilIds: [alice] });
  ids.zoumn = await createGuardian(db, {
    lastName: 'ZOUMN',
    firstName: 'Guillaume',
    identifier: 'g.zoumn',
    email: 'zoumn@example.org',
    state: 'ACTIVATED',
    personalPassword: 'Perso-passe-123',
    pupilIds: [lucie, paul],
  });
  ids.ehcama = await createGuardian(db, {
    lastName: 'EHCAMA',
    firstName: 'Guillaume',
    identifier: 'g.ehcama',
    email: 'qualif@ac-test.fr',
    mobile: '+33612345678',
    state: 'ACTIVATING',
    personalPassword: 'Perso-passe-456',
    pupilIds: [camille, auguste],
  });
  ids.vtenobn = await createGuardian(db, {
    lastName: 'ÉLOÏSE-MÜLLER',
    firstName: 'Véronique',
    identifier: 'v.tenobn5',
    state: 'NOTIFIED',
    tempPassword: 'GVKJ#VPPE7abcd',
    pupilIds: [alice],
  });
  // Merged into zoumn: never shown.
  ids.merged = await createGuardian(db, { lastName: 'ZOUMN', firstName: 'Guillaume', identifier: 'g.zoumn2', mergedIntoId: ids.zoumn, pupilIds: [lucie] });
  ids.deleted = await createGuardian(db, { lastName: 'GONE', firstName: 'Old', deletedAt: new Date(), pupilIds: [paul] });
  ids.elsewhere = await createGuardian(db, { lastName: 'AILLEURS', firstName: 'Anne', pupilIds: [auguste] });
});

describe('selectPopulation', () => {
  it('returns one row per pupil–guardian pair sorted by pupil, hides merged and deleted accounts', async () => {
    const page = await selectPopulation(ctx, director(UAI), UAI);
    expect(page.total).toBe(5);
    expect(page.rows.map((r) => [r.pupilLastName, r.guardianLastName])).toEqual([
      ['AIXTHASI', 'ÉLOÏSE-MÜLLER'],
      ['AIXTHASI', 'REABU'],
      ['AMEJDOBU', 'ZOUMN'],
      ['EDUALIBL', 'ZOUMN'],
      ['TUOUHN', 'EHCAMA'],
    ]);
    expect(page.rows.some((r) => r.guardianId === ids.merged || r.guardianId === ids.deleted || r.guardianId === ids.elsewhere)).toBe(false);
    expect(page.rows[2]).toMatchObject({ className: 'CM1 NEW', level: 'CM1', identifier: 'g.zoumn', hasEmail: true, origin: 'SCHOOL', state: 'ACTIVATED' });
  });

  it('filters by text (accent/case-insensitive, pupil or guardian), class, level, state, email, origin', async () => {
    const d = director(UAI);
    const byText = await selectPopulation(ctx, d, UAI, { text: 'eloise muller' });
    expect(byText.rows.map((r) => r.guardianId)).toEqual([ids.vtenobn]);
    const byPupil = await selectPopulation(ctx, d, UAI, { text: 'CAMILLE tuouhn' });
    expect(byPupil.rows.map((r) => r.guardianId)).toEqual([ids.ehcama]);
    expect((await selectPopulation(ctx, d, UAI, { classNames: ['CM1 NEW'] })).total).toBe(3);
    expect((await selectPopulation(ctx, d, UAI, { states: ['NOT_NOTIFIED', 'NOTIFIED'] })).total).toBe(2);
    expect((await selectPopulation(ctx, d, UAI, { hasEmail: false })).rows.map((r) => r.guardianLastName).sort()).toEqual(['REABU', 'ÉLOÏSE-MÜLLER']);
    expect((await selectPopulation(ctx, d, UAI, { origins: ['UNSET'] })).rows.map((r) => r.guardianId)).toEqual([ids.reabu]);
    expect((await selectPopulation(ctx, d, UAI, { levels: ['CE1', 'GS'] })).rows.map((r) => [r.level, r.guardianId])).toEqual([
      ['CE1', ids.zoumn],
      ['GS', ids.ehcama],
    ]);
    expect((await selectPopulation(ctx, d, UAI, { levels: ['CM1'], classNames: ['CE1D'] })).total).toBe(0);
    // The other school's MS pupil is never included.
    expect((await selectPopulation(ctx, d, UAI, { levels: ['MS'] })).total).toBe(0);
  });

  it('lists the levels of a school in schooling order, within the actor scope', async () => {
    expect(await populationLevels(ctx, director(UAI), UAI)).toEqual(['GS', 'CE1', 'CM1']);
    expect(await populationLevels(ctx, agent, OTHER)).toEqual(['MS']);
    await expect(populationLevels(ctx, director(UAI), OTHER)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('sorts any column both ways and paginates with the total', async () => {
    const d = director(UAI);
    const desc = await selectPopulation(ctx, d, UAI, { sort: { column: 'state', direction: 'desc' } });
    expect(desc.rows.map((r) => r.state)).toEqual(['ACTIVATED', 'ACTIVATED', 'ACTIVATING', 'NOTIFIED', 'NOT_NOTIFIED']);
    const byId = await selectPopulation(ctx, d, UAI, { sort: { column: 'identifier', direction: 'asc' } });
    expect(byId.rows.map((r) => r.identifier)).toEqual(['g.ehcama', 'g.reabu5', 'g.zoumn', 'g.zoumn', 'v.tenobn5']);
    const p2 = await selectPopulation(ctx, d, UAI, { page: 2, pageSize: 2 });
    expect(p2).toMatchObject({ total: 5, page: 2, pageSize: 2, pageCount: 3 });
    expect(p2.rows.map((r) => r.pupilLastName)).toEqual(['AMEJDOBU', 'EDUALIBL']);
    await expect(selectPopulation(ctx, d, UAI, { pageSize: 0 })).rejects.toThrow();
  });
});

describe('consultAccount', () => {
  it('shows the temporary password of a notified account, with pupils here and elsewhere', async () => {
    const a = await consultAccount(ctx, director(UAI), ids.vtenobn!, UAI);
    expect(a).toMatchObject({ identifier: 'v.tenobn5', password: 'GVKJ#VPPE7abcd', passwordTemporary: true, state: 'NOTIFIED', origin: 'SCHOOL' });
    const e = await consultAccount(ctx, agent, ids.ehcama!, UAI);
    expect(e).toMatchObject({ password: MASKED_PASSWORD, passwordTemporary: false, email: 'qualif@ac-test.fr', mobile: '+33612345678', state: 'ACTIVATING' });
    expect(e.pupilsHere).toEqual([
      expect.objectContaining({ firstName: 'Camille', lastName: 'TUOUHN', className: 'GS', birthDate: new Date('2020-12-26T00:00:00Z') }),
    ]);
    expect(e.pupilsElsewhere).toEqual([expect.objectContaining({ firstName: 'Auguste', uai: OTHER, schoolName: 'E.E.PU-ALFRED DE MUSSET' })]);
  });

  it('shows no password for Non notifié and refuses merged accounts', async () => {
    expect((await consultAccount(ctx, director(UAI), ids.reabu!, UAI)).password).toBeNull();
    await expect(consultAccount(ctx, director(UAI), ids.merged!, UAI)).rejects.toMatchObject({ code: 'not_found' });
    await expect(consultAccount(ctx, agent, ids.deleted!, UAI)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('listAccounts', () => {
  it('gives the guide columns, passwords only while temporary, and the Paris-time file name', async () => {
    const list = await listAccounts(ctx, director(UAI), UAI, { classNames: ['CM1 NEW', 'CE1D'] });
    expect(LIST_COLUMNS).toHaveLength(10);
    expect(list.fileName).toBe('Educonnect-ListeResponsables-20260709150509');
    expect(list.rows.map((r) => [r.pupilLastName, r.level, r.className, r.guardianLastName, r.identifier, r.password])).toEqual([
      ['AIXTHASI', 'Cours moyen 1re année', 'CM1 NEW', 'ÉLOÏSE-MÜLLER', 'v.tenobn5', 'GVKJ#VPPE7abcd'],
      ['AIXTHASI', 'Cours moyen 1re année', 'CM1 NEW', 'REABU', 'g.reabu5', ''],
      ['AMEJDOBU', 'Cours moyen 1re année', 'CM1 NEW', 'ZOUMN', 'g.zoumn', MASKED_PASSWORD],
      ['EDUALIBL', 'Cours élémentaire 1re année', 'CE1D', 'ZOUMN', 'g.zoumn', MASKED_PASSWORD],
    ]);
    expect(list.rows.every((r) => r.uai === UAI && r.schoolName === 'E.E.PR-SAINTE-FAMILLE DES MINIMES')).toBe(true);
  });
});
