// Lost identifier / lost password: uniform answers, codes, links, notices, rate limits.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { recoverIdentifier } from '../../../services/selfservice/identifier.js';
import { requestPasswordReset, setPasswordWithToken, verifyCode, passwordPageInfo } from '../../../services/selfservice/password.js';
import { verifyPassword } from '../../../services/passwords.js';
import { auditTexts, makeGuardian, makePupil, makeSchool, recordingContext, tokenOf, type RecordingContext } from './fixtures.js';
import type { Actor } from '../../../services/actor.js';
import type { OutgoingMessage } from '../../../services/delivery/types.js';

const prisma = testPrisma();
let ctx: RecordingContext;
let n = 0;
const anon = (): Actor => ({ kind: 'anonymous', source: `conv-${++n}` });

afterAll(() => prisma.$disconnect());

beforeEach(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma);
  const school = await makeSchool(prisma);
  const p = await makePupil(prisma, school, 'Léo', '2015-03-02');
  await makeGuardian(ctx, {
    identifier: 'c.martin',
    email: 'claire@example.org',
    emailConfirmed: true,
    mobile: '+33612345678',
    mobileConfirmed: true,
    state: 'ACTIVATED',
    personalPassword: 'Ancien-mot2passe',
    pupilIds: [p.id],
  });
  await makeGuardian(ctx, {
    identifier: 'p.durand',
    firstName: 'Paul',
    lastName: 'Durand',
    email: 'paul@example.org',
    emailConfirmed: false,
    mobile: '+33698765432',
    mobileConfirmed: false,
    state: 'ACTIVATING',
    pupilIds: [p.id],
  });
});

const outboxCount = () => prisma.outboxMessage.count();
const sms = (m: OutgoingMessage[]) => m.filter((x): x is Extract<OutgoingMessage, { template: 'sms_code' }> => x.template === 'sms_code');

describe('uniform answers', () => {
  it('lost identifier by email: byte-identical for confirmed, unconfirmed and unknown; only the confirmed one is mailed', async () => {
    const known = await recoverIdentifier(ctx, anon(), 'email', 'Claire@Example.org ');
    expect(await outboxCount()).toBe(2); // identifier to the email + SMS notice to the confirmed mobile
    expect(ctx.sent[0]).toMatchObject({ template: 'identifier_reminder', to: 'claire@example.org', identifier: 'c.martin' });
    expect(ctx.sent[1]).toEqual({ template: 'sms_notice', to: '+33612345678', event: 'identifier_sent' });
    const unconfirmed = await recoverIdentifier(ctx, anon(), 'email', 'paul@example.org');
    const unknown = await recoverIdentifier(ctx, anon(), 'email', 'nobody@example.org');
    expect(JSON.stringify(unconfirmed)).toBe(JSON.stringify(known));
    expect(JSON.stringify(unknown)).toBe(JSON.stringify(known));
    expect(await outboxCount()).toBe(2);
    expect(known.text).toMatch(/Si cette adresse e-mail est confirmée/);
  });

  it('lost identifier by SMS: same answer; only the confirmed mobile gets it', async () => {
    const known = await recoverIdentifier(ctx, anon(), 'sms', '06 12 34 56 78');
    const unconfirmed = await recoverIdentifier(ctx, anon(), 'sms', '+33 6 98 76 54 32');
    const unknown = await recoverIdentifier(ctx, anon(), 'sms', '0611111111');
    expect(JSON.stringify(unconfirmed)).toBe(JSON.stringify(known));
    expect(JSON.stringify(unknown)).toBe(JSON.stringify(known));
    expect(ctx.sent.map((m) => m.template)).toEqual(['sms_identifier', 'security_notice']);
    expect(ctx.sent[0]).toEqual({ template: 'sms_identifier', to: '+33612345678', identifier: 'c.martin' });
  });

  it('lost password by email: same answer; the link goes to the confirmed email only', async () => {
    const known = await requestPasswordReset(ctx, anon(), 'C.Martin', 'email');
    const unconfirmed = await requestPasswordReset(ctx, anon(), 'p.durand', 'email');
    const unknown = await requestPasswordReset(ctx, anon(), 'x.nobody', 'email');
    expect(JSON.stringify(unconfirmed)).toBe(JSON.stringify(known));
    expect(JSON.stringify(unknown)).toBe(JSON.stringify(known));
    expect(ctx.sent).toHaveLength(1);
    const mail = ctx.sent[0];
    expect(mail).toMatchObject({ template: 'password_reset_link', to: 'claire@example.org', ttlHours: 24 });
    if (mail?.template !== 'password_reset_link') throw new Error('no link');
    expect(mail.url).toMatch(/^http:\/\/localhost:3978\/mot-de-passe\/[A-Za-z0-9_-]{43}$/);
    const stored = await prisma.selfServiceToken.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(tokenOf(mail.url));
  });

  it('lost password by SMS: same shape and text; the code goes to the confirmed mobile; the text states the validity', async () => {
    const known = await requestPasswordReset(ctx, anon(), 'c.martin', 'sms');
    const unconfirmed = await requestPasswordReset(ctx, anon(), 'p.durand', 'sms');
    const unknown = await requestPasswordReset(ctx, anon(), 'x.nobody', 'sms');
    const strip = (r: object) => JSON.stringify({ ...r, requestId: 'R' });
    expect(strip(unconfirmed)).toBe(strip(known));
    expect(strip(unknown)).toBe(strip(known));
    for (const r of [known, unconfirmed, unknown]) expect('requestId' in r && /^[A-Za-z0-9_-]{22}$/.test(r.requestId)).toBe(true);
    expect(known.text).toContain('valable 30 minutes');
    expect(sms(ctx.sent)).toHaveLength(1);
    expect(sms(ctx.sent)[0]).toMatchObject({ to: '+33612345678', ttlMinutes: 30, purpose: 'password' });
  });

  it('takes the same minimum time whatever the case', async () => {
    const t0 = performance.now();
    await recoverIdentifier(ctx, anon(), 'email', 'nobody@example.org');
    const unknownMs = performance.now() - t0;
    expect(unknownMs).toBeGreaterThanOrEqual(395);
  });
});

