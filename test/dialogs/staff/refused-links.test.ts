// Children removed by parents, seen and restored by staff: a director for their school, an
// agent for any school; the list, one "Rétablir", one confirmation, the link back and audited;
// nothing outside the director's schools.
import { describe, expect, it } from 'vitest';
import { RefusedLinksDialog } from '../../../dialogs/staff/refused-links-dialog.js';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { linkChoice } from '../../../cards/staff/refused-links-card.js';
import { dialogClient, dialogDeps, runTranscript, tableRecognizer, clickCard } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { agent, director, singleDirector } from './fixtures.js';

const env = useStaffWorld();

/** Marie DUPONT says Tom DURAND (CM1 A) is not her child; Nina LEROY refused Sam MARTIN (school B). */
async function refusals(): Promise<{ tom: number; sam: number }> {
  const tom = (await env.prisma.pupil.findFirstOrThrow({ where: { firstName: 'Tom' } })).id;
  const sam = (await env.prisma.pupil.findFirstOrThrow({ where: { firstName: 'Sam' } })).id;
  await env.prisma.refusedLink.createMany({
    data: [
      { pupilId: tom, guardianId: env.world.g.dupontNotNotified, refusedAt: new Date('2026-11-20T09:00:00Z') },
      { pupilId: sam, guardianId: env.world.g.schoolB },
    ],
  });
  await env.prisma.pupilGuardian.deleteMany({ where: { pupilId: sam, guardianId: env.world.g.schoolB } });
  return { tom, sam };
}

const dialog = (): RefusedLinksDialog => new RefusedLinksDialog(dialogDeps(env.ctx));

describe('RefusedLinksDialog', () => {
  it('director: lists the refusals of the school chosen, restores one after "Confirmer", audited once', async () => {
    const { tom } = await refusals();
    const c = dialogClient(dialog(), { actor: director });
    await runTranscript(c, [
      { user: 'enfants retirés par les parents', bot: 'Pour quel établissement ?' },
      {
        user: (p) => clickCard(p, 'school:0311478N'),
        bot: ['Enfants retirés par les parents – École Jules Ferry', 'Tom DURAND (CM1 A)', 'DUPONT Marie', 'Le 20/11/2026', 'Rétablir'],
        not: 'Sam',
      },
      { user: 'celui-là', bot: 'Cliquez sur « Rétablir »' },
      { user: (p) => clickCard(p, linkChoice(tom, env.world.g.dupontNotNotified)), bot: 'Rattacher de nouveau Tom DURAND (CM1 A) au compte de DUPONT Marie' },
    ]);
    expect(await env.prisma.pupilGuardian.count({ where: { pupilId: tom, guardianId: env.world.g.dupontNotNotified } })).toBe(0);
    await runTranscript(c, [{ user: 'Confirmer', bot: 'est rétabli' }]);
    expect(await env.prisma.pupilGuardian.count({ where: { pupilId: tom, guardianId: env.world.g.dupontNotNotified } })).toBe(1);
    expect(await env.prisma.refusedLink.count({ where: { pupilId: tom } })).toBe(0);
    const audit = await env.prisma.auditLog.findMany({ where: { action: 'accounts.link_restore' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'director', guardianId: env.world.g.dupontNotNotified, schoolUai: '0311478N' });
  });

  it('agent: whichever school, named by UAI; cancel keeps the refusal', async () => {
    const { sam } = await refusals();
    const c = dialogClient(dialog(), { actor: agent });
    await runTranscript(c, [
      { user: 'liens refusés', bot: 'Écrivez son code UAI' },
      { user: '0310002B', bot: ['École Marie Curie', 'Sam MARTIN (CE2)', 'LEROY Nina'] },
      { user: (p) => clickCard(p, linkChoice(sam, env.world.g.schoolB)), bot: 'Rattacher de nouveau Sam MARTIN' },
      { user: (p) => clickCard(p, 'cancel'), bot: 'le lien reste refusé' },
    ]);
    expect(await env.prisma.refusedLink.count()).toBe(2);
    expect(await env.prisma.auditLog.count({ where: { action: 'accounts.link_restore' } })).toBe(0);
  });

  it('no refusal: said plainly; another school refused to a director', async () => {
    await runTranscript(dialogClient(dialog(), { actor: singleDirector }), [
      { user: 'liens refusés', bot: "Aucun parent de École Marie Curie n'a retiré d'enfant de son compte." },
    ]);
    await runTranscript(dialogClient(dialog(), { actor: singleDirector, dialogOptions: { entities: { uai: ['0311478N'] } } }), [
      { user: 'liens refusés', bot: 'Je ne peux vous répondre que pour les établissements dont vous avez la charge.' },
    ]);
  });

  it.each([
    ['Voir les enfants retirés par les parents', director],
    ['un parent veut rétablir le lien avec son fils', agent],
  ] as const)('"%s" reaches it from the root (and the greeting offers it)', async (text, actor) => {
    const deps = dialogDeps(env.ctx, tableRecognizer({}));
    const root = registerStaffDialogs(new RootDialog(deps), deps);
    expect(root.welcome(actor, []).text).toContain('Voir les enfants retirés par les parents');
    await runTranscript(dialogClient(root, { actor }), [{ user: text, bot: actor === agent ? 'Écrivez son code UAI' : 'Pour quel établissement ?' }]);
  });
});
