// Whole conversations over HTTP, as the Bot Framework Emulator (or Teams) drives the bot:
// POST /api/messages with a serviceUrl pointing to a fake connector on 127.0.0.1 that receives
// every reply. The real recognizer routes the requests; the root dialog carries the parent and
// staff routes; fixtures live in the shared test database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootDialog } from '../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../dialogs/parent/index.js';
import { registerStaffDialogs } from '../../dialogs/staff/index.js';
import { createRecognizer } from '../../bot/recognizer/recognizer.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { StaffRole } from '../../services/db/index.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { dialogDeps } from '../helpers/dialogs.js';
import { expectValidCard, submitData } from '../helpers/adaptive.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startFakeConnector, type FakeConnector, type ReceivedActivity } from './fake-connector.js';
import { buildStaffWorld, UAI_A, UAI_B } from '../dialogs/staff/fixtures.js';

const DIRECTOR = '00000000-0000-0000-0000-00000000d001';
const AGENT = '00000000-0000-0000-0000-00000000a001';

const prisma = testPrisma();
let app: TestApp;
let connector: FakeConnector;

beforeAll(async () => {
  const deps = dialogDeps(testContext(prisma), await createRecognizer());
  const root = registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps);
  app = await startTestApp({ rootDialog: root });
  connector = await startFakeConnector();
  await resetDatabase(prisma);
  await buildStaffWorld(prisma);
  await prisma.staff.createMany({
    data: [
      { aadObjectId: DIRECTOR, upn: 'direction@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: [UAI_A, UAI_B] },
      { aadObjectId: AGENT, upn: 'agent@example.org', displayName: 'Paul Agent', role: StaffRole.AGENT, uais: [] },
    ],
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await connector?.close();
  await prisma.$disconnect();
});

/** One user of one conversation: posts activities and collects the replies of each turn. */
class Conversation {
  readonly id = `conv-${randomUUID()}`;
  private seen = 0;

  constructor(private readonly from: { id: string; aadObjectId?: string }) {}

  private async post(fields: Record<string, unknown>): Promise<void> {
    const body = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'emulator',
      serviceUrl: connector.url,
      from: { ...this.from, name: 'Utilisateur', role: 'user' },
      conversation: { id: this.id },
      recipient: { id: 'bot-id', name: 'Bot', role: 'bot' },
      locale: 'fr-FR',
      ...fields,
    };
    const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBeLessThan(300);
  }

  /** Sends, waits for `expected` replies, returns them (every card validated). */
  async send(fields: Record<string, unknown>, expected: number): Promise<ReceivedActivity[]> {
    await this.post(fields);
    const all = await connector.waitFor(this.id, this.seen + expected, 20_000);
    const replies = all.slice(this.seen);
    this.seen = all.length;
    for (const r of replies) for (const a of r.attachments ?? []) expectValidCard(Reflect.get(Object(a), 'content'));
    return replies;
  }

  say(text: string, expected = 1): Promise<ReceivedActivity[]> {
    return this.send({ type: 'message', text }, expected);
  }

  /** Clicks the card button whose choice is `choice` (anywhere in the card). */
  click(replies: readonly ReceivedActivity[], choice: string, expected = 1): Promise<ReceivedActivity[]> {
    const found = submitData(replies.map((r) => r.attachments ?? []))
      .map((d) => cardSubmission(d))
      .find((d) => d?.choice === choice);
    if (!found) throw new Error(`no button ${choice}`);
    return this.send({ type: 'message', value: found }, expected);
  }
}

const text = (replies: readonly ReceivedActivity[]): string => JSON.stringify(replies.map((r) => [r.text, r.attachments]));

describe('full conversations through POST /api/messages', () => {
  it('parent: lost password by email', async () => {
    const identifier = (await prisma.guardian.findFirstOrThrow({ where: { lastName: 'BERNARD' } })).identifier;
    const parent = new Conversation({ id: `user-${randomUUID()}` });
    expect(text(await parent.say("J'ai perdu mon mot de passe"))).toContain('Quel est votre identifiant EduConnect ?');
    const channel = await parent.say(identifier);
    expect(text(channel)).toContain('Comment souhaitez-vous réinitialiser votre mot de passe ?');
    const done = await parent.click(channel, 'email');
    expect(text(done)).toContain('un e-mail avec un lien pour choisir un nouveau mot de passe');
    const mails = await prisma.outboxMessage.findMany({ where: { recipient: 'paul.bernard@example.org' } });
    expect(mails.map((m) => m.template)).toContain('password_reset_link');
  });

  it('director: statistics of their schools together, then one school on a click', async () => {
    const director = new Conversation({ id: DIRECTOR });
    const together = await director.say("Je voudrais les statistiques d'activation");
    expect(text(together)).toContain('Statistiques de vos 2 établissements');
    expect(text(together)).toContain('École Jules Ferry');
    const card = await director.click(together, `school:${UAI_A}`);
    const shown = text(card);
    expect(shown).toContain('Statistiques de École Jules Ferry (0311478N)');
    expect(shown).toMatch(/Statistiques calculées le \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(shown).toContain('Recalculer');
    expect(await prisma.statsSnapshot.count({ where: { scopeKey: UAI_A } })).toBe(1);
  });

  it('agent: finds an account by email and sees its card (contacts masked)', async () => {
    const agent = new Conversation({ id: 'teams-agent', aadObjectId: AGENT });
    const card = await agent.say('Je cherche le compte de anne.martin@example.org');
    const shown = text(card);
    expect(shown).toContain('MARTIN Anne');
    expect(shown).toContain('a***n@example.org');
    expect(shown).not.toContain('anne.martin@example.org');
    expect(shown).toContain('Mot de passe perdu');
    const advice = await agent.click(card, 'situation:lost_password');
    expect(text(advice)).toContain('Réinitialiser puis re-notifier');
    const row = await prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.lookup' }, orderBy: { id: 'desc' } });
    expect(row.actorId).toBe(`agent:${AGENT}`);
  });
});
