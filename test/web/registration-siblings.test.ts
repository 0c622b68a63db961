// SMS self-registration finds every account of the same person (guide §1.2): a guardian
// registered by two schools under two references (one account carries the mobile, the other
// only the register's mobile) groups them in one step and ends with one account seeing both
// children. Through the HTTP pages, on the real database.
import { describe, expect, it } from 'vitest';
import { Browser, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool } from '../services/selfservice/fixtures.js';

const { prisma, ctx, server, lastSmsCode } = selfServicePages();
const NEW = 'Jardin-Fleuri-2031';

/** Two schools, one child in each, the same mother under two guardian records. */
async function siblings() {
  const ecole = await makeSchool(prisma, '0311478N');
  const college = await makeSchool(prisma, '0310002B');
  const leo = await makePupil(prisma, ecole, 'Léo', '2015-03-02', 'Lefèvre');
  const zoe = await makePupil(prisma, college, 'Zoé', '2011-11-30', 'Lefèvre');
  const other = await makePupil(prisma, ecole, 'Max', '2016-01-01', 'Lefèvre');
  const first = await makeGuardian(ctx, {
    identifier: 'e.lefevre',
    lastName: 'Lefèvre',
    firstName: 'Élodie',
    mobile: '+33611223344',
    state: 'NOTIFIED',
    pupilIds: [leo.id],
  });
  const second = await makeGuardian(ctx, {
    identifier: 'e.lefevre2',
    lastName: 'LEFEVRE',
    firstName: 'Elodie',
    state: 'NOT_NOTIFIED',
    origin: 'UNSET',
    pupilIds: [zoe.id],
  });
  await prisma.guardian.update({ where: { id: second.id }, data: { registerMobile: '+33611223344' } });
  // Same name, another mobile: not the same person.
  const homonym = await makeGuardian(ctx, {
    identifier: 'e.lefevre3',
    lastName: 'Lefèvre',
    firstName: 'Élodie',
    mobile: '+33699887766',
    state: 'NOTIFIED',
    pupilIds: [other.id],
  });
  // Refused on the second account: stays refused after the merge.
  await prisma.refusedLink.create({ data: { pupilId: other.id, guardianId: second.id } });
  await prisma.guardianRef.createMany({
    data: [
      { ref: 'ONDE-1', guardianId: first.id },
      { ref: 'SIECLE-2', guardianId: second.id },
    ],
  });
  return { leo, zoe, other, first, second, homonym };
}

async function upToCode(b: Browser): Promise<void> {
  expect(await b.submit('/inscription', { lastName: 'Lefevre', firstName: 'elodie', mobile: '06 11 22 33 44' })).toMatchObject({
    status: 303,
    location: '/inscription/code',
  });
  await b.get('/inscription/code');
  expect(await b.post('/inscription/code', { code: lastSmsCode() })).toMatchObject({ status: 303, location: '/inscription/enfants' });
}

describe('SMS self-registration of a guardian with several accounts', () => {
  it('offers to group both accounts, confirms both children, ends with one account seeing both', async () => {
    const w = await siblings();
    const b = new Browser(server.url);
    await upToCode(b);
    expect((await b.get('/inscription/enfants')).location).toBe('/inscription/comptes');
    const offer = await b.get('/inscription/comptes');
    expect(offer.body).toContain('Nous avons trouvé 2 comptes à votre nom');
    expect(offer.body).toContain('Compte 1 : Léo');
    expect(offer.body).toContain('Compte 2 : Zoé');
    expect(offer.body).not.toContain('Max');
    expect(offer.body).not.toContain('e.lefevre');
    expect(await b.post('/inscription/comptes', { group: 'yes' })).toMatchObject({ status: 303, location: '/inscription/enfants' });
    const kids = await b.get('/inscription/enfants');
    expect(kids.body).toContain('Date de naissance de Léo');
    expect(kids.body).toContain('Date de naissance de Zoé');
    expect(kids.body).not.toContain('Max');
    expect((await b.post('/inscription/enfants', { [`child-${w.leo.id}`]: '02/03/2015', [`child-${w.zoe.id}`]: '01/01/2011' })).status).toBe(400);
    expect(await b.post('/inscription/enfants', { [`child-${w.leo.id}`]: '02/03/2015', [`child-${w.zoe.id}`]: '30/11/2011' })).toMatchObject({
      status: 303,
      location: '/inscription/mot-de-passe',
    });
    expect((await b.get('/inscription/mot-de-passe')).body).toContain('<p class="identifier">e.lefevre</p>');
    expect(await b.post('/inscription/mot-de-passe', { password: NEW, confirmation: NEW })).toMatchObject({ status: 303, location: '/inscription/terminee' });

    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: w.first.id } })).toMatchObject({
      state: 'ACTIVATED',
      origin: 'SELF',
      mobileConfirmed: true,
      mergedIntoId: null,
    });
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id: w.second.id } })).mergedIntoId).toBe(w.first.id);
    const links = await prisma.pupilGuardian.findMany({ where: { guardianId: w.first.id }, orderBy: { pupilId: 'asc' } });
    expect(links.map((l) => l.pupilId)).toEqual([w.leo.id, w.zoe.id]);
    expect(await prisma.refusedLink.findMany({ select: { pupilId: true, guardianId: true } })).toEqual([{ pupilId: w.other.id, guardianId: w.first.id }]);
    expect((await prisma.guardianRef.findMany({ where: { guardianId: w.first.id } })).map((r) => r.ref).sort()).toEqual(['ONDE-1', 'SIECLE-2']);
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id: w.homonym.id } })).mergedIntoId).toBeNull();
    const audits = await prisma.auditLog.findMany({
      where: { action: { in: ['selfservice.regroup', 'selfservice.registration', 'selfservice.registration_grouping'] } },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => a.action)).toEqual(['selfservice.registration_grouping', 'selfservice.regroup', 'selfservice.registration']);
    // The second account cannot be logged into any more: it is merged.
    const login = new Browser(server.url);
    await login.get('/mon-compte');
    expect((await login.post('/mon-compte/connexion', { identifier: 'e.lefevre', password: NEW })).location).toBe('/mon-compte');
    const home = await login.get('/mon-compte');
    expect(home.body).toContain('Léo Lefèvre');
    expect(home.body).toContain('Zoé Lefèvre');
  });

  it('without grouping, only the first account is activated; the second stays as it was', async () => {
    const w = await siblings();
    const b = new Browser(server.url);
    await upToCode(b);
    await b.get('/inscription/comptes');
    expect(await b.post('/inscription/comptes', { group: 'no' })).toMatchObject({ status: 303, location: '/inscription/enfants' });
    const kids = await b.get('/inscription/enfants');
    expect(kids.body).toContain('Date de naissance de Léo');
    expect(kids.body).not.toContain('Zoé');
    await b.post('/inscription/enfants', { [`child-${w.leo.id}`]: '02/03/2015' });
    await b.get('/inscription/mot-de-passe');
    expect((await b.post('/inscription/mot-de-passe', { password: NEW, confirmation: NEW })).location).toBe('/inscription/terminee');
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: w.second.id } })).toMatchObject({ state: 'NOT_NOTIFIED', mergedIntoId: null });
    expect(await prisma.pupilGuardian.count({ where: { guardianId: w.second.id } })).toBe(1);
  });
});
