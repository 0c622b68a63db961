import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { consultAccount } from '../../../services/accounts/consult.js';
import { resetPasswords } from '../../../services/accounts/reset.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { decryptSecret, verifyPassword } from '../../../services/passwords.js';
import { createToken } from '../../../services/selfservice/tokens.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { KEY, auditDump, createGuardian, director, createSchoolWithPupil } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
let pupil: number;

afterAll(() => db.$disconnect());

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  pupil = await createSchoolWithPupil(db, UAI);
});

describe('resetPasswords', () => {
  it('invalidates the personal password at once, keeps the state, gives a decryptable temporary password', async () => {
    const id = await createGuardian(db, {
      lastName: 'EHCAMA',
      firstName: 'Guillaume',
      state: 'ACTIVATING',
      personalPassword: 'Ancien-Passe-42',
      pupilIds: [pupil],
    });
    const before = await db.credential.findUniqueOrThrow({ where: { guardianId: id } });
    expect(await verifyPassword('Ancien-Passe-42', before.passwordHash!)).toBe(true);
    const session = await db.$transaction((tx) => createToken(ctx, tx, { kind: 'SESSION', guardianId: id, ttlMs: 3_600_000 }));

    const r = await resetPasswords(ctx, director(UAI), UAI, [id]);
    expect(r.reset.map((a) => a.guardianId)).toEqual([id]);
    expect(r.skipped).toEqual([]);
    expect(r.messages.join(' ')).toContain('re-notifiez');

    const after = await db.credential.findUniqueOrThrow({ where: { guardianId: id } });
    expect(after.passwordHash).toBeNull();
    expect(after.isTemporary).toBe(true);
    const temp = decryptSecret(after.tempPasswordEnc!, KEY);
    expect(temp).toMatch(/^.{14}$/);
    expect((await db.guardian.findUniqueOrThrow({ where: { id } })).state).toBe('ACTIVATING');
    // The director can now read it; sessions opened with the old password are closed.
    expect((await consultAccount(ctx, director(UAI), id, UAI)).password).toBe(temp);
    expect((await db.selfServiceToken.findFirstOrThrow()).usedAt).not.toBeNull();
    expect(session).toBeTruthy();

    const dump = await auditDump(db);
    expect(dump).toContain('accounts.reset_password');
    expect(dump).not.toContain(temp);
    expect(dump).not.toContain(session);
  });

  it('skips Non notifié accounts with a warning and resets the others', async () => {
    const fresh = await createGuardian(db, { lastName: 'REABU', firstName: 'Guillaume', pupilIds: [pupil] });
    const notified = await createGuardian(db, {
      lastName: 'AVISAD',
      firstName: 'Guillaume',
      state: 'NOTIFIED',
      tempPassword: 'Old#Temp4abcde',
      pupilIds: [pupil],
    });
    const r = await resetPasswords(ctx, director(UAI), UAI, [fresh, notified]);
    expect(r.reset.map((a) => a.guardianId)).toEqual([notified]);
    expect(r.skipped.map((a) => a.guardianId)).toEqual([fresh]);
    expect(r.messages.join(' ')).toContain('REABU Guillaume');
    expect(await db.credential.count({ where: { guardianId: fresh } })).toBe(0);
    const c = await db.credential.findUniqueOrThrow({ where: { guardianId: notified } });
    expect(decryptSecret(c.tempPasswordEnc!, KEY)).not.toBe('Old#Temp4abcde');
    expect((await db.guardian.findUniqueOrThrow({ where: { id: fresh } })).state).toBe('NOT_NOTIFIED');
    const outcomes = await db.auditLog.findMany({ where: { action: 'accounts.reset_password' }, orderBy: { guardianId: 'asc' } });
    expect(outcomes.map((a) => [a.guardianId, a.outcome])).toEqual([
      [fresh, 'denied'],
      [notified, 'success'],
    ]);
  });
});
