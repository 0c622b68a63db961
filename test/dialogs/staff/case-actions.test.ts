// Staff act on a case with a message to the parent: from the cases dialog (a reference typed
// goes straight to the case), and from the proactive card a director receives, whatever
// dialog is under way. Replays, closed cases, another school's case and a huge message get
// a French answer and change nothing twice.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { FindAccountDialog } from '../../../dialogs/staff/find-account-dialog.js';
import { caseAlertCard } from '../../../cards/staff/cases-card.js';
import { createCase, getCase } from '../../../services/cases.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { extractEntities } from '../../../bot/recognizer/entities.js';
import { useStaffWorld } from './setup.js';
import { agent, director, UAI_A, UAI_FOREIGN } from './fixtures.js';

const env = useStaffWorld();
let caseA: string;
let caseForeign: string;

beforeEach(async () => {
  env.ctx.setNow(new Date('2026-11-20T09:00:00Z'));
  caseA = (
    await createCase(
      env.ctx,
      { kind: 'anonymous', source: 'conv-a' },
      { kind: 'BIRTH_DATE', schoolUai: UAI_A, contactEmail: 'parent@example.org', typed: '2016-03-12', summary: 'Date de naissance refusée' },
    )
  ).reference;
  caseForeign = (await createCase(env.ctx, agent, { kind: 'MOBILE', schoolUai: UAI_FOREIGN, guardianId: env.world.g.foreign, summary: 'Portable non reconnu' }))
    .reference;
});

function root(): RootDialog {
  // The real entity extractor (case references), no intent: the reference alone routes.
  const deps = dialogDeps(env.ctx, { recognize: (text) => ({ intent: 'none', score: 1, entities: extractEntities(text) }) });
  return registerStaffDialogs(new RootDialog(deps), deps);
}

/** What Teams sends when a button of the proactive card is clicked, with the message typed in its field. */
async function alertClick(reference: string, to: string, note = ''): Promise<Partial<Activity>> {
  const view = await getCase(env.ctx, agent, reference);
  const card = caseAlertCard(view.schoolName, [view]);
  const json = JSON.stringify(card);
  expect(json).toContain(`"to":"${to}"`);
  return { type: 'message', value: { caseAction: { reference, to, from: view.state }, [`note.${reference}`]: note } };
}

