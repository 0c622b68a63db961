// Every self-service form that changes something, submitted twice (double click, a retried
// POST: the same rendered form, same hidden `once` id), acts once and answers politely: the
// second submission is sent where the first one went (the same answer), or told that the
// request was already taken into account (forms that send an SMS or a mail, and steps whose
// next page is a token link). Through HTTP on the real database.
import { beforeEach, describe, expect, it } from 'vitest';
import { isEmbedded } from '../helpers/db.js';
import { Browser, type Page, selfServicePages } from './selfservice-client.js';
import { makeGuardian, makePupil, makeSchool } from '../services/selfservice/fixtures.js';
import type { OutgoingMessage } from '../../services/delivery/types.js';

const { prisma, ctx, server, lastSmsCode } = selfServicePages(6);
const PW = 'Ancien-Jardin-2023';
const TEMP = 'Tmp#Pass7word';
const NEW = 'Jardin-Fleuri-2031';

beforeEach(async () => {
  const school = await makeSchool(prisma);
  const lea = await makePupil(prisma, school, 'Léa', '2016-05-04');
  const leo = await makePupil(prisma, school, 'Léo', '2015-03-02', 'Lefèvre');
  const noa = await makePupil(prisma, school, 'Noa', '2017-09-09');
  await makeGuardian(ctx, {
    identifier: 'c.martin',
    state: 'ACTIVATED',
    email: 'c.martin@example.org',
    emailConfirmed: true,
    mobile: '+33612345678',
    mobileConfirmed: true,
    personalPassword: PW,
    pupilIds: [lea.id],
  });
  await makeGuardian(ctx, { identifier: 'c.martin7', temporaryPassword: TEMP, pupilIds: [noa.id] });
  await makeGuardian(ctx, { identifier: 'p.durand', lastName: 'Durand', firstName: 'Paul', temporaryPassword: TEMP, pupilIds: [lea.id] });
  await makeGuardian(ctx, {
    identifier: 'e.lefevre',
    lastName: 'Lefèvre',
    firstName: 'Élodie',
    mobile: '+33611223344',
    state: 'NOT_NOTIFIED',
    origin: 'UNSET',
    pupilIds: [leo.id],
  });
});

const onceOf = (p: Page): string => /name="once" value="([^"]+)"/.exec(p.body)?.[1] ?? '';
const sent = (template: OutgoingMessage['template']): number => ctx.sent.filter((m) => m.template === template).length;
const audited = (action: string): Promise<number> => prisma.auditLog.count({ where: { action, outcome: 'success' } });

/** The form to submit twice: its path and fields (with the `once` id of the page read). */
interface Form {
  path: string;
  fields: Record<string, string>;
}

async function form(b: Browser, path: string, fields: Record<string, string>, formPath = path): Promise<Form> {
  return { path: formPath, fields: { ...fields, once: onceOf(await b.get(path)) } };
}

async function login(b: Browser): Promise<void> {
  await b.get('/mon-compte');
  expect((await b.post('/mon-compte/connexion', { identifier: 'c.martin', password: PW })).location).toBe('/mon-compte');
}

async function registrationUpTo(b: Browser, step: 'code' | 'children' | 'password'): Promise<void> {
  await b.submit('/inscription', { lastName: 'Lefevre', firstName: 'Elodie', mobile: '06 11 22 33 44' });
  if (step === 'code') return;
  await b.get('/inscription/code');
  await b.post('/inscription/code', { code: lastSmsCode() });
  if (step === 'children') return;
  const kids = await b.get('/inscription/enfants');
  const name = /name="(child-\d+)"/.exec(kids.body)?.[1] ?? '';
  await b.post('/inscription/enfants', { [name]: '02/03/2015' });
}

async function lostPasswordBySms(b: Browser): Promise<void> {
  await b.submit('/mot-de-passe-perdu', { identifier: 'c.martin', method: 'sms' });
}

interface Case {
  name: string;
  open: (b: Browser) => Promise<Form>;
  /** Where the first submission goes (RegExp for token links). */
  first: string | RegExp;
  /** The second submission: sent to the same page, or a polite 409 page containing this. */
  second: 'same' | { polite: string };
  /** What must have happened exactly once. */
  effect: () => Promise<number>;
}

