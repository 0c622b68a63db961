// First login, activation, SMS self-registration, regrouping, child link, email change, login.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { activateWithToken, completeFirstLogin, firstLoginInfo, startFirstLogin } from '../../../services/selfservice/activation.js';
import {
  completeRegistration,
  confirmRegistrationChildren,
  registrationInfo,
  startRegistration,
  verifyRegistrationCode,
} from '../../../services/selfservice/registration.js';
import { regroupAccounts } from '../../../services/selfservice/regroup.js';
import { listMyChildren, removeChildLink } from '../../../services/selfservice/child-link.js';
import { confirmEmailChange, requestEmailChange } from '../../../services/selfservice/email-change.js';
import { login, sessionActor } from '../../../services/selfservice/session.js';
import { auditTexts, makeGuardian, makePupil, makeSchool, recordingContext, tokenOf, type RecordingContext } from './fixtures.js';
import type { Actor } from '../../../services/actor.js';
import type { OutgoingMessage } from '../../../services/delivery/types.js';

const prisma = testPrisma();
let ctx: RecordingContext;
const anon: Actor = { kind: 'anonymous', source: 'test-ip' };
const TEMP = 'Tmp#Pass7word';
const NEW = 'Jardin-Fleuri-2031';
let school: { uai: string; classId: number };

afterAll(() => prisma.$disconnect());
beforeEach(async () => {
  await resetDatabase(prisma);
  ctx = recordingContext(prisma);
  school = await makeSchool(prisma);
});

const urlOf = (m: OutgoingMessage | undefined): string => (m && 'url' in m ? m.url : '');

