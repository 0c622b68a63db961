// Cases dialog: a director sees the cases of the school chosen (never another school's), opens
// one, marks it "en attente du registre" then closes it; an agent sees every school's cases.
import { beforeEach, describe, expect, it } from 'vitest';
import { createCase } from '../../../services/cases.js';
import { CasesDialog } from '../../../dialogs/staff/cases-dialog.js';
import { dialogClient, dialogDeps, runTranscript, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, UAI_A, UAI_FOREIGN } from './fixtures.js';

const env = useStaffWorld();
let caseA: string;
let caseForeign: string;

beforeEach(async () => {
  env.ctx.setNow(new Date('2026-11-20T09:00:00Z'));
  caseA = (
    await createCase(env.ctx, agent, {
      kind: 'BIRTH_DATE',
      schoolUai: UAI_A,
      guardianId: env.world.g.dupontNotNotified,
      summary: 'Date de naissance de Léa refusée',
    })
  ).reference;
  caseForeign = (await createCase(env.ctx, agent, { kind: 'MOBILE', schoolUai: UAI_FOREIGN, guardianId: env.world.g.foreign, summary: 'Portable non reconnu' }))
    .reference;
});

const dialog = (): CasesDialog => new CasesDialog(dialogDeps(env.ctx));

describe('CasesDialog', () => {
  it('lists the school cases, opens one, waits for the register, then closes it', async () => {
    const client = dialogClient(dialog(), { actor: director });
    await runTranscript(client, [
      { user: 'Suivre les demandes des parents', bot: 'Pour quel établissement ?' },
      {
        user: (p) => clickCard(p, `school:${UAI_A}`),
        bot: ['Demandes en cours – École Jules Ferry', caseA, 'Date de naissance refusée', 'ouverte le 20/11/2026'],
        not: [caseForeign, 'Collège Secret'],
      },
      { user: (p) => clickCard(p, `case:${caseA}`), bot: [`Demande ${caseA}`, 'Marie DUPONT', 'Demande enregistrée', 'En attente du registre', 'Clore'] },
      {
        user: (p) => clickCard(p, 'state:WAITING_REGISTER'),
        bot: [`La demande ${caseA} est maintenant « En attente du registre »`, 'Demandes en cours – École Jules Ferry'],
      },
      { user: caseA, bot: 'Historique' },
      { user: (p) => clickCard(p, 'state:CLOSED'), bot: [`La demande ${caseA} est maintenant « Clos »`, 'Aucune demande en cours pour École Jules Ferry.'] },
    ]);
    const row = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'cases.set_state' } });
    expect(row.actorId).toBe('director:dir-claire');
    expect((await env.prisma.case.findUniqueOrThrow({ where: { reference: caseA } })).state).toBe('CLOSED');
  });

  it('refuses a reference of another school typed by a director, revealing nothing', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(client, [
      { user: 'demandes', bot: caseA },
      {
        user: caseForeign,
        bot: ["Nous n'avons rien trouvé qui corresponde à votre demande.", 'Demandes en cours – École Jules Ferry'],
        not: ['Portable non reconnu', 'SECRET', 'Collège Secret'],
      },
    ]);
  });

  it('shows every school to an agent; back to the list; cancel', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    await runTranscript(client, [
      { user: 'demandes', bot: ['Demandes en cours', caseA, caseForeign, 'Collège Secret'] },
      { user: (p) => clickCard(p, `case:${caseForeign}`), bot: 'Portable non reconnu' },
      { user: (p) => clickCard(p, 'back'), bot: ['Demandes en cours', caseA] },
      { user: 'annuler', bot: "C'est annulé" },
    ]);
  });

  it('caps answers that are not a case', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    await runTranscript(client, [
      { user: 'demandes', bot: caseA },
      { user: 'la première', bot: 'Cliquez sur « Voir »' },
      { user: 'celle-là', bot: 'Cliquez sur « Voir »' },
      { user: 'bof', bot: "Je n'arrive pas à comprendre votre réponse" },
    ]);
  });
});
