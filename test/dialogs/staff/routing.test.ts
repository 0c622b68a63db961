// Staff routes on the root dialog: roles (a parent never reaches a staff dialog), greetings
// built from the routes (every line, typed back, reaches its route), other ways of asking
// ("les demandes des parents", "suivre les demandes en cours"), a card waiting for a click
// that does not swallow the next typed request, and a replayed "Confirmer" refused.
import { describe, expect, it } from 'vitest';
import type { DialogTestClient } from 'botbuilder-testing';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { CASES_DIALOG } from '../../../dialogs/staff/cases-dialog.js';
import { STATISTICS_DIALOG } from '../../../dialogs/staff/statistics-dialog.js';
import { NOTIFY_DIALOG } from '../../../dialogs/staff/notify-dialog.js';
import { roleOf } from '../../../dialogs/types.js';
import { isStaff, type Actor } from '../../../services/actor.js';
import { createCase } from '../../../services/cases.js';
import { schoolsOfStaff } from '../../../services/staff.js';
import { anonymousParent, dialogClient, dialogDeps, runTranscript, say, tableRecognizer, turnText, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, singleDirector, UAI_A } from './fixtures.js';

const env = useStaffWorld();

const recognizer = tableRecognizer({
  'les statistiques': 'statistics',
  stats: 'statistics',
  'chercher le compte anne.martin@example.org': { intent: 'find_account', score: 1, entities: { email: ['anne.martin@example.org'] } },
  'notifier dupont par fiche': { intent: 'renotify', score: 1, entities: { uai: [UAI_A], channel: ['sheet'] } },
  'notifier des comptes': 'renotify',
  // What the recognizer says today for these: they must still reach the cases.
  'les demandes des parents': 'renotify',
  'suivre les demandes en cours': { intent: 'renotify', score: 0.4, entities: {} },
});

function root(): RootDialog {
  const deps = dialogDeps(env.ctx, recognizer);
  return registerStaffDialogs(new RootDialog(deps), deps);
}

/** Conversation state kept where the test can read it between turns. */
class OpenStorage extends MemoryStorage {
  /** Every dialog id on a stack of the stored conversation state. */
  runningDialogs(): string[] {
    return [
      ...Object.values(this.memory)
        .join('\n')
        .matchAll(/"id":"([^"]+)"/g),
    ].map((m) => m[1] ?? '');
  }
}

function client(actor: Actor): { client: DialogTestClient; running: () => string[] } {
  const storage = new OpenStorage();
  return { client: dialogClient(root(), { actor, conversationState: new ConversationState(storage) }), running: () => storage.runningDialogs() };
}

describe('staff greetings are built from the routes', () => {
  it.each([
    ['a director of two schools', director],
    ['an agent', agent],
  ])('every line of the greeting of %s, typed back, starts its route', async (_name, actor: Actor) => {
    await createCase(env.ctx, agent, { kind: 'BIRTH_DATE', schoolUai: UAI_A, guardianId: env.world.g.bernardActivated, summary: 'Date de naissance refusée' });
    const r = root();
    const schools = isStaff(actor) ? await schoolsOfStaff(env.ctx, actor) : [];
    const greeting = r.welcome(actor, schools);
    const lines = (greeting.text ?? '')
      .split('\n')
      .filter((l) => l.startsWith('- '))
      .map((l) => l.slice(2));
    const buttons = (greeting.suggestedActions?.actions ?? []).map((a) => String(a.value));
    const routes = r.routesFor(roleOf(actor));
    expect(lines).toEqual(routes.map((route) => route.label));
    expect(buttons).toEqual(lines);
    for (const route of routes) {
      const c = client(actor);
      await say(c.client, route.label);
      expect(c.running(), route.label).toContain(route.dialogId);
    }
  });

  it('names the director and their schools, and never offers what the role cannot do', async () => {
    const r = root();
    const text = r.welcome(director, isStaff(director) ? await schoolsOfStaff(env.ctx, director) : []).text ?? '';
    expect(text).toContain('Bonjour Claire Martin');
    expect(text).toContain('École Jules Ferry (0311478N)');
    expect(r.welcome(agent, []).text).not.toContain('Notifier ou renotifier');
    expect(r.welcome(anonymousParent(), []).text).toContain('Je ne peux pas vous aider ici');
  });
});

