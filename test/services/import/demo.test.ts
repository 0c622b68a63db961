import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoDirectory, loadDemoDataIfEmpty } from '../../../services/import/demo.js';
import { importExtract } from '../../../services/import/extract.js';
import { AccountOrigin, AccountState, StaffRole } from '../../../services/db/index.js';
import { verifyPassword, decryptSecret } from '../../../services/passwords.js';
import { resetDatabase, testPrisma, isEmbedded } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';
import path from 'node:path';

const prisma = testPrisma();
const ctx = testContext(prisma);

// Loaded once for the file, before any test (each test reads it, in any order).
let firstLoad: boolean;
beforeAll(async () => {
  await resetDatabase(prisma);
  firstLoad = await loadDemoDataIfEmpty(ctx);
});
afterAll(async () => {
  await prisma.$disconnect();
});

const account = (identifier: string) =>
  prisma.guardian.findUniqueOrThrow({ where: { identifier }, include: { credential: true, pupils: { include: { pupil: true } } } });

describe(`demo data (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('loads on an empty database only, without a rejected row', async () => {
    expect(firstLoad).toBe(true);
    expect(await loadDemoDataIfEmpty(ctx)).toBe(false);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'import.extract' } });
    expect(audit).toMatchObject({ actorId: 'system:demo', outcome: 'success' });
    expect(audit.details).toMatchObject({ rejected: 0 });
    // Re-importing the demo file changes nothing.
    const again = await importExtract(ctx, path.join(demoDirectory(), 'extract.csv'), { afterImport: async () => 0 });
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0, rejected: 0 });
  });

  it('has schools of both degrees in two academies, ~300 accounts in every state and origin', async () => {
    const schools = await prisma.school.findMany();
    expect(new Set(schools.map((s) => s.academy))).toEqual(new Set(['Toulouse', 'La Réunion']));
    expect(new Set(schools.map((s) => s.degree))).toEqual(new Set(['FIRST', 'SECOND']));
    const total = await prisma.guardian.count();
    expect(total).toBeGreaterThanOrEqual(250);
    expect(total).toBeLessThanOrEqual(350);
    const states = await prisma.guardian.groupBy({ by: ['state'], _count: true });
    expect(states.map((s) => s.state).sort()).toEqual(Object.values(AccountState).sort());
    const origins = await prisma.guardian.groupBy({ by: ['origin'], _count: true });
    expect(origins.map((o) => o.origin).sort()).toEqual(Object.values(AccountOrigin).sort());
    for (const [emailConfirmed, mobileConfirmed] of [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      expect(await prisma.guardian.count({ where: { emailConfirmed, mobileConfirmed } })).toBeGreaterThan(0);
    }
    expect(await prisma.guardian.count({ where: { email: null, mobile: null } })).toBeGreaterThan(0);
    expect(await prisma.guardian.count({ where: { mobile: { startsWith: '+262692' } } })).toBeGreaterThan(0);
    expect(await prisma.guardian.count({ where: { mobile: { startsWith: '+590690' } } })).toBeGreaterThan(0);
    expect(await prisma.pupilGuardian.count({ where: { kind: 'IN_CHARGE', pupil: { school: { degree: 'SECOND' } } } })).toBeGreaterThan(0);
  });

  it('has the situations documented in prisma/demo/README.md', async () => {
    const rousseau = await account('a.rousseau');
    expect(new Set(rousseau.pupils.map((l) => l.pupil.schoolUai))).toEqual(new Set(['0311478N', '0312093K']));
    expect(rousseau).toMatchObject({ state: 'ACTIVATED', origin: 'SCHOOL', emailConfirmed: true });
    expect(await verifyPassword(DEMO_PASSWORD, rousseau.credential?.passwordHash ?? '')).toBe(true);

    const [ecole, lycee] = [await account('c.dupont'), await account('c.dupont1')];
    expect([ecole.lastName.toUpperCase(), ecole.firstName]).toEqual([lycee.lastName.toUpperCase(), lycee.firstName]);
    expect(ecole.pupils[0]?.pupil.schoolUai).toBe('9740021R');
    expect(lycee.pupils[0]?.pupil.schoolUai).toBe('9741087A');
    expect(lycee.state).toBe('NOTIFIED');
    expect(decryptSecret(lycee.credential?.tempPasswordEnc ?? '', ctx.settings.secretKey)).toHaveLength(14);

    expect(await account('n.hoarau7')).toMatchObject({ origin: 'FRANCECONNECT', mobile: '+262692123456', mobileConfirmed: true });
    expect(await account('f.lambert')).toMatchObject({ origin: 'SELF', mobile: '+590690123456', mobileConfirmed: true });
    expect(await account('g.payet')).toMatchObject({ state: 'NOT_NOTIFIED', email: null, mobile: null, credential: null });
    expect(await account('s.martin')).toMatchObject({ state: 'NOTIFIED', emailConfirmed: false });
    expect(await account('h.girard')).toMatchObject({ state: 'ACTIVATING', email: 'helene.girard@example.fr', emailConfirmed: false });
    expect(await account('j.grondin')).toMatchObject({ state: 'ACTIVATED', emailConfirmed: true, mobile: null });
    expect((await account('m.grondin')).pupils[0]?.kind).toBe('IN_CHARGE');
    expect(await account('b.faure')).toMatchObject({ state: 'ACTIVATED', email: null, mobileConfirmed: true });
  });

  it('has the staff directory: directors of one and two schools, two agents, an admin', async () => {
    const staff = await prisma.staff.findMany({ orderBy: { aadObjectId: 'asc' } });
    expect(staff.map((s) => s.role).sort()).toEqual(['ADMIN', 'AGENT', 'AGENT', 'DIRECTOR', 'DIRECTOR', 'DIRECTOR']);
    expect(new Set(staff.map((s) => s.role))).toEqual(new Set(Object.values(StaffRole)));
    const byId = Object.fromEntries(staff.map((s) => [s.aadObjectId, s.uais]));
    expect(byId['00000000-0000-0000-0000-00000000d001']).toEqual(['0311478N']);
    expect(byId['00000000-0000-0000-0000-00000000d002']).toEqual(['9740021R', '9741087A']);
  });
});
