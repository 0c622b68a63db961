// The self-service pages over HTTP on a real restify server and the shared database.
import { beforeEach, describe, expect, it } from 'vitest';
import { Browser, selfServicePages, startSelfServiceServer } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool, recordingContext, tokenOf } from '../services/selfservice/fixtures.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';

const { prisma, ctx, server, lastSmsCode } = selfServicePages();
let school: { uai: string; classId: number };
const TEMP = 'Tmp#Pass7word';
const NEW = 'Jardin-Fleuri-2031';

beforeEach(async () => {
  school = await makeSchool(prisma);
});

const lastUrl = (template: OutgoingMessage['template']): string => {
  const m = [...ctx.sent].reverse().find((x) => x.template === template);
  return m && 'url' in m ? m.url : '';
};

describe('self-service pages', () => {
  it('lost password by SMS: request -> code -> new password page -> done; no-store, errors linked, no password echoed', async () => {
    await makeGuardian(ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATED',
      mobile: '+33612345678',
      mobileConfirmed: true,
      personalPassword: 'Ancien-Mot2passe',
    });
    const b = new Browser(server.url);
    const form = await b.get('/mot-de-passe-perdu');
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.body).toContain('lang="fr"');
    let r = await b.post('/mot-de-passe-perdu', { identifier: 'c.martin', method: 'sms' });
    expect(r).toMatchObject({ status: 303, location: '/mot-de-passe-perdu/code' });
    const codePage = await b.get('/mot-de-passe-perdu/code');
    expect(codePage.body).toContain('valable 30 minutes');
    r = await b.post('/mot-de-passe-perdu/code', { code: lastSmsCode() === '000000' ? '111111' : '000000' });
    expect(r.status).toBe(400);
    expect(r.body).toContain('href="#code"');
    r = await b.post('/mot-de-passe-perdu/code', { code: lastSmsCode() });
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/mot-de-passe\/[A-Za-z0-9_-]{43}$/);
    const pwPath = r.location ?? '';
    const pw = await b.get(pwPath);
    expect(pw.status).toBe(200);
    expect(pw.body).toContain('value="c.martin"');
    expect(pw.body).toContain('autocomplete="new-password"');
    r = await b.post(pwPath, { password: 'motdepasse-c.martin', confirmation: 'autre-chose' });
    expect(r.status).toBe(400);
    expect(r.body).toContain('<a href="#password">');
    expect(r.body).toContain('<a href="#confirmation">');
    expect(r.body).toContain('aria-describedby="password-hint password-error"');
    expect(r.body).not.toContain('motdepasse-c.martin');
    expect(r.body).not.toContain('autre-chose');
    r = await b.post(pwPath, { password: NEW, confirmation: NEW });
    expect(r).toMatchObject({ status: 303, location: '/mot-de-passe-modifie' });
    expect((await b.get('/mot-de-passe-modifie')).body).toContain('Mot de passe modifié');
    const again = await b.get(pwPath);
    expect(again.status).toBe(410);
    expect(again.body).toContain('Mot de passe perdu');
  });

  it('refuses a POST without a valid CSRF token (missing, or from another browser)', async () => {
    const b = new Browser(server.url);
    await b.get('/identifiant-perdu');
    expect((await b.post('/identifiant-perdu', { channel: 'email', contact: 'a@example.org' }, '')).status).toBe(403);
    const other = new Browser(server.url);
    await other.get('/identifiant-perdu');
    expect((await b.post('/identifiant-perdu', { channel: 'email', contact: 'a@example.org' }, other.csrf)).status).toBe(403);
    expect(ctx.sent).toHaveLength(0);
  });

  it('lost identifier: the same redirect and page for a known and an unknown email', async () => {
    await makeGuardian(ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATED',
      email: 'claire@example.org',
      emailConfirmed: true,
      personalPassword: 'Ancien-Mot2passe',
    });
    const known = await new Browser(server.url).submit('/identifiant-perdu', { channel: 'email', contact: 'claire@example.org' });
    const unknown = await new Browser(server.url).submit('/identifiant-perdu', { channel: 'email', contact: 'nobody@example.org' });
    expect(known.status).toBe(303);
    expect(unknown.location).toBe(known.location);
    const a = await new Browser(server.url).get(known.location ?? '');
    const c = await new Browser(server.url).get(unknown.location ?? '');
    expect(a.body).toBe(c.body);
    expect(ctx.sent.filter((m) => m.template === 'identifier_reminder')).toHaveLength(1);
    const invalid = await new Browser(server.url).submit('/identifiant-perdu', { channel: 'email', contact: 'pas une adresse' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toContain('value="pas une adresse"');
  });

  it('first login -> activation link -> activated; a wrong birth date is refused without revealing it', async () => {
    const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const g = await makeGuardian(ctx, {
      identifier: 'c.martin',
      firstName: 'Claire<script>',
      state: 'NOTIFIED',
      origin: 'UNSET',
      temporaryPassword: TEMP,
      pupilIds: [leo.id],
    });
    const b = new Browser(server.url);
    let r = await b.submit('/premiere-connexion', { identifier: 'c.martin', temporaryPassword: 'mauvais' });
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('mauvais');
    r = await b.post('/premiere-connexion', { identifier: 'c.martin', temporaryPassword: TEMP });
    expect(r).toMatchObject({ status: 303, location: '/premiere-connexion/suite' });
    const step2 = await b.get('/premiere-connexion/suite');
    expect(step2.body).toContain('Date de naissance de Léo');
    expect(step2.body).toContain('Claire&#60;script&#62;');
    expect(step2.body).not.toContain('Claire<script>');
    expect(step2.body).toContain('autocomplete="email"');
    r = await b.post('/premiere-connexion/suite', { password: NEW, confirmation: NEW, email: 'claire@example.org', birthDate: '03/03/2015' });
    expect(r.status).toBe(400);
    expect(r.body).toContain('<a href="#birthDate">');
    expect(r.body).not.toMatch(/02\/03\/2015|2015-03-02/);
    r = await b.post('/premiere-connexion/suite', { password: NEW, confirmation: NEW, email: 'claire@example.org', birthDate: '02/03/2015' });
    expect(r).toMatchObject({ status: 303, location: '/premiere-connexion/terminee' });
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).state).toBe('ACTIVATING');
    const link = lastUrl('activation');
    expect(link.startsWith(`${server.url}/activation/`)).toBe(true);
    const act = new Browser(server.url);
    const confirm = await act.get(link.replace(server.url, ''));
    expect(confirm.status).toBe(200);
    expect((await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).state).toBe('ACTIVATING');
    r = await act.post(link.replace(server.url, ''), {});
    expect(r).toMatchObject({ status: 303, location: '/activation-terminee' });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ state: 'ACTIVATED', emailConfirmed: true });
    const expired = await act.post(`/activation/${'x'.repeat(43)}`, {});
    expect(expired.status).toBe(410);
    expect(expired.body).toContain('nouvel e-mail d&#39;activation');
  });

  it('first login: past the free attempts, 429 and the wait (the status follows the refusal code, not its text)', async () => {
    // A clock that does not move: the throttle's delay after the 5 free failures has not run out.
    const frozen = recordingContext(prisma);
    frozen.setNow(new Date());
    const own = await startSelfServiceServer(frozen);
    try {
      const leo = await makePupil(prisma, school, 'Léo', '2015-03-02');
      await makeGuardian(frozen, { identifier: 'c.martin', state: 'NOTIFIED', origin: 'UNSET', temporaryPassword: TEMP, pupilIds: [leo.id] });
      const b = new Browser(own.url);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await b.submit('/premiere-connexion', { identifier: 'c.martin', temporaryPassword: `mauvais${i}` })).status);
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
      const last = await b.submit('/premiere-connexion', { identifier: 'c.martin', temporaryPassword: TEMP });
      expect(last.status).toBe(429);
      expect(last.body).toContain('Patientez');
    } finally {
      await own.close();
    }
  });

  it('SMS self-registration end to end', async () => {
    const a = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const z = await makePupil(prisma, school, 'Zoé', '2018-11-30');
    const g = await makeGuardian(ctx, {
      identifier: 'e.lefevre3',
      lastName: 'Lefèvre',
      firstName: 'Élodie',
      mobile: '+33611223344',
      state: 'NOT_NOTIFIED',
      origin: 'UNSET',
      pupilIds: [a.id, z.id],
    });
    const b = new Browser(server.url);
    let r = await b.submit('/inscription', { lastName: 'LEFEVRE', firstName: 'Elodie', mobile: '06 11 22 33 44' });
    expect(r).toMatchObject({ status: 303, location: '/inscription/code' });
    await b.get('/inscription/code');
    r = await b.post('/inscription/code', { code: lastSmsCode() });
    expect(r).toMatchObject({ status: 303, location: '/inscription/enfants' });
    const kids = await b.get('/inscription/enfants');
    expect(kids.body).toContain('Date de naissance de Léo');
    expect(kids.body).toContain('Date de naissance de Zoé');
    r = await b.post('/inscription/enfants', { [`child-${a.id}`]: '02/03/2015', [`child-${z.id}`]: '01/01/2018' });
    expect(r.status).toBe(400);
    r = await b.post('/inscription/enfants', { [`child-${a.id}`]: '02/03/2015', [`child-${z.id}`]: '30/11/2018' });
    expect(r).toMatchObject({ status: 303, location: '/inscription/mot-de-passe' });
    const pwPage = await b.get('/inscription/mot-de-passe');
    expect(pwPage.body).toContain('<p class="identifier">e.lefevre3</p>');
    r = await b.post('/inscription/mot-de-passe', { password: NEW, confirmation: NEW });
    expect(r).toMatchObject({ status: 303, location: '/inscription/terminee' });
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ state: 'ACTIVATED', origin: 'SELF', mobileConfirmed: true });
  });

  it('mon compte: a temporary password must be changed first; session cookie; regroup, only-link refusal, email change', async () => {
    const a = await makePupil(prisma, school, 'Léo', '2015-03-02');
    const z = await makePupil(prisma, school, 'Zoé', '2018-11-30');
    await makeGuardian(ctx, { identifier: 'c.martin7', temporaryPassword: TEMP, pupilIds: [z.id] });
    const kept = await makeGuardian(ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATED',
      email: 'old@example.org',
      emailConfirmed: true,
      personalPassword: NEW,
      pupilIds: [a.id],
    });
    const b = new Browser(server.url);
    let r = await b.submit('/mon-compte', {});
    r = await b.post('/mon-compte/connexion', { identifier: 'c.martin7', password: TEMP });
    expect(r).toMatchObject({ status: 303, location: '/premiere-connexion' });
    expect(b.cookies.has('ec_session')).toBe(false);
    await b.get('/mon-compte');
    r = await b.post('/mon-compte/connexion', { identifier: 'c.martin', password: NEW });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte' });
    expect(r.headers.getSetCookie().find((c) => c.startsWith('ec_session='))).toMatch(/HttpOnly; SameSite=Strict/);
    let home = await b.get('/mon-compte');
    expect(home.body).toContain('Léo Martin');
    r = await b.post(`/mon-compte/enfants/${a.id}/retirer`, {});
    expect(r.status).toBe(400);
    expect(r.body).toContain('seul responsable');
    r = await b.post('/mon-compte/regrouper', { otherIdentifier: 'c.martin7', otherPassword: TEMP });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte?ok=regroupe' });
    home = await b.get('/mon-compte?ok=regroupe');
    expect(home.body).toContain('Zoé Martin');
    r = await b.post('/mon-compte/email', { email: 'new@example.org', emailConfirmation: 'new@example.org' });
    expect(r).toMatchObject({ status: 303, location: '/mon-compte?ok=email' });
    expect(ctx.sent.map((m) => m.template)).toEqual(expect.arrayContaining(['email_change_notice', 'email_change_confirm']));
    const confirm = lastUrl('email_change_confirm').replace(server.url, '');
    const other = new Browser(server.url);
    await other.get(confirm);
    expect((await other.post(confirm, {})).location).toBe('/email-confirmee');
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: kept.id } })).toMatchObject({ email: 'new@example.org', emailConfirmed: true });
    await b.get('/mon-compte');
    r = await b.post('/mon-compte/deconnexion', {});
    expect((await b.get('/mon-compte')).body).toContain('Mon compte : connexion');
    expect(tokenOf(confirm)).toHaveLength(43);
  });
});
