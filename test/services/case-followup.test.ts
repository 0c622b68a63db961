// Cases come back: what the parent typed is kept encrypted and shown to staff only, agents'
// cases carry the pupil, staff move a case with a message and the parent is told (outbox and
// chat notice), bad changes are refused in French without any side effect.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createCase, getCase, setCaseState } from '../../services/cases.js';
import { resolveCasesAfterImport } from '../../services/case-import.js';
import { chatNoticeFailed, chatNoticeSent, claimChatNotices, CHAT_NOTICE_MAX_ATTEMPTS } from '../../services/case-notices.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { agent, anonymous, createClass, createGuardian, createPupil, createSchool, director, recordMessages } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
// A second instance: its own client (connection pool) on the same database.
const db2: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const OTHER_UAI = '0312093K';
let classId: number;
let pupil: number;
let guardian: number;

afterAll(async () => {
  await db.$disconnect();
  await db2.$disconnect();
});

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(new Date('2026-11-20T10:00:00Z'));
  await createSchool(db, UAI, 'École Sainte-Famille');
  await createSchool(db, OTHER_UAI, 'Collège Jean-Jaurès');
  classId = await createClass(db, UAI, 'CP', 'CP');
  pupil = await createPupil(db, { schoolUai: UAI, classId, lastName: 'DUPONT', firstName: 'Léa' });
  guardian = await createGuardian(db, {
    lastName: 'DUPONT',
    firstName: 'Céline',
    email: 'celine@example.org',
    mobile: '+33612345678',
    state: 'NOTIFIED',
    pupilIds: [pupil],
  });
});

const parentCase = (typed = '2016-03-12') =>
  createCase(ctx, anonymous, {
    kind: 'BIRTH_DATE',
    schoolUai: UAI,
    named: { childLastName: 'Dupont', childFirstName: 'Léa' },
    contactEmail: 'parent@example.org',
    typed,
    chatRefKey: 'webchat-conv-1',
    summary: 'Date de naissance refusée',
  });

describe('what the parent typed and the contact they gave', () => {
  it('is stored encrypted, shown to the school staff and agents, never in the audit', async () => {
    const { reference } = await parentCase();
    const row = await db.case.findUniqueOrThrow({ where: { reference } });
    expect(row.typedEnc).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain('2016-03-12');
    expect(row.chatRefKey).toBe('webchat-conv-1');
    for (const staff of [director(UAI), agent]) {
      const view = await getCase(ctx, staff, reference);
      expect(view.typed).toEqual({ label: 'Date de naissance saisie (refusée)', value: '12/03/2016' });
      expect(view.contactEmail).toBe('parent@example.org');
    }
    await expect(getCase(ctx, director(OTHER_UAI), reference)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getCase(ctx, anonymous, reference)).rejects.toMatchObject({ code: 'forbidden' });
    const audit = JSON.stringify((await db.auditLog.findMany()).map((r) => r.details));
    expect(audit).not.toContain('2016');
    expect(audit).not.toContain('parent@example.org');
  });

  it('keeps only a real date or mobile: never free text, a password or a date in the future', async () => {
    for (const typed of ['MonMotDePasse2024!', '2016-02-30', '2031-01-01', '1850-01-01']) {
      await expect(parentCase(typed)).rejects.toMatchObject({ code: 'invalid' });
    }
    await expect(
      createCase(ctx, anonymous, { kind: 'REGROUP', schoolUai: UAI, contactEmail: 'p@example.org', typed: 'abc', summary: 'x' }),
    ).rejects.toMatchObject({ code: 'invalid' });
    const mobile = await createCase(ctx, anonymous, {
      kind: 'MOBILE',
      schoolUai: UAI,
      contactMobile: '0698765432',
      typed: '06 98 76 54 32',
      summary: 'Portable',
    });
    expect((await getCase(ctx, agent, mobile.reference)).typed).toEqual({ label: 'Numéro saisi (non reconnu)', value: '+33698765432' });
    expect(await db.case.count()).toBe(1);
  });
});