describe('first login with the temporary password', () => {
  it('-> ACTIVATING -> activation link -> ACTIVATED; the temporary password stops working', async () => {
    const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const g = await makeGuardian(ctx, { identifier: 'c.martin', origin: 'UNSET', state: 'NOTIFIED', temporaryPassword: TEMP, pupilIds: [leo.id] });
    expect((await login(ctx, anon, 'c.martin', TEMP)).ok).toBe(false);
    expect(await login(ctx, anon, 'c.martin', TEMP)).toMatchObject({ reason: 'must_change' });
    expect(await startFirstLogin(ctx, anon, 'c.martin', 'wrong')).toEqual({ ok: false, reason: 'bad_credentials', text: expect.stringMatching(/incorrect/) });
    const start = await startFirstLogin(ctx, anon, ' C.Martin ', TEMP);
    expect(start).toMatchObject({ ok: true, identifier: 'c.martin', needsActivation: true, childFirstName: 'Léo' });
    if (!start.ok) return;
    expect(await firstLoginInfo(ctx, start.ticket)).toMatchObject({ childFirstName: 'Léo' });
    const weak = await completeFirstLogin(ctx, anon, start.ticket, { password: 'martin', confirmation: 'x', email: 'pas-un-mail', birthDate: '' });
    expect(weak.ok).toBe(false);
    if (!weak.ok) expect(Object.keys(weak.errors).sort()).toEqual(['birthDate', 'confirmation', 'email', 'password']);
    const done = await completeFirstLogin(ctx, anon, start.ticket, { password: NEW, confirmation: NEW, email: 'claire@Example.ORG', birthDate: '02/03/2015' });
    expect(done).toEqual({ ok: true, identifier: 'c.martin', activationMailTo: 'claire@example.org' });
    let row = await prisma.guardian.findUniqueOrThrow({ where: { id: g.id }, include: { credential: true } });
    expect(row).toMatchObject({ state: 'ACTIVATING', origin: 'SCHOOL', email: 'claire@example.org', emailConfirmed: false });
    expect(row.credential).toMatchObject({ isTemporary: false, tempPasswordEnc: null });
    expect(await startFirstLogin(ctx, anon, 'c.martin', TEMP)).toMatchObject({ ok: false });
    const mail = ctx.sent.find((m) => m.template === 'activation');
    expect(mail).toMatchObject({ to: 'claire@example.org', identifier: 'c.martin' });
    const token = tokenOf(urlOf(mail));
    expect(urlOf(mail)).toBe(`http://localhost:3978/activation/${token}`);
    expect(await activateWithToken(ctx, anon, token)).toMatchObject({ ok: true, alreadyActivated: false });
    row = await prisma.guardian.findUniqueOrThrow({ where: { id: g.id }, include: { credential: true } });
    expect(row).toMatchObject({ state: 'ACTIVATED', emailConfirmed: true });
    expect(row.activatedAt).toBeInstanceOf(Date);
    expect(await activateWithToken(ctx, anon, token)).toMatchObject({ alreadyActivated: true });
    await expect(activateWithToken(ctx, anon, 'not-a-token')).rejects.toMatchObject({
      code: 'expired',
      userMessage: expect.stringMatching(/nouvel e-mail d'activation/),
    });
    const session = await login(ctx, anon, 'c.martin', NEW);
    expect(session.ok).toBe(true);
    if (session.ok) expect(await sessionActor(ctx, session.sessionToken, 'x')).toEqual({ kind: 'guardian', guardianId: g.id, source: 'x' });
    const audit = await auditTexts(prisma);
    for (const s of [TEMP, NEW, token, start.ticket, session.ok ? session.sessionToken : 'none']) expect(audit).not.toContain(s);
    expect(audit).toContain('selfservice.activation');
  });

  it('an expired activation link is refused with a way to get a new one', async () => {
    const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
    await makeGuardian(ctx, { identifier: 'c.martin', temporaryPassword: TEMP, pupilIds: [leo.id] });
    const start = await startFirstLogin(ctx, anon, 'c.martin', TEMP);
    if (!start.ok) throw new Error(start.text);
    await completeFirstLogin(ctx, anon, start.ticket, { password: NEW, confirmation: NEW, email: 'c@example.org', birthDate: '2015-03-02' });
    ctx.advance(25 * 3_600_000);
    await expect(activateWithToken(ctx, anon, tokenOf(urlOf(ctx.sent.find((m) => m.template === 'activation'))))).rejects.toMatchObject({ code: 'expired' });
  });

  it('a wrong birth date is refused without revealing the right one, and attempts are limited', async () => {
    const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
    await makeGuardian(ctx, { identifier: 'c.martin', temporaryPassword: TEMP, pupilIds: [leo.id] });
    const start = await startFirstLogin(ctx, anon, 'c.martin', TEMP);
    if (!start.ok) throw new Error(start.text);
    const attempt = () => completeFirstLogin(ctx, anon, start.ticket, { password: NEW, confirmation: NEW, email: 'c@example.org', birthDate: '2015-03-03' });
    const r = await attempt();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(Object.keys(r.errors)).toEqual(['birthDate']);
      const text = r.errors.birthDate?.join(' ') ?? '';
      expect(text).toMatch(/ne correspond pas/);
      expect(text).not.toMatch(/2015|02\/03|Léo/);
    }
    for (let i = 0; i < 3; i++) await attempt();
    await expect(attempt()).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(attempt()).rejects.toMatchObject({ code: 'expired' });
    const g = await prisma.guardian.findFirstOrThrow({ include: { credential: true } });
    expect(g.state).toBe('NOTIFIED');
    expect(g.credential?.isTemporary).toBe(true);
  });

  it('an activated account with a reset (temporary) password only changes its password', async () => {
    const g = await makeGuardian(ctx, { identifier: 'c.martin', state: 'ACTIVATED', email: 'c@example.org', emailConfirmed: true, temporaryPassword: TEMP });
    const start = await startFirstLogin(ctx, anon, 'c.martin', TEMP);
    expect(start).toMatchObject({ ok: true, needsActivation: false, childFirstName: null });
    if (!start.ok) return;
    expect(await completeFirstLogin(ctx, anon, start.ticket, { password: NEW, confirmation: NEW })).toMatchObject({ ok: true, activationMailTo: null });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ state: 'ACTIVATED' });
    expect(ctx.sent).toEqual([{ template: 'security_notice', to: 'c@example.org', firstName: 'Claire', event: 'password_changed' }]);
  });
});

