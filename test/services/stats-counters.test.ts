// Property test of the incremental statistics: after random changes of every kind that the
// triggers watch (states, merges, deletions, links, pupils moving class or school, new and
// removed pupils, class levels, school academies), the figures read from the counters equal
// a full recount with plain SQL, for every school, every academy and the whole country.
// Seeded PRNG: a failure names its seed and step, and replays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../services/db/index.js';
import { computeAggregateStats, computeSchoolStats, emptyCounts, type StatsCounts } from '../../services/stats.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { agent, director } from './accounts/fixtures.js';
import { prng } from '../helpers/prng.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
afterAll(() => db.$disconnect());
beforeAll(() => {
  ctx = testContext(db);
});

const UAIS = ['0000001A', '0000002B', '0000003C', '0000004D', '0000005E'];
const ACADEMIES = ['TOULOUSE', 'BORDEAUX'];
const LEVELS = ['CP', 'CE1', 'CM2'];
const STATES = ['NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED'] as const;

const empty: StatsCounts = emptyCounts();

type Key = { dim: 'all' | 'school' | 'class' | 'level'; key: string };

/** The full recount: distinct live guardians per unit and state, pupils with an activated guardian. */
async function recount(uai: string | null, academy: string | null): Promise<Map<string, StatsCounts>> {
  const links = await db.$queryRaw<{ school: string; class: string; level: string; guardian: number; state: string }[]>`
    SELECT p."schoolUai" AS school, p."classId"::text AS class, c.level, g.id AS guardian, g.state::text AS state
    FROM "Pupil" p JOIN "School" s ON s.uai = p."schoolUai" JOIN "SchoolClass" c ON c.id = p."classId"
    JOIN "PupilGuardian" pg ON pg."pupilId" = p.id
    JOIN "Guardian" g ON g.id = pg."guardianId" AND g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL
    WHERE (${uai}::text IS NULL OR p."schoolUai" = ${uai}) AND (${academy}::text IS NULL OR s.academy = ${academy})`;
  const pupils = await db.$queryRaw<{ school: string; class: string; level: string; activated: boolean }[]>`
    SELECT p."schoolUai" AS school, p."classId"::text AS class, c.level,
           EXISTS (SELECT 1 FROM "PupilGuardian" pg JOIN "Guardian" g ON g.id = pg."guardianId"
                   WHERE pg."pupilId" = p.id AND g.state = 'ACTIVATED' AND g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL) AS activated
    FROM "Pupil" p JOIN "School" s ON s.uai = p."schoolUai" JOIN "SchoolClass" c ON c.id = p."classId"
    WHERE (${uai}::text IS NULL OR p."schoolUai" = ${uai}) AND (${academy}::text IS NULL OR s.academy = ${academy})`;
  const units = (r: { school: string; class: string; level: string }): Key[] => [
    { dim: 'all', key: '' },
    { dim: 'school', key: r.school },
    { dim: 'class', key: r.class },
    { dim: 'level', key: r.level },
  ];
  const seen = new Map<string, Map<number, string>>();
  for (const l of links)
    for (const u of units(l)) {
      const k = `${u.dim}:${u.key}`;
      if (!seen.has(k)) seen.set(k, new Map());
      seen.get(k)?.set(l.guardian, l.state);
    }
  const out = new Map<string, StatsCounts>();
  const slot = (k: string): StatsCounts => {
    let c = out.get(k);
    if (!c) {
      c = { ...empty };
      out.set(k, c);
    }
    return c;
  };
  const field = { NOT_NOTIFIED: 'notNotified', NOTIFIED: 'notified', ACTIVATING: 'activating', ACTIVATED: 'activated' } as const;
  for (const [k, guardians] of seen) {
    const c = slot(k);
    for (const state of guardians.values()) {
      c.accounts++;
      c[field[state as keyof typeof field]]++;
    }
  }
  for (const p of pupils)
    for (const u of units(p)) {
      const c = slot(`${u.dim}:${u.key}`);
      c.pupils++;
      if (p.activated) c.pupilsWithActivated++;
    }
  const pct = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n * 10000) / d) / 100);
  for (const c of out.values()) {
    c.activatedPct = pct(c.activated, c.accounts);
    c.pupilsWithActivatedPct = pct(c.pupilsWithActivated, c.pupils);
  }
  return out;
}

