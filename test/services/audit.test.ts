import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resendActivation } from '../../services/accounts/activation-resend.js';
import { consultAccount } from '../../services/accounts/consult.js';
import { listAccounts } from '../../services/accounts/list.js';
import { notify } from '../../services/accounts/notify.js';
import { resetPasswords } from '../../services/accounts/reset.js';
import { audit } from '../../services/audit.js';
import { createCase } from '../../services/cases.js';
import type { PrismaClient } from '../../services/db/index.js';
import { decryptSecret } from '../../services/passwords.js';
import { computeSchoolStats } from '../../services/stats.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { KEY, agent, anonymous, auditDump, createClass, createGuardian, createPupil, createSchool, director, recordMessages } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';

afterAll(() => db.$disconnect());

beforeAll(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  await createSchool(db, UAI);
});

describe('audit', () => {
  it('refuses details whose keys name a secret, at any depth', async () => {
    await expect(audit(db, { actor: agent, action: 'accounts.consult', outcome: 'success', details: { password: 'a' } })).rejects.toThrow(/secrets/);
    await expect(audit(db, { actor: agent, action: 'accounts.consult', outcome: 'success', details: { nested: [{ token: 'a' }] } })).rejects.toThrow(/secrets/);
    await expect(audit(db, { actor: agent, action: 'accounts.consult', outcome: 'success', details: { url: 'https://x/activation/abc' } })).rejects.toThrow(
      /secrets/,
    );
    await audit(db, { actor: anonymous, action: 'selfservice.login', outcome: 'success', details: { tokenId: 'uuid', letter: 'C01' } });
    const row = await db.auditLog.findFirstOrThrow({ where: { action: 'selfservice.login' } });
    expect(row).toMatchObject({ actorType: 'anonymous', actorId: 'anonymous:conv-1', outcome: 'success' });
  });

  it('writes one row per change and never a password, code or token', async () => {
    const sent = recordMessages(ctx);
    const cls = await createClass(db, UAI, 'CP', 'CP');
    const pupil = await createPupil(db, { schoolUai: UAI, classId: cls, lastName: 'DUPONT', firstName: 'Léa' });
    const fresh = await createGuardian(db, { lastName: 'A', firstName: 'A', email: 'a@example.org', pupilIds: [pupil] });
    const active = await createGuardian(db, {
      lastName: 'B',
      firstName: 'B',
      email: 'b@example.org',
      state: 'ACTIVATED',
      personalPassword: 'Perso-passe-111',
      pupilIds: [pupil],
    });
    const activating = await createGuardian(db, {
      lastName: 'C',
      firstName: 'C',
      email: 'c@example.org',
      state: 'ACTIVATING',
      personalPassword: 'Perso-passe-222',
      pupilIds: [pupil],
    });
    const d = director(UAI);

    const n = await notify(ctx, d, UAI, [fresh, active], { channel: 'email', reset: true });
    await resetPasswords(ctx, d, UAI, [active, activating]);
    await resendActivation(ctx, d, UAI, activating, { correctedEmail: 'c.new@example.org' });
    await consultAccount(ctx, d, active, UAI);
    await listAccounts(ctx, d, UAI);
    await computeSchoolStats(ctx, d, UAI);
    await createCase(ctx, anonymous, { kind: 'MOBILE', schoolUai: UAI, contactMobile: '0611223344', summary: 'Numéro refusé' });

    const secrets = [
      ...n.letters.map((l) => l.temporaryPassword).filter((p): p is string => p !== null),
      ...(await db.credential.findMany()).map((c) => (c.tempPasswordEnc ? decryptSecret(c.tempPasswordEnc, KEY) : null)).filter((p): p is string => p !== null),
      ...(await db.credential.findMany()).flatMap((c) => [c.tempPasswordEnc, c.passwordHash]).filter((p): p is string => p !== null),
      ...sent.flatMap((m) => (m.template === 'activation' ? [m.url, m.url.split('/').at(-1)!] : [])),
      ...(await db.selfServiceToken.findMany()).map((t) => t.tokenHash),
      'Perso-passe-111',
      'Perso-passe-222',
    ];
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const dump = await auditDump(db);
    for (const s of secrets) expect(dump.includes(s), `secret found in audit log`).toBe(false);
    expect(dump).not.toContain('0611223344');
    expect(dump).not.toContain('+33611223344');

    const byAction = await db.auditLog.groupBy({ by: ['action'], _count: { _all: true }, where: { action: { not: 'selfservice.login' } } });
    expect(Object.fromEntries(byAction.map((r) => [r.action, r._count._all]))).toEqual({
      'accounts.notify': 2,
      'accounts.reset_password': 2,
      'accounts.resend_activation': 1,
      'accounts.consult': 1,
      'accounts.list': 1,
      'stats.compute': 1,
      'cases.create': 1,
    });
    const rows = await db.auditLog.findMany({ where: { action: 'accounts.notify' } });
    expect(rows.every((r) => r.actorType === 'director' && r.actorId === `director:${d.kind === 'director' ? d.staffId : ''}` && r.schoolUai === UAI)).toBe(
      true,
    );
  });
});
