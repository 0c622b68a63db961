import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../services/db/index.js';
import { computeAggregateStats, computeSchoolStats, getAggregateStats, getSchoolStats, type StatsCounts } from '../../services/stats.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { agent, createClass, createGuardian, createPupil, createSchool, director } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const S = '0311478N';
const T = '0312151V';
const U = '0330001A';
let g2: number;

afterAll(() => db.$disconnect());

const counts = (
  accounts: number,
  nn: number,
  n: number,
  ing: number,
  act: number,
  activatedPct: number,
  pupils: number,
  withAct: number,
  pupilsPct: number,
): StatsCounts => ({
  accounts,
  notNotified: nn,
  notified: n,
  activating: ing,
  activated: act,
  activatedPct,
  pupils,
  pupilsWithActivated: withAct,
  pupilsWithActivatedPct: pupilsPct,
});

// The guide's shape (§6.1): guardians with children in several classes and levels.
//   g1 ACTIVATED    p1 (PS A), p3 (CP A)
//   g2 NOT_NOTIFIED p1 (PS A)
//   g3 NOTIFIED     p3, p4 (both CP A)
//   g4 ACTIVATING   p4 (CP A), p5 (CP B)      -> two classes, one level
//   g5 ACTIVATED    p2 (MS A) and pt (school T)
//   g6 merged into g1: p5; g7 deleted ACTIVATED: p6 (CP B)  -> never counted
//   CE1 X has no pupil. T: pt with g5 and g8 NOT_NOTIFIED. U (other academy): pu with g9 ACTIVATED.
beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(new Date('2026-11-20T08:00:00Z'));
  await createSchool(db, S, 'ECOLE S', 'TOULOUSE');
  await createSchool(db, T, 'ECOLE T', 'TOULOUSE');
  await createSchool(db, U, 'ECOLE U', 'BORDEAUX');
  const psA = await createClass(db, S, 'PS A', 'PS');
  const msA = await createClass(db, S, 'MS A', 'MS');
  const cpA = await createClass(db, S, 'CP A', 'CP');
  const cpB = await createClass(db, S, 'CP B', 'CP');
  await createClass(db, S, 'CE1 X', 'CE1');
  const pupil = (classId: number, uai = S): Promise<number> => createPupil(db, { schoolUai: uai, classId, lastName: 'E', firstName: String(classId) });
  const p1 = await pupil(psA);
  const p2 = await pupil(msA);
  const p3 = await pupil(cpA);
  const p4 = await pupil(cpA);
  const p5 = await pupil(cpB);
  const p6 = await pupil(cpB);
  const pt = await pupil(await createClass(db, T, 'CM1', 'CM1'), T);
  const pu = await pupil(await createClass(db, U, 'CM2', 'CM2'), U);
  const g1 = await createGuardian(db, { lastName: 'G', firstName: '1', state: 'ACTIVATED', pupilIds: [p1, p3] });
  g2 = await createGuardian(db, { lastName: 'G', firstName: '2', pupilIds: [p1] });
  await createGuardian(db, { lastName: 'G', firstName: '3', state: 'NOTIFIED', pupilIds: [p3, p4] });
  await createGuardian(db, { lastName: 'G', firstName: '4', state: 'ACTIVATING', pupilIds: [p4, p5] });
  await createGuardian(db, { lastName: 'G', firstName: '5', state: 'ACTIVATED', pupilIds: [p2, pt] });
  await createGuardian(db, { lastName: 'G', firstName: '6', mergedIntoId: g1, pupilIds: [p5] });
  await createGuardian(db, { lastName: 'G', firstName: '7', state: 'ACTIVATED', deletedAt: new Date(), pupilIds: [p6] });
  await createGuardian(db, { lastName: 'G', firstName: '8', pupilIds: [pt] });
  await createGuardian(db, { lastName: 'G', firstName: '9', state: 'ACTIVATED', pupilIds: [pu] });
});

// Each test starts at the same time, whatever ran before it (one moves the clock).
beforeEach(() => ctx.setNow(new Date('2026-11-20T08:00:00Z')));