const CASES: Case[] = [
  {
    name: 'SMS self-registration: names and mobile (sends an SMS)',
    open: (b) => form(b, '/inscription', { lastName: 'Lefevre', firstName: 'Elodie', mobile: '06 11 22 33 44' }),
    first: '/inscription/code',
    second: { polite: 'rien n’a été envoyé une seconde fois' },
    effect: async () => sent('sms_code'),
  },
  {
    name: 'SMS self-registration: the code',
    open: async (b) => (await registrationUpTo(b, 'code'), form(b, '/inscription/code', { code: lastSmsCode() })),
    first: '/inscription/enfants',
    second: 'same',
    effect: () => audited('selfservice.registration_code'),
  },
  {
    name: 'SMS self-registration: the birth dates',
    open: async (b) => {
      await registrationUpTo(b, 'children');
      const page = await b.get('/inscription/enfants');
      return { path: '/inscription/enfants', fields: { [/name="(child-\d+)"/.exec(page.body)?.[1] ?? '']: '02/03/2015', once: onceOf(page) } };
    },
    first: '/inscription/mot-de-passe',
    second: 'same',
    effect: () => audited('selfservice.registration_children'),
  },
  {
    name: 'SMS self-registration: the password',
    open: async (b) => (await registrationUpTo(b, 'password'), form(b, '/inscription/mot-de-passe', { password: NEW, confirmation: NEW })),
    first: '/inscription/terminee',
    second: 'same',
    effect: () => audited('selfservice.registration'),
  },
  {
    name: 'first login: new password, email and birth date (sends the activation mail)',
    open: async (b) => {
      await b.submit('/premiere-connexion', { identifier: 'p.durand', temporaryPassword: TEMP });
      return form(b, '/premiere-connexion/suite', { password: NEW, confirmation: NEW, email: 'paul@example.org', birthDate: '04/05/2016' });
    },
    first: '/premiere-connexion/terminee',
    second: 'same',
    effect: async () => sent('activation'),
  },
  {
    name: 'lost password: the SMS code (next page is a token link)',
    open: async (b) => (await lostPasswordBySms(b), form(b, '/mot-de-passe-perdu/code', { code: lastSmsCode() })),
    first: /^\/mot-de-passe\/[A-Za-z0-9_-]{43}$/,
    second: { polite: 'elle n’a pas été refaite' },
    effect: () => prisma.selfServiceToken.count({ where: { kind: 'PASSWORD_PAGE' } }),
  },
  {
    name: 'lost password: the new password',
    open: async (b) => {
      await lostPasswordBySms(b);
      await b.get('/mot-de-passe-perdu/code');
      const link = (await b.post('/mot-de-passe-perdu/code', { code: lastSmsCode() })).location ?? '';
      return form(b, link, { password: NEW, confirmation: NEW });
    },
    first: '/mot-de-passe-modifie',
    second: 'same',
    effect: () => audited('selfservice.password_set'),
  },
  {
    name: 'email change: the confirmation link',
    open: async (b) => {
      await login(b);
      await b.post('/mon-compte/email', { email: 'nouvelle@example.org', emailConfirmation: 'nouvelle@example.org', once: onceOf(await b.get('/mon-compte')) });
      const m = [...ctx.sent].reverse().find((x) => x.template === 'email_change_confirm');
      return form(b, (m && 'url' in m ? m.url : '').replace(server.url, ''), {});
    },
    first: '/email-confirmee',
    second: 'same',
    effect: () => audited('selfservice.email_change'),
  },
  {
    name: 'Mon compte: password',
    open: async (b) => (await login(b), form(b, '/mon-compte/mot-de-passe', { currentPassword: PW, password: NEW, confirmation: NEW })),
    first: '/mon-compte?ok=mot-de-passe',
    second: 'same',
    effect: () => audited('selfservice.password_change'),
  },
  {
    name: 'Mon compte: new mobile (sends an SMS)',
    open: async (b) => (await login(b), form(b, '/mon-compte/portable', { mobile: '06 98 76 54 32' })),
    first: '/mon-compte/portable/code',
    second: { polite: 'rien n’a été envoyé une seconde fois' },
    effect: async () => sent('sms_code'),
  },
  {
    name: 'Mon compte: the code of the new mobile',
    open: async (b) => {
      await login(b);
      await b.post('/mon-compte/portable', { mobile: '06 98 76 54 32', once: onceOf(await b.get('/mon-compte/portable')) });
      return form(b, '/mon-compte/portable/code', { code: lastSmsCode() });
    },
    first: '/mon-compte?ok=portable',
    second: 'same',
    effect: () =>
      prisma.auditLog.count({ where: { action: 'selfservice.mobile_change', outcome: 'success', details: { path: ['step'], equals: 'confirmed' } } }),
  },
  {
    name: 'Mon compte: regroup accounts',
    open: async (b) => (await login(b), form(b, '/mon-compte', { otherIdentifier: 'c.martin7', otherPassword: TEMP }, '/mon-compte/regrouper')),
    first: '/mon-compte?ok=regroupe',
    second: 'same',
    effect: () => audited('selfservice.regroup'),
  },
];

describe('self-service forms submitted twice', () => {
  it.each(CASES)('$name', async (c) => {
    const b = new Browser(server.url);
    const f = await c.open(b);
    expect(f.fields.once).toMatch(/^[0-9a-f-]{36}$/);
    const first = await b.post(f.path, f.fields);
    expect(first.status, first.body.slice(0, 300)).toBe(303);
    if (typeof c.first === 'string') expect(first.location).toBe(c.first);
    else expect(first.location).toMatch(c.first);
    const done = await c.effect();
    expect(done).toBe(1);
    const second = await b.post(f.path, f.fields);
    if (c.second === 'same') expect({ status: second.status, location: second.location }).toEqual({ status: 303, location: first.location });
    else {
      expect(second.status).toBe(409);
      expect(second.body).toContain(c.second.polite);
    }
    expect(await c.effect()).toBe(1);
  });

  it.skipIf(isEmbedded())('three simultaneous submissions of the Mon compte password form: one change, the others wait or follow', async () => {
    const b = new Browser(server.url);
    await login(b);
    const f = await form(b, '/mon-compte/mot-de-passe', { currentPassword: PW, password: NEW, confirmation: NEW });
    const results = await Promise.all([1, 2, 3].map(() => b.post(f.path, f.fields)));
    expect(results.every((r) => r.status === 303 || (r.status === 409 && r.body.includes('en cours de traitement')))).toBe(true);
    expect(results.filter((r) => r.status === 303).length).toBeGreaterThanOrEqual(1);
    expect(await audited('selfservice.password_change')).toBe(1);
  });
});
