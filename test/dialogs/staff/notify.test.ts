// Notify dialog: one guardian by name or a population, preview card then explicit
// confirmation (the database changes only after "Confirmer"; "Annuler" changes nothing),
// sheets as a signed link downloaded through the file route, progress on large batches,
// email report, re-prompt cap and cancel in the middle.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { NotifyDialog } from '../../../dialogs/staff/notify-dialog.js';
import { registerFileRoutes } from '../../../web/files-routes.js';
import { resetDatabase } from '../../helpers/db.js';
import { startTestApp, type TestApp } from '../../helpers/server.js';
import { dialogClient, dialogDeps, runTranscript, say, turnText, clickCard } from '../../helpers/dialogs.js';
import { adaptiveAttachments } from '../../helpers/adaptive.js';
import { createClass, createGuardian, createPupil } from '../../services/accounts/fixtures.js';
import { buildStaffWorld, director, UAI_A, UAI_FOREIGN, type StaffWorld } from './fixtures.js';

let app: TestApp;
let world: StaffWorld;

beforeAll(async () => {
  app = await startTestApp({ routes: [registerFileRoutes] });
});
afterAll(async () => app?.close());
beforeEach(async () => {
  await resetDatabase(app.ctx.db);
  world = await buildStaffWorld(app.ctx.db);
});

const dialog = (): NotifyDialog => new NotifyDialog(dialogDeps(app.ctx));
const state = async (id: number): Promise<string | undefined> => (await app.ctx.db.guardian.findUnique({ where: { id } }))?.state;

/** The download link of the file card in a turn. */
function downloadUrl(replies: readonly Partial<Activity>[]): string {
  for (const r of replies) {
    for (const att of adaptiveAttachments(r)) {
      const actions: unknown = Reflect.get(att.content ?? {}, 'actions');
      for (const a of Array.isArray(actions) ? actions : []) {
        const url: unknown = Reflect.get(a, 'url');
        if (typeof url === 'string') return url;
      }
    }
  }
  throw new Error('no download link');
}

