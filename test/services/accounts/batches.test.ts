// Email batches of a school: the last 30 days with delivery counts, scoped to the actor (a
// director of A never sees B's batches, listed or asked by id), the report per guardian with
// masked addresses and failure reasons in French.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failureReason, getBatchReportFor, listRecentBatches } from '../../../services/accounts/batches.js';
import { notify } from '../../../services/accounts/notify.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { agent, createClass, createGuardian, createPupil, createSchool, director } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const A = '0311478N';
const B = '0310002B';
let ids: { dupont: number; durand: number; leroy: number };

afterAll(() => db.$disconnect());
beforeAll(() => {
  ctx = testContext(db);
});

beforeEach(async () => {
  await resetDatabase(db);
  ctx.setNow(new Date('2026-11-20T09:00:00Z'));
  await createSchool(db, A, 'École Jules Ferry');
  await createSchool(db, B, 'École Marie Curie');
  const cA = await createClass(db, A, 'CM1 A', 'CM1');
  const cB = await createClass(db, B, 'CE2', 'CE2');
  const pA = await createPupil(db, { schoolUai: A, classId: cA, lastName: 'DUPONT', firstName: 'Léa' });
  const pA2 = await createPupil(db, { schoolUai: A, classId: cA, lastName: 'DURAND', firstName: 'Tom' });
  const pB = await createPupil(db, { schoolUai: B, classId: cB, lastName: 'LEROY', firstName: 'Sam' });
  ids = {
    dupont: await createGuardian(db, { lastName: 'DUPONT', firstName: 'Marie', email: 'marie.dupont@example.org', pupilIds: [pA] }),
    durand: await createGuardian(db, { lastName: 'DURAND', firstName: 'Luc', email: 'luc.durand@example.org', pupilIds: [pA2] }),
    leroy: await createGuardian(db, { lastName: 'LEROY', firstName: 'Nina', email: 'nina.leroy@example.org', pupilIds: [pB] }),
  };
});

async function emailBatch(uai: string, guardianIds: number[]): Promise<string> {
  return (await notify(ctx, agent, uai, guardianIds, { channel: 'email', reset: false })).batchId;
}

describe('email batches of a school', () => {
  it('lists the recent email batches of the school with their counts, newest first, never sheets nor older ones', async () => {
    ctx.setNow(new Date('2026-10-10T09:00:00Z'));
    await emailBatch(A, [ids.dupont]); // 41 days before "now": out of the window
    ctx.setNow(new Date('2026-11-18T09:00:00Z'));
    const first = await emailBatch(A, [ids.dupont, ids.durand]);
    await notify(ctx, agent, A, [ids.durand], { channel: 'sheet', reset: false });
    ctx.setNow(new Date('2026-11-19T09:00:00Z'));
    const second = await emailBatch(A, [ids.durand]);
    const other = await emailBatch(B, [ids.leroy]);
    await db.outboxMessage.updateMany({
      where: { batchId: first, guardianId: ids.dupont },
      data: { status: 'SENT', sentAt: new Date('2026-11-18T09:01:00Z') },
    });
    await db.outboxMessage.updateMany({
      where: { batchId: first, guardianId: ids.durand },
      data: { status: 'FAILED', lastError: 'SMTP 550: 5.1.1 user unknown' },
    });
    ctx.setNow(new Date('2026-11-20T09:00:00Z'));

    const list = await listRecentBatches(ctx, director(A), A);
    expect(list).toEqual([
      { batchId: second, startedAt: new Date('2026-11-19T09:00:00Z'), total: 1, sent: 0, pending: 1, failed: 0 },
      { batchId: first, startedAt: new Date('2026-11-18T09:00:00Z'), total: 2, sent: 1, pending: 0, failed: 1 },
    ]);
    expect((await listRecentBatches(ctx, agent, B)).map((b) => b.batchId)).toEqual([other]);
    await expect(listRecentBatches(ctx, director(A), B)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reports one batch per guardian (failed first, masked, reason in French); another school’s batch is refused like an unknown one', async () => {
    const batch = await emailBatch(A, [ids.dupont, ids.durand]);
    const foreign = await emailBatch(B, [ids.leroy]);
    await db.outboxMessage.updateMany({
      where: { batchId: batch, guardianId: ids.durand },
      data: { status: 'FAILED', lastError: 'SMTP 550: 5.1.1 user unknown' },
    });

    const report = await getBatchReportFor(ctx, director(A), A, batch);
    expect(report).toMatchObject({ batchId: batch, sent: 0, pending: 1, failed: 1 });
    expect(report.rows).toEqual([
      {
        guardianId: ids.durand,
        name: 'Luc DURAND',
        recipient: 'l***d@example.org',
        status: 'failed',
        reason: 'Adresse refusée par la messagerie du destinataire (adresse inexistante ou mal écrite).',
        sentAt: null,
      },
      { guardianId: ids.dupont, name: 'Marie DUPONT', recipient: 'm***t@example.org', status: 'pending', reason: null, sentAt: null },
    ]);
    expect(JSON.stringify(report)).not.toContain('luc.durand@example.org');

    // Director of A: B's batch, asked through A or through B, is refused; so is an unknown id.
    await expect(getBatchReportFor(ctx, director(A), A, foreign)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getBatchReportFor(ctx, director(A), B, foreign)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(getBatchReportFor(ctx, director(A), A, '00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await expect(getBatchReportFor(ctx, director(A), A, "x' OR 1=1 --")).rejects.toMatchObject({ code: 'not_found' });
    expect((await getBatchReportFor(ctx, agent, B, foreign)).rows.map((r) => r.name)).toEqual(['Nina LEROY']);
    // Older than 30 days: no longer followed.
    ctx.setNow(new Date('2026-12-21T09:00:00Z'));
    await expect(getBatchReportFor(ctx, director(A), A, batch)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('tells delivery errors in plain French', () => {
    expect(failureReason('SMTP 552: 5.2.2 mailbox full')).toBe('Boîte de réception du destinataire pleine.');
    expect(failureReason('SMTP 554: rejected as spam')).toBe('Message refusé par la messagerie du destinataire.');
    expect(failureReason('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:25')).toBe("Serveur d'envoi injoignable malgré plusieurs essais.");
    expect(failureReason('body cannot be decrypted (was the secret key changed?)')).toBe('Message devenu illisible : notifiez de nouveau ce compte.');
    expect(failureReason(null)).toBe("Le message n'a pas pu être remis.");
  });
});
