// Three simultaneous "Confirmer" clicks over HTTP (POST /api/messages, as a double click or a
// connector retry delivers them), on the real dialogs and database: one action, one audit row,
// and a polite "déjà prise en compte" for the others. Same for a case's change of state, from the
// cases dialog and from the director's proactive card.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootDialog } from '../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../dialogs/parent/index.js';
import { registerStaffDialogs } from '../../dialogs/staff/index.js';
import { createRecognizer } from '../../bot/recognizer/recognizer.js';
import { cardSubmission, type CardSubmission } from '../../cards/shared/card-action.js';
import { StaffRole } from '../../services/db/index.js';
import { CASE_CONFIRMATION, createCase, getCase, setCaseState } from '../../services/cases.js';
import { issueConfirmation } from '../../services/confirmations.js';
import { caseAlertCard } from '../../cards/staff/cases-card.js';
import { submitData } from '../helpers/adaptive.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { dialogDeps } from '../helpers/dialogs.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startFakeConnector, type FakeConnector, type ReceivedActivity } from './fake-connector.js';
import { buildStaffWorld, UAI_A, UAI_B, type StaffWorld } from '../dialogs/staff/fixtures.js';

const DIRECTOR = '00000000-0000-0000-0000-00000000d001';
const prisma = testPrisma();
let app: TestApp;
let connector: FakeConnector;
let world: StaffWorld;

