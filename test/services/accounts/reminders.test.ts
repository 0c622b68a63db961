// Activation reminders (§1.3.3) on the real database: the accounts of a school notified more
// than N days ago and not activated are reminded once (letter or mail for "Notifié", the
// activation mail for "En cours d'activation"); the statistics count those past 3 months.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { previewActivationReminders, sendActivationReminders, REMIND_CONFIRMATION } from '../../../services/accounts/reminders.js';
import { issueConfirmation } from '../../../services/confirmations.js';
import { computeSchoolStats } from '../../../services/stats.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { createGuardian, createSchoolWithPupil, director } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const dir = director(UAI);
const NOW = new Date('2026-12-01T10:00:00Z');
const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * 86_400_000);

afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(NOW);
});

async function world() {
  const pupil = await createSchoolWithPupil(db, UAI);
  const make = async (lastName: string, state: 'NOTIFIED' | 'ACTIVATING' | 'ACTIVATED', distributed: Date, email: string | null) => {
    const id = await createGuardian(db, { lastName, firstName: 'Anne', state, email, tempPassword: 'Kq7#mPx4Tz9Wne', pupilIds: [pupil] });
    await db.guardian.update({ where: { id }, data: { distributedAt: distributed } });
    return id;
  };
  return {
    oldNotified: await make('ANCIEN', 'NOTIFIED', daysAgo(100), 'ancien@example.org'),
    oldNoEmail: await make('SANSMAIL', 'NOTIFIED', daysAgo(70), null),
    oldActivating: await make('ENCOURS', 'ACTIVATING', daysAgo(95), 'encours@example.org'),
    recent: await make('RECENT', 'NOTIFIED', daysAgo(10), 'recent@example.org'),
    activated: await make('ACTIVE', 'ACTIVATED', daysAgo(200), 'active@example.org'),
  };
}

describe('activation reminders', () => {
  it('selects by age and state, sends once by email, and the statistics show who is past 3 months', async () => {
    const w = await world();
    const preview = await previewActivationReminders(ctx, dir, UAI, { olderThanDays: 60, channel: 'email' });
    expect(preview.notified.map((a) => a.guardianId)).toEqual([w.oldNotified]);
    expect(preview.activating.map((a) => a.guardianId)).toEqual([w.oldActivating]);
    expect(preview.withoutEmail.map((a) => a.guardianId)).toEqual([w.oldNoEmail]);
    expect(preview.pastDeadline).toBe(2);
    expect((await computeSchoolStats(ctx, dir, UAI)).pastActivationDeadline).toBe(2);

    const confirmation = await issueConfirmation(ctx, { kind: REMIND_CONFIRMATION, actor: dir });
    const r = await sendActivationReminders(ctx, dir, UAI, { olderThanDays: 60, channel: 'email', confirmation });
    expect(r.reminded).toBe(2);
    expect(r.messages.join(' ')).toContain('SANSMAIL Anne');
    const out = await db.outboxMessage.findMany({ orderBy: { recipient: 'asc' } });
    expect(out.map((m) => [m.recipient, m.template])).toEqual([
      ['ancien@example.org', 'letter'],
      ['encours@example.org', 'activation'],
    ]);
    expect(await db.auditLog.count({ where: { action: 'accounts.remind_activation' } })).toBe(2);
    expect((await db.guardian.findUniqueOrThrow({ where: { id: w.oldActivating } })).remindedAt).toEqual(NOW);
    await expect(sendActivationReminders(ctx, dir, UAI, { olderThanDays: 60, channel: 'email', confirmation })).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.outboxMessage.count()).toBe(2);
  });

  it('by sheet: letters for every "Notifié" account (even without email); out of scope and bad input refused', async () => {
    const w = await world();
    const r = await sendActivationReminders(ctx, dir, UAI, { olderThanDays: 60, channel: 'sheet' });
    expect(r.letters.map((l) => l.guardianId).sort()).toEqual([w.oldNotified, w.oldNoEmail].sort());
    expect(r.letters.every((l) => l.code === 'C01' && l.links.firstLogin.endsWith('/premiere-connexion'))).toBe(true);
    await expect(previewActivationReminders(ctx, director('0310002B'), UAI, { olderThanDays: 60, channel: 'sheet' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(previewActivationReminders(ctx, dir, UAI, { olderThanDays: 0, channel: 'sheet' })).rejects.toMatchObject({ code: 'invalid' });
  });
});
