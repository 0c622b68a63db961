// April 2024 notice end to end on the real database, pages through HTTP: an administrator
// requires a new password for a scope; the usual password then works once, only to open the
// forced choice of a new one (policy: 12 characters, 3 classes, not the old one); afterwards
// the new password logs in and the old one no longer does. Directors and agents cannot do it.
import { describe, expect, it } from 'vitest';
import { requirePasswordChange } from '../../services/accounts/mass-reset.js';
import { Browser, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool } from '../services/selfservice/fixtures.js';

const { prisma, ctx, server } = selfServicePages();
const admin = { kind: 'admin', staffId: 'admin-1', name: 'Admin' } as const;
const USUAL = 'Ancien-Jardin-2023';
const NEW = 'Nouveau-Verger-2031';

async function world() {
  const a = await makeSchool(prisma, '0311478N');
  const b = await makeSchool(prisma, '9740021R');
  await prisma.school.update({ where: { uai: '9740021R' }, data: { academy: 'La Réunion' } });
  const pa = await makePupil(prisma, a, 'Léa', '2016-05-04');
  const pb = await makePupil(prisma, b, 'Tom', '2015-02-03', 'Payet');
  const inA = await makeGuardian(ctx, {
    identifier: 'c.martin',
    state: 'ACTIVATED',
    personalPassword: USUAL,
    email: 'c.martin@example.org',
    emailConfirmed: true,
    pupilIds: [pa.id],
  });
  const inB = await makeGuardian(ctx, {
    identifier: 'j.payet',
    lastName: 'Payet',
    firstName: 'Jean',
    state: 'ACTIVATED',
    personalPassword: USUAL,
    pupilIds: [pb.id],
  });
  const temporary = await makeGuardian(ctx, { identifier: 'n.temp', state: 'NOTIFIED', pupilIds: [pa.id] });
  return { inA, inB, temporary };
}

const mustChange = async (id: number): Promise<boolean> => (await prisma.credential.findUniqueOrThrow({ where: { guardianId: id } })).mustChangeSince !== null;

describe('mass password change (April 2024 notice)', () => {
  it('is for administrators only, by school, academy or nationally, and counts the accounts with a personal password', async () => {
    const w = await world();
    await expect(
      requirePasswordChange(ctx, { kind: 'director', staffId: 'd', name: 'D', uais: ['0311478N'] }, { kind: 'school', uai: '0311478N' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(requirePasswordChange(ctx, { kind: 'agent', staffId: 'a', name: 'A' }, { kind: 'national' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(requirePasswordChange(ctx, admin, { kind: 'school', uai: '0999999Z' })).rejects.toMatchObject({ code: 'invalid' });
    expect(await requirePasswordChange(ctx, admin, { kind: 'academy', academy: 'la réunion' })).toMatchObject({ accounts: 1 });
    expect([await mustChange(w.inA.id), await mustChange(w.inB.id), await mustChange(w.temporary.id)]).toEqual([false, true, false]);
    expect(await requirePasswordChange(ctx, admin, { kind: 'school', uai: '0311478N' })).toMatchObject({ accounts: 1 });
    expect(await requirePasswordChange(ctx, admin, { kind: 'national' })).toMatchObject({ accounts: 2 });
    const rows = await prisma.auditLog.findMany({ where: { action: 'accounts.require_password_change' } });
    expect(rows.map((r) => r.actorId)).toEqual(['admin:admin-1', 'admin:admin-1', 'admin:admin-1']);
  });

  it('the usual password leads straight to the forced choice, once; then only the new password works', async () => {
    const w = await world();
    await requirePasswordChange(ctx, admin, { kind: 'national' });
    const b = new Browser(server.url);
    await b.get('/mon-compte');
    let r = await b.post('/mon-compte/connexion', { identifier: 'c.martin', password: USUAL });
    expect(r).toMatchObject({ status: 303, location: '/changement-mot-de-passe' });
    const form = await b.get('/changement-mot-de-passe');
    expect(form.status).toBe(200);
    expect(form.body).toContain('Votre mot de passe a été réinitialisé');
    expect(form.body).toContain('Au moins 12 caractères');
    expect(form.body).toContain('value="c.martin"');
    // The old password again, or a weak one: refused with the reasons, linked to the field.
    r = await b.post('/changement-mot-de-passe', { password: USUAL, confirmation: USUAL });
    expect(r.status).toBe(400);
    expect(r.body).toContain('différent de l’ancien');
    r = await b.post('/changement-mot-de-passe', { password: 'court', confirmation: 'court' });
    expect(r.status).toBe(400);
    expect(r.body).toContain('au moins 12 caractères');
    expect(r.body).toContain('<a href="#password">');
    r = await b.post('/changement-mot-de-passe', { password: NEW, confirmation: NEW });
    expect(r).toMatchObject({ status: 303, location: '/changement-mot-de-passe/termine' });
    expect((await b.get('/changement-mot-de-passe/termine')).body).toContain('changé avec succès');
    expect(await mustChange(w.inA.id)).toBe(false);
    // A confirmed contact is told; the old password no longer opens anything.
    expect(ctx.sent.some((m) => m.template === 'security_notice')).toBe(true);
    const again = new Browser(server.url);
    await again.get('/mon-compte');
    expect((await again.post('/mon-compte/connexion', { identifier: 'c.martin', password: USUAL })).status).toBe(400);
    expect((await again.post('/mon-compte/connexion', { identifier: 'c.martin', password: NEW })).location).toBe('/mon-compte');
    // The ticket was single use.
    expect((await b.get('/changement-mot-de-passe')).location).toBe('/mon-compte');
  });

  it('the first-login page also leads there; a session opened before the reset ends', async () => {
    await world();
    const before = new Browser(server.url);
    await before.get('/mon-compte');
    expect((await before.post('/mon-compte/connexion', { identifier: 'j.payet', password: USUAL })).location).toBe('/mon-compte');
    expect((await before.get('/mon-compte')).body).toContain('Mes enfants');
    await requirePasswordChange(ctx, admin, { kind: 'school', uai: '9740021R' });
    expect((await before.get('/mon-compte')).body).toContain('Mon compte : connexion');
    const b = new Browser(server.url);
    await b.get('/premiere-connexion');
    const r = await b.post('/premiere-connexion', { identifier: 'j.payet', temporaryPassword: USUAL });
    expect(r).toMatchObject({ status: 303, location: '/changement-mot-de-passe' });
    expect((await b.get('/changement-mot-de-passe')).status).toBe(200);
  });
});