describe("agents' cases carry the pupil", () => {
  it('takes the only child of the guardian in the school, so that the import resolves it', async () => {
    const { reference } = await createCase(ctx, agent, { kind: 'BIRTH_DATE', schoolUai: UAI, guardianId: guardian, summary: 'Signalé au téléphone' });
    expect((await db.case.findUniqueOrThrow({ where: { reference } })).pupilId).toBe(pupil);
    expect(await resolveCasesAfterImport(ctx, { pupilIds: [pupil], guardianIds: [] })).toBe(1);
  });

  it('asks which child when the guardian has several there', async () => {
    const sister = await createPupil(db, { schoolUai: UAI, classId, lastName: 'DUPONT', firstName: 'Emma' });
    await db.pupilGuardian.create({ data: { pupilId: sister, guardianId: guardian } });
    await expect(createCase(ctx, agent, { kind: 'BIRTH_DATE', schoolUai: UAI, guardianId: guardian, summary: 'x' })).rejects.toMatchObject({
      code: 'invalid',
      userMessage: expect.stringContaining("précisez l'élève"),
    });
    const { reference } = await createCase(ctx, agent, { kind: 'BIRTH_DATE', schoolUai: UAI, guardianId: guardian, pupilId: sister, summary: 'x' });
    expect((await db.case.findUniqueOrThrow({ where: { reference } })).pupilId).toBe(sister);
  });
});