const get = (m: Map<string, StatsCounts>, k: string): StatsCounts => m.get(k) ?? empty;
const strip = (c: StatsCounts): StatsCounts => ({
  accounts: c.accounts,
  notNotified: c.notNotified,
  notified: c.notified,
  activating: c.activating,
  activated: c.activated,
  activatedPct: c.activatedPct,
  pupils: c.pupils,
  pupilsWithActivated: c.pupilsWithActivated,
  pupilsWithActivatedPct: c.pupilsWithActivatedPct,
});

async function expectSameAsRecount(where: string): Promise<void> {
  const schools = await db.school.findMany({ select: { uai: true, academy: true } });
  for (const s of schools) {
    const stats = await computeSchoolStats(ctx, director(s.uai), s.uai);
    const ref = await recount(s.uai, null);
    expect(strip(stats.summary), `${where}: school ${s.uai}`).toEqual(get(ref, 'all:'));
    for (const c of stats.classes) expect(strip(c), `${where}: class ${c.classId}`).toEqual(get(ref, `class:${c.classId}`));
    for (const l of stats.levels) expect(strip(l), `${where}: ${s.uai} level ${l.level}`).toEqual(get(ref, `level:${l.level}`));
  }
  for (const academy of new Set(schools.map((s) => s.academy))) {
    const stats = await computeAggregateStats(ctx, agent, 'ACADEMY', academy);
    const ref = await recount(null, academy);
    expect(strip(stats.summary), `${where}: academy ${academy}`).toEqual(get(ref, 'all:'));
    for (const l of stats.levels) expect(strip(l), `${where}: academy ${academy} level ${l.level}`).toEqual(get(ref, `level:${l.level}`));
    for (const s of stats.schools) expect(strip(s), `${where}: academy ${academy} school ${s.uai}`).toEqual(get(ref, `school:${s.uai}`));
  }
  const national = await computeAggregateStats(ctx, agent, 'NATIONAL');
  const ref = await recount(null, null);
  expect(strip(national.summary), `${where}: national`).toEqual(get(ref, 'all:'));
  for (const l of national.levels) expect(strip(l), `${where}: national level ${l.level}`).toEqual(get(ref, `level:${l.level}`));
}

/** A small world: 5 schools in 2 academies, 3 classes each, 40 pupils, 40 guardians. */
async function world(rnd: () => number): Promise<void> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  for (const [i, uai] of UAIS.entries()) {
    await db.school.create({ data: { uai, name: `ECOLE ${i}`, academy: ACADEMIES[i % 2] ?? 'TOULOUSE', degree: 'FIRST' } });
    for (const level of LEVELS) await db.schoolClass.create({ data: { schoolUai: uai, name: `${level} A`, level } });
  }
  const classes = await db.schoolClass.findMany({ select: { id: true, schoolUai: true } });
  for (let i = 0; i < 40; i++) {
    const c = pick(classes);
    await db.pupil.create({
      data: {
        ine: `${String(i).padStart(10, '0')}P`,
        lastName: 'E',
        firstName: `${i}`,
        searchName: `e ${i}`,
        birthDate: new Date('2016-01-01'),
        schoolUai: c.schoolUai,
        classId: c.id,
      },
    });
  }
  const pupils = await db.pupil.findMany({ select: { id: true } });
  for (let i = 0; i < 40; i++) {
    const g = await db.guardian.create({ data: { identifier: `g.prop${i}`, lastName: 'G', firstName: `${i}`, searchName: `g ${i}`, state: pick(STATES) } });
    const mine = new Set([pick(pupils).id, ...(rnd() < 0.4 ? [pick(pupils).id] : [])]);
    for (const pupilId of mine) await db.pupilGuardian.create({ data: { pupilId, guardianId: g.id } });
  }
}

