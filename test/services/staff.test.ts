// Staff directory lookups on the shared database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Degree, StaffRole } from '../../services/db/index.js';
import { findStaffActor, schoolsOfStaff } from '../../services/staff.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';

const prisma = testPrisma();
const ctx = testContext(prisma);

beforeAll(async () => {
  await resetDatabase(prisma);
  await prisma.school.create({ data: { uai: '0311478N', name: 'École Sainte-Famille', academy: 'Toulouse', degree: Degree.FIRST } });
  await prisma.staff.createMany({
    data: [
      { aadObjectId: 'dir-1', upn: 'd@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: ['0999999Z', '0311478N'] },
      { aadObjectId: 'agent-1', upn: 'a@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] },
      { aadObjectId: 'admin-1', upn: 'x@example.org', displayName: 'Alex Admin', role: StaffRole.ADMIN, uais: [] },
    ],
  });
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe('findStaffActor', () => {
  it('maps each role to its actor', async () => {
    expect(await findStaffActor(ctx, 'dir-1')).toEqual({ kind: 'director', staffId: 'dir-1', name: 'Claire Martin', uais: ['0999999Z', '0311478N'] });
    expect(await findStaffActor(ctx, ' agent-1 ')).toEqual({ kind: 'agent', staffId: 'agent-1', name: 'Paul Agent' });
    expect(await findStaffActor(ctx, 'admin-1')).toEqual({ kind: 'admin', staffId: 'admin-1', name: 'Alex Admin' });
  });

  it('returns null for an unknown or empty id', async () => {
    expect(await findStaffActor(ctx, 'someone-else')).toBeNull();
    expect(await findStaffActor(ctx, '  ')).toBeNull();
  });
});

describe('schoolsOfStaff', () => {
  it("names a director's schools, sorted by UAI, with the code when the school is not in the extract yet", async () => {
    const director = await findStaffActor(ctx, 'dir-1');
    if (!director) throw new Error('director fixture missing');
    expect(await schoolsOfStaff(ctx, director)).toEqual([
      { uai: '0311478N', name: 'École Sainte-Famille' },
      { uai: '0999999Z', name: '0999999Z' },
    ]);
    const agent = await findStaffActor(ctx, 'agent-1');
    if (!agent) throw new Error('agent fixture missing');
    expect(await schoolsOfStaff(ctx, agent)).toEqual([]);
  });
});
