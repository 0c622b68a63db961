// Shared set-up of the human handoff tests: bot instances (the whole app on the test
// database, agents' team configured, 24/7 hours) with the real dialogs and recognizer, a
// fake Teams connector for the agents' channel, and agents posting in Teams threads.
import { randomUUID } from 'node:crypto';
import { RootDialog } from '../../dialogs/shared/root-dialog.js';
import { registerParentDialogs } from '../../dialogs/parent/index.js';
import { registerStaffDialogs } from '../../dialogs/staff/index.js';
import { createRecognizer } from '../../bot/recognizer/recognizer.js';
import { parseHelpdeskHours } from '../../services/helpdesk/hours.js';
import type { IntentRecognizer } from '../../dialogs/types.js';
import { StaffRole } from '../../services/db/index.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { dialogDeps } from '../helpers/dialogs.js';
import { startTestApp, type TestApp } from '../helpers/server.js';
import type { FakeTeams, TeamsMessage } from './fake-teams.js';

export const TEAM = '19:agents-general@thread.tacv2';
export const TENANT = 'tenant-educonnect';
export const AGENT_PAUL = '00000000-0000-0000-0000-00000000a001';
export const AGENT_LEA = '00000000-0000-0000-0000-00000000a002';
export const ADMIN = '00000000-0000-0000-0000-00000000ad01';
export const DIRECTOR = '00000000-0000-0000-0000-00000000d001';

export const HANDOFF_ENV = { HELPDESK_HOURS: 'always', AGENTS_TEAM_ID: TEAM, HANDOFF_WAIT_MINUTES: '10' };

let recognizer: IntentRecognizer | undefined;

export interface Instance {
  app: TestApp;
  /** The dialogs' own context (its clock and settings can be moved for a test). */
  dialogCtx: TestContext;
}

export async function startInstance(prisma: PrismaClient): Promise<Instance> {
  recognizer ??= await createRecognizer();
  const dialogCtx = testContext(prisma, { helpdesk: { hours: parseHelpdeskHours('always'), waitMinutes: 10, agentsTeamId: TEAM } });
  const deps = dialogDeps(dialogCtx, recognizer);
  const root = registerStaffDialogs(registerParentDialogs(new RootDialog(deps), deps), deps);
  const app = await startTestApp({ rootDialog: root, env: HANDOFF_ENV });
  return { app, dialogCtx };
}

export async function addStaff(prisma: PrismaClient): Promise<void> {
  await prisma.staff.createMany({
    data: [
      { aadObjectId: AGENT_PAUL, upn: 'paul@example.org', displayName: 'Paul Durand', role: StaffRole.AGENT, uais: [] },
      { aadObjectId: AGENT_LEA, upn: 'lea@example.org', displayName: 'Léa Martin', role: StaffRole.AGENT, uais: [] },
      { aadObjectId: ADMIN, upn: 'admin@example.org', displayName: 'Alice Admin', role: StaffRole.ADMIN, uais: [] },
      { aadObjectId: DIRECTOR, upn: 'dir@example.org', displayName: 'Claire Directrice', role: StaffRole.DIRECTOR, uais: [] },
    ],
  });
}

async function post(base: string, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`/api/messages answered ${res.status}`);
}

const teamsFields = (teams: FakeTeams, conversationId: string, from: string): Record<string, unknown> => ({
  id: randomUUID(),
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl: teams.url,
  from: { id: `29:${from}`, aadObjectId: from, name: 'Agent' },
  recipient: { id: '28:bot', name: 'Assistant' },
  conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: TENANT },
  channelData: { team: { id: TEAM }, channel: { id: TEAM }, tenant: { id: TENANT } },
  locale: 'fr-FR',
});

/** The bot is installed in the agents' team: it learns the team's serviceUrl and tenant. */
export async function installInTeam(base: string, teams: FakeTeams): Promise<void> {
  await post(base, {
    ...teamsFields(teams, TEAM, 'installer'),
    type: 'conversationUpdate',
    membersAdded: [{ id: '28:bot' }],
    channelData: { team: { id: TEAM }, tenant: { id: TENANT }, eventType: 'teamMemberAdded' },
  });
}

/** An agent (or anyone) writes in a thread of the agents' channel: text and/or a card's value (and mentions). */
export async function inThread(
  base: string,
  teams: FakeTeams,
  threadId: string,
  from: string,
  message: { text?: string; value?: unknown; entities?: unknown[] },
): Promise<void> {
  await post(base, { ...teamsFields(teams, threadId, from), type: 'message', ...message });
}

/** An agent in their personal chat with the bot. */
export async function inPersonalChat(base: string, teams: FakeTeams, from: string, text: string): Promise<void> {
  await post(base, {
    ...teamsFields(teams, `a:personal-${from}`, from),
    conversation: { id: `a:personal-${from}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    type: 'message',
    text,
  });
}

export const cardText = (m: TeamsMessage | undefined): string => JSON.stringify(m?.attachments?.[0]?.content ?? '');

/**
 * The agents' thread of a request, once an agent can act in it: the relay creates the thread
 * (the card shows in Teams) and only then records it on the request, and the bot finds the
 * request of a thread by that record. Waiting for the card in Teams alone leaves a window in
 * which a click in the thread is not yet a click on the request (it goes to the dialogs).
 */
export async function threadOfRequest(prisma: PrismaClient, teams: FakeTeams, requestId: number): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { threadId } = await prisma.handoffRequest.findUniqueOrThrow({ where: { id: requestId }, select: { threadId: true } });
    if (threadId && cardText(teams.messages(threadId)[0]).includes(`n° ${requestId}`)) return threadId;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the thread of request ${requestId}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