describe('staff routes', () => {
  it('"les demandes des parents" reaches the cases, not a notification', async () => {
    const c = client(director);
    await say(c.client, 'les demandes des parents');
    expect(c.running()).toContain(CASES_DIALOG);
    expect(c.running()).not.toContain(NOTIFY_DIALOG);
  });

  it('"suivre les demandes en cours" (the agents’ own words) reaches the cases', async () => {
    await createCase(env.ctx, agent, { kind: 'MOBILE', schoolUai: UAI_A, guardianId: env.world.g.durandNotified, summary: 'Portable non reconnu' });
    const client = dialogClient(root(), { actor: agent });
    await runTranscript(client, [{ user: 'suivre les demandes en cours', bot: ['Demandes en cours', 'Portable non reconnu'] }]);
  });

  it('never routes a parent to a staff dialog', async () => {
    const client = dialogClient(root(), { actor: anonymousParent() });
    const turns = await runTranscript(client, [{ user: 'les statistiques', bot: 'Je ne peux pas vous aider ici', not: 'Statistiques de' }]);
    expect(turns).toHaveLength(1);
    expect(await env.prisma.statsSnapshot.count()).toBe(0);
  });

  it('refuses a replayed "Confirmer": the accounts are notified once', async () => {
    const client = dialogClient(root(), { actor: director });
    const turns = await runTranscript(client, [
      { user: 'notifier dupont par fiche', bot: 'Faut-il réinitialiser', not: ['Quels comptes', 'Quel est le nom'] },
      { user: 'sans', bot: ['Vérifiez avant de confirmer', 'Marie DUPONT'] },
    ]);
    const confirm = clickCard(turns[1] ?? [], 'confirm');
    expect(turnText(await say(client, confirm))).toContain('Les fiches sont prêtes');
    expect(turnText(await say(client, confirm))).toContain("Ce bouton n'est plus valable");
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.notify', guardianId: env.world.g.dupontNotNotified } })).toBe(1);
    expect(await env.prisma.storedFile.count()).toBe(1);
  });
});

describe('a card waiting for a click does not swallow the next typed request', () => {
  it('statistics card: a request typed starts it, and the old card’s buttons are then stale', async () => {
    const c = client(singleDirector);
    const turns = await runTranscript(c.client, [
      { user: 'stats', bot: 'Statistiques de École Marie Curie' },
      { user: 'notifier des comptes', bot: 'Quels comptes voulez-vous notifier ?', not: 'Que puis-je faire' },
    ]);
    expect(c.running()).toContain(NOTIFY_DIALOG);
    expect(turnText(await say(c.client, clickCard(turns[0] ?? [], 'recompute')))).toContain("Ce bouton n'est plus valable");
  });

  it('statistics card: its buttons stay valid while it is the latest, an unclear message is re-asked', async () => {
    const c = client(singleDirector);
    const turns = await runTranscript(c.client, [
      { user: 'stats', bot: 'Statistiques de École Marie Curie' },
      { user: 'blabla', bot: 'Recalculer', not: 'Que puis-je faire' },
    ]);
    expect(c.running()).toContain(STATISTICS_DIALOG);
    expect(turnText(await say(c.client, clickCard(turns[0] ?? [], 'recompute')))).toContain('Je recalcule les statistiques');
  });

  it('account card (agent): a request typed while it is open is heard; "Fermer" closes it', async () => {
    const c = client(agent);
    await runTranscript(c.client, [
      { user: 'chercher le compte anne.martin@example.org', bot: ['MARTIN Anne', 'Fermer'] },
      { user: 'les statistiques', bot: 'Quelles statistiques souhaitez-vous ?' },
    ]);
    expect(c.running()).toContain(STATISTICS_DIALOG);
    const closing = client(agent);
    const turns = await runTranscript(closing.client, [{ user: 'chercher le compte anne.martin@example.org', bot: 'MARTIN Anne' }]);
    expect(turnText(await say(closing.client, clickCard(turns[0] ?? [], 'close')))).toContain('Très bien. Que puis-je faire d’autre pour vous ?');
    expect(closing.running()).toEqual([]);
  });

  it('cases list: a request typed while it is shown starts that request', async () => {
    await createCase(env.ctx, agent, { kind: 'MOBILE', schoolUai: UAI_A, guardianId: env.world.g.durandNotified, summary: 'Portable non reconnu' });
    const client = dialogClient(root(), { actor: agent });
    await runTranscript(client, [
      { user: 'Suivre les demandes des parents', bot: 'Demandes en cours' },
      { user: 'chercher le compte anne.martin@example.org', bot: 'MARTIN Anne', not: 'Cliquez sur « Voir »' },
    ]);
  });
});