describe('case actions', () => {
  it('a reference typed opens the case with what the parent typed; resolved with a message, the parent is told', async () => {
    const client = dialogClient(root(), { actor: director });
    await runTranscript(client, [
      {
        user: `où en est ${caseA.toLowerCase()} ?`,
        bot: [`Demande ${caseA}`, 'parent@example.org', 'Date de naissance saisie (refusée) : 12/03/2016', 'Résolue'],
      },
      {
        user: (p) => ({ ...clickCard(p, 'state:RESOLVED'), value: { ...clickCard(p, 'state:RESOLVED').value, note: 'Date corrigée dans ONDE.' } }),
        bot: [`La demande ${caseA} est maintenant « Résolu »`, 'Le parent est prévenu par e-mail'],
      },
    ]);
    expect(await env.prisma.outboxMessage.count({ where: { template: 'case_update' } })).toBe(1);
    expect((await getCase(env.ctx, agent, caseA)).events.at(-1)?.note).toBe('Date corrigée dans ONDE.');
  });

  it('the proactive card: acts in the middle of another dialog, which stays where it was; a replay changes nothing', async () => {
    const client = dialogClient(root(), { actor: director });
    const resolve = await alertClick(caseA, 'RESOLVED', 'Réessayez demain.');
    const staleClose = await alertClick(caseA, 'CLOSED');
    await runTranscript(client, [
      { user: 'Suivre les demandes des parents', bot: 'Pour quel établissement' },
      { user: resolve, bot: [`La demande ${caseA} est maintenant « Résolu »`, 'prévenu par e-mail'] },
      // The same click again, and another button of the same (now stale) card.
      { user: resolve, bot: `La demande ${caseA} est déjà « Résolu » : rien n'a été changé.` },
      { user: staleClose, bot: 'a changé entre-temps : elle est maintenant « Résolu »' },
    ]);
    await runTranscript(client, [{ user: await alertClick(caseA, 'CLOSED'), bot: `La demande ${caseA} est maintenant « Clos »` }]);
    await runTranscript(client, [
      { user: { type: 'message', value: { caseAction: { reference: caseA, to: 'OPEN', from: 'CLOSED' } } }, bot: 'elle est close et ne peut plus changer' },
      // The dialog under way still waits for its school.
      { user: 'bof', bot: 'Pour quel établissement' },
    ]);
    expect(await env.prisma.caseEvent.count({ where: { case: { reference: caseA } } })).toBe(3);
    expect(await env.prisma.outboxMessage.count({ where: { template: 'case_update' } })).toBe(2);
  });

  it("another school's case, a forged state, a huge message: refused in French", async () => {
    const client = dialogClient(root(), { actor: director });
    await runTranscript(client, [
      {
        user: { type: 'message', value: { caseAction: { reference: caseForeign, to: 'CLOSED', from: 'OPEN' } } },
        bot: "Nous n'avons rien trouvé",
        not: 'Portable',
      },
      { user: { type: 'message', value: { caseAction: { reference: caseA, to: 'DELETED', from: 'OPEN' } } }, bot: "Ce bouton n'est pas valable ici" },
      { user: await alertClick(caseA, 'RESOLVED', 'x'.repeat(5000)), bot: 'trop long' },
    ]);
    expect((await getCase(env.ctx, agent, caseForeign)).state).toBe('OPEN');
    expect((await getCase(env.ctx, agent, caseA)).state).toBe('OPEN');
    // A parent clicking a forged case action is refused too.
    await runTranscript(dialogClient(root(), { actor: { kind: 'anonymous', source: 'x' } }), [
      { user: await alertClick(caseA, 'CLOSED'), bot: "Ce bouton n'est pas valable ici" },
    ]);
    expect((await getCase(env.ctx, agent, caseA)).state).toBe('OPEN');
  });
});

describe("agents' cases carry the pupil", () => {
  it('asks which child when the guardian has several in the school', async () => {
    const hugo = await env.prisma.pupil.findFirstOrThrow({ where: { firstName: 'Hugo', lastName: 'BERNARD' } });
    const lina = await env.prisma.pupil.create({
      data: {
        ine: '9999999999Z',
        lastName: 'BERNARD',
        firstName: 'Lina',
        searchName: 'bernard lina',
        birthDate: new Date('2017-01-02'),
        schoolUai: hugo.schoolUai,
        classId: hugo.classId,
      },
    });
    await env.prisma.pupilGuardian.create({ data: { pupilId: lina.id, guardianId: env.world.g.bernardActivated } });
    const client = dialogClient(new FindAccountDialog(dialogDeps(env.ctx)), {
      actor: agent,
      dialogOptions: { entities: { email: ['paul.bernard@example.org'] } },
    });
    await runTranscript(client, [
      { user: 'compte paul.bernard@example.org', bot: 'BERNARD Paul' },
      { user: (p) => clickCard(p, 'situation:birth_date_refused'), bot: 'Ouvrir un suivi' },
      { user: (p) => clickCard(p, 'open_case'), bot: ['Pour quel enfant', 'Hugo BERNARD', 'Lina BERNARD'] },
      { user: 'bof', bot: "Merci de choisir l'enfant concerné" },
      { user: (p) => clickCard(p, `pupil:${lina.id}`), bot: 'Confirmez-vous : ouvrir un suivi pour Paul BERNARD' },
      { user: (p) => clickCard(p, 'confirm'), bot: /Le suivi EDU-\d{4}-\d{6} est ouvert/ },
    ]);
    expect(await env.prisma.case.findFirstOrThrow({ where: { guardianId: env.world.g.bernardActivated } })).toMatchObject({
      kind: 'BIRTH_DATE',
      pupilId: lina.id,
    });
  });
});
