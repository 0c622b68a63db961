// "Mon compte" > "Mes informations" through HTTP on the real database: the identifier shown,
// the password changed (current one checked, policy, then only the new one logs in), the
// mobile changed only once the code sent to the new number is typed.
import { describe, expect, it } from 'vitest';
import { Browser, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool } from '../services/selfservice/fixtures.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';

const { prisma, ctx, server, lastSmsCode } = selfServicePages();
const PW = 'Ancien-Jardin-2023';
const NEW = 'Nouveau-Verger-2031';

async function loggedIn(): Promise<{ b: Browser; id: number }> {
  const school = await makeSchool(prisma);
  const pupil = await makePupil(prisma, school, 'Léa', '2016-05-04');
  const g = await makeGuardian(ctx, {
    identifier: 'c.martin',
    state: 'ACTIVATED',
    email: 'c.martin@example.org',
    emailConfirmed: true,
    mobile: '+33612345678',
    mobileConfirmed: true,
    personalPassword: PW,
    pupilIds: [pupil.id],
  });
  const b = new Browser(server.url);
  await b.get('/mon-compte');
  expect((await b.post('/mon-compte/connexion', { identifier: 'c.martin', password: PW })).location).toBe('/mon-compte');
  return { b, id: g.id };
}

describe('Mon compte: mes informations', () => {
  it('shows the identifier and masked contacts, with the links to change password and mobile', async () => {
    const { b } = await loggedIn();
    const page = await b.get('/mon-compte');
    expect(page.body).toContain('Mes informations');
    expect(page.body).toContain('c.martin');
    expect(page.body).not.toContain('c.martin@example.org');
    expect(page.body).not.toContain('+33612345678');
    expect(page.body).toContain('href="/mon-compte/mot-de-passe"');
    expect(page.body).toContain('href="/mon-compte/portable"');
  });

  it('changes the password: current one checked, policy applied, then only the new one logs in', async () => {
    const { b } = await loggedIn();
    await b.get('/mon-compte/mot-de-passe');
    let r = await b.post('/mon-compte/mot-de-passe', { currentPassword: 'Faux-Mot-2020x', password: NEW, confirmation: NEW });
    expect(r.status).toBe(400);
    expect(r.body).toContain('<a href="#currentPassword">Le mot de passe actuel est incorrect.</a>');
    r = await b.post('/mon-compte/mot-de-passe', { currentPassword: PW, password: 'courtcourt', confirmation: 'courtcourt' });
    expect(r.body).toContain('au moins 12 caractères');
    r = await b.post('/mon-compte/mot-de-passe', { currentPassword: PW, password: NEW, confirmation: NEW });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte?ok=mot-de-passe' });
    expect((await b.get('/mon-compte?ok=mot-de-passe')).body).toContain('Votre mot de passe a été modifié');
    expect(ctx.sent.filter((m) => m.template === 'security_notice' || m.template === 'sms_notice')).toHaveLength(2);
    const other = new Browser(server.url);
    await other.get('/mon-compte');
    expect((await other.post('/mon-compte/connexion', { identifier: 'c.martin', password: PW })).status).toBe(400);
    expect((await other.post('/mon-compte/connexion', { identifier: 'c.martin', password: NEW })).location).toBe('/mon-compte');
  });

  it('changes the mobile only with the code sent to the new number', async () => {
    const { b, id } = await loggedIn();
    await b.get('/mon-compte/portable');
    expect((await b.post('/mon-compte/portable', { mobile: '12' })).status).toBe(400);
    let r = await b.post('/mon-compte/portable', { mobile: '0692 12 34 56' });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte/portable/code' });
    const sms = ctx.sent.find((m): m is Extract<OutgoingMessage, { template: 'sms_code' }> => m.template === 'sms_code');
    expect(sms?.to).toBe('+262692123456');
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id } })).mobile).toBe('+33612345678');
    await b.get('/mon-compte/portable/code');
    r = await b.post('/mon-compte/portable/code', { code: lastSmsCode() === '000000' ? '111111' : '000000' });
    expect(r.status).toBe(400);
    r = await b.post('/mon-compte/portable/code', { code: lastSmsCode() });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte?ok=portable' });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id } })).toMatchObject({ mobile: '+262692123456', mobileConfirmed: true });
    // Without a session: back to the login.
    expect((await new Browser(server.url).get('/mon-compte/portable')).location).toBe('/mon-compte');
  });
});
