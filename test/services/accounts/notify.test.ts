import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { notify, previewNotify } from '../../../services/accounts/notify.js';
import type { AccountState, PrismaClient } from '../../../services/db/index.js';
import { ServiceError } from '../../../services/errors.js';
import type { NotifyChannel } from '../../../services/letters.js';
import { decryptSecret } from '../../../services/passwords.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { KEY, agent, createClass, createGuardian, createPupil, createSchool, director } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const OTHER = '0312151V';
const NOW = new Date('2026-11-20T09:30:00Z');

afterAll(() => db.$disconnect());

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(NOW);
  await createSchool(db, UAI, 'ECOLE CHARLEMAGNE');
  await createSchool(db, OTHER, 'ECOLE MUSSET');
});

async function pupilIn(uai: string, first = 'Léa', cls = 'CM1'): Promise<number> {
  const existing = await db.schoolClass.findFirst({ where: { schoolUai: uai, name: cls } });
  const classId = existing?.id ?? (await createClass(db, uai, cls, cls));
  return createPupil(db, { schoolUai: uai, classId, lastName: 'DUPONT', firstName: first });
}

const credentialFor = (state: AccountState): { tempPassword?: string; personalPassword?: string } =>
  state === 'NOTIFIED' ? { tempPassword: 'Old#Temp4abcde' } : state === 'NOT_NOTIFIED' ? {} : { personalPassword: 'Mon-mot-de-passe-1' };

describe('notify: the full C01–C06 matrix on the database', () => {
  const cases: [AccountState, boolean, NotifyChannel, string][] = [];
  for (const state of ['NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED'] as const)
    for (const reset of [false, true])
      for (const channel of ['sheet', 'email'] as const) {
        const early = state === 'NOT_NOTIFIED' || state === 'NOTIFIED';
        const code = early ? (channel === 'sheet' ? 'C01' : 'C02') : reset ? (channel === 'sheet' ? 'C05' : 'C06') : channel === 'sheet' ? 'C03' : 'C04';
        cases.push([state, reset, channel, code]);
      }

  it.each(cases)('%s reset=%s by %s -> %s', async (state, reset, channel, code) => {
    const pupil = await pupilIn(UAI);
    const other = await pupilIn(OTHER, 'Maël', '6E A');
    const id = await createGuardian(db, {
      lastName: 'DUPONT',
      firstName: 'Céline',
      email: 'celine@example.org',
      state,
      ...credentialFor(state),
      pupilIds: [pupil, other],
    });
    const r = await notify(ctx, director(UAI), UAI, [id], { channel, reset });

    expect(r.notified).toBe(1);
    expect(r.letters).toHaveLength(1);
    const letter = r.letters[0]!;
    expect(letter.code).toBe(code);
    expect(letter.school).toEqual({ uai: UAI, name: 'ECOLE CHARLEMAGNE' });
    expect(letter.children.map((c) => [c.firstName, c.uai])).toEqual([
      ['Léa', UAI],
      ['Maël', OTHER],
    ]);
    expect(letter.distributedAt).toEqual(NOW);

    const g = await db.guardian.findUniqueOrThrow({ where: { id }, include: { credential: true } });
    expect(g.state).toBe(state === 'NOT_NOTIFIED' ? 'NOTIFIED' : state);
    expect(g.distributedAt).toEqual(NOW);
    expect(g.origin).toBe('SCHOOL');

    const resetApplied = reset && state !== 'NOT_NOTIFIED';
    expect(r.resetSkipped.map((a) => a.guardianId)).toEqual(reset && !resetApplied ? [id] : []);
    if (code === 'C03' || code === 'C04') {
      expect(letter.temporaryPassword).toBeNull();
      expect(g.credential?.passwordHash).toBeTruthy(); // personal password untouched
    } else {
      expect(letter.temporaryPassword).toMatch(/^.{14}$/);
      expect(decryptSecret(g.credential!.tempPasswordEnc!, KEY)).toBe(letter.temporaryPassword);
      expect(g.credential!.isTemporary).toBe(true);
      expect(g.credential!.passwordHash).toBeNull();
      if (state === 'NOTIFIED') expect(letter.temporaryPassword === 'Old#Temp4abcde').toBe(!reset);
    }

    const outbox = await db.outboxMessage.findMany();
    if (channel === 'email') {
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ template: 'letter', recipient: 'celine@example.org', guardianId: id, batchId: r.batchId, status: 'PENDING' });
    } else {
      expect(outbox).toHaveLength(0);
    }
    const audits = await db.auditLog.findMany({ where: { action: 'accounts.notify', guardianId: id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.outcome).toBe('success');
  });

  it('an activated account whose reset password was not yet changed gets C05 with that password', async () => {
    const pupil = await pupilIn(UAI);
    const id = await createGuardian(db, { lastName: 'DUPONT', firstName: 'Jean', state: 'ACTIVATED', tempPassword: 'Still#Temp7xyz', pupilIds: [pupil] });
    const r = await notify(ctx, agent, UAI, [id], { channel: 'sheet', reset: false });
    expect(r.letters[0]).toMatchObject({ code: 'C05', temporaryPassword: 'Still#Temp7xyz' });
  });
});

