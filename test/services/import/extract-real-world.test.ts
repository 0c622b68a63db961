// What the real world sends the set-based import (COPY into staging, SQL decisions and merge):
// a row the database refuses, rows that contradict each other, a file that breaks at its end,
// the same large file twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importExtract, ImportFileError } from '../../../services/import/extract.js';
import { randomBytes } from 'node:crypto';
import { testContext } from '../../helpers/context.js';
import { databaseUrl, isEmbedded, testPrisma } from '../../helpers/db.js';
import { importTestSetup } from '../../helpers/import.js';
import { writeBigExtract } from '../../fixtures/import/big-extract.js';
import { COLLEGE, ECOLE, EXTRACT_HEADER } from '../../fixtures/import/files.js';

const { prisma, ctx, files, noCases, snapshot } = importTestSetup();

describe(`register extract, real-world files (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('rejects only the row the database refuses and applies the others', async () => {
    // A rule the import does not know, as a constraint of the database would be.
    await prisma.$executeRawUnsafe(`ALTER TABLE "Pupil" ADD CONSTRAINT test_refused_name CHECK ("lastName" <> 'REFUS')`);
    try {
      const report = await importExtract(
        ctx,
        files.write('refused.csv', [
          EXTRACT_HEADER,
          `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;;legal`,
          `${ECOLE};070123456AC;REFUS;Léo;2016-03-14;CM1;CM1 A;G-2;REFUS;Paul;;;legal`,
          `${COLLEGE};070123456AD;DURAND;Hugo;2013-05-02;4E;4e 3;G-3;DURAND;Anne;;;legal`,
          `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-4;MARTIN;Marc;;;legal`,
        ]),
        noCases,
      );
      expect(report).toMatchObject({ rows: 4, created: 3, rejected: 1 });
      expect(report.rejections).toEqual([{ line: 3, reason: expect.stringMatching(/^refusée par la base de données : .*test_refused_name/) }]);
      expect((await prisma.pupil.findMany({ orderBy: { ine: 'asc' } })).map((p) => p.ine)).toEqual(['070123456AB', '070123456AD']);
      // The refused row created nothing at all (its account neither).
      expect(await prisma.guardian.count({ where: { lastName: 'REFUS' } })).toBe(0);
      expect(await prisma.pupilGuardian.count()).toBe(3);
      const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'import.extract' } });
      expect(audit).toMatchObject({ outcome: 'partial', details: expect.objectContaining({ created: 3, rejected: 1 }) });
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "Pupil" DROP CONSTRAINT test_refused_name`);
    }
  });

  it('keeps the first of two contradicting rows and rejects the later one with its line', async () => {
    const file = files.write('contradictions.csv', [
      EXTRACT_HEADER,
      `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;;legal`,
      // The same pupil born another day, the same class at another level, the same school with another name.
      `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-15;CM1;CM1 A;G-2;MARTIN;Paul;;;legal`,
      `${ECOLE};070123456AC;MARTIN;Léo;2017-03-14;CE2;CM1 A;G-2;MARTIN;Paul;;;legal`,
      `0311478N;École Sainte-Famille (annexe);Toulouse;1;070123456AD;MARTIN;Noé;2018-03-14;CP;CP;G-2;MARTIN;Paul;;;legal`,
      // The same ref with another first name; the same link with another kind.
      `${COLLEGE};070123456AE;DURAND;Hugo;2013-05-02;4E;4e 3;G-1;MARTIN;Claude;;;legal`,
      `${COLLEGE};070123456AF;DURAND;Inès;2013-05-02;4E;4e 3;G-5;DURAND;Anne;;;legal`,
      `${COLLEGE};070123456AF;DURAND;Inès;2013-05-02;4E;4e 3;G-5;DURAND;Anne;;;in_charge`,
    ]);
    const report = await importExtract(ctx, file, noCases);
    expect(report).toMatchObject({ rows: 7, created: 2, rejected: 5 });
    expect(report.rejections.map((r) => r.line)).toEqual([3, 4, 5, 6, 8]);
    expect(report.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^élève 070123456AB : nom, date de naissance ou classe différents/),
      expect.stringMatching(/^classe « CM1 A » : niveau différent/),
      expect.stringMatching(/^école 0311478N : nom, académie ou degré différents/),
      expect.stringMatching(/^responsable G-1 : nom ou coordonnées différents/),
      expect.stringMatching(/^lien 070123456AF – G-5 : type de lien différent/),
    ]);
    const lucie = await prisma.pupil.findUniqueOrThrow({ where: { ine: '070123456AB' }, include: { class: true, school: true } });
    expect(lucie.birthDate.toISOString().slice(0, 10)).toBe('2016-03-14');
    expect(lucie.class.level).toBe('CM1');
    expect(lucie.school.name).toBe('École Sainte-Famille');
    expect(await prisma.guardian.count({ where: { firstName: 'Paul' } })).toBe(0);
    expect((await prisma.pupilGuardian.findMany()).map((l) => l.kind)).toEqual(['LEGAL', 'LEGAL']);
    // The same file again: the same decisions, nothing changes.
    const before = await snapshot();
    ctx.advance(3_600_000);
    const again = await importExtract(ctx, file, noCases);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2, removed: 0, rejected: 5 });
    expect(again.rejections).toEqual(report.rejections);
    expect(await snapshot()).toEqual(before);
  });

  it('creates a pupil and an account from their first accepted row when their first row is rejected', async () => {
    const report = await importExtract(
      ctx,
      files.write('late-heads.csv', [
        EXTRACT_HEADER,
        `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;;legal`,
        // Léo's first row names G-1 with another first name: rejected; his second row is his first accepted.
        `${ECOLE};070123456AC;MARTIN;Léo;2017-03-14;CM1;CM1 A;G-1;MARTIN;Claude;;;legal`,
        `${ECOLE};070123456AC;MARTIN;Léo;2017-03-14;CM1;CM1 A;G-2;MARTIN;Paul;;;legal`,
        // G-3's first row gives Lucie another birth date: rejected; its second row is its first accepted.
        `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-15;CM1;CM1 A;G-3;DURAND;Anne;;;legal`,
        `${COLLEGE};070123456AD;DURAND;Hugo;2013-05-02;4E;4e 3;G-3;DURAND;Anne;;;legal`,
      ]),
      noCases,
    );
    expect(report).toMatchObject({ rows: 5, created: 3, rejected: 2 });
    expect(report.rejections.map((r) => r.line)).toEqual([3, 5]);
    const links = await prisma.pupilGuardian.findMany({ include: { pupil: true, guardian: { include: { refs: true } } } });
    expect(links.map((l) => `${l.pupil.ine} ${l.guardian.refs.map((r) => r.ref).join()} ${l.guardian.firstName}`).sort()).toEqual([
      '070123456AB G-1 Claire',
      '070123456AC G-2 Paul',
      '070123456AD G-3 Anne',
    ]);
    expect((await prisma.pupil.findUniqueOrThrow({ where: { ine: '070123456AB' } })).birthDate.toISOString().slice(0, 10)).toBe('2016-03-14');
  });

  it('changes nothing when the file breaks near its end, and the next import works', { timeout: 120_000 }, async () => {
    const file = files.write('big.csv', []);
    await writeBigExtract(file, 3000);
    // A byte that is not UTF-8 on the last line: found only after thousands of rows were staged.
    const bytes = readFileSync(file);
    const broken = Buffer.concat([bytes.subarray(0, bytes.length - 20), Buffer.from([0xff]), bytes.subarray(bytes.length - 19)]);
    writeFileSync(file, broken);
    await expect(importExtract(ctx, file, noCases)).rejects.toThrow(ImportFileError);
    expect(await prisma.pupil.count()).toBe(0);
    expect(await prisma.auditLog.count()).toBe(0);
    await writeBigExtract(file, 3000);
    expect(await importExtract(ctx, file, noCases)).toMatchObject({ rows: 3000, created: 3000, rejected: 0 });
  });

  it('imports a file with a header only: nothing changes, the run is audited', async () => {
    const report = await importExtract(ctx, files.write('header-only.csv', [EXTRACT_HEADER]), noCases);
    expect(report).toMatchObject({ rows: 0, created: 0, removed: 0, rejected: 0, schools: [], held: [], truncated: false });
    expect(await prisma.pupil.count()).toBe(0);
    expect(await prisma.auditLog.findFirstOrThrow({ where: { action: 'import.extract' } })).toMatchObject({ outcome: 'success' });
  });

  it('imports a generated file twice: the second import changes nothing', { timeout: 120_000 }, async () => {
    const file = files.write('twice.csv', []);
    await writeBigExtract(file, 2000, 11);
    const first = await importExtract(ctx, file, noCases);
    expect(first).toMatchObject({ rows: 2000, created: 2000, rejected: 0, removed: 0 });
    const before = await snapshot();
    ctx.advance(86_400_000);
    const second = await importExtract(ctx, file, noCases);
    expect(second).toMatchObject({ rows: 2000, created: 0, updated: 0, unchanged: 2000, removed: 0, rejected: 0, warned: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it.skipIf(isEmbedded())('tells the operator when the database user may not create the work schema, and changes nothing', async () => {
    // A user with every right on the tables, but not CREATE on the database (only its owner has it by default).
    const role = `import_test_${randomBytes(4).toString('hex')}`;
    await prisma.$executeRawUnsafe(`CREATE ROLE ${role} LOGIN`);
    await prisma.$executeRawUnsafe(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await prisma.$executeRawUnsafe(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
    await prisma.$executeRawUnsafe(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const url = new URL(databaseUrl());
    url.username = role;
    url.password = '';
    const limited = testPrisma(2, undefined, url.toString());
    try {
      const file = files.write('no-create.csv', [EXTRACT_HEADER, `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;;legal`]);
      await expect(importExtract(testContext(limited), file, noCases)).rejects.toThrow(/CREATE privilege on the database/);
      expect(await prisma.pupil.count()).toBe(0);
    } finally {
      await limited.$disconnect();
      await prisma.$executeRawUnsafe(`DROP OWNED BY ${role}`);
      await prisma.$executeRawUnsafe(`DROP ROLE ${role}`);
    }
  });
});
