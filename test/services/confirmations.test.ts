// Single-use confirmations on the real database: three simultaneous "Confirmer" of each staff
// action (notify, reset, resend activation) act once and write one audit row; a replay later
// does nothing more and says so politely; another actor cannot use someone else's id.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { notify, NOTIFY_CONFIRMATION } from '../../services/accounts/notify.js';
import { resetPasswords, RESET_CONFIRMATION } from '../../services/accounts/reset.js';
import { resendActivation, RESEND_CONFIRMATION } from '../../services/accounts/activation-resend.js';
import { restoreRefusedLink, RESTORE_CONFIRMATION } from '../../services/accounts/refused-links.js';
import { sendActivationReminders, REMIND_CONFIRMATION } from '../../services/accounts/reminders.js';
import { ALREADY_DONE, claimOnce, consumeConfirmation, issueConfirmation } from '../../services/confirmations.js';
import { ServiceError } from '../../services/errors.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { createGuardian, createSchoolWithPupil, director } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma(6);
let ctx: TestContext;
const UAI = '0311478N';
const dir = director(UAI);
let pupil: number;

afterAll(() => db.$disconnect());
beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  pupil = await createSchoolWithPupil(db, UAI);
});

/** Runs three calls at once: how many succeeded, and the messages of the refusals. */
async function three(run: () => Promise<unknown>): Promise<{ ok: number; refused: string[] }> {
  const results = await Promise.allSettled([run(), run(), run()]);
  const refused = results.flatMap((r) =>
    r.status === 'rejected' ? [r.reason instanceof ServiceError ? `${r.reason.code}:${r.reason.userMessage}` : String(r.reason)] : [],
  );
  return { ok: results.filter((r) => r.status === 'fulfilled').length, refused };
}

