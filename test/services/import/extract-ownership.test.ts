// Issue #9 items 2–3: optional contacts never cost an account; the parent's email and mobile and
// a refused child link survive the nightly import; the register's contacts are kept apart and
// used where the guide says (notification without an account email, SMS self-registration).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../services/actor.js';
import { notify } from '../../../services/accounts/notify.js';
import { listRefusedLinks, restoreRefusedLink } from '../../../services/accounts/refused-links.js';
import { importExtract, type ExtractOptions } from '../../../services/import/extract.js';
import { removeChildLink } from '../../../services/selfservice/child-link.js';
import { startRegistration } from '../../../services/selfservice/registration.js';
import { resetDatabase, testPrisma, isEmbedded } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';
import { COLLEGE, ECOLE, EXTRACT_HEADER, tempFiles } from '../../fixtures/import/files.js';

const prisma = testPrisma();
const ctx = testContext(prisma);
const files = tempFiles();
const noCases: ExtractOptions = { afterImport: async () => 0 };
const director: Actor = { kind: 'director', staffId: 'd1', name: 'Directrice', uais: ['0311478N'] };
const otherDirector: Actor = { kind: 'director', staffId: 'd2', name: 'Autre', uais: ['0312093K'] };

afterAll(async () => {
  files.cleanup();
  await prisma.$disconnect();
});
beforeEach(async () => {
  await resetDatabase(prisma);
});

const BASE = [
  EXTRACT_HEADER,
  `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;claire.martin@example.org;06 12 34 56 78;legal`,
  `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-2;MARTIN;Paul;;;legal`,
  `${COLLEGE};070123456AC;GRONDIN;Hugo;2013-05-02;4E;4e 3;G-3;GRONDIN;Thérèse;;07 68 22 31 40;legal`,
];

const guardianOf = (ref: string) => prisma.guardian.findFirstOrThrow({ where: { refs: { some: { ref } } } });

