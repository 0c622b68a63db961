// The activation mail went to a wrong address: the parent corrects it on the page (real
// database, HTTP), proving it is them with identifier + the password chosen at first login;
// the new mail goes to the new address, the old link stops working; wrong or unknown
// credentials get the same answer; other states are told what to do instead.
import { describe, expect, it } from 'vitest';
import { Browser, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool, tokenOf } from '../services/selfservice/fixtures.js';
import { queueActivationMail } from '../../services/accounts/activation-resend.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';

const { prisma, ctx, server } = selfServicePages();
const PW = 'Jardin-Fleuri-2031';

const activationMails = (): Extract<OutgoingMessage, { template: 'activation' }>[] =>
  ctx.sent.filter((m): m is Extract<OutgoingMessage, { template: 'activation' }> => m.template === 'activation');

describe('correcting the address of the activation mail', () => {
  it('sends a new activation mail to the corrected address; the old link no longer works', async () => {
    const school = await makeSchool(prisma);
    const pupil = await makePupil(prisma, school, 'Léa', '2016-05-04');
    const g = await makeGuardian(ctx, {
      identifier: 'c.martin',
      state: 'ACTIVATING',
      email: 'c.martin@exmaple.org',
      personalPassword: PW,
      pupilIds: [pupil.id],
    });
    await prisma.$transaction((tx) => queueActivationMail(ctx, tx, g, 'c.martin@exmaple.org'));
    const oldToken = tokenOf(activationMails()[0]?.url ?? '');

    const b = new Browser(server.url);
    const form = await b.get('/corriger-adresse-activation');
    expect(form.status).toBe(200);
    expect(form.body).toContain('<label for="emailConfirmation">');
    // Wrong password and unknown identifier: the same answer.
    const wrong = await b.post('/corriger-adresse-activation', {
      identifier: 'c.martin',
      password: 'Autre-Chose-2030',
      email: 'c.martin@example.org',
      emailConfirmation: 'c.martin@example.org',
    });
    const unknown = await b.post('/corriger-adresse-activation', {
      identifier: 'personne',
      password: PW,
      email: 'c.martin@example.org',
      emailConfirmation: 'c.martin@example.org',
    });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const msg = (body: string): string => /<div class="error-summary"[\s\S]*?<\/div>/.exec(body)?.[0] ?? '';
    expect(msg(wrong.body)).toBe(msg(unknown.body));
    expect(
      (
        await b.post('/corriger-adresse-activation', {
          identifier: 'c.martin',
          password: PW,
          email: 'c.martin@example.org',
          emailConfirmation: 'autre@example.org',
        })
      ).body,
    ).toContain('ne sont pas identiques');

    const r = await b.post('/corriger-adresse-activation', {
      identifier: 'c.martin',
      password: PW,
      email: ' c.martin@Example.org',
      emailConfirmation: 'c.martin@example.org',
    });
    expect(/error-summary[\s\S]*?<\/ul>/.exec(r.body)?.[0] ?? '').toBe('');
    expect(r).toMatchObject({ status: 303, location: '/corriger-adresse-activation/envoye' });
    expect((await b.get('/corriger-adresse-activation/envoye')).body).toContain('Nouvel e-mail d’activation envoyé');
    const mails = activationMails();
    expect(mails.map((m) => m.to)).toEqual(['c.martin@exmaple.org', 'c.martin@example.org']);
    const row = await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } });
    expect([row.email, row.emailConfirmed, row.state]).toEqual(['c.martin@example.org', false, 'ACTIVATING']);
    // Old link dead, new link activates and confirms the corrected address.
    expect((await b.post(`/activation/${oldToken}`, {})).status).toBe(410);
    await b.get(`/activation/${tokenOf(mails[1]?.url ?? '')}`);
    expect((await b.post(`/activation/${tokenOf(mails[1]?.url ?? '')}`, {})).location).toBe('/activation-terminee');
    expect(await prisma.guardian.findUniqueOrThrow({ where: { id: g.id } })).toMatchObject({ state: 'ACTIVATED', emailConfirmed: true });
  });

  it('tells a proven guardian what to do when the account does not wait for an activation mail', async () => {
    await makeGuardian(ctx, { identifier: 'a.active', state: 'ACTIVATED', email: 'a@example.org', personalPassword: PW });
    await makeGuardian(ctx, { identifier: 'n.notified', state: 'NOTIFIED', temporaryPassword: 'Tmp#Pass7word' });
    const b = new Browser(server.url);
    await b.get('/corriger-adresse-activation');
    const fields = { email: 'x@example.org', emailConfirmation: 'x@example.org' };
    expect((await b.post('/corriger-adresse-activation', { identifier: 'a.active', password: PW, ...fields })).body).toContain('déjà activé');
    expect((await b.post('/corriger-adresse-activation', { identifier: 'n.notified', password: 'Tmp#Pass7word', ...fields })).body).toContain(
      'première connexion',
    );
    expect(activationMails()).toHaveLength(0);
  });
});