describe('staff move a case with a message; the parent is told', () => {
  it('resolved by the director: mail with what to do now and the message, SMS without link, chat notice', async () => {
    const sent = recordMessages(ctx);
    const { reference } = await parentCase();
    await createCase(ctx, anonymous, { kind: 'MOBILE', schoolUai: UAI, contactMobile: '0698765432', summary: 'Portable' }).then(({ reference: r }) =>
      setCaseState(ctx, agent, r, 'RESOLVED', { note: 'Numéro ajouté, voir https://phish.example/x' }),
    );
    const view = await setCaseState(ctx, director(UAI), reference, 'RESOLVED', { note: '  La date est corrigée  ', expected: 'OPEN' });
    expect(view.told).toEqual({ email: true, sms: false, chat: true });
    expect(view.events.at(-1)).toMatchObject({ toState: 'RESOLVED', note: 'La date est corrigée', actor: 'director:dir-0311478N' });
    expect(sent.map((m) => m.template)).toEqual(['sms_case_update', 'sms_case_note', 'case_update']);
    const note = sent[1];
    expect(note?.template === 'sms_case_note' && note.text).toMatch(/^EduConnect, demande EDU-2026-\d{6}, message de l'ecole : Numéro ajouté, voir$/);
    expect(sent[2]).toMatchObject({
      to: 'parent@example.org',
      state: 'RESOLVED',
      kind: 'birth_date',
      note: 'La date est corrigée',
      schoolName: 'École Sainte-Famille',
    });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { template: 'case_update' } });
    expect(mail.textBody).toContain("Reprenez l'activation de votre compte");
    expect(mail.textBody).toContain('« La date est corrigée »');
    const sms = await db.outboxMessage.findMany({ where: { channel: 'SMS' } });
    for (const m of sms) expect(m.textBody).not.toMatch(/https?:|www\.|\.example/);
    const [notice] = await db.caseChatNotice.findMany();
    expect(notice).toMatchObject({ chatRefKey: 'webchat-conv-1', sentAt: null });
    expect(notice?.text).toContain(`Des nouvelles de votre demande ${reference}`);
  });

  it('waiting for the register and closed are told too; reopening is not', async () => {
    const sent = recordMessages(ctx);
    const { reference } = await parentCase();
    await setCaseState(ctx, agent, reference, 'WAITING_REGISTER');
    await setCaseState(ctx, agent, reference, 'OPEN');
    await setCaseState(ctx, agent, reference, 'CLOSED', { note: 'Doublon de la demande précédente.' });
    expect(sent.map((m) => m.template === 'case_update' && m.state)).toEqual(['WAITING_REGISTER', 'CLOSED']);
    expect(await db.caseChatNotice.count()).toBe(2);
  });

  it('refuses a change of a closed case, a replayed card, another school, a huge message: nothing written twice', async () => {
    const { reference } = await parentCase();
    await setCaseState(ctx, director(UAI), reference, 'RESOLVED', { expected: 'OPEN' });
    const before = { outbox: await db.outboxMessage.count(), events: await db.caseEvent.count(), notices: await db.caseChatNotice.count() };
    // The same click again (replayed card, double click).
    await expect(setCaseState(ctx, director(UAI), reference, 'RESOLVED', { expected: 'OPEN' })).rejects.toMatchObject({
      code: 'conflict',
      userMessage: expect.stringContaining('déjà « Résolu »'),
    });
    // An older card showing the case open.
    await expect(setCaseState(ctx, director(UAI), reference, 'CLOSED', { expected: 'OPEN' })).rejects.toMatchObject({
      code: 'conflict',
      userMessage: expect.stringContaining('a changé entre-temps'),
    });
    await expect(setCaseState(ctx, director(OTHER_UAI), reference, 'CLOSED')).rejects.toMatchObject({ code: 'not_found' });
    await expect(setCaseState(ctx, director(UAI), reference, 'CLOSED', { note: 'x'.repeat(1001) })).rejects.toMatchObject({
      code: 'invalid',
      userMessage: expect.stringContaining('trop long'),
    });
    await expect(setCaseState(ctx, anonymous, reference, 'CLOSED')).rejects.toMatchObject({ code: 'forbidden' });
    await setCaseState(ctx, agent, reference, 'CLOSED', { note: '   ' });
    await expect(setCaseState(ctx, agent, reference, 'OPEN')).rejects.toMatchObject({ code: 'conflict' });
    expect(await db.caseEvent.count()).toBe(before.events + 1);
    expect(await db.caseEvent.findFirst({ where: { toState: 'CLOSED' } })).toMatchObject({ note: null });
    expect(await db.outboxMessage.count()).toBe(before.outbox + 1);
    expect(await db.caseChatNotice.count()).toBe(before.notices + 1);
  });

  it('two staff members clicking at once: one change, one refusal', async () => {
    const { reference } = await parentCase();
    const other = testContext(db2);
    other.setNow(ctx.now());
    const results = await Promise.allSettled([
      setCaseState(ctx, director(UAI), reference, 'RESOLVED', { expected: 'OPEN' }),
      setCaseState(other, agent, reference, 'RESOLVED', { expected: 'OPEN' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.caseEvent.count({ where: { toState: 'RESOLVED' } })).toBe(1);
    expect(await db.caseChatNotice.count()).toBe(1);
  });
});

describe('chat notices', () => {
  it('are claimed by one sender at a time, retried with a delay, then given up', async () => {
    const { reference } = await parentCase();
    await setCaseState(ctx, agent, reference, 'WAITING_REGISTER');
    const [first, second] = await Promise.all([claimChatNotices(ctx), claimChatNotices(ctx)]);
    expect([...(first ?? []), ...(second ?? [])]).toHaveLength(1);
    const notice = (first?.[0] ?? second?.[0])!;
    await chatNoticeFailed(ctx, notice, 'connector 502', false);
    expect(await claimChatNotices(ctx)).toEqual([]);
    ctx.setNow(new Date('2026-11-20T10:01:01Z'));
    const again = await claimChatNotices(ctx);
    expect(again).toHaveLength(1);
    await chatNoticeSent(ctx, again[0]!.id);
    ctx.setNow(new Date('2026-11-21T10:00:00Z'));
    expect(await claimChatNotices(ctx)).toEqual([]);
    // A notice that keeps failing is given up after CHAT_NOTICE_MAX_ATTEMPTS.
    await setCaseState(ctx, agent, reference, 'RESOLVED');
    for (let i = 1; i <= CHAT_NOTICE_MAX_ATTEMPTS; i++) {
      ctx.setNow(new Date(ctx.now().getTime() + 3_600_000));
      const [n] = await claimChatNotices(ctx);
      expect(n?.attempts).toBe(i);
      await chatNoticeFailed(ctx, n!, 'still down', false);
    }
    ctx.setNow(new Date(ctx.now().getTime() + 86_400_000));
    expect(await claimChatNotices(ctx)).toEqual([]);
    expect(await db.caseChatNotice.count({ where: { failedAt: { not: null } } })).toBe(1);
  });
});
