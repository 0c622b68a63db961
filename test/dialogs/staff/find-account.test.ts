// Agent's account search: find -> account card (masked contacts, children with schools) ->
// situation -> playbook recommendation -> action confirmed, done for the pupil's school and
// audited as the agent; several matches picked from a card; misses capped; cancel at confirmation.
import { describe, expect, it } from 'vitest';
import { FindAccountDialog, allowedActions } from '../../../dialogs/staff/find-account-dialog.js';
import { PASSWORD_IN_PERSONAL_CHAT } from '../../../dialogs/staff/account-actions.js';
import { dialogClient, dialogDeps, runTranscript, say, turnText, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, UAI_A } from './fixtures.js';

const env = useStaffWorld();

const dialog = (): FindAccountDialog => new FindAccountDialog(dialogDeps(env.ctx));

describe('FindAccountDialog', () => {
  it('finds by email, shows the card, recommends reset then renotify, does it for the chosen school, audited as the agent', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    const turns = await runTranscript(client, [
      { user: 'rechercher un compte', bot: "Indiquez l'identifiant, l'adresse e-mail, le numéro de portable" },
      {
        user: 'anne.martin@example.org',
        bot: [
          'MARTIN Anne',
          "En cours d'activation",
          'Établissement',
          'a***n@example.org (non confirmé)',
          '+33*******78 (non confirmé)',
          'Inès MARTIN – CP B, École Jules Ferry (0311478N)',
          'Sam MARTIN – CE2, École Marie Curie (0310002B)',
          'Mot de passe perdu',
          "Lien d'activation perdu",
        ],
        not: ['anne.martin@example.org', '612345678'],
      },
      {
        user: (p) => clickCard(p, 'situation:lost_password'),
        bot: [
          'Mot de passe perdu – Anne MARTIN',
          'Réinitialiser puis re-notifier',
          'Réinitialiser puis e-mail',
          "Renvoyer l'e-mail d'activation",
          "Afficher l'identifiant",
        ],
        not: 'Afficher le mot de passe provisoire',
      },
      { user: (p) => clickCard(p, 'reset_email'), bot: ['Pour le compte de quel établissement agissez-vous ?', 'École Jules Ferry', 'École Marie Curie'] },
      {
        user: (p) => clickCard(p, `school:${UAI_A}`),
        bot: ['Confirmez-vous : réinitialiser puis e-mail pour Anne MARTIN, au nom de École Jules Ferry ?', 'Confirmer'],
      },
    ]);
    const before = await env.prisma.credential.findUniqueOrThrow({ where: { guardianId: env.world.g.martinActivating } });
    expect(before.isTemporary).toBe(false);
    const done = await say(client, clickCard(turns[4] ?? [], 'confirm'));
    expect(turnText(done)).toContain("1 e-mail(s) mis en file d'envoi");
    const after = await env.prisma.credential.findUniqueOrThrow({ where: { guardianId: env.world.g.martinActivating } });
    expect(after.isTemporary).toBe(true);
    const row = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.notify', guardianId: env.world.g.martinActivating } });
    expect(row).toMatchObject({ actorType: 'agent', actorId: 'agent:agent-paul', schoolUai: UAI_A, outcome: 'success' });
    expect(await env.prisma.outboxMessage.count({ where: { guardianId: env.world.g.martinActivating } })).toBe(1);
  });

  it('picks one of several accounts found by name + UAI, then shows the temporary password (audited)', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    const turns = await runTranscript(client, [
      { user: 'trouver un compte', bot: 'identifiant' },
      { user: 'du 0311478N', bot: ['2 comptes correspondent', 'DUPONT Marie', 'DURAND Luc', 'Non notifié'] },
      { user: (p) => clickCard(p, `account:${env.world.g.durandNotified}`), bot: ['DURAND Luc', 'Notifié et non activé', 'Provisoire'] },
      { user: (p) => clickCard(p, 'situation:lost_password'), bot: ['Lire le mot de passe provisoire', 'Afficher le mot de passe provisoire'] },
      {
        user: (p) => clickCard(p, 'show_password'),
        bot: 'Confirmez-vous : afficher le mot de passe provisoire pour Luc DURAND, au nom de École Jules Ferry ?',
      },
      { user: (p) => clickCard(p, 'confirm'), bot: ['Le mot de passe provisoire est : **Tempo-Pass-2026**', "qu'au responsable lui-même"] },
    ]);
    expect(turns).toHaveLength(6);
    const row = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.consult', guardianId: env.world.g.durandNotified } });
    expect(row).toMatchObject({ actorId: 'agent:agent-paul', schoolUai: UAI_A });
    expect(JSON.stringify(row.details)).not.toContain('Tempo-Pass');
  });

  it("in an agents' channel thread: no temporary password, the agent is sent to their personal chat", async () => {
    const client = dialogClient(dialog(), { actor: agent, teamsChannel: true });
    const turns = await runTranscript(client, [
      { user: 'trouver un compte', bot: 'identifiant' },
      { user: 'du 0311478N', bot: ['2 comptes correspondent', 'DURAND Luc'] },
      { user: (p) => clickCard(p, `account:${env.world.g.durandNotified}`), bot: ['DURAND Luc', 'Provisoire'], not: 'Tempo-Pass' },
      {
        user: (p) => clickCard(p, 'situation:lost_password'),
        bot: ['Lire le mot de passe provisoire', PASSWORD_IN_PERSONAL_CHAT],
        not: 'Afficher le mot de passe provisoire',
      },
    ]);
    // A click on the button of an older card, or forged: the same line, never the password.
    const button = clickCard(turns[3] ?? [], 'show_identifier');
    const forged = await say(client, { ...button, value: { ...(button.value as object), choice: 'show_password' } });
    const answer = await say(client, clickCard(forged, 'confirm'));
    expect(turnText([...forged, ...answer])).toContain(PASSWORD_IN_PERSONAL_CHAT);
    expect(turnText([...forged, ...answer])).not.toContain('Tempo-Pass');
    expect(allowedActions({ state: 'NOTIFIED', hasEmail: true, passwordTemporary: true }, true)).not.toContain('show_password');
  });

  it('finds by mobile from the request entities; cancel at confirmation changes nothing', async () => {
    const client = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { mobile: ['+33612345678'] } } });
    const turns = await runTranscript(client, [
      { user: 'compte du 06 12 34 56 78', bot: 'MARTIN Anne' },
      {
        user: (p) => clickCard(p, 'situation:email_change'),
        bot: ["Renvoyer l'activation à la nouvelle adresse", "Renvoyer l'activation à une autre adresse"],
      },
      { user: (p) => clickCard(p, 'resend_activation_new_email'), bot: 'Pour le compte de quel établissement' },
      { user: (p) => clickCard(p, 'school:0310002B'), bot: 'Quelle est la nouvelle adresse e-mail du responsable ?' },
      { user: 'pas une adresse', bot: "Merci d'indiquer une adresse e-mail complète" },
      { user: 'anne.nouvelle@example.org', bot: 'à la nouvelle adresse anne.nouvelle@example.org pour Anne MARTIN, au nom de École Marie Curie' },
    ]);
    const cancelled = await say(client, clickCard(turns[5] ?? [], 'cancel'));
    expect(turnText(cancelled)).toContain("rien n'a été modifié");
    expect((await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.martinActivating } })).email).toBe('anne.martin@example.org');
    expect(await env.prisma.outboxMessage.count()).toBe(0);
  });

  it('resends the activation mail to a corrected address after confirmation', async () => {
    const client = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { email: ['anne.martin@example.org'] } } });
    await runTranscript(client, [
      { user: 'compte anne.martin@example.org', bot: 'MARTIN Anne' },
      { user: (p) => clickCard(p, 'situation:lost_activation_link'), bot: "Renvoyer l'e-mail d'activation" },
      { user: (p) => clickCard(p, 'resend_activation_new_email'), bot: 'quel établissement' },
      { user: (p) => clickCard(p, `school:${UAI_A}`), bot: 'nouvelle adresse' },
      { user: 'anne.nouvelle@example.org', bot: 'Confirmez-vous' },
      { user: (p) => clickCard(p, 'confirm'), bot: "L'e-mail d'activation a été renvoyé à a***e@example.org" },
    ]);
    expect((await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.martinActivating } })).email).toBe('anne.nouvelle@example.org');
    const row = await env.prisma.auditLog.findFirstOrThrow({ where: { action: 'accounts.resend_activation' } });
    expect(row.actorId).toBe('agent:agent-paul');
  });

  it('says when nothing is found, without revealing anything, and gives up after three misses', async () => {
    const client = dialogClient(dialog(), { actor: agent });
    await runTranscript(client, [
      { user: 'rechercher', bot: 'identifiant' },
      { user: 'inconnu@example.org', bot: ['Je ne trouve aucun compte pour cette adresse e-mail', 'identifiant'] },
      { user: 'x.inconnu99', bot: 'Je ne trouve aucun compte pour x.inconnu99' },
      { user: 'personne 0311478N', bot: ['Je ne trouve aucun compte pour « personne »', '0 809 54 06 06'] },
    ]);
  });

  it('opens a follow-up case for a refused birth date, for the school chosen', async () => {
    const client = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { email: ['paul.bernard@example.org'] } } });
    await runTranscript(client, [
      { user: 'compte paul.bernard@example.org', bot: 'BERNARD Paul' },
      { user: (p) => clickCard(p, 'situation:birth_date_refused'), bot: ['Corriger la date de naissance', 'ONDE ou SIECLE', 'Ouvrir un suivi'] },
      { user: (p) => clickCard(p, 'open_case'), bot: 'Confirmez-vous : ouvrir un suivi pour Paul BERNARD, au nom de École Jules Ferry ?' },
      { user: (p) => clickCard(p, 'confirm'), bot: [/Le suivi EDU-\d{4}-\d{6} est ouvert/, 'prévenu automatiquement'] },
    ]);
    const opened = await env.prisma.case.findFirstOrThrow({ where: { guardianId: env.world.g.bernardActivated } });
    expect(opened).toMatchObject({ kind: 'BIRTH_DATE', schoolUai: UAI_A, state: 'OPEN' });
    // The guardian's only child there: the import can resolve the case.
    expect(opened.pupilId).toBe((await env.prisma.pupil.findFirstOrThrow({ where: { firstName: 'Hugo', lastName: 'BERNARD' } })).id);
  });

  it('lost identifier: shows it, or re-notifies by sheet with a link owned by the agent', async () => {
    const durand = await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.durandNotified } });
    const show = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { identifier: [durand.identifier] } } });
    await runTranscript(show, [
      { user: `compte ${durand.identifier}`, bot: 'DURAND Luc' },
      { user: (p) => clickCard(p, 'situation:lost_identifier'), bot: ['Re-notifier le compte', "Lire l'identifiant"] },
      { user: (p) => clickCard(p, 'show_identifier'), bot: "Confirmez-vous : afficher l'identifiant pour Luc DURAND" },
      { user: (p) => clickCard(p, 'confirm'), bot: `L'identifiant de Luc DURAND est : **${durand.identifier}**` },
    ]);
    const sheet = dialogClient(dialog(), { actor: agent, dialogOptions: { entities: { identifier: [durand.identifier] } } });
    await runTranscript(sheet, [
      { user: `compte ${durand.identifier}`, bot: 'DURAND Luc' },
      { user: (p) => clickCard(p, 'situation:lost_site_address'), bot: 'Re-notifier par fiche' },
      { user: (p) => clickCard(p, 'notify_sheet'), bot: 'Confirmez-vous : re-notifier par fiche' },
      { user: (p) => clickCard(p, 'confirm'), bot: ['Les fiches sont prêtes', 'Télécharger'] },
    ]);
    expect((await env.prisma.storedFile.findFirstOrThrow()).ownerId).toBe('agent:agent-paul');
    expect((await env.prisma.guardian.findUniqueOrThrow({ where: { id: env.world.g.durandNotified } })).state).toBe('NOTIFIED');
  });

  it('offers only the actions the service allows', () => {
    expect(allowedActions({ state: 'NOT_NOTIFIED', hasEmail: false, passwordTemporary: false })).toEqual(['notify_sheet', 'show_identifier']);
    expect(allowedActions({ state: 'NOTIFIED', hasEmail: true, passwordTemporary: true })).toEqual([
      'notify_sheet',
      'notify_email',
      'reset_sheet',
      'reset_email',
      'show_identifier',
      'show_password',
    ]);
    expect(allowedActions({ state: 'ACTIVATING', hasEmail: true, passwordTemporary: false })).toContain('resend_activation');
  });
});