describe('SMS self-registration', () => {
  it('names + mobile -> code -> every birth date -> identifier -> password -> ACTIVATED, origin SELF', async () => {
    const a = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const b = await makePupil(prisma, school, 'Zoé', '2018-11-30');
    const g = await makeGuardian(ctx, {
      identifier: 'e.lefevre3',
      lastName: 'Lefèvre',
      firstName: 'Élodie',
      mobile: '+33611223344',
      state: 'NOT_NOTIFIED',
      origin: 'UNSET',
      pupilIds: [a.id, b.id],
    });
    const known = await startRegistration(ctx, anon, { lastName: 'LEFEVRE', firstName: 'elodie', mobile: '06 11 22 33 44' });
    const wrongName = await startRegistration(ctx, anon, { lastName: 'Lefèvre', firstName: 'Paul', mobile: '06 11 22 33 44' });
    const wrongMobile = await startRegistration(ctx, anon, { lastName: 'Lefèvre', firstName: 'Élodie', mobile: '06 99 99 99 99' });
    const strip = (r: object) => JSON.stringify({ ...r, requestId: 'R' });
    expect(strip(wrongName)).toBe(strip(known));
    expect(strip(wrongMobile)).toBe(strip(known));
    expect(ctx.sent).toHaveLength(1);
    const code = ctx.sent[0]?.template === 'sms_code' ? ctx.sent[0].code : '';
    if (!('requestId' in known)) throw new Error('no request id');
    expect((await verifyRegistrationCode(ctx, anon, known.requestId, code === '000000' ? '111111' : '000000')).ok).toBe(false);
    const v = await verifyRegistrationCode(ctx, anon, known.requestId, code);
    if (!v.ok) throw new Error(v.text);
    const info = await registrationInfo(ctx, v.ticket);
    const kids = [
      { pupilId: a.id, firstName: 'Léo' },
      { pupilId: b.id, firstName: 'Zoé' },
    ];
    expect(info).toEqual({ step: 'children', identifier: null, children: kids, accounts: [kids] });
    const oneWrong = await confirmRegistrationChildren(ctx, anon, v.ticket, { [a.id]: '2015-03-02', [b.id]: '2018-11-29' });
    expect(oneWrong.ok).toBe(false);
    if (!oneWrong.ok) expect(oneWrong.text).not.toMatch(/Zoé|Léo|2018/);
    await expect(completeRegistration(ctx, anon, v.ticket, NEW, NEW)).rejects.toMatchObject({ code: 'conflict' });
    expect(await confirmRegistrationChildren(ctx, anon, v.ticket, { [a.id]: '02/03/2015', [b.id]: '2018-11-30' })).toEqual({
      ok: true,
      identifier: 'e.lefevre3',
    });
    expect((await registrationInfo(ctx, v.ticket)).identifier).toBe('e.lefevre3');
    expect((await completeRegistration(ctx, anon, v.ticket, 'Elodie-2031-Jardin', 'Elodie-2031-Jardin')).ok).toBe(false);
    expect(await completeRegistration(ctx, anon, v.ticket, NEW, NEW)).toEqual({ ok: true, identifier: 'e.lefevre3' });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ state: 'ACTIVATED', origin: 'SELF', mobileConfirmed: true });
    expect((await login(ctx, anon, 'e.lefevre3', NEW)).ok).toBe(true);
    await expect(registrationInfo(ctx, v.ticket)).rejects.toMatchObject({ code: 'expired' });
    const audit = await auditTexts(prisma);
    for (const s of [code, NEW, v.ticket, known.requestId]) expect(audit).not.toContain(s);
  });

  it('an activated account cannot self-register', async () => {
    await makeGuardian(ctx, { identifier: 'e.lefevre', mobile: '+33611223344', state: 'ACTIVATED' });
    await startRegistration(ctx, anon, { lastName: 'Martin', firstName: 'Claire', mobile: '0611223344' });
    expect(ctx.sent).toHaveLength(0);
  });
});