describe('school statistics (§6.1)', () => {
  it('computes the summary, per class and per level, by hand-checked numbers', async () => {
    const s = await computeSchoolStats(ctx, director(S), S);
    expect(s.computedAt).toEqual(new Date('2026-11-20T08:00:00Z'));
    expect(s.summary).toEqual(counts(5, 1, 1, 1, 2, 40, 6, 3, 50));
    expect(s.classes.map(({ classId, className, level, ...c }) => [className, level, classId > 0, c])).toEqual([
      ['PS A', 'PS', true, counts(2, 1, 0, 0, 1, 50, 1, 1, 100)],
      ['MS A', 'MS', true, counts(1, 0, 0, 0, 1, 100, 1, 1, 100)],
      ['CP A', 'CP', true, counts(3, 0, 1, 1, 1, 33.33, 2, 1, 50)],
      ['CP B', 'CP', true, counts(1, 0, 0, 1, 0, 0, 2, 0, 0)],
      ['CE1 X', 'CE1', true, counts(0, 0, 0, 0, 0, 0, 0, 0, 0)],
    ]);
    expect(s.classesTotal).toEqual(counts(7, 1, 1, 2, 3, 42.86, 6, 3, 50));
    expect(s.levels).toEqual([
      { level: 'PS', label: 'Petite section', ...counts(2, 1, 0, 0, 1, 50, 1, 1, 100) },
      { level: 'MS', label: 'Moyenne section', ...counts(1, 0, 0, 0, 1, 100, 1, 1, 100) },
      { level: 'CP', label: 'Cours préparatoire', ...counts(3, 0, 1, 1, 1, 33.33, 4, 1, 25) },
      { level: 'CE1', label: 'Cours élémentaire 1re année', ...counts(0, 0, 0, 0, 0, 0, 0, 0, 0) },
    ]);
    expect(s.levelsTotal).toEqual(counts(6, 1, 1, 1, 3, 50, 6, 3, 50));
    // Detail totals differ from the summary, as the guide warns.
    expect(s.classesTotal.accounts).not.toBe(s.summary.accounts);
  });

  it('returns the latest snapshot until recomputed on demand', async () => {
    const first = await getSchoolStats(ctx, director(S), S);
    await db.guardian.update({ where: { id: g2 }, data: { state: 'ACTIVATED' } });
    ctx.setNow(new Date('2026-11-20T09:00:00Z'));
    const cached = await getSchoolStats(ctx, director(S), S);
    expect(cached.summary.activated).toBe(first.summary.activated);
    expect(cached.computedAt).toEqual(first.computedAt);
    const fresh = await computeSchoolStats(ctx, agent, S);
    expect(fresh.summary).toEqual(counts(5, 0, 1, 1, 3, 60, 6, 3, 50));
    expect((await getSchoolStats(ctx, director(S), S)).computedAt).toEqual(new Date('2026-11-20T09:00:00Z'));
    await db.guardian.update({ where: { id: g2 }, data: { state: 'NOT_NOTIFIED' } });
  });

  it('computes when there is no snapshot yet', async () => {
    await db.statsSnapshot.deleteMany({ where: { scope: 'SCHOOL', scopeKey: T } });
    const t = await getSchoolStats(ctx, agent, T);
    expect(t.summary).toEqual(counts(2, 1, 0, 0, 1, 50, 1, 1, 100));
    expect(await db.statsSnapshot.count({ where: { scope: 'SCHOOL', scopeKey: T } })).toBe(1);
  });
});

describe('academy and national statistics (agents)', () => {
  it('counts a guardian once across the schools of the scope', async () => {
    const acad = await computeAggregateStats(ctx, agent, 'ACADEMY', 'TOULOUSE');
    expect(acad.summary).toEqual(counts(6, 2, 1, 1, 2, 33.33, 7, 4, 57.14));
    expect(acad.schools.map((s) => [s.uai, s.accounts, s.activated])).toEqual([
      [S, 5, 2],
      [T, 2, 1],
    ]);
    const fr = await getAggregateStats(ctx, agent, 'NATIONAL');
    expect(fr.summary).toEqual(counts(7, 2, 1, 1, 3, 42.86, 8, 5, 62.5));
    expect(fr.schools).toHaveLength(3);
    expect(fr.levels.map((l) => l.level)).toEqual(['PS', 'MS', 'CP', 'CE1', 'CM1', 'CM2']);
    await expect(computeAggregateStats(ctx, agent, 'ACADEMY', 'NULLE-PART')).rejects.toMatchObject({ code: 'not_found' });
  });
});