describe('NotifyDialog', () => {
  it('notifies one guardian by sheet only after confirmation, and serves the PDF through its signed link', async () => {
    const client = dialogClient(dialog(), { actor: director });
    const turns = await runTranscript(client, [
      { user: 'notifier un compte', bot: 'Pour quel établissement ?' },
      { user: (p) => clickCard(p, `school:${UAI_A}`), bot: ['Quels comptes voulez-vous notifier ?', 'Un responsable', 'Une classe'] },
      { user: (p) => clickCard(p, 'one'), bot: "Quel est le nom du responsable ou de l'élève ?" },
      { user: 'dupont', bot: ['Par quel moyen ?', 'Fiche à imprimer'] },
      { user: 'fiche', bot: 'Faut-il réinitialiser les mots de passe ?' },
      {
        user: (p) => clickCard(p, 'keep'),
        bot: ['Vérifiez avant de confirmer', 'Marie DUPONT', 'C01 – fiche de première notification : 1', 'Comptes notifiés : 1', 'Confirmer', 'Annuler'],
      },
    ]);
    expect(await state(world.g.dupontNotNotified)).toBe('NOT_NOTIFIED');
    expect(await app.ctx.db.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(0);
    const done = await say(client, clickCard(turns[5] ?? [], 'confirm'));
    expect(turnText(done)).toContain('Les fiches sont prêtes');
    expect(turnText(done)).toContain('1 compte(s) notifié(s), 1 page(s)');
    expect(await state(world.g.dupontNotNotified)).toBe('NOTIFIED');
    const url = downloadUrl(done);
    expect(url.startsWith(`${app.url}/fichiers/`)).toBe(true);
    const file = await app.ctx.db.storedFile.findFirstOrThrow();
    expect(file.ownerId).toBe('director:dir-claire');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const audit = await app.ctx.db.auditLog.findFirstOrThrow({ where: { action: 'accounts.notify' } });
    expect(audit.actorId).toBe('director:dir-claire');
  });

  it('changes nothing when the preview is cancelled', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], state: ['NOT_NOTIFIED'], channel: ['sheet'] } } });
    const turns = await runTranscript(client, [
      { user: 'notifier les non notifiés de 0311478N par fiche', bot: 'Faut-il réinitialiser' },
      { user: 'Sans réinitialisation', bot: ['comptes « Non notifié » (1 compte(s))', 'Comptes notifiés : 1'] },
    ]);
    const cancelled = await say(client, clickCard(turns[1] ?? [], 'cancel'));
    expect(turnText(cancelled)).toContain("aucun compte n'a été modifié");
    expect(await state(world.g.dupontNotNotified)).toBe('NOT_NOTIFIED');
    expect(await app.ctx.db.guardian.count({ where: { distributedAt: { gt: new Date('2026-10-01') } } })).toBe(0);
    expect(await app.ctx.db.storedFile.count()).toBe(0);
  });

  it('notifies everyone by email with reset: warnings on the preview, report of the queue', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A] } } });
    const turns = await runTranscript(client, [
      { user: 'renotifier', bot: 'Quels comptes voulez-vous notifier ?', not: 'Pour quel établissement' },
      { user: (p) => clickCard(p, 'all'), bot: 'Par quel moyen ?' },
      { user: (p) => clickCard(p, 'email'), bot: 'Faut-il réinitialiser' },
      {
        user: (p) => clickCard(p, 'reset'),
        bot: [
          'tous les comptes (5 compte(s))',
          'Comptes notifiés : 4',
          'C02 – e-mail de première notification : 2',
          'C06 – e-mail avec nouveau mot de passe provisoire : 2',
          "n'ont pas été réinitialisés (total : 1) : DUPONT Marie",
          'Aucune adresse e-mail',
          'PETIT Rose',
          'notifiez-les par fiche individuelle',
        ],
      },
    ]);
    const before = await app.ctx.db.credential.findUniqueOrThrow({ where: { guardianId: world.g.bernardActivated } });
    const done = await say(client, clickCard(turns[3] ?? [], 'confirm'));
    expect(turnText(done)).toContain("4 e-mail(s) mis en file d'envoi");
    expect(turnText(done)).toContain('PETIT Rose');
    const after = await app.ctx.db.credential.findUniqueOrThrow({ where: { guardianId: world.g.bernardActivated } });
    expect(after.isTemporary).toBe(true);
    expect(after.tempPasswordEnc).not.toBe(before.tempPasswordEnc);
    expect(await app.ctx.db.outboxMessage.count()).toBe(4);
    const report = await say(client, clickCard(done, 'report'));
    expect(turnText(report)).toContain('0 envoyé(s), 4 en attente, 0 en échec');
  });

  it('selects the accounts without email (for sheets) and those notified but not activated (reminders)', async () => {
    const noEmail = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['sheet'] } } });
    await runTranscript(noEmail, [
      { user: 'notifier par fiche', bot: ['Les comptes sans e-mail', 'Les comptes notifiés non activés'] },
      { user: (p) => clickCard(p, 'no_email'), bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['les comptes sans e-mail (1 compte(s))', 'C01 – fiche de première notification : 1'] },
    ]);
    const reminders = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['email'] } } });
    await runTranscript(reminders, [
      { user: 'relancer par e-mail', bot: 'Quels comptes' },
      { user: 'relancer', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['les comptes notifiés non activés (3 compte(s))', 'Comptes notifiés : 2', 'PETIT Rose'] },
    ]);
  });

  it('selects a level (only the levels of the school are offered) or an account origin', async () => {
    const byLevel = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['sheet'] } } });
    await runTranscript(byLevel, [
      { user: 'notifier par fiche', bot: ['Un niveau', 'Une origine de compte'] },
      { user: (p) => clickCard(p, 'level'), bot: ['Quel niveau ?', 'CM1', 'CP'], not: 'CE2' },
      { user: (p) => clickCard(p, 'CP'), bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['niveau CP (3 compte(s))', 'Comptes notifiés : 3', 'C03 – fiche de rappel (mot de passe inchangé) : 2'] },
    ]);
    const typedLevel = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['sheet'] } } });
    await runTranscript(typedLevel, [
      { user: 'notifier par fiche', bot: 'Quels comptes' },
      { user: 'par niveau', bot: 'Quel niveau ?' },
      { user: 'Cours moyen 1re année', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: 'niveau CM1 (2 compte(s))' },
    ]);
    const fromRequest = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], level: ['cm1'], channel: ['sheet'] } } });
    await runTranscript(fromRequest, [
      { user: 'notifier les CM1 par fiche', bot: 'Faut-il réinitialiser', not: 'Quels comptes' },
      { user: 'sans', bot: 'niveau CM1 (2 compte(s))' },
    ]);
    const byOrigin = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['sheet'] } } });
    await runTranscript(byOrigin, [
      { user: 'notifier par fiche', bot: 'Quels comptes' },
      { user: (p) => clickCard(p, 'origin'), bot: ['Quelle origine de compte ?', 'Établissement', 'Responsable', 'FranceConnect', 'Non renseigné'] },
      { user: 'non renseigné', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['comptes d’origine « Non renseigné » (1 compte(s))', 'C01 – fiche de première notification : 1'] },
    ]);
    const none = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['sheet'] } } });
    await runTranscript(none, [
      { user: 'notifier par fiche', bot: 'Quels comptes' },
      { user: (p) => clickCard(p, 'origin'), bot: 'Quelle origine de compte ?' },
      { user: (p) => clickCard(p, 'FRANCECONNECT'), bot: 'Aucun compte ne correspond à votre sélection (comptes d’origine « FranceConnect »).' },
    ]);
    expect(await app.ctx.db.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(0);
  });

  it('offers only "Annuler" when nothing would be notified, and a typed "oui" changes nothing', async () => {
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], channel: ['email'] } } });
    await runTranscript(client, [
      { user: 'notifier par mail', bot: 'Quels comptes' },
      { user: 'sans mail', bot: 'Faut-il réinitialiser' },
      {
        user: 'sans',
        bot: ["Aucun compte ne serait notifié : il n'y a rien à confirmer.", 'PETIT Rose', 'notifiez-les par fiche individuelle'],
        not: 'Confirmer',
      },
      { user: 'oui', bot: "aucun compte n'a été modifié" },
    ]);
    expect(await app.ctx.db.auditLog.count({ where: { action: 'accounts.notify' } })).toBe(0);
  });

  it('reports progress by quarters on a large batch, not per account', async () => {
    const big = await createClass(app.ctx.db, UAI_A, 'CE1 BIG', 'CE1');
    for (let i = 0; i < 60; i++) {
      const pupil = await createPupil(app.ctx.db, {
        schoolUai: UAI_A,
        classId: big,
        lastName: `ELEVE${String.fromCharCode(65 + (i % 26))}`,
        firstName: `Num${i}`,
      });
      await createGuardian(app.ctx.db, { lastName: `PARENT${String.fromCharCode(65 + (i % 26))}`, firstName: `Num${i}`, pupilIds: [pupil] });
    }
    const client = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], className: ['CE1 BIG'], channel: ['sheet'] } } });
    const turns = await runTranscript(client, [
      { user: 'notifier la classe CE1 BIG', bot: 'Faut-il réinitialiser' },
      { user: 'sans', bot: ['classe CE1 BIG (60 compte(s))', 'C01 – fiche de première notification : 60'] },
    ]);
    const done = await say(client, clickCard(turns[1] ?? [], 'confirm'));
    const progress = done.map((a) => a.text ?? '').filter((t) => t.startsWith('Préparation des fiches'));
    expect(progress).toEqual([
      'Préparation des fiches : 0 / 60…',
      'Préparation des fiches : 15 / 60…',
      'Préparation des fiches : 30 / 60…',
      'Préparation des fiches : 45 / 60…',
    ]);
    expect(turnText(done)).toContain('60 compte(s) notifié(s), 60 page(s)');
    expect(await app.ctx.db.guardian.count({ where: { state: 'NOTIFIED', pupils: { some: { pupil: { classId: big } } } } })).toBe(60);
  });

  it('caps wrong answers, cancels in the middle, refuses another school', async () => {
    const capped = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], state: ['NOTIFIED'] } } });
    await runTranscript(capped, [
      { user: 'renotifier les notifiés', bot: 'Par quel moyen ?' },
      { user: 'par pigeon', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'télégramme', bot: "Merci de choisir l'une des réponses proposées" },
      { user: 'fax', bot: ["Je n'arrive pas à comprendre votre réponse", '0 809 54 06 06'] },
    ]);
    const cancelled = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_A], state: ['NOTIFIED'] } } });
    await runTranscript(cancelled, [
      { user: 'renotifier les notifiés', bot: 'Par quel moyen ?' },
      { user: 'annuler', bot: "C'est annulé" },
    ]);
    const foreign = dialogClient(dialog(), { actor: director, dialogOptions: { entities: { uai: [UAI_FOREIGN] } } });
    await runTranscript(foreign, [{ user: 'notifier 0750001C', bot: 'dont vous avez la charge', not: ['Collège Secret', 'SECRET'] }]);
    expect(await app.ctx.db.guardian.count({ where: { distributedAt: { gt: new Date('2026-10-01') } } })).toBe(0);
  });
});
