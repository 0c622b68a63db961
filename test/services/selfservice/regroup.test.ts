// Regrouping keeps the guardian's refusals: a child refused on either account is not on the
// account kept after the merge, and the refusal follows it (so that the import keeps it off),
// except when that link is the pupil's only one (as for a removal by the guardian).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { regroupAccounts } from '../../../services/selfservice/regroup.js';
import { makeGuardian, makePupil, makeSchool, recordingContext, type RecordingContext } from './fixtures.js';
import type { Actor } from '../../../services/actor.js';

const prisma = testPrisma();
let ctx: RecordingContext;
const TEMP = 'Tmp#Pass7word';

afterAll(() => prisma.$disconnect());
beforeEach(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma);
});

async function world() {
  const school = await makeSchool(prisma);
  const [leo, zoe, max, noa] = await Promise.all(['Léo', 'Zoé', 'Max', 'Noa'].map((n, i) => makePupil(prisma, school, n, `201${i}-01-0${i + 1}`)));
  if (!leo || !zoe || !max || !noa) throw new Error('pupils');
  const kept = await makeGuardian(ctx, { identifier: 'c.martin', state: 'ACTIVATED', personalPassword: 'Jardin-Fleuri-2031', pupilIds: [leo.id, noa.id] });
  const other = await makeGuardian(ctx, { identifier: 'c.martin7', temporaryPassword: TEMP, pupilIds: [zoe.id, max.id] });
  // Max has another guardian, Noa has only the kept account.
  await makeGuardian(ctx, { identifier: 'p.martin', firstName: 'Paul', pupilIds: [max.id] });
  const actor: Actor = { kind: 'guardian', guardianId: kept.id, source: 'web' };
  return { leo, zoe, max, noa, kept, other, actor };
}

const pairs = async (guardianId: number, table: 'links' | 'refusals'): Promise<number[]> =>
  (table === 'links' ? await prisma.pupilGuardian.findMany({ where: { guardianId } }) : await prisma.refusedLink.findMany({ where: { guardianId } }))
    .map((r) => r.pupilId)
    .sort((a, b) => a - b);

describe('regrouping and refused links', () => {
  it.each([
    {
      case: 'refused on the merged account, not on the kept one -> refusal carried over',
      setup: async (w: Awaited<ReturnType<typeof world>>) => {
        await prisma.refusedLink.create({ data: { pupilId: w.max.id, guardianId: w.other.id } });
        await prisma.pupilGuardian.delete({ where: { pupilId_guardianId: { pupilId: w.max.id, guardianId: w.other.id } } });
      },
      links: (w: Awaited<ReturnType<typeof world>>) => [w.leo.id, w.zoe.id, w.noa.id],
      refusals: (w: Awaited<ReturnType<typeof world>>) => [w.max.id],
    },
    {
      case: 'refused on the kept account, linked on the merged one -> not linked again',
      setup: async (w: Awaited<ReturnType<typeof world>>) => {
        await prisma.refusedLink.create({ data: { pupilId: w.max.id, guardianId: w.kept.id } });
      },
      links: (w: Awaited<ReturnType<typeof world>>) => [w.leo.id, w.zoe.id, w.noa.id],
      refusals: (w: Awaited<ReturnType<typeof world>>) => [w.max.id],
    },
    {
      case: 'refused on the merged account, linked on the kept one with another guardian -> the refusal wins',
      setup: async (w: Awaited<ReturnType<typeof world>>) => {
        await prisma.pupilGuardian.create({ data: { pupilId: w.max.id, guardianId: w.kept.id } });
        await prisma.pupilGuardian.delete({ where: { pupilId_guardianId: { pupilId: w.max.id, guardianId: w.other.id } } });
        await prisma.refusedLink.create({ data: { pupilId: w.max.id, guardianId: w.other.id } });
      },
      links: (w: Awaited<ReturnType<typeof world>>) => [w.leo.id, w.zoe.id, w.noa.id],
      refusals: (w: Awaited<ReturnType<typeof world>>) => [w.max.id],
    },
    {
      case: "refused on the merged account, the kept account is the pupil's only link -> the link stays",
      setup: async (w: Awaited<ReturnType<typeof world>>) => {
        await prisma.refusedLink.create({ data: { pupilId: w.noa.id, guardianId: w.other.id } });
      },
      links: (w: Awaited<ReturnType<typeof world>>) => [w.leo.id, w.zoe.id, w.max.id, w.noa.id],
      refusals: () => [],
    },
  ])('$case', async ({ setup, links, refusals }) => {
    const w = await world();
    await setup(w);
    await regroupAccounts(ctx, w.actor, 'c.martin7', TEMP);
    expect(await pairs(w.kept.id, 'links')).toEqual(links(w).sort((a, b) => a - b));
    expect(await pairs(w.kept.id, 'refusals')).toEqual(refusals(w));
    expect(await prisma.refusedLink.count({ where: { guardianId: w.other.id } })).toBe(0);
    const row = await prisma.auditLog.findFirstOrThrow({ where: { action: 'selfservice.regroup', outcome: 'success' } });
    expect(row.details).toMatchObject({ merged: w.other.id });
  });
});
