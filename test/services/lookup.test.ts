import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCase } from '../../services/cases.js';
import type { PrismaClient } from '../../services/db/index.js';
import { findAccounts, LOOKUP_LIMIT } from '../../services/lookup.js';
import { recommend } from '../../services/playbook.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { agent, anonymous, createClass, createGuardian, createPupil, createSchool, director } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const REUNION = '9741234B';
let celine: number;
let reunion: number;
let merged: number;

afterAll(() => db.$disconnect());

beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  await createSchool(db, UAI, 'ECOLE CHARLEMAGNE');
  await createSchool(db, REUNION, 'ECOLE DE SAINT-DENIS', 'LA REUNION');
  const cp = await createClass(db, UAI, 'CP', 'CP');
  const lea = await createPupil(db, { schoolUai: UAI, classId: cp, lastName: 'DUPONT', firstName: 'Léa' });
  const enzo = await createPupil(db, { schoolUai: REUNION, classId: await createClass(db, REUNION, 'CE1', 'CE1'), lastName: 'HOARAU', firstName: 'Enzo' });
  celine = await createGuardian(db, {
    lastName: 'DUPONT',
    firstName: 'Céline',
    identifier: 'celine.dupont114',
    email: 'celine.dupont@example.org',
    mobile: '+33612345678',
    state: 'NOTIFIED',
    tempPassword: 'Tmp#Pass7abcde',
    pupilIds: [lea],
  });
  reunion = await createGuardian(db, {
    lastName: 'HOARAU',
    firstName: 'Marie',
    identifier: 'm.hoarau',
    mobile: '+262692123456',
    state: 'ACTIVATED',
    personalPassword: 'Perso-passe-777',
    pupilIds: [enzo],
  });
  merged = await createGuardian(db, {
    lastName: 'DUPONT',
    firstName: 'Céline',
    identifier: 'c.dupont',
    email: 'celine.dupont@example.org',
    mergedIntoId: celine,
    pupilIds: [lea],
  });
  await createCase(ctx, agent, { kind: 'OTHER', schoolUai: UAI, guardianId: celine, summary: 'Appel' });
  for (let i = 0; i < LOOKUP_LIMIT + 1; i++) await createGuardian(db, { lastName: 'MARTIN', firstName: `P${i}`, pupilIds: [lea] });
});

describe('findAccounts', () => {
  it('finds by identifier, email (any case) and mobile in any format, overseas included', async () => {
    const byId = await findAccounts(ctx, agent, { by: 'identifier', identifier: ' Celine.Dupont114 ' });
    expect(byId.accounts).toHaveLength(1);
    expect(byId.accounts[0]).toMatchObject({
      guardianId: celine,
      state: 'NOTIFIED',
      origin: 'SCHOOL',
      emailMasked: 'c***t@example.org',
      mobileMasked: '+33*******78',
      passwordTemporary: true,
      openCases: 1,
      children: [expect.objectContaining({ firstName: 'Léa', uai: UAI, schoolName: 'ECOLE CHARLEMAGNE', className: 'CP' })],
    });
    expect(JSON.stringify(byId)).not.toContain('celine.dupont@example.org');
    expect(JSON.stringify(byId)).not.toContain('Tmp#Pass7abcde');
    expect((await findAccounts(ctx, agent, { by: 'email', email: 'CELINE.DUPONT@example.org' })).accounts.map((a) => a.guardianId)).toEqual([celine]);
    expect((await findAccounts(ctx, agent, { by: 'mobile', mobile: '06.12.34.56.78' })).accounts.map((a) => a.guardianId)).toEqual([celine]);
    expect((await findAccounts(ctx, agent, { by: 'mobile', mobile: '0692 12 34 56' })).accounts.map((a) => a.guardianId)).toEqual([reunion]);
    expect((await findAccounts(ctx, agent, { by: 'mobile', mobile: '+262 692 12 34 56' })).accounts.map((a) => a.guardianId)).toEqual([reunion]);
    await expect(findAccounts(ctx, agent, { by: 'mobile', mobile: 'abc' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('finds by guardian or pupil name within a school, never merged accounts, capped', async () => {
    const byGuardian = await findAccounts(ctx, director(UAI), { by: 'name', name: 'celine DUPONT', uai: UAI });
    expect(byGuardian.accounts.map((a) => a.guardianId)).toEqual([celine]);
    expect(byGuardian.accounts.some((a) => a.guardianId === merged)).toBe(false);
    const byPupil = await findAccounts(ctx, agent, { by: 'name', name: 'lea', uai: UAI });
    expect(byPupil.truncated).toBe(true);
    expect(byPupil.accounts).toHaveLength(LOOKUP_LIMIT);
    expect((await findAccounts(ctx, agent, { by: 'name', name: 'hoarau', uai: UAI })).accounts).toEqual([]);
    await expect(findAccounts(ctx, anonymous, { by: 'identifier', identifier: 'm.hoarau' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('feeds the playbook', async () => {
    const [a] = (await findAccounts(ctx, agent, { by: 'identifier', identifier: 'm.hoarau' })).accounts;
    expect(recommend(a!, 'lost_password').actions.map((x) => x.code)).toEqual(['reset_then_renotify']);
  });
});
