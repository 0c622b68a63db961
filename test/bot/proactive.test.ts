// Shared infrastructure of proactive messages: conversation references recorded as activities
// arrive, the proactive sender (Teams channel thread, post, in-place update; web chat), and
// the cross-instance signal bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../services/db/index.js';
import { findConversationRef, findStaffChatRef, teamKey, conversationKey } from '../../services/conversation-refs.js';
import { createSignalBus } from '../../services/signals.js';
import { databaseUrl, isEmbedded, resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import { startFakeTeams, type FakeTeams } from './fake-teams.js';
import { WebChatParent } from './webchat-client.js';

const TEAM = '19:agents-general@thread.tacv2';
const TENANT = 'tenant-1';
const DIRECTOR = '00000000-0000-0000-0000-00000000d001';

let app: TestApp;
let teams: FakeTeams;

beforeAll(async () => {
  app = await startTestApp();
  teams = await startFakeTeams();
  await resetDatabase(app.ctx.db);
  await app.ctx.db.staff.create({ data: { aadObjectId: DIRECTOR, upn: 'd@example.org', displayName: 'Claire Martin', role: StaffRole.DIRECTOR, uais: [] } });
});
afterAll(async () => {
  await app?.close();
  await teams?.close();
});

async function postActivity(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
}

describe('conversation references and proactive messages', () => {
  it('learns the team from its installation, then starts a thread in its channel, posts and updates in place', async () => {
    await postActivity({
      type: 'conversationUpdate',
      id: 'install-1',
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: '29:someone', aadObjectId: 'someone' },
      recipient: { id: '28:bot', name: 'Assistant' },
      conversation: { id: TEAM, isGroup: true, conversationType: 'channel', tenantId: TENANT },
      channelData: { team: { id: TEAM, name: 'Assistance' }, tenant: { id: TENANT }, eventType: 'teamMemberAdded' },
      membersAdded: [{ id: '28:bot' }],
    });
    const team = await findConversationRef(app.ctx, teamKey(TEAM));
    expect(team?.reference.serviceUrl).toBe(teams.url);
    expect(team?.tenantId).toBe(TENANT);

    const thread = await app.app.proactive.createThread(team!.reference, TEAM, { type: 'message', text: 'Nouvelle demande' }, TENANT);
    expect(thread.conversationId).toMatch(/^19:agents-general@thread\.tacv2;messageid=/);
    expect(teams.threads[0]).toMatchObject({ channelId: TEAM, tenantId: TENANT, isGroup: true });
    await app.app.proactive.send(thread.reference, [{ type: 'message', text: 'Deuxième message' }]);
    await app.app.proactive.update(thread.reference, { id: thread.activityId, type: 'message', text: 'Demande prise en charge' });
    const shown = teams.messages(thread.conversationId);
    expect(shown.map((m) => m.text)).toEqual(['Demande prise en charge', 'Deuxième message']);
    expect(shown[0]?.updates).toBe(1);
  });

  it("records a staff member's personal chat when they talk to the bot", async () => {
    await postActivity({
      type: 'message',
      id: 'm-1',
      text: 'bonjour',
      channelId: 'msteams',
      serviceUrl: teams.url,
      from: { id: '29:director', aadObjectId: DIRECTOR },
      recipient: { id: '28:bot', name: 'Assistant' },
      conversation: { id: 'a:personal-director', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
    });
    const ref = await findStaffChatRef(app.ctx, DIRECTOR);
    expect(ref?.reference.conversation.id).toBe('a:personal-director');
    await app.app.proactive.send(ref!.reference, [{ type: 'message', text: 'Une demande est arrivée.' }]);
    expect(teams.messages('a:personal-director').map((m) => m.text)).toContain('Une demande est arrivée.');
  });

  it("writes to a parent's web chat at once, through the stored reference", async () => {
    const parent = new WebChatParent(app.url);
    await parent.open();
    await parent.say('bonjour');
    const ref = await findConversationRef(app.ctx, conversationKey('directline', parent.conversationId));
    expect(ref).not.toBeNull();
    await app.app.proactive.send(ref!.reference, [{ type: 'message', text: 'Un conseiller vous répond.' }]);
    await parent.waitForBot((a) => a.text === 'Un conseiller vous répond.', 'the proactive message');
    parent.close();
  });

  it.each([
    ['LISTEN/NOTIFY (or the poll when the test database is embedded)', isEmbedded],
    ['the polled table (embedded mode)', () => true],
  ])('carries signals from one instance to the other through %s', async (_name, embedded) => {
    const a = createSignalBus({ db: app.ctx.db, log: app.ctx.log, connectionString: databaseUrl(), embedded: embedded() });
    const b = createSignalBus({ db: app.ctx.db, log: app.ctx.log, connectionString: databaseUrl(), embedded: embedded() });
    const seen: string[] = [];
    b.subscribe((t) => seen.push(t));
    try {
      // The listener may still be connecting: publish until it hears.
      const deadline = Date.now() + 10_000;
      while (!seen.includes('chat:x') && Date.now() < deadline) {
        await a.publish('chat:x');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toContain('chat:x');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