describe(`register contacts and parents' choices (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('imports a guardian whose optional contacts are unusable, without them, with a masked warning per value', async () => {
    const header = `${EXTRACT_HEADER};email_confirmed;mobile_confirmed`;
    const report = await importExtract(
      ctx,
      files.write('contacts.csv', [
        header,
        `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;claire.martin@;01 23 45 67 89;legal;1;`,
        `${ECOLE};070123456AC;MARTIN;Léo;2018-03-14;CP;CP A;G-5;BLANC;Zoé;zoe@example.org;06 00;legal;;oui`,
      ]),
      noCases,
    );
    expect(report).toMatchObject({ rows: 2, created: 2, rejected: 0, warned: 5 });
    expect(report.warnings).toEqual([
      { line: 2, reason: 'adresse e-mail « c***n@ » ignorée : adresse invalide' },
      { line: 2, reason: expect.stringMatching(/^téléphone portable « 01 \*+89 » ignoré : .*portable/) },
      { line: 2, reason: "email_confirmed = 1 ignoré : pas d'adresse e-mail utilisable" },
      { line: 3, reason: expect.stringMatching(/^téléphone portable « \*\*\* » ignoré : .*court/) },
      { line: 3, reason: 'mobile_confirmed « oui » ignoré (1 ou 0 attendu)' },
    ]);
    // Never the full value in a warning.
    expect(JSON.stringify(report.warnings)).not.toMatch(/claire\.martin@|23 45 67/);
    expect(await guardianOf('G-1')).toMatchObject({ email: null, mobile: null, emailConfirmed: false, registerEmail: null });
    expect(await guardianOf('G-5')).toMatchObject({ email: 'zoe@example.org', mobile: null, registerEmail: 'zoe@example.org' });
    expect(await prisma.pupilGuardian.count()).toBe(2);
  });

  it("keeps the parent's email and mobile through two imports; the register's are kept apart and an untouched account follows them", async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const claire = await guardianOf('G-1');
    expect(claire).toMatchObject({ email: 'claire.martin@example.org', registerEmail: 'claire.martin@example.org', registerMobile: '+33612345678' });
    // Claire confirmed another address in "Mon compte" and gave another mobile (not confirmed yet).
    await prisma.guardian.update({ where: { id: claire.id }, data: { email: 'claire@perso.example', emailConfirmed: true, mobile: '+33698765432' } });
    // The school changes both in its register, and Thérèse's mobile too.
    const next = BASE.map((l) =>
      l.replace('claire.martin@example.org;06 12 34 56 78', 'c.martin@ecole.example;06 11 11 11 11').replace('07 68 22 31 40', '07 68 22 31 41'),
    );
    const first = await importExtract(ctx, files.write('next.csv', next), noCases);
    const therese = await guardianOf('G-3');
    expect(first.changedMobiles.sort()).toEqual([claire.id, therese.id].sort());
    const second = await importExtract(ctx, files.write('next.csv', next), noCases);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3, changedMobiles: [] });
    expect(await guardianOf('G-1')).toMatchObject({
      email: 'claire@perso.example',
      emailConfirmed: true,
      mobile: '+33698765432',
      mobileConfirmed: false,
      registerEmail: 'c.martin@ecole.example',
      registerMobile: '+33611111111',
    });
    expect(await guardianOf('G-3')).toMatchObject({ mobile: '+33768223141', registerMobile: '+33768223141', mobileConfirmed: false });
    // A confirmation given by the parent is never taken back by a file that says 0.
    const header = `${EXTRACT_HEADER};email_confirmed`;
    await importExtract(ctx, files.write('flags.csv', [header, ...next.slice(1).map((l) => `${l};0`)]), noCases);
    expect(await guardianOf('G-1')).toMatchObject({ email: 'claire@perso.example', emailConfirmed: true });
  });

  it("mails a notification to the register's address when the account has none, and matches SMS self-registration on the register's mobile", async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const claire = await guardianOf('G-1');
    await prisma.guardian.update({ where: { id: claire.id }, data: { email: null, mobile: null } });
    await notify(ctx, director, '0311478N', [claire.id], { channel: 'email', reset: false });
    const mails = await prisma.outboxMessage.findMany({ where: { channel: 'EMAIL', guardianId: claire.id } });
    expect(mails.map((m) => m.recipient)).toEqual(['claire.martin@example.org']);

    const therese = await guardianOf('G-3');
    await prisma.guardian.update({ where: { id: therese.id }, data: { mobile: null } });
    await startRegistration(ctx, { kind: 'anonymous', source: 'test' }, { lastName: 'Grondin', firstName: 'Therese', mobile: '07 68 22 31 40' });
    const sms = await prisma.outboxMessage.findMany({ where: { channel: 'SMS', guardianId: therese.id } });
    expect(sms.map((m) => m.recipient)).toEqual(['+33768223140']);
  });

  it('keeps a refused child link refused through two imports, until the school restores it', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const lucie = await prisma.pupil.findUniqueOrThrow({ where: { ine: '070123456AB' } });
    const paul = await guardianOf('G-2');
    await removeChildLink(ctx, { kind: 'guardian', guardianId: paul.id, source: 'test' }, lucie.id);
    expect(await prisma.refusedLink.count()).toBe(1);

    for (const name of ['night1.csv', 'night2.csv']) {
      const report = await importExtract(ctx, files.write(name, BASE), noCases);
      expect(report).toMatchObject({ created: 0, refusedLinks: 1, held: [], removed: 0, rejected: 0 });
      expect(report.warnings).toEqual([
        { line: 3, reason: expect.stringMatching(/^élève 070123456AB – responsable G-2 : lien refusé par le responsable, non recréé/) },
      ]);
      expect(await prisma.pupilGuardian.count({ where: { guardianId: paul.id } })).toBe(0);
    }

    // Only staff of the pupil's school (or an agent) see and restore it.
    await expect(listRefusedLinks(ctx, otherDirector, '0311478N')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(restoreRefusedLink(ctx, otherDirector, lucie.id, paul.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(restoreRefusedLink(ctx, { kind: 'guardian', guardianId: paul.id, source: 'test' }, lucie.id, paul.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await listRefusedLinks(ctx, director, '0311478N')).toEqual([
      expect.objectContaining({ pupilId: lucie.id, guardianId: paul.id, pupilFirstName: 'Lucie', guardianFirstName: 'Paul' }),
    ]);
    expect(await restoreRefusedLink(ctx, director, lucie.id, paul.id)).toEqual({ restored: true });
    await expect(restoreRefusedLink(ctx, { kind: 'agent', staffId: 'a1', name: 'Agent' }, lucie.id, paul.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await prisma.pupilGuardian.count({ where: { guardianId: paul.id } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'accounts.link_restore', guardianId: paul.id } })).toBe(1);

    const after = await importExtract(ctx, files.write('night3.csv', BASE), noCases);
    expect(after).toMatchObject({ refusedLinks: 0, warned: 0, unchanged: 3, removed: 0 });
  });
});