describe('"mon compte"', () => {
  async function twoAccounts(otherName: { lastName: string; firstName: string }) {
    const a = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const b = await makePupil(prisma, school, 'Zoé', '2018-11-30');
    const kept = await makeGuardian(ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATED',
      email: 'c@example.org',
      emailConfirmed: true,
      personalPassword: NEW,
      pupilIds: [a.id],
    });
    await prisma.guardianRef.create({ data: { ref: 'ONDE-2', guardianId: kept.id } });
    const other = await makeGuardian(ctx, { identifier: 'c.martin7', ...otherName, temporaryPassword: TEMP, pupilIds: [a.id, b.id] });
    await prisma.guardianRef.create({ data: { ref: 'SIECLE-9', guardianId: other.id } });
    return { a, b, kept, other, actor: { kind: 'guardian', guardianId: kept.id, source: 'web' } as Actor };
  }

  it('regroups two accounts with identical names (accents/case ignored)', async () => {
    const { b, kept, other, actor } = await twoAccounts({ lastName: 'MARTIN', firstName: 'claire' });
    await expect(regroupAccounts(ctx, actor, 'c.martin7', 'wrong')).rejects.toMatchObject({ code: 'invalid' });
    expect(await regroupAccounts(ctx, actor, 'C.Martin7', TEMP)).toEqual({ ok: true, movedPupils: 1, mergedIdentifier: 'c.martin7' });
    expect((await listMyChildren(ctx, actor)).map((c) => c.pupilId)).toContain(b.id);
    expect(await prisma.pupilGuardian.count({ where: { guardianId: other.id } })).toBe(0);
    expect(await prisma.guardianRef.count({ where: { guardianId: kept.id } })).toBe(2);
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ mergedIntoId: kept.id });
    expect(await startFirstLogin(ctx, anon, 'c.martin7', TEMP)).toMatchObject({ ok: false });
    expect(ctx.sent).toEqual([{ template: 'security_notice', to: 'c@example.org', firstName: 'Claire', event: 'accounts_merged' }]);
    expect(await auditTexts(prisma)).not.toContain(TEMP);
  });

  it('refuses to regroup accounts with different names, saying why', async () => {
    const { other, actor } = await twoAccounts({ lastName: 'Martin', firstName: 'Claude' });
    await expect(regroupAccounts(ctx, actor, 'c.martin7', TEMP)).rejects.toMatchObject({
      code: 'invalid',
      userMessage: expect.stringMatching(/nom et le prénom sont identiques/),
    });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ mergedIntoId: null });
    expect(await prisma.pupilGuardian.count({ where: { guardianId: other.id } })).toBe(2);
  });

  it('removes a wrong child link, but not the only link of a pupil', async () => {
    const { a, b, actor } = await twoAccounts({ lastName: 'Dupont', firstName: 'Jean' });
    const b2 = await makePupil(prisma, school, 'Théo', '2016-01-01');
    await prisma.pupilGuardian.create({
      data: { pupilId: b2.id, guardianId: (await prisma.guardian.findFirstOrThrow({ where: { identifier: 'c.martin' } })).id },
    });
    expect(await removeChildLink(ctx, actor, a.id)).toEqual({ ok: true });
    await expect(removeChildLink(ctx, actor, b2.id)).rejects.toMatchObject({ code: 'conflict', userMessage: expect.stringMatching(/Contactez l'école/) });
    await expect(removeChildLink(ctx, actor, b.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(removeChildLink(ctx, anon, b2.id)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listMyChildren(ctx, actor)).map((c) => c.firstName)).toEqual(['Théo']);
  });

  it('changes the email: notice to the old address, link to the new, confirmed by the link', async () => {
    const g = await makeGuardian(ctx, { identifier: 'c.martin', state: 'ACTIVATED', email: 'old@example.org', emailConfirmed: true, personalPassword: NEW });
    const actor: Actor = { kind: 'guardian', guardianId: g.id, source: 'web' };
    await expect(requestEmailChange(ctx, actor, 'new@example.org', 'neww@example.org')).rejects.toMatchObject({ code: 'invalid' });
    const r = await requestEmailChange(ctx, actor, 'new@Example.org', 'New@example.org');
    expect(r.text).toMatch(/n\*\*\*w@example\.org/);
    expect(ctx.sent.map((m) => [m.template, m.to])).toEqual([
      ['email_change_notice', 'old@example.org'],
      ['email_change_confirm', 'new@example.org'],
    ]);
    expect(ctx.sent[0]).toMatchObject({ newEmailMasked: 'n***w@example.org' });
    const token = tokenOf(urlOf(ctx.sent[1]));
    expect(urlOf(ctx.sent[1])).toBe(`http://localhost:3978/email/${token}`);
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ email: 'old@example.org' });
    expect(await confirmEmailChange(ctx, anon, token)).toMatchObject({ ok: true, email: 'new@example.org' });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ email: 'new@example.org', emailConfirmed: true });
    await expect(confirmEmailChange(ctx, anon, token)).rejects.toMatchObject({ code: 'expired' });
    const audit = await auditTexts(prisma);
    expect(audit).toContain('selfservice.email_change');
    expect(audit).not.toContain(token);
    expect(audit).not.toContain('new@example.org');
  });
});
