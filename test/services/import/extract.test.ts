import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importExtract, ImportFileError } from '../../../services/import/extract.js';
import { decryptSecret, verifyPassword } from '../../../services/passwords.js';
import { isEmbedded } from '../../helpers/db.js';
import { importTestSetup } from '../../helpers/import.js';
import { BASE_EXTRACT, COLLEGE, ECOLE, EXTRACT_HEADER } from '../../fixtures/import/files.js';

const { prisma, ctx, files, noCases, snapshot } = importTestSetup();

const BASE = BASE_EXTRACT;

describe(`register extract import (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('creates schools, classes, pupils, accounts and links, then a second import changes nothing', async () => {
    const file = files.write('base.csv', BASE);
    const first = await importExtract(ctx, file, noCases);
    expect(first).toMatchObject({ rows: 5, created: 5, updated: 0, unchanged: 0, removed: 0, rejected: 0 });
    expect(first.schools).toEqual(['0311478N', '0312093K', '9741087A']);

    const schools = await prisma.school.findMany({ orderBy: { uai: 'asc' } });
    expect(schools.map((s) => [s.uai, s.academy, s.degree])).toEqual([
      ['0311478N', 'Toulouse', 'FIRST'],
      ['0312093K', 'Toulouse', 'SECOND'],
      ['9741087A', 'La Réunion', 'SECOND'],
    ]);
    const hugo = await prisma.pupil.findUniqueOrThrow({ where: { ine: '070123456AC' }, include: { class: true, guardians: true } });
    expect(hugo).toMatchObject({ lastName: 'MARTIN', firstName: 'Hugo', searchName: 'martin hugo', schoolUai: '0312093K' });
    expect(hugo.birthDate.toISOString().slice(0, 10)).toBe('2013-05-02');
    expect(hugo.class).toMatchObject({ name: '4e 3', level: '4E' });
    expect(hugo.guardians.map((l) => l.kind).sort()).toEqual(['IN_CHARGE', 'LEGAL']);

    // One account per ref: Claire is linked to her two children in two schools.
    const claire = await prisma.guardian.findFirstOrThrow({ where: { refs: { some: { ref: 'G-1' } } }, include: { pupils: true } });
    expect(claire).toMatchObject({
      identifier: 'c.martin',
      email: 'claire.martin@example.org',
      mobile: '+33612345678',
      state: 'NOT_NOTIFIED',
      origin: 'UNSET',
      emailConfirmed: false,
    });
    expect(claire.pupils).toHaveLength(2);
    const gerard = await prisma.guardian.findFirstOrThrow({ where: { refs: { some: { ref: 'G-4' } } } });
    expect(gerard.mobile).toBe('+262692123456');
    expect(await prisma.credential.count()).toBe(0);

    const before = await snapshot();
    ctx.advance(3_600_000);
    const second = await importExtract(ctx, files.write('again.csv', BASE), noCases);
    expect(second).toMatchObject({ rows: 5, created: 0, updated: 0, unchanged: 5, removed: 0, rejected: 0, changedBirthDates: [], changedMobiles: [] });
    expect(await snapshot()).toEqual(before);
    const audits = await prisma.auditLog.findMany({ where: { action: 'import.extract' }, orderBy: { id: 'asc' } });
    expect(audits).toHaveLength(2);
    expect(audits[1]).toMatchObject({ actorType: 'system', actorId: 'system:import', outcome: 'success' });
    expect(audits[1]?.details).toMatchObject({ rows: 5, unchanged: 5 });
  });

  it('reports every bad row with its line number and reason, and applies the others', async () => {
    const file = files.write('bad.csv', [
      EXTRACT_HEADER,
      `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;06 12 34 56 78;legal`,
      `0311478;École;Toulouse;1;070123456AE;MARTIN;Léo;2018-03-14;CP;CP;G-1;MARTIN;Claire;;06 12 34 56 78;legal`,
      `${ECOLE};070123456AF;MARTIN;Léo;2018-02-30;CP;CP;G-1;MARTIN;Claire;;06 12 34 56 78;legal`,
      `${COLLEGE};070123456AG;DURAND;Inès;2013-01-01;CM1;4e 3;G-5;DURAND;Anne;;;legal`,
      `${ECOLE};07012345;DURAND;Inès;2018-01-01;CP;CP;G-5;DURAND;Anne;;;legal`,
      `${ECOLE};070123456AH;DURAND;Inès;2018-01-01;CP;CP;G-5;DURAND;Anne;;01 23 45 67 89;legal`,
      `${ECOLE};070123456AI;DURAND;Inès;2018-01-01;CP;CP;G-5;DURAND;Anne;anne.durand@;;legal`,
      `${ECOLE};070123456AJ;DURAND;Inès;2018-01-01;CP;CP;G-5;DURAND;Anne;;`,
      `${ECOLE};070123456AK;DURAND;Inès;2018-01-01;CP;CP;G-5;DURAND;Anne;;;in_charge`,
      `${ECOLE};070123456AL;DURAND;;2018-01-01;CP;CP;G-5;DURAND;Anne;;;legal`,
      `${ECOLE};070123456AM;MARTIN;Léo;2018-03-14;CP;CP;G-1;MARTIN;Claire;claire@example.org;06 12 34 56 78;legal`,
      `${ECOLE};070123456AN;DURAND;Ana;2018-01-01;CP;CP;G-6;DURAND;Marc;;;legal`,
    ]);
    const report = await importExtract(ctx, file, noCases);
    expect(report).toMatchObject({ rows: 12, created: 4, rejected: 8 });
    const byLine = Object.fromEntries(report.rejections.map((r) => [r.line, r.reason]));
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6, 9, 10, 11, 12]);
    expect(byLine[3]).toMatch(/UAI « 0311478 » invalide/);
    expect(byLine[4]).toMatch(/date de naissance « 2018-02-30 » invalide/);
    expect(byLine[5]).toMatch(/niveau « CM1 » invalide pour le 2nd degré/);
    expect(byLine[6]).toMatch(/INE « 07012345 » invalide/);
    expect(byLine[9]).toMatch(/15 champ\(s\) au lieu de 16/);
    expect(byLine[10]).toMatch(/in_charge.*2nd degré/);
    expect(byLine[11]).toMatch(/valeur manquante : pupil_first_name/);
    // Same ref as line 2 with another email: the file contradicts itself.
    expect(byLine[12]).toMatch(/responsable G-1 : nom ou coordonnées différents/);
    // An unusable mobile or email costs nothing but itself (see "optional contacts" below).
    expect(report.warnings.map((w) => w.line)).toEqual([7, 8]);
    // Rejected rows changed nothing: no pupil, school or account of theirs exists.
    expect((await prisma.pupil.findMany({ orderBy: { ine: 'asc' } })).map((p) => p.ine)).toEqual(['070123456AB', '070123456AH', '070123456AI', '070123456AN']);
    expect(await prisma.school.count()).toBe(1);
    expect((await prisma.guardian.findFirstOrThrow({ where: { identifier: 'c.martin' } })).email).toBeNull();
    expect(await prisma.guardian.findFirstOrThrow({ where: { lastName: 'DURAND', firstName: 'Anne' } })).toMatchObject({ email: null, mobile: null });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'import.extract' } });
    expect(audit).toMatchObject({ outcome: 'partial' });
  });

  it('refuses a file that cannot be read and changes nothing', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const before = await snapshot();
    const audits = await prisma.auditLog.count();
    const changed = BASE.map((l) => l.replace('2016-03-14', '2016-03-15').replace('MARTIN;Paul', 'MARTIN;Pierre'));
    const cases: [string, string | Buffer, RegExp][] = [
      ['missing column', [changed[0]?.replace(';ine;', ';numero;') ?? '', ...changed.slice(1)].join('\n'), /absente\(s\) de l'en-tête : ine/],
      ['comma separated', changed.map((l) => l.replaceAll(';', ',')).join('\n'), /absente\(s\)/],
      ['not UTF-8', Buffer.from(changed.join('\n'), 'latin1'), /UTF-8/],
      ['unclosed quote at the end', `${changed.join('\n')}\n${ECOLE};"070123456AZ;X;Y;2016-01-01;CM1;CM1 A;G-9;X;Y;;;legal`, /CSV lisible/],
      ['empty', '', /vide/],
    ];
    for (const [name, content, message] of cases) {
      const file = files.write(`${name}.csv`, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
      await expect(importExtract(ctx, file, noCases), name).rejects.toThrow(ImportFileError);
      await expect(importExtract(ctx, file, noCases), name).rejects.toThrow(message);
    }
    await expect(importExtract(ctx, '/nonexistent/extract.csv', noCases)).rejects.toThrow(/introuvable/);
    expect(await snapshot()).toEqual(before);
    expect(await prisma.auditLog.count()).toBe(audits);
  });

  it('accepts a BOM, columns in any order, unknown columns, and a stream', async () => {
    const header = EXTRACT_HEADER.split(';');
    const order = [...header].reverse().concat('commentaire');
    const lines = BASE.slice(1).map((l) => {
      const values = l.split(';');
      const byName = new Map(header.map((h, i) => [h, values[i] ?? '']));
      return order.map((h) => byName.get(h) ?? 'ignoré').join(';');
    });
    const content = `\uFEFF${[order.join(';').toUpperCase(), ...lines].join('\r\n')}\r\n`;
    const report = await importExtract(ctx, Readable.from([Buffer.from(content, 'utf8')]), noCases);
    expect(report).toMatchObject({ rows: 5, created: 5, rejected: 0 });
    expect(await prisma.pupilGuardian.count()).toBe(5);
  });

  it('removes the links of an extracted school that the file no longer has, and leaves other schools alone', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    // École: Lucie keeps Claire only (Paul's link is gone); the collège and the lycée are absent from the file.
    const next = [EXTRACT_HEADER, BASE[1] as string];
    // Half of the school's links: held back unless forced (see "import safety").
    const report = await importExtract(ctx, files.write('next.csv', next), { ...noCases, force: true });
    expect(report).toMatchObject({ rows: 1, unchanged: 1, removed: 1, schools: ['0311478N'] });
    const links = await prisma.pupilGuardian.findMany({ include: { pupil: true, guardian: { include: { refs: true } } } });
    const pairs = links.map((l) => `${l.pupil.ine}-${l.guardian.refs[0]?.ref}`).sort();
    expect(pairs).toEqual(['070123456AB-G-1', '070123456AC-G-1', '070123456AC-G-3', '070123456AD-G-4']);
    // Paul's account still exists (only the link went).
    expect(await prisma.guardian.count({ where: { firstName: 'Paul' } })).toBe(1);
  });

  it('keeps a link whose row was rejected instead of removing it', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const next = [EXTRACT_HEADER, BASE[1] as string, (BASE[2] as string).replace('2016-03-14', '2016-02-30')];
    const report = await importExtract(ctx, files.write('next.csv', next), noCases);
    expect(report).toMatchObject({ unchanged: 1, rejected: 1, removed: 0 });
    expect(report.rejections[0]?.line).toBe(3);
    expect(await prisma.pupilGuardian.count()).toBe(5);
  });

  it('gives distinct identifiers to homonyms, strips accents, and honours account_identifier', async () => {
    const header = `${EXTRACT_HEADER};account_identifier`;
    const file = files.write('homonyms.csv', [
      header,
      `${ECOLE};070123456AB;DUPONT;Lola;2019-05-12;CE1;CE1 A;R-1;DUPONT;Céline;;;legal;`,
      `${ECOLE};070123456AC;DUPONT;Hugo;2018-05-12;CE2;CE2 A;R-2;Dupont;Céline;;;legal;`,
      `${ECOLE};070123456AD;DU PONT;Rémi;2018-05-12;CE2;CE2 A;R-3;DU PONT;Cécile;;;legal;c.dupont1`,
      `${ECOLE};070123456AE;LEFÈVRE;Éloïse;2018-05-12;CE2;CE2 A;R-4;LEFÈVRE;Éloïse;;;legal;`,
      `${ECOLE};070123456AF;LEFÈVRE;Jean;2018-05-12;CE2;CE2 A;R-5;LEFÈVRE;Émile;;;legal;c.dupont`,
    ]);
    const report = await importExtract(ctx, file, noCases);
    // R-5 asks for an identifier that R-1 would have had: get the next free ones.
    expect(report).toMatchObject({ created: 5, rejected: 0 });
    const byRef = Object.fromEntries((await prisma.guardianRef.findMany({ include: { guardian: true } })).map((r) => [r.ref, r.guardian.identifier]));
    expect(byRef).toEqual({ 'R-1': 'c.dupont2', 'R-2': 'c.dupont3', 'R-3': 'c.dupont1', 'R-4': 'e.lefevre', 'R-5': 'c.dupont' });

    // An account_identifier already used by another account is a bad row.
    const clash = files.write('clash.csv', [header, `${ECOLE};070123456AG;MARTIN;Léo;2018-05-12;CE2;CE2 A;R-6;MARTIN;Léo;;;legal;e.lefevre`]);
    const r2 = await importExtract(ctx, clash, { ...noCases, force: true });
    expect(r2.rejections).toEqual([{ line: 2, reason: expect.stringMatching(/« e.lefevre » déjà utilisé/) }]);
  });

  it('keeps identifiers unique when a last name ends in digits (a typo): "MARTIN1" does not take the second Martin\'s', async () => {
    const rows = (prefix: string): string[] => [
      `${ECOLE};${prefix}00000001AB;MARTIN;Lola;2019-05-12;CE1;CE1 A;${prefix}-1;MARTIN;Jean;;;legal`,
      `${ECOLE};${prefix}00000002AB;MARTIN;Hugo;2018-05-12;CE2;CE2 A;${prefix}-2;MARTIN;Julie;;;legal`,
      `${ECOLE};${prefix}00000003AB;MARTIN;Rémi;2018-05-12;CE2;CE2 A;${prefix}-3;MARTIN1;Jacques;;;legal`,
      `${ECOLE};${prefix}00000004AB;MARTIN;Léa;2018-05-12;CE2;CE2 A;${prefix}-4;MARTIN;Jeanne;;;legal`,
      `${ECOLE};${prefix}00000005AB;MARTIN;Noé;2018-05-12;CE2;CE2 A;${prefix}-5;MARTIN1;Joël;;;legal`,
    ];
    // A first load (empty tables, plain inserts), then the same names again on the accounts in place.
    const first = await importExtract(ctx, files.write('digits.csv', [EXTRACT_HEADER, ...rows('1')]), noCases);
    expect(first).toMatchObject({ created: 5, rejected: 0 });
    const second = await importExtract(ctx, files.write('digits2.csv', [EXTRACT_HEADER, ...rows('1'), ...rows('2')]), noCases);
    expect(second).toMatchObject({ created: 5, unchanged: 5, rejected: 0 });
    const identifiers = (await prisma.guardian.findMany({ orderBy: { id: 'asc' } })).map((g) => g.identifier);
    expect(new Set(identifiers).size).toBe(10);
    // By line: Jacques MARTIN1 would have had Julie's j.martin1; he gets the next free one of his base.
    expect(identifiers.slice(0, 5)).toEqual(['j.martin', 'j.martin1', 'j.martin12', 'j.martin2', 'j.martin11']);
  });

  it('names the accounts of a crowded base past its first free candidates', async () => {
    const rows = (prefix: string, n: number): string[] =>
      Array.from(
        { length: n },
        (_, i) => `${ECOLE};${prefix}${String(i).padStart(8, '0')}AB;DUPONT;Lola;2019-05-12;CE1;CE1 A;${prefix}-${i};DUPONT;Céline;;;legal`,
      );
    expect(await importExtract(ctx, files.write('crowd1.csv', [EXTRACT_HEADER, ...rows('1', 12)]), noCases)).toMatchObject({ created: 12 });
    // Twelve more: c.dupont..c.dupont11 are taken, so the first candidates of the base are not enough.
    const second = await importExtract(ctx, files.write('crowd2.csv', [EXTRACT_HEADER, ...rows('1', 12), ...rows('2', 12)]), noCases);
    expect(second).toMatchObject({ created: 12, unchanged: 12, rejected: 0 });
    const identifiers = (await prisma.guardian.findMany({ orderBy: { id: 'asc' } })).map((g) => g.identifier);
    expect(identifiers).toEqual(['c.dupont', ...Array.from({ length: 23 }, (_, i) => `c.dupont${i + 1}`)]);
  });

  it('keeps identifiers unique when two imports run at the same time', async () => {
    const make = (prefix: string): string[] => [
      EXTRACT_HEADER,
      ...Array.from(
        { length: 30 },
        (_, i) => `${ECOLE};${prefix}${String(i).padStart(8, '0')}AB;DUPONT;Lola;2019-05-12;CE1;CE1 A;${prefix}-${i};DUPONT;Céline;;;legal`,
      ),
    ];
    // Forced: the imports apply one after the other, and the second one's file would otherwise
    // be held back for removing all of the first one's links (the point here is identifiers).
    const [a, b] = await Promise.all([
      importExtract(ctx, files.write('a.csv', make('1')), { ...noCases, batchSize: 7, force: true }),
      importExtract(ctx, files.write('b.csv', make('2')), { ...noCases, batchSize: 5, force: true }),
    ]);
    expect(a.created + b.created).toBe(60);
    const identifiers = (await prisma.guardian.findMany()).map((g) => g.identifier);
    expect(new Set(identifiers).size).toBe(60);
    expect(identifiers.every((id) => /^c\.dupont\d*$/.test(id))).toBe(true);
  });

  it('applies register corrections, reports changed birth dates and mobiles, and resolves the cases waiting for them', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const lucie = await prisma.pupil.findUniqueOrThrow({ where: { ine: '070123456AB' } });
    const claire = await prisma.guardian.findFirstOrThrow({ where: { identifier: 'c.martin' } });
    const waiting = await prisma.case.create({
      data: {
        reference: 'EDU-2026-000001',
        kind: 'BIRTH_DATE',
        state: 'WAITING_REGISTER',
        schoolUai: '0311478N',
        pupilId: lucie.id,
        guardianId: claire.id,
        summary: 'Date de naissance refusée',
      },
    });
    // The school corrects Lucie's birth date and Claire's mobile; Claire's email is now empty in the register (kept).
    const corrected = BASE.map((l) => l.replace('2016-03-14', '2016-03-15').replace('claire.martin@example.org;06 12 34 56 78', ';+33 7 68 22 31 41'));
    const seen: { pupilIds: number[]; guardianIds: number[] }[] = [];
    const report = await importExtract(ctx, files.write('corrected.csv', corrected), {
      afterImport: async (c, changes) => {
        seen.push(changes);
        const { resolveCasesAfterImport } = await import('../../../services/case-import.js');
        return resolveCasesAfterImport(c, changes);
      },
    });
    // Counted per row: the first row of Lucie (and of Claire) carries the change, the later ones are unchanged.
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 4, changedBirthDates: [lucie.id], changedMobiles: [claire.id], casesResolved: 1 });
    expect(seen).toEqual([{ pupilIds: [lucie.id], guardianIds: [claire.id] }]);
    const after = await prisma.guardian.findUniqueOrThrow({ where: { id: claire.id } });
    expect(after).toMatchObject({ mobile: '+33768223141', mobileConfirmed: false, email: 'claire.martin@example.org' });
    expect((await prisma.pupil.findUniqueOrThrow({ where: { id: lucie.id } })).birthDate.toISOString().slice(0, 10)).toBe('2016-03-15');
    expect((await prisma.case.findUniqueOrThrow({ where: { id: waiting.id } })).state).toBe('RESOLVED');
  });

  it('follows a merged account to the kept one and never updates the kept account from a second ref', async () => {
    await importExtract(ctx, files.write('base.csv', BASE), noCases);
    const claire = await prisma.guardian.findFirstOrThrow({ where: { refs: { some: { ref: 'G-1' } } } });
    const paul = await prisma.guardian.findFirstOrThrow({ where: { refs: { some: { ref: 'G-2' } } } });
    // Paul's account was merged into Claire's (as if regrouped), its ref left behind.
    await prisma.guardian.update({ where: { id: paul.id }, data: { mergedIntoId: claire.id, deletedAt: ctx.now() } });
    const report = await importExtract(ctx, files.write('again.csv', BASE), { ...noCases, force: true });
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 5, rejected: 0, removed: 1 });
    const kept = await prisma.guardian.findUniqueOrThrow({ where: { id: claire.id }, include: { pupils: true } });
    // Claire keeps her own names (first ref met) and her two children; the merged account lost its link.
    expect(kept).toMatchObject({ firstName: 'Claire', updatedAt: claire.updatedAt });
    expect(kept.pupils).toHaveLength(2);
    expect(await prisma.pupilGuardian.count({ where: { guardianId: paul.id } })).toBe(0);
  });

  it('creates accounts in the state and origin the file gives, with the matching credential', async () => {
    const header = `${EXTRACT_HEADER};account_state;account_origin;email_confirmed;mobile_confirmed`;
    const file = files.write('states.csv', [
      header,
      `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;S-1;MARTIN;Claire;claire@example.org;;legal;notified;;0;`,
      `${ECOLE};070123456AC;MARTIN;Léo;2018-03-14;CP;CP A;S-2;BLANC;Zoé;zoe@example.org;06 12 34 56 78;legal;activated;school;1;1`,
      `${ECOLE};070123456AD;MARTIN;Noé;2018-03-14;CP;CP A;S-3;NOIR;Inès;;06 12 34 56 79;legal;activated;franceconnect;;1`,
      `${ECOLE};070123456AE;MARTIN;Paul;2018-03-14;CP;CP A;S-4;ROUX;Luc;;06 12 34 56 70;legal;notified;self;;1`,
      `${ECOLE};070123456AF;MARTIN;Paul;2018-03-14;CP;CP A;S-5;ROUX;Léa;;;legal;not_notified;school;;`,
    ]);
    const report = await importExtract(ctx, file, { ...noCases, knownPassword: 'Essai-Demo-2026' });
    expect(report.rejections.map((r) => r.line)).toEqual([5, 6]);
    const accounts = await prisma.guardian.findMany({ include: { credential: true, refs: true }, orderBy: { id: 'asc' } });
    const [claire, zoe, ines] = accounts;
    expect(claire).toMatchObject({ state: 'NOTIFIED', origin: 'SCHOOL', emailConfirmed: false });
    expect(claire?.distributedAt).not.toBeNull();
    expect(claire?.credential?.isTemporary).toBe(true);
    expect(decryptSecret(claire?.credential?.tempPasswordEnc ?? '', ctx.settings.secretKey)).toMatch(/^.{14}$/);
    expect(zoe).toMatchObject({ state: 'ACTIVATED', origin: 'SCHOOL', emailConfirmed: true, mobileConfirmed: true });
    expect(zoe?.credential).toMatchObject({ isTemporary: false, tempPasswordEnc: null });
    expect(await verifyPassword('Essai-Demo-2026', zoe?.credential?.passwordHash ?? '')).toBe(true);
    expect(ines).toMatchObject({ state: 'ACTIVATED', origin: 'FRANCECONNECT', mobileConfirmed: true, distributedAt: null });
  });
});
