// The password check shared by login, first login and the activation address correction:
// unknown identifiers and wrong passwords answer alike; a wrong password for an existing account
// is audited when the page asks for it; the client address's rate limit comes first.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../services/actor.js';
import { VISIBLE_GUARDIAN } from '../../../services/accounts/scope.js';
import { checkPassword } from '../../../services/selfservice/password-check.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { makeGuardian, recordingContext, type RecordingContext } from './fixtures.js';

const prisma = testPrisma();
let ctx: RecordingContext;
const PASSWORD = 'Jardin-Fleuri-2031';
const actor: Actor = { kind: 'anonymous', source: 'ip:203.0.113.7' };

afterAll(() => prisma.$disconnect());
beforeEach(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma, {
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 3, windowMinutes: 60 } },
  });
  await makeGuardian(ctx, { identifier: 'c.martin', personalPassword: PASSWORD, state: 'ACTIVATED' });
});

const request = (identifier: string, password: string, auditedAs?: 'selfservice.first_login') => ({
  purpose: 'test',
  identifier,
  password,
  find: (id: string) => prisma.guardian.findFirst({ where: { ...VISIBLE_GUARDIAN, identifier: id }, include: { credential: true } }),
  ...(auditedAs ? { auditedAs } : {}),
});

const denials = () => prisma.auditLog.count({ where: { action: 'selfservice.first_login', outcome: 'denied' } });

describe('checkPassword', () => {
  it.each([
    ['the right password, identifier typed with spaces and capitals', ' C.Martin ', PASSWORD, { ok: true, match: 'personal' }, 0],
    ['a wrong password, audited', 'c.martin', 'Mauvais-1', { ok: false, reason: 'bad_credentials' }, 1],
    ['an unknown identifier (nothing to audit)', 'x.inconnu', PASSWORD, { ok: false, reason: 'bad_credentials' }, 0],
    ['an empty identifier', '   ', PASSWORD, { ok: false, reason: 'bad_credentials' }, 0],
  ])('%s', async (_label, identifier, password, expected, audited) => {
    expect(await checkPassword(ctx, actor, request(identifier, password, 'selfservice.first_login'))).toMatchObject(expected);
    expect(await denials()).toBe(audited);
  });

  it('does not audit a wrong password when the page does not ask for it', async () => {
    expect(await checkPassword(ctx, actor, request('c.martin', 'Mauvais-1'))).toEqual({ ok: false, reason: 'bad_credentials' });
    expect(await prisma.auditLog.count()).toBe(0);
  });

  it('refuses the address past its rate limit, before any password is tried', async () => {
    for (let i = 0; i < 3; i++) expect((await checkPassword(ctx, actor, request('c.martin', PASSWORD))).ok).toBe(true);
    expect(await checkPassword(ctx, actor, request('c.martin', PASSWORD))).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      text: expect.stringMatching(/^Trop de demandes ont été faites\. Réessayez dans \d+ minutes?\.$/),
    });
  });
});
