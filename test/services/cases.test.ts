import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CASES_PER_SOURCE, createCase, getCase, listCases, setCaseState } from '../../services/cases.js';
import { resolveCasesAfterImport } from '../../services/case-import.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { agent, anonymous, createClass, createGuardian, createPupil, createSchool, director, recordMessages } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
let pupil: number;
let guardian: number;

afterAll(() => db.$disconnect());

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(new Date('2026-11-20T10:00:00Z'));
  await createSchool(db, UAI);
  pupil = await createPupil(db, { schoolUai: UAI, classId: await createClass(db, UAI, 'CP', 'CP'), lastName: 'DUPONT', firstName: 'Léa' });
  guardian = await createGuardian(db, {
    lastName: 'DUPONT',
    firstName: 'Céline',
    email: 'celine@example.org',
    mobile: '+33612345678',
    state: 'NOTIFIED',
    pupilIds: [pupil],
  });
});

describe('cases', () => {
  it('an anonymous parent opens a case and gets a unique human reference', async () => {
    const a = await createCase(ctx, anonymous, {
      kind: 'BIRTH_DATE',
      schoolUai: UAI,
      pupilId: pupil,
      contactEmail: 'Celine@Example.org',
      summary: 'La date de naissance est refusée.',
    });
    const b = await createCase(ctx, anonymous, { kind: 'MOBILE', schoolUai: UAI, contactMobile: '06 98 76 54 32', summary: 'Mon numéro est refusé.' });
    expect(a.reference).toMatch(/^EDU-2026-\d{6}$/);
    expect(b.reference).not.toBe(a.reference);
    const stored = await db.case.findUniqueOrThrow({ where: { reference: b.reference } });
    expect(stored).toMatchObject({ state: 'OPEN', contactMobile: '+33698765432', schoolUai: UAI });
    expect((await db.case.findUniqueOrThrow({ where: { reference: a.reference } })).contactEmail).toBe('Celine@example.org');
    const audit = await db.auditLog.findMany({ where: { action: 'cases.create' } });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit.map((r) => r.details))).not.toContain('98765432');
  });

  it('matches the child and parent a parent named in the chat, so that an import can resolve the case', async () => {
    const named = { childLastName: 'Dupont', childFirstName: 'lea', parentName: 'celine DUPONT' };
    const birth = await createCase(ctx, anonymous, { kind: 'BIRTH_DATE', schoolUai: UAI, named, contactEmail: 'x@example.org', summary: 'Date refusée' });
    const mobile = await createCase(ctx, anonymous, { kind: 'MOBILE', schoolUai: UAI, named, contactEmail: 'x@example.org', summary: 'Portable refusé' });
    const unknown = await createCase(ctx, anonymous, {
      kind: 'BIRTH_DATE',
      schoolUai: UAI,
      named: { childLastName: 'Inconnu', childFirstName: 'Paul' },
      contactEmail: 'x@example.org',
      summary: 'Date refusée',
    });
    const rows = await db.case.findMany({ orderBy: { id: 'asc' }, select: { reference: true, pupilId: true, guardianId: true } });
    expect(rows).toEqual([
      { reference: birth.reference, pupilId: pupil, guardianId: guardian },
      { reference: mobile.reference, pupilId: pupil, guardianId: guardian },
      { reference: unknown.reference, pupilId: null, guardianId: null },
    ]);
    expect(await resolveCasesAfterImport(ctx, { pupilIds: [pupil], guardianIds: [] })).toBe(1);
    expect(await resolveCasesAfterImport(ctx, { pupilIds: [], guardianIds: [guardian] })).toBe(1);
  });

  it('refuses an anonymous case without any way to answer, or with bad contacts', async () => {
    await expect(createCase(ctx, anonymous, { kind: 'OTHER', schoolUai: UAI, summary: 'Aide' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(createCase(ctx, anonymous, { kind: 'OTHER', schoolUai: UAI, summary: 'Aide', contactMobile: '12' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(createCase(ctx, anonymous, { kind: 'OTHER', schoolUai: 'ABC', summary: 'Aide', contactEmail: 'a@example.org' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(createCase(ctx, anonymous, { kind: 'OTHER', schoolUai: UAI, summary: '  ', contactEmail: 'a@example.org' })).rejects.toMatchObject({
      code: 'invalid',
    });
    await expect(
      createCase(ctx, anonymous, { kind: 'OTHER', schoolUai: UAI, pupilId: 999999, summary: 'x', contactEmail: 'a@example.org' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await db.case.count()).toBe(0);
  });

  it('limits how many cases one parent source may open', async () => {
    const source = { kind: 'anonymous' as const, source: 'conv-spam' };
    for (let i = 0; i < CASES_PER_SOURCE; i++)
      await createCase(ctx, source, { kind: 'OTHER', schoolUai: UAI, summary: `Demande ${i}`, contactEmail: 'a@example.org' });
    await expect(createCase(ctx, source, { kind: 'OTHER', schoolUai: UAI, summary: 'Encore', contactEmail: 'a@example.org' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(await db.case.count()).toBe(CASES_PER_SOURCE);
    // Staff are not limited.
    await createCase(ctx, agent, { kind: 'OTHER', schoolUai: UAI, summary: 'Appel' });
  });

  it('follows the allowed transitions with a history row per change', async () => {
    const { reference } = await createCase(ctx, director(UAI), {
      kind: 'BIRTH_DATE',
      schoolUai: UAI,
      pupilId: pupil,
      guardianId: guardian,
      summary: 'Date erronée',
    });
    expect((await listCases(ctx, director(UAI), { uai: UAI, states: ['OPEN'] })).map((c) => c.reference)).toEqual([reference]);
    const waiting = await setCaseState(ctx, director(UAI), reference, 'WAITING_REGISTER', 'Corrigé dans ONDE ce jour.');
    expect(waiting.state).toBe('WAITING_REGISTER');
    expect(waiting.next).toEqual(['OPEN', 'RESOLVED', 'CLOSED']);
    await setCaseState(ctx, agent, reference, 'CLOSED');
    await expect(setCaseState(ctx, agent, reference, 'OPEN')).rejects.toMatchObject({
      code: 'conflict',
      userMessage: expect.stringContaining('elle est close'),
    });
    const view = await getCase(ctx, agent, reference.toLowerCase());
    expect(view.events.map((e) => [e.fromState, e.toState, e.actor])).toEqual([
      [null, 'OPEN', 'director:dir-0311478N'],
      ['OPEN', 'WAITING_REGISTER', 'director:dir-0311478N'],
      ['WAITING_REGISTER', 'CLOSED', 'agent:agent-1'],
    ]);
    expect(view.events[1]!.note).toBe('Corrigé dans ONDE ce jour.');
    expect(view.pupil).toEqual({ firstName: 'Léa', lastName: 'DUPONT', className: 'CP' });
    expect(await db.auditLog.count({ where: { action: 'cases.set_state' } })).toBe(2);
  });

  it('resolveCasesAfterImport resolves the matching open cases and tells the parent to retry', async () => {
    const sent = recordMessages(ctx);
    const birth = await createCase(ctx, anonymous, {
      kind: 'BIRTH_DATE',
      schoolUai: UAI,
      pupilId: pupil,
      contactEmail: 'autre@example.org',
      summary: 'Date refusée',
    });
    const mobile = await createCase(ctx, agent, { kind: 'MOBILE', schoolUai: UAI, guardianId: guardian, summary: 'Portable inconnu' });
    const otherPupil = await createPupil(db, { schoolUai: UAI, classId: (await db.schoolClass.findFirstOrThrow()).id, lastName: 'X', firstName: 'Y' });
    const untouched = await createCase(ctx, anonymous, {
      kind: 'BIRTH_DATE',
      schoolUai: UAI,
      pupilId: otherPupil,
      contactEmail: 'x@example.org',
      summary: 'Autre',
    });
    const closed = await createCase(ctx, agent, { kind: 'BIRTH_DATE', schoolUai: UAI, pupilId: pupil, summary: 'Déjà fermé', guardianId: guardian });
    await setCaseState(ctx, agent, closed.reference, 'CLOSED');
    sent.length = 0;
    const queued = await db.outboxMessage.count();

    expect(await resolveCasesAfterImport(ctx, { pupilIds: [], guardianIds: [] })).toBe(0);
    const n = await resolveCasesAfterImport(ctx, { pupilIds: [pupil], guardianIds: [guardian] });
    expect(n).toBe(2);
    expect((await getCase(ctx, agent, birth.reference)).state).toBe('RESOLVED');
    expect((await getCase(ctx, agent, mobile.reference)).events.at(-1)).toMatchObject({ fromState: 'OPEN', toState: 'RESOLVED', actor: 'system:import' });
    expect((await getCase(ctx, agent, untouched.reference)).state).toBe('OPEN');
    expect((await getCase(ctx, agent, closed.reference)).state).toBe('CLOSED');
    expect(sent.map((m) => [m.template, m.to])).toEqual([
      ['case_update', 'autre@example.org'],
      ['case_update', 'celine@example.org'],
      ['sms_case_update', '+33612345678'],
    ]);
    expect(sent[0]).toMatchObject({ caseReference: birth.reference, kind: 'birth_date', firstName: null, state: 'RESOLVED', note: null });
    expect(await db.outboxMessage.count()).toBe(queued + 3);
    // Idempotent: a second import finds nothing left to resolve.
    expect(await resolveCasesAfterImport(ctx, { pupilIds: [pupil], guardianIds: [guardian] })).toBe(0);
  });
});
