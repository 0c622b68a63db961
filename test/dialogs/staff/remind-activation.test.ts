// Activation reminders in the chat (guide §1.3.3): "relancer les comptes non activés" -> school
// -> notified more than N days ago -> channel -> preview with the count -> one confirmation ->
// reminders sent (mail) or sheets to print, audited; a director for their school, an agent for
// any school; the greeting offers it and the words reach it.
import { describe, expect, it } from 'vitest';
import { RemindActivationDialog, REMIND_ACTIVATION_DIALOG, daysIn } from '../../../dialogs/staff/remind-activation-dialog.js';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { dialogClient, dialogDeps, runTranscript, tableRecognizer, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, singleDirector, UAI_A } from './fixtures.js';

const env = useStaffWorld();

const dialog = (): RemindActivationDialog => new RemindActivationDialog(dialogDeps(env.ctx));

/** Durand (Notifié, email), Petit (Notifié, no email), Martin (En cours d'activation) notified 100 days ago. */
async function notifiedLongAgo(): Promise<void> {
  const at = new Date(env.ctx.now().getTime() - 100 * 86_400_000);
  const { g } = env.world;
  await env.prisma.guardian.updateMany({
    where: { id: { in: [g.durandNotified, g.petitNoEmail, g.martinActivating, g.schoolB] } },
    data: { distributedAt: at },
  });
}

describe('RemindActivationDialog', () => {
  it('director, by email: days typed, preview with the count and who has no email, nothing before "Confirmer", one audit row per account', async () => {
    await notifiedLongAgo();
    const client = dialog();
    const c = dialogClient(client, { actor: director });
    await runTranscript(c, [
      { user: 'relancer les comptes non activés', bot: 'Pour quel établissement ?' },
      { user: (p) => clickCard(p, 'school:0311478N'), bot: ['depuis plus de combien de jours', '60 jours (conseillé)'] },
      { user: '400', bot: 'entre 1 et 365' },
      { user: '45 jours', bot: 'Par quel moyen relancer' },
      {
        user: 'E-mail',
        bot: [
          'Relance des comptes non activés',
          'École Jules Ferry',
          '45 jours',
          '1 (e-mail de rappel)',
          '1 (e-mail d’activation renvoyé)',
          'PETIT Rose',
          'ont dépassé le délai de 3 mois',
          'Confirmer',
        ],
        not: 'LEROY',
      },
    ]);
    expect(await env.prisma.outboxMessage.count()).toBe(0);
    await runTranscript(c, [
      {
        user: 'Confirmer',
        bot: ['1 e-mail(s) de rappel mis en file', "1 e-mail(s) d'activation renvoyé(s)", 'Sans adresse e-mail, à relancer par fiche : PETIT Rose'],
      },
    ]);
    const out = await env.prisma.outboxMessage.findMany({ orderBy: { template: 'asc' } });
    expect(out.map((m) => m.template)).toEqual(['activation', 'letter']);
    const audits = await env.prisma.auditLog.findMany({ where: { action: 'accounts.remind_activation' } });
    expect(audits.map((a) => a.guardianId).sort()).toEqual([env.world.g.durandNotified, env.world.g.martinActivating].sort());
    expect(audits.every((a) => a.actorType === 'director' && a.actorId.includes('dir-claire'))).toBe(true);
  });

  it('agent, by sheet, school named by its name, days read in the request: a file to download', async () => {
    await notifiedLongAgo();
    const c = dialogClient(dialog(), { actor: agent, dialogOptions: { text: 'relancer les comptes notifiés depuis plus de 60 jours' } });
    await runTranscript(c, [
      { user: 'relancer les comptes notifiés depuis plus de 60 jours', bot: 'Écrivez son code UAI' },
      { user: 'Curie', bot: 'Par quel moyen relancer' },
      { user: 'fiche', bot: ['École Marie Curie', '1 (fiche de rappel à imprimer)', '1 (e-mail d’activation renvoyé)'] },
      { user: (p) => clickCard(p, 'confirm'), bot: ['Les fiches de rappel sont prêtes', '1 fiche(s) de rappel à imprimer', 'Télécharger'] },
    ]);
    const audits = await env.prisma.auditLog.findMany({ where: { action: 'accounts.remind_activation' } });
    expect(audits.map((a) => a.guardianId).sort()).toEqual([env.world.g.martinActivating, env.world.g.schoolB].sort());
    expect(audits.every((a) => a.actorType === 'agent' && a.schoolUai === '0310002B')).toBe(true);
  });

  it.each([
    { name: 'nothing to remind: said, no card', days: '300', then: { user: 'E-mail', bot: 'n’est à relancer' } },
    { name: 'cancelled: nothing sent', days: '60', then: { user: 'E-mail', bot: 'Confirmer' }, cancel: true },
  ])('$name', async ({ days, then, cancel }) => {
    await notifiedLongAgo();
    const c = dialogClient(dialog(), { actor: singleDirector });
    await runTranscript(c, [
      { user: 'relancer', bot: 'combien de jours' },
      { user: days, bot: 'Par quel moyen' },
      then,
      ...(cancel ? [{ user: (p: Parameters<typeof clickCard>[0]) => clickCard(p, 'cancel'), bot: "aucune relance n'a été envoyée" }] : []),
    ]);
    expect(await env.prisma.outboxMessage.count()).toBe(0);
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.remind_activation' } })).toBe(0);
  });

  it('a director cannot remind another school, named by its UAI', async () => {
    const c = dialogClient(dialog(), { actor: singleDirector, dialogOptions: { entities: { uai: [UAI_A] } } });
    await runTranscript(c, [{ user: 'relancer', bot: 'Je ne peux vous répondre que pour les établissements dont vous avez la charge.' }]);
  });

  it.each([
    ['relancer les comptes non activés', director],
    ['Relancer les comptes non activés', agent],
    ['il faudrait relancer les parents qui n’ont pas activé', director],
    ['faire une relance des comptes', director],
  ] as const)('"%s" reaches the reminders from the root', async (text, actor) => {
    const deps = dialogDeps(env.ctx, tableRecognizer({}));
    const root = registerStaffDialogs(new RootDialog(deps), deps);
    expect(root.welcome(actor, []).text).toContain('Relancer les comptes non activés');
    const c = dialogClient(root, { actor });
    await runTranscript(c, [{ user: text, bot: actor === agent ? 'Écrivez son code UAI' : 'Pour quel établissement ?' }]);
    expect(REMIND_ACTIVATION_DIALOG).toBe('staff.remindActivation');
  });

  it.each([
    ['45', 45],
    ['45 jours', 45],
    ['depuis plus de 90 j', 90],
    ['0311478N', undefined],
    ['500 jours', undefined],
    ['relancer', undefined],
  ] as const)('days in "%s" -> %s', (text, days) => {
    expect(daysIn(text)).toBe(days);
  });
});
