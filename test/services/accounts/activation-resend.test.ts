import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resendActivation } from '../../../services/accounts/activation-resend.js';
import { normalizeEmail } from '../../../services/accounts/contact.js';
import type { PrismaClient } from '../../../services/db/index.js';
import { hashToken } from '../../../services/selfservice/tokens.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { auditDump, recordMessages, createGuardian, director, createSchoolWithPupil } from './fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
let pupil: number;

afterAll(() => db.$disconnect());

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db, { publicUrl: 'https://assistance.example.fr' });
  pupil = await createSchoolWithPupil(db, UAI);
});

describe('resendActivation (C07)', () => {
  it('queues the activation mail with a single-use link whose hash only is stored', async () => {
    const id = await createGuardian(db, {
      lastName: 'EHCAMA',
      firstName: 'Guillaume',
      identifier: 'g.ehcama',
      email: 'qualif@ac-test.fr',
      state: 'ACTIVATING',
      personalPassword: 'Perso-passe-456',
      pupilIds: [pupil],
    });
    const sent = recordMessages(ctx);
    const first = await resendActivation(ctx, director(UAI), UAI, id);
    expect(first).toMatchObject({ emailChanged: false, sentTo: 'q***f@ac-test.fr' });
    const r = await resendActivation(ctx, director(UAI), UAI, id, { correctedEmail: '  Nouvelle.Adresse@AC-Test.FR ' });
    expect(r.emailChanged).toBe(true);

    const g = await db.guardian.findUniqueOrThrow({ where: { id } });
    expect(g).toMatchObject({ email: 'Nouvelle.Adresse@ac-test.fr', emailConfirmed: false, state: 'ACTIVATING' });
    const out = await db.outboxMessage.findMany({ orderBy: { createdAt: 'asc' } });
    expect(out.map((m) => [m.template, m.recipient])).toEqual([
      ['activation', 'qualif@ac-test.fr'],
      ['activation', 'Nouvelle.Adresse@ac-test.fr'],
    ]);
    const msg = sent[1]!;
    if (msg.template !== 'activation') throw new Error('expected an activation mail');
    expect(msg).toMatchObject({ identifier: 'g.ehcama', ttlHours: 24, firstName: 'Guillaume' });
    const m = /^https:\/\/assistance\.example\.fr\/activation\/([A-Za-z0-9_-]+)$/.exec(msg.url);
    expect(m).not.toBeNull();
    const token = m![1]!;
    expect(token.length).toBeGreaterThanOrEqual(22); // ≥128 bits in base64url
    const tokens = await db.selfServiceToken.findMany({ where: { guardianId: id, kind: 'ACTIVATION_LINK' }, orderBy: { createdAt: 'asc' } });
    expect(tokens).toHaveLength(2);
    expect(tokens[1]!.tokenHash).toBe(hashToken(token));
    expect(tokens.some((t) => t.tokenHash === token)).toBe(false);
    expect(tokens[0]!.usedAt).not.toBeNull(); // the earlier link no longer works
    expect(tokens[1]!.usedAt).toBeNull();
    expect(tokens[1]!.expiresAt.getTime() - tokens[1]!.createdAt.getTime()).toBeGreaterThan(23 * 3_600_000);
    const dump = await auditDump(db);
    expect(dump).toContain('accounts.resend_activation');
    expect(dump).not.toContain(token);
  });

  it('is refused for other states and for a malformed address', async () => {
    const notified = await createGuardian(db, {
      lastName: 'AVISAD',
      firstName: 'Guillaume',
      email: 'a@example.org',
      state: 'NOTIFIED',
      tempPassword: 'X#y7abcdefghij',
      pupilIds: [pupil],
    });
    await expect(resendActivation(ctx, director(UAI), UAI, notified)).rejects.toMatchObject({ code: 'conflict' });
    const act = await createGuardian(db, { lastName: 'B', firstName: 'C', email: 'b@example.org', state: 'ACTIVATING', pupilIds: [pupil] });
    await expect(resendActivation(ctx, director(UAI), UAI, act, { correctedEmail: 'pas une adresse' })).rejects.toMatchObject({ code: 'invalid' });
    expect(await db.outboxMessage.count()).toBe(0);
    expect(await db.selfServiceToken.count()).toBe(0);
  });

  it('normalises addresses', () => {
    expect(normalizeEmail('Jean.Dupont@Example.ORG')).toBe('Jean.Dupont@example.org');
    expect(normalizeEmail('jean@localhost')).toBeNull();
    expect(normalizeEmail('a b@example.org')).toBeNull();
    expect(normalizeEmail('a@b@example.org')).toBeNull();
  });
});
