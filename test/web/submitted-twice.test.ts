// Self-service forms submitted twice (double click, retry, back + resubmit) act once, on the
// real database through HTTP: the same rendered form sends one mail or SMS, even when three
// submissions arrive at once; the others get a polite page; a new form acts again.
import { beforeEach, describe, expect, it } from 'vitest';
import { Browser, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool } from '../services/selfservice/fixtures.js';

const { prisma, ctx, server } = selfServicePages(6);
const PW = 'Ancien-Jardin-2023';

beforeEach(async () => {
  const school = await makeSchool(prisma);
  const pupil = await makePupil(prisma, school, 'Léa', '2016-05-04');
  await makeGuardian(ctx, {
    identifier: 'c.martin',
    state: 'ACTIVATED',
    email: 'c.martin@example.org',
    emailConfirmed: true,
    mobile: '+33612345678',
    mobileConfirmed: true,
    personalPassword: PW,
    pupilIds: [pupil.id],
  });
});

const onceOf = (body: string): string => /name="once" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('forms submitted twice', () => {
  it('lost password by email: the same form twice -> one mail and a polite page; a new form -> a new mail', async () => {
    const b = new Browser(server.url);
    const form = await b.get('/mot-de-passe-perdu');
    const once = onceOf(form.body);
    expect(once).toMatch(/^[0-9a-f-]{36}$/);
    const fields = { identifier: 'c.martin', method: 'email', once };
    expect((await b.post('/mot-de-passe-perdu', fields)).location).toBe('/mot-de-passe-perdu/envoye');
    const again = await b.post('/mot-de-passe-perdu', fields);
    expect(again.status).toBe(409);
    expect(again.body).toContain('déjà été prise en compte');
    expect(ctx.sent.filter((m) => m.template === 'password_reset_link')).toHaveLength(1);
    const fresh = await b.get('/mot-de-passe-perdu');
    expect((await b.post('/mot-de-passe-perdu', { ...fields, once: onceOf(fresh.body) })).location).toBe('/mot-de-passe-perdu/envoye');
    expect(ctx.sent.filter((m) => m.template === 'password_reset_link')).toHaveLength(2);
  });

  it('lost identifier by SMS: three simultaneous submissions of one form -> one SMS', async () => {
    const b = new Browser(server.url);
    const once = onceOf((await b.get('/identifiant-perdu')).body);
    const results = await Promise.all([1, 2, 3].map(() => b.post('/identifiant-perdu', { channel: 'sms', contact: '06 12 34 56 78', once })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 409, 409]);
    expect(ctx.sent.filter((m) => m.template === 'sms_identifier')).toHaveLength(1);
  });

  it('Mon compte, change of email: one pair of mails for one form', async () => {
    const b = new Browser(server.url);
    await b.get('/mon-compte');
    await b.post('/mon-compte/connexion', { identifier: 'c.martin', password: PW });
    const once = onceOf((await b.get('/mon-compte')).body);
    const fields = { email: 'nouvelle@example.org', emailConfirmation: 'nouvelle@example.org', once };
    expect((await b.post('/mon-compte/email', fields)).location).toBe('/mon-compte?ok=email');
    expect((await b.post('/mon-compte/email', fields)).status).toBe(409);
    expect(ctx.sent.filter((m) => m.template === 'email_change_confirm')).toHaveLength(1);
  });

  it('a form that failed (invalid input) can be corrected: the new form is acted on', async () => {
    const b = new Browser(server.url);
    const once = onceOf((await b.get('/identifiant-perdu')).body);
    const bad = await b.post('/identifiant-perdu', { channel: 'email', contact: 'pas une adresse', once });
    expect(bad.status).toBe(400);
    expect((await b.post('/identifiant-perdu', { channel: 'email', contact: 'c.martin@example.org', once: onceOf(bad.body) })).status).toBe(303);
    expect(ctx.sent.filter((m) => m.template === 'identifier_reminder')).toHaveLength(1);
  });
});