describe('notify: batches', () => {
  it('notifies Non notifié accounts without reset, warns, lists accounts without email, queues one mail each', async () => {
    const p1 = await pupilIn(UAI, 'Alice');
    const p2 = await pupilIn(UAI, 'Paul', 'CE1');
    const fresh = await createGuardian(db, { lastName: 'REABU', firstName: 'Guillaume', email: 'g.reabu@example.org', pupilIds: [p1] });
    const freshNoMail = await createGuardian(db, { lastName: 'HAFIR', firstName: 'Ghislain', pupilIds: [p1] });
    const active = await createGuardian(db, {
      lastName: 'ZOUMN',
      firstName: 'Guillaume',
      email: 'zoumn@example.org',
      state: 'ACTIVATED',
      personalPassword: 'Perso-passe-123',
      pupilIds: [p1, p2],
    });
    const activeNoMail = await createGuardian(db, {
      lastName: 'RENZEKS',
      firstName: 'Arnaud',
      state: 'ACTIVATED',
      personalPassword: 'Perso-passe-456',
      pupilIds: [p2],
    });

    const preview = await previewNotify(ctx, director(UAI), UAI, [fresh, freshNoMail, active, activeNoMail], { channel: 'email', reset: true });
    expect(preview).toMatchObject({ toNotify: 2, letters: { C02: 1, C06: 1 } });
    expect(preview.withoutEmail.map((a) => a.guardianId).sort()).toEqual([freshNoMail, activeNoMail].sort());
    expect(await db.guardian.count({ where: { state: 'NOTIFIED' } })).toBe(0); // preview changes nothing
    expect(await db.outboxMessage.count()).toBe(0);

    const r = await notify(ctx, director(UAI), UAI, [fresh, freshNoMail, active, activeNoMail], { channel: 'email', reset: true });
    expect(r.notified).toBe(2);
    expect(r.letters.map((l) => [l.guardianId, l.code]).sort()).toEqual(
      [
        [fresh, 'C02'],
        [active, 'C06'],
      ].sort(),
    );
    expect(r.resetSkipped.map((a) => a.guardianId)).toEqual([fresh]);
    expect(r.withoutEmail.map((a) => a.lastName).sort()).toEqual(['HAFIR', 'RENZEKS']);
    expect(r.warnings.join('\n')).toContain("n'ont pas été réinitialisés");
    expect(r.warnings.join('\n')).toContain('HAFIR Ghislain');
    expect(r.warnings.join('\n')).toContain('par fiche individuelle');

    const outbox = await db.outboxMessage.findMany({ orderBy: { recipient: 'asc' } });
    expect(outbox.map((m) => [m.recipient, m.template, m.batchId])).toEqual([
      ['g.reabu@example.org', 'letter', r.batchId],
      ['zoumn@example.org', 'letter', r.batchId],
    ]);
    // Accounts without email were not notified at all.
    const noMail = await db.guardian.findUniqueOrThrow({ where: { id: freshNoMail } });
    expect(noMail).toMatchObject({ state: 'NOT_NOTIFIED', distributedAt: null });
    expect((await db.guardian.findUniqueOrThrow({ where: { id: activeNoMail }, include: { credential: true } })).credential?.passwordHash).toBeTruthy();
    const rows = await db.auditLog.findMany({ where: { action: 'accounts.notify' } });
    expect(rows.map((a) => a.outcome).sort()).toEqual(['failed', 'failed', 'success', 'success']);
  });

  it('is all or nothing: an account of another school fails the whole batch', async () => {
    const here = await createGuardian(db, { lastName: 'A', firstName: 'B', pupilIds: [await pupilIn(UAI)] });
    const there = await createGuardian(db, { lastName: 'C', firstName: 'D', pupilIds: [await pupilIn(OTHER)] });
    await expect(notify(ctx, agent, UAI, [here, there], { channel: 'sheet', reset: false })).rejects.toBeInstanceOf(ServiceError);
    expect((await db.guardian.findUniqueOrThrow({ where: { id: here } })).state).toBe('NOT_NOTIFIED');
    expect(await db.credential.count()).toBe(0);
    expect(await db.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(0);
  });

  it('handles a batch of 400 accounts in one transaction with distinct passwords', async () => {
    const classId = await createClass(db, UAI, 'CP A', 'CP');
    const pupils = await db.pupil.createManyAndReturn({
      data: Array.from({ length: 400 }, (_, i) => ({
        ine: `B${String(i).padStart(9, '0')}Z`,
        lastName: `ELEVE${i}`,
        firstName: 'X',
        searchName: `eleve${i} x`,
        birthDate: new Date('2019-01-01'),
        schoolUai: UAI,
        classId,
      })),
      select: { id: true },
    });
    const guardians = await db.guardian.createManyAndReturn({
      data: pupils.map((p, i) => ({
        identifier: `x.parent${i}`,
        lastName: `PARENT${i}`,
        firstName: 'X',
        searchName: `parent${i} x`,
        email: i % 2 ? `p${i}@example.org` : null,
      })),
      select: { id: true },
    });
    await db.pupilGuardian.createMany({ data: pupils.map((p, i) => ({ pupilId: p.id, guardianId: guardians[i]!.id })) });
    const r = await notify(
      ctx,
      director(UAI),
      UAI,
      guardians.map((g) => g.id),
      { channel: 'sheet', reset: false },
    );
    expect(r.notified).toBe(400);
    expect(new Set(r.letters.map((l) => l.temporaryPassword)).size).toBe(400);
    expect(await db.guardian.count({ where: { state: 'NOTIFIED', distributedAt: NOW } })).toBe(400);
    expect(await db.credential.count({ where: { isTemporary: true } })).toBe(400);
  });
});