async function smsReset(): Promise<{ requestId: string; code: string }> {
  const r = await requestPasswordReset(ctx, anon(), 'c.martin', 'sms');
  if (!('requestId' in r)) throw new Error('no request id');
  const code = sms(ctx.sent).at(-1)?.code;
  if (!code) throw new Error('no code');
  return { requestId: r.requestId, code };
}

describe('SMS codes', () => {
  it('a right code gives a single-use password page; the new password works, notices go to every confirmed contact', async () => {
    const { requestId, code } = await smsReset();
    expect(code).toMatch(/^\d{6}$/);
    const ok = await verifyCode(ctx, anon(), requestId, code);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.url).toMatch(/^http:\/\/localhost:3978\/mot-de-passe\//);
    expect(await verifyCode(ctx, anon(), requestId, code)).toEqual({ ok: false, text: expect.stringMatching(/n'est pas valable/) });
    const token = tokenOf(ok.url);
    expect(await passwordPageInfo(ctx, token)).toEqual({ identifier: 'c.martin', firstName: 'Claire' });
    const weak = await setPasswordWithToken(ctx, anon(), token, 'court', 'court');
    expect(weak.ok).toBe(false);
    ctx.sent.length = 0;
    const done = await setPasswordWithToken(ctx, anon(), token, 'Nouveau-Jardin-42', 'Nouveau-Jardin-42');
    expect(done).toEqual({ ok: true, identifier: 'c.martin' });
    const cred = await prisma.credential.findFirst({ where: { guardian: { identifier: 'c.martin' } } });
    expect(cred?.isTemporary).toBe(false);
    expect(await verifyPassword('Nouveau-Jardin-42', cred?.passwordHash ?? '')).toBe(true);
    expect(ctx.sent).toEqual([
      { template: 'security_notice', to: 'claire@example.org', firstName: 'Claire', event: 'password_changed' },
      { template: 'sms_notice', to: '+33612345678', event: 'password_changed' },
    ]);
    await expect(setPasswordWithToken(ctx, anon(), token, 'Encore-Autre-43', 'Encore-Autre-43')).rejects.toMatchObject({ code: 'expired' });
    const audit = await auditTexts(prisma);
    for (const secret of [code, token, 'Nouveau-Jardin-42', requestId]) expect(audit).not.toContain(secret);
  });

  it('expires after the configured validity (clock moved)', async () => {
    const { requestId, code } = await smsReset();
    ctx.advance(31 * 60_000);
    expect((await verifyCode(ctx, anon(), requestId, code)).ok).toBe(false);
  });

  it('is bound to its request', async () => {
    const first = await smsReset();
    const second = await smsReset();
    expect((await verifyCode(ctx, anon(), second.requestId, first.code === second.code ? '000000' : first.code)).ok).toBe(false);
    expect((await verifyCode(ctx, anon(), first.requestId, first.code)).ok).toBe(true);
  });

  it('5 wrong attempts invalidate it', async () => {
    const { requestId, code } = await smsReset();
    const wrong = code === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) expect((await verifyCode(ctx, anon(), requestId, wrong)).ok).toBe(false);
    expect((await verifyCode(ctx, anon(), requestId, code)).ok).toBe(false);
  });

  it('a reset link sets the password once and invalidates the other reset links', async () => {
    await requestPasswordReset(ctx, anon(), 'c.martin', 'email');
    await requestPasswordReset(ctx, anon(), 'c.martin', 'email');
    const urls = ctx.sent.flatMap((m) => (m.template === 'password_reset_link' ? [m.url] : []));
    expect(urls).toHaveLength(2);
    const [a, b] = urls.map(tokenOf) as [string, string];
    expect((await setPasswordWithToken(ctx, anon(), a, 'Nouveau-Jardin-42', 'Nouveau-Jardin-42')).ok).toBe(true);
    await expect(setPasswordWithToken(ctx, anon(), b, 'Nouveau-Jardin-43', 'Nouveau-Jardin-43')).rejects.toMatchObject({ code: 'expired' });
  });

  it('a reset link expires after 24 hours', async () => {
    await requestPasswordReset(ctx, anon(), 'c.martin', 'email');
    const mail = ctx.sent.find((m) => m.template === 'password_reset_link');
    if (mail?.template !== 'password_reset_link') throw new Error('no link');
    ctx.advance(24 * 3_600_000 + 1000);
    await expect(passwordPageInfo(ctx, tokenOf(mail.url))).rejects.toMatchObject({ code: 'expired' });
  });
});

describe('rate limits (same answer when limited, except per source)', () => {
  // Limits count in fixed windows (60 minutes here): the clock stands still one minute into
  // the current window, so that a run at hh:59 does not see its counters start again.
  beforeEach(() => ctx.setNow(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 60_000)));

  it('per account: the 6th request in the window sends nothing but answers the same', async () => {
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await requestPasswordReset(ctx, anon(), 'c.martin', 'email'));
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(ctx.sent.filter((m) => m.template === 'password_reset_link')).toHaveLength(5);
    ctx.advance(61 * 60_000);
    await requestPasswordReset(ctx, anon(), 'c.martin', 'email');
    expect(ctx.sent.filter((m) => m.template === 'password_reset_link')).toHaveLength(6);
  });

  it('per contact: the same email asked from many sources', async () => {
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await recoverIdentifier(ctx, anon(), 'email', 'claire@example.org'));
    expect(new Set(replies.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(ctx.sent.filter((m) => m.template === 'identifier_reminder')).toHaveLength(5);
  });

  it('per source: says to retry later', async () => {
    const local = recordingContext(prisma, {
      selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 2, windowMinutes: 60 } },
    });
    local.setNow(ctx.now());
    const actor: Actor = { kind: 'anonymous', source: 'same-ip' };
    await recoverIdentifier(local, actor, 'email', 'a@example.org');
    await recoverIdentifier(local, actor, 'email', 'b@example.org');
    const third = await recoverIdentifier(local, actor, 'email', 'claire@example.org');
    expect(third.status).toBe('rate_limited');
    expect(third.text).toMatch(/^Trop de demandes ont été faites\. Réessayez dans \d+ minutes?\.$/);
    expect(local.sent).toHaveLength(0);
  });
});