/** One random change, as the services and the import make them. Returns what it did. */
async function change(rnd: () => number, step: number): Promise<string> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const guardians = await db.guardian.findMany({ select: { id: true } });
  const pupils = await db.pupil.findMany({ select: { id: true } });
  const classes = await db.schoolClass.findMany({ select: { id: true, schoolUai: true } });
  const g = pick(guardians).id;
  const p = pick(pupils)?.id;
  switch (Math.floor(rnd() * 11)) {
    case 0:
    case 1:
    case 2: {
      const state = pick(STATES);
      await db.guardian.update({ where: { id: g }, data: { state } });
      return `guardian ${g} -> ${state}`;
    }
    case 3: {
      const into = pick(guardians).id;
      if (into === g) return 'nothing';
      await db.guardian.update({ where: { id: g }, data: { mergedIntoId: into } });
      return `guardian ${g} merged into ${into}`;
    }
    case 4:
      await db.guardian.update({ where: { id: g }, data: { deletedAt: rnd() < 0.7 ? new Date() : null, mergedIntoId: null } });
      return `guardian ${g} deleted/restored`;
    case 5:
      if (p === undefined) return 'nothing';
      await db.pupilGuardian.createMany({ data: [{ pupilId: p, guardianId: g }], skipDuplicates: true });
      return `link ${p}-${g} added`;
    case 6: {
      const link = await db.pupilGuardian.findFirst({ where: { guardianId: g } });
      if (!link) return 'nothing';
      await db.pupilGuardian.delete({ where: { pupilId_guardianId: { pupilId: link.pupilId, guardianId: g } } });
      return `link ${link.pupilId}-${g} removed`;
    }
    case 7: {
      if (p === undefined) return 'nothing';
      const c = pick(classes);
      await db.pupil.update({ where: { id: p }, data: { classId: c.id, schoolUai: c.schoolUai } });
      return `pupil ${p} moved to class ${c.id}`;
    }
    case 8: {
      const c = pick(classes);
      if (rnd() < 0.5 && p !== undefined) {
        await db.pupil.delete({ where: { id: p } });
        return `pupil ${p} removed`;
      }
      const q = await db.pupil.create({
        data: {
          ine: `${String(1000 + step).padStart(10, '0')}N`,
          lastName: 'N',
          firstName: `${step}`,
          searchName: `n ${step}`,
          birthDate: new Date('2017-01-01'),
          schoolUai: c.schoolUai,
          classId: c.id,
        },
      });
      await db.pupilGuardian.create({ data: { pupilId: q.id, guardianId: g } });
      return `pupil ${q.id} added with ${g}`;
    }
    case 9: {
      const c = pick(classes);
      const level = pick(LEVELS);
      await db.schoolClass.update({ where: { id: c.id }, data: { level } });
      return `class ${c.id} level ${level}`;
    }
    default: {
      const uai = pick(UAIS);
      const academy = pick(ACADEMIES);
      await db.school.update({ where: { uai }, data: { academy } });
      // A whole set at once, as the import does.
      await db.guardian.updateMany({ where: { id: { in: guardians.filter(() => rnd() < 0.2).map((x) => x.id) } }, data: { state: pick(STATES) } });
      return `school ${uai} -> ${academy}, bulk state change`;
    }
  }
}

describe('incremental statistics equal a full recount', () => {
  for (const seed of [1, 2, 3]) {
    it(`after random changes (seed ${seed})`, async () => {
      await resetDatabase(db);
      const rnd = prng(seed);
      await world(rnd);
      await expectSameAsRecount(`seed ${seed}, initial`);
      const done: string[] = [];
      for (let step = 1; step <= 30; step++) {
        // Several changes between two reads, sometimes in one transaction's worth of calls.
        for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) done.push(await change(rnd, step * 10 + k));
        if (step % 2 === 0) await expectSameAsRecount(`seed ${seed}, step ${step} (${done.slice(-5).join('; ')})`);
      }
    }, 120_000);
  }

  it('the nightly rebuild gives the same figures as the incremental ones', async () => {
    const before = await computeAggregateStats(ctx, agent, 'NATIONAL');
    await db.$executeRaw`UPDATE "StatsCounter" SET "activated" = 999`;
    await db.$executeRaw`INSERT INTO "StatsDirty" ("schoolUai") SELECT uai FROM "School"`;
    const after = await computeAggregateStats(ctx, agent, 'NATIONAL');
    expect(after.summary).toEqual(before.summary);
    expect(after.schools).toEqual(before.schools);
  });
});