beforeAll(async () => {
  const deps = dialogDeps(testContext(prisma), await createRecognizer());
  const root = registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps);
  app = await startTestApp({ rootDialog: root });
  connector = await startFakeConnector();
  await resetDatabase(prisma);
  world = await buildStaffWorld(prisma);
  await prisma.staff.create({
    data: { aadObjectId: DIRECTOR, upn: 'direction@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: [UAI_A, UAI_B] },
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await connector?.close();
  await prisma.$disconnect();
});

class Conversation {
  readonly id = `conv-${randomUUID()}`;
  private seen = 0;

  async post(fields: Record<string, unknown>): Promise<void> {
    const body = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'emulator',
      serviceUrl: connector.url,
      from: { id: DIRECTOR, aadObjectId: DIRECTOR, name: 'Directrice', role: 'user' },
      conversation: { id: this.id },
      recipient: { id: 'bot-id', name: 'Bot', role: 'bot' },
      locale: 'fr-FR',
      ...fields,
    };
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBeLessThan(600);
  }

  async send(fields: Record<string, unknown>, expected = 1): Promise<ReceivedActivity[]> {
    await this.post(fields);
    return this.collect(expected);
  }

  async collect(expected: number): Promise<ReceivedActivity[]> {
    const all = await connector.waitFor(this.id, this.seen + expected, 20_000);
    const replies = all.slice(this.seen);
    this.seen = all.length;
    return replies;
  }

  button(replies: readonly ReceivedActivity[], choice: string): CardSubmission {
    const found = submitData(replies.map((r) => r.attachments ?? []))
      .map((d) => cardSubmission(d))
      .find((d) => d?.choice === choice);
    if (!found) throw new Error(`no button ${choice}`);
    return found;
  }

  /** The same click delivered three times at once; every reply of the three turns. */
  async clickThrice(replies: readonly ReceivedActivity[], choice: string): Promise<string> {
    const value = this.button(replies, choice);
    await Promise.all([1, 2, 3].map(() => this.post({ type: 'message', value })));
    return JSON.stringify((await this.collect(3)).map((r) => [r.text, r.attachments]));
  }
}

const say = (c: Conversation, text: string): Promise<ReceivedActivity[]> => c.send({ type: 'message', text });

describe('confirmation delivered three times at once', () => {
  it('notify by sheet: one notification, one audit row, the others told politely', async () => {
    const c = new Conversation();
    const school = await say(c, 'notifier un compte');
    const who = await c.send({ type: 'message', value: c.button(school, `school:${UAI_A}`) });
    await c.send({ type: 'message', value: c.button(who, 'one') });
    await say(c, 'dupont');
    const reset = await say(c, 'fiche');
    const preview = await c.send({ type: 'message', value: c.button(reset, 'keep') });
    const replies = await c.clickThrice(preview, 'confirm');
    expect(replies).toContain('déjà été prise en compte');
    expect(await prisma.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(1);
    expect(await prisma.storedFile.count()).toBe(1);
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id: world.g.dupontNotNotified } })).state).toBe('NOTIFIED');
  });

  it('reset password: one reset, one audit row', async () => {
    const c = new Conversation();
    const school = await say(c, 'réinitialiser un mot de passe');
    const who = await c.send({ type: 'message', value: c.button(school, `school:${UAI_A}`) });
    await c.send({ type: 'message', value: c.button(who, 'one') });
    const confirm = await say(c, 'bernard');
    const replies = await c.clickThrice(confirm, 'confirm');
    expect(replies).toContain('déjà été prise en compte');
    expect(await prisma.auditLog.count({ where: { action: 'accounts.reset_password' } })).toBe(1);
  });

  it('case change from the cases dialog: one change, one audit row, one message to the parent', async () => {
    const { reference } = await createCase(
      testContext(prisma),
      { kind: 'anonymous', source: 'conv-case' },
      { kind: 'BIRTH_DATE', schoolUai: UAI_A, contactEmail: 'parent@example.org', summary: 'Date de naissance refusée' },
    );
    const c = new Conversation();
    const detail = await say(c, reference);
    const replies = await c.clickThrice(detail, 'state:RESOLVED');
    expect(replies).toContain('déjà été prise en compte');
    expect(await prisma.auditLog.count({ where: { action: 'cases.set_state', details: { path: ['reference'], equals: reference } } })).toBe(1);
    expect(await prisma.caseEvent.count({ where: { case: { reference }, toState: 'RESOLVED' } })).toBe(1);
    expect(await prisma.outboxMessage.count({ where: { template: 'case_update', recipient: 'parent@example.org' } })).toBe(1);
  });

  it("case change from the director's proactive card: one change, one audit row", async () => {
    const ctx = testContext(prisma);
    const { reference } = await createCase(
      ctx,
      { kind: 'anonymous', source: 'conv-card' },
      { kind: 'BIRTH_DATE', schoolUai: UAI_A, contactEmail: 'autre.parent@example.org', summary: 'Date de naissance refusée' },
    );
    const agentActor = { kind: 'agent', staffId: 'agent-test', name: 'Agent Test' } as const;
    const view = await getCase(ctx, agentActor, reference);
    const card = caseAlertCard(view.schoolName, [view], 1, { [reference]: await issueConfirmation(ctx, { kind: CASE_CONFIRMATION }) });
    const data = [...JSON.stringify(card).matchAll(/"data":(\{"caseAction":\{[^{}]*\}\})/g)].map(
      (m) => JSON.parse(m[1] ?? '{}') as { caseAction: { to: string } },
    );
    const value = { ...data.find((d) => d.caseAction.to === 'RESOLVED'), [`note.${reference}`]: 'Date corrigée.' };
    expect(value).toMatchObject({ caseAction: { reference, to: 'RESOLVED', confirmation: expect.any(String) } });
    const c = new Conversation();
    await Promise.all([1, 2, 3].map(() => c.post({ type: 'message', value })));
    const replies = JSON.stringify((await c.collect(3)).map((r) => r.text));
    expect(replies).toContain(`La demande ${reference} est maintenant`);
    expect(replies.match(/déjà été prise en compte/g)).toHaveLength(2);
    expect(await prisma.auditLog.count({ where: { action: 'cases.set_state', details: { path: ['reference'], equals: reference } } })).toBe(1);
    // The card replayed later, the case reopened meanwhile (the state the card showed again): nothing either.
    await setCaseState(ctx, agentActor, reference, 'OPEN');
    await c.post({ type: 'message', value });
    expect(JSON.stringify((await c.collect(1)).map((r) => r.text))).toContain('déjà été prise en compte');
  });
});