describe('single-use confirmations', () => {
  it('notify: three simultaneous confirmations -> one notification, one temporary password, one mail, one audit row', async () => {
    const id = await createGuardian(db, { lastName: 'DUPONT', firstName: 'Marie', email: 'marie@example.org', pupilIds: [pupil] });
    const confirmation = await issueConfirmation(ctx, { kind: NOTIFY_CONFIRMATION, actor: dir });
    const r = await three(() => notify(ctx, dir, UAI, [id], { channel: 'email', reset: false, confirmation }));
    expect(r.ok).toBe(1);
    expect(r.refused).toEqual([`conflict:${ALREADY_DONE}`, `conflict:${ALREADY_DONE}`]);
    expect(await db.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { template: 'letter' } })).toBe(1);
    expect((await db.guardian.findUniqueOrThrow({ where: { id } })).state).toBe('NOTIFIED');
    // A replay an hour later: nothing more.
    ctx.advance(3_600_000);
    await expect(notify(ctx, dir, UAI, [id], { channel: 'email', reset: false, confirmation })).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.outboxMessage.count()).toBe(1);
  });

  it('reset: three simultaneous confirmations -> one reset, one audit row, the temporary password set once', async () => {
    const id = await createGuardian(db, {
      lastName: 'EHCAMA',
      firstName: 'Guillaume',
      state: 'ACTIVATED',
      personalPassword: 'Ancien-Passe-42',
      pupilIds: [pupil],
    });
    const confirmation = await issueConfirmation(ctx, { kind: RESET_CONFIRMATION, actor: dir });
    const r = await three(() => resetPasswords(ctx, dir, UAI, [id], { confirmation }));
    expect(r.ok).toBe(1);
    expect(r.refused).toHaveLength(2);
    expect(await db.auditLog.count({ where: { action: 'accounts.reset_password' } })).toBe(1);
    const first = (await db.credential.findUniqueOrThrow({ where: { guardianId: id } })).tempPasswordEnc;
    await expect(resetPasswords(ctx, dir, UAI, [id], { confirmation })).rejects.toMatchObject({ code: 'conflict' });
    expect((await db.credential.findUniqueOrThrow({ where: { guardianId: id } })).tempPasswordEnc).toBe(first);
  });

  it('resend activation: three simultaneous confirmations -> one mail, one audit row', async () => {
    const id = await createGuardian(db, {
      lastName: 'LOPEZ',
      firstName: 'Ana',
      state: 'ACTIVATING',
      email: 'ana@example.org',
      personalPassword: 'Jardin-Fleuri-2031',
      pupilIds: [pupil],
    });
    const confirmation = await issueConfirmation(ctx, { kind: RESEND_CONFIRMATION, actor: dir });
    const r = await three(() => resendActivation(ctx, dir, UAI, id, { confirmation }));
    expect(r.ok).toBe(1);
    expect(r.refused).toHaveLength(2);
    expect(await db.auditLog.count({ where: { action: 'accounts.resend_activation' } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { template: 'activation' } })).toBe(1);
  });

  it('restore a refused link: three simultaneous confirmations -> the link back once, one audit row', async () => {
    const id = await createGuardian(db, { lastName: 'DUPONT', firstName: 'Marie', pupilIds: [] });
    await db.refusedLink.create({ data: { pupilId: pupil, guardianId: id } });
    const confirmation = await issueConfirmation(ctx, { kind: RESTORE_CONFIRMATION, actor: dir });
    const r = await three(() => restoreRefusedLink(ctx, dir, pupil, id, { confirmation }));
    expect(r.ok).toBe(1);
    expect(r.refused).toEqual([`conflict:${ALREADY_DONE}`, `conflict:${ALREADY_DONE}`]);
    expect(await db.auditLog.count({ where: { action: 'accounts.link_restore' } })).toBe(1);
    expect(await db.pupilGuardian.count({ where: { guardianId: id } })).toBe(1);
    expect(await db.refusedLink.count()).toBe(0);
  });

  it('activation reminders: three simultaneous confirmations -> one reminder mail, one audit row', async () => {
    const id = await createGuardian(db, { lastName: 'DURAND', firstName: 'Luc', state: 'NOTIFIED', email: 'luc@example.org', pupilIds: [pupil] });
    await db.guardian.update({ where: { id }, data: { distributedAt: new Date(ctx.now().getTime() - 90 * 86_400_000) } });
    const confirmation = await issueConfirmation(ctx, { kind: REMIND_CONFIRMATION, actor: dir });
    const r = await three(() => sendActivationReminders(ctx, dir, UAI, { olderThanDays: 60, channel: 'email', confirmation }));
    expect(r.ok).toBe(1);
    expect(r.refused).toEqual([`conflict:${ALREADY_DONE}`, `conflict:${ALREADY_DONE}`]);
    expect(await db.auditLog.count({ where: { action: 'accounts.remind_activation' } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { template: 'letter' } })).toBe(1);
  });

  it('a failed action leaves the confirmation usable; another actor or kind cannot consume it', async () => {
    const id = await createGuardian(db, { lastName: 'LOPEZ', firstName: 'Ana', state: 'NOTIFIED', email: 'ana@example.org', pupilIds: [pupil] });
    const confirmation = await issueConfirmation(ctx, { kind: RESEND_CONFIRMATION, actor: dir });
    // Not "En cours d'activation": refused, and the transaction (with the consumption) rolls back.
    await expect(resendActivation(ctx, dir, UAI, id, { confirmation })).rejects.toMatchObject({ code: 'conflict' });
    await db.guardian.update({ where: { id }, data: { state: 'ACTIVATING' } });
    await expect(resendActivation(ctx, director(UAI, '0310002B'), UAI, id, { confirmation })).rejects.toMatchObject({ code: 'expired' });
    await expect(db.$transaction((tx) => consumeConfirmation(ctx, tx, { kind: NOTIFY_CONFIRMATION, actor: dir, id: confirmation }))).rejects.toMatchObject({
      code: 'expired',
    });
    await expect(resendActivation(ctx, dir, UAI, id, { confirmation })).resolves.toMatchObject({ emailChanged: false });
    // Expired after its lifetime.
    const late = await issueConfirmation(ctx, { kind: RESEND_CONFIRMATION, actor: dir });
    ctx.advance(25 * 3_600_000);
    await expect(resendActivation(ctx, dir, UAI, id, { confirmation: late })).rejects.toMatchObject({ code: 'expired' });
  });

  it('claimOnce: an id made by the caller (a form) is claimed once, even three times at once', async () => {
    const formId = '3f1c2a7e-6b7d-4c1e-9a52-0d4c1e9a5200';
    const actor = { kind: 'anonymous', source: 'ip:127.0.0.1' } as const;
    const claims = await Promise.all([1, 2, 3].map(() => db.$transaction((tx) => claimOnce(ctx, tx, { kind: 'form:/x', actor, id: formId }))));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
