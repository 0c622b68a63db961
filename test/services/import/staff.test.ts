import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importStaff } from '../../../services/import/staff.js';
import { ImportFileError } from '../../../services/import/extract.js';
import { resetDatabase, testPrisma, isEmbedded } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';
import { tempFiles } from '../../fixtures/import/files.js';

const prisma = testPrisma();
const ctx = testContext(prisma);
const files = tempFiles();

afterAll(async () => {
  files.cleanup();
  await prisma.$disconnect();
});
beforeEach(async () => {
  await resetDatabase(prisma);
});

const HEADER = 'aad_object_id;upn;display_name;role;uai_list';
const D1 = '00000000-0000-0000-0000-00000000d001;direction.0311478n@ac-toulouse.example;Directrice Sainte-Famille;director;0311478N';
const D2 = '00000000-0000-0000-0000-00000000d002;direction.reunion@ac-reunion.example;Directeur Réunion;director;9740021r, 9741087A';
const A1 = '00000000-0000-0000-0000-00000000a001;agent1@assistance.example;Agent Plateforme 1;agent;';
const AD = '00000000-0000-0000-0000-0000000ad001;admin@assistance.example;Administrateur;admin;';

const directory = async (): Promise<unknown> => prisma.staff.findMany({ orderBy: { aadObjectId: 'asc' } });

describe(`staff directory import (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('loads the directory, then replaces it: absent people removed, changes applied, same file unchanged', async () => {
    const first = await importStaff(ctx, files.write('staff.csv', [HEADER, D1, D2, A1, AD]));
    expect(first).toMatchObject({ rows: 4, created: 4, updated: 0, unchanged: 0, removed: 0, rejected: 0 });
    const d2 = await prisma.staff.findUniqueOrThrow({ where: { aadObjectId: '00000000-0000-0000-0000-00000000d002' } });
    expect(d2).toMatchObject({ role: 'DIRECTOR', uais: ['9740021R', '9741087A'], displayName: 'Directeur Réunion' });
    expect((await prisma.staff.findUniqueOrThrow({ where: { aadObjectId: '00000000-0000-0000-0000-00000000a001' } })).uais).toEqual([]);

    const before = await directory();
    const same = await importStaff(ctx, files.write('same.csv', [HEADER, D1, D2, A1, AD]));
    expect(same).toMatchObject({ created: 0, updated: 0, unchanged: 4, removed: 0 });
    expect(await directory()).toEqual(before);

    // The agent leaves, the first director gets a second school.
    const next = await importStaff(ctx, files.write('next.csv', [HEADER, `${D1},0312093K`, D2, AD]));
    expect(next).toMatchObject({ created: 0, updated: 1, unchanged: 2, removed: 1, rejected: 0 });
    expect(await prisma.staff.count({ where: { role: 'AGENT' } })).toBe(0);
    expect((await prisma.staff.findUniqueOrThrow({ where: { aadObjectId: '00000000-0000-0000-0000-00000000d001' } })).uais).toEqual(['0311478N', '0312093K']);
    expect(await prisma.auditLog.count({ where: { action: 'import.staff' } })).toBe(3);
  });

  it('reports bad rows by line and skips them; a person whose row is bad keeps their access', async () => {
    await importStaff(ctx, files.write('staff.csv', [HEADER, D1, D2, A1, AD]));
    const report = await importStaff(
      ctx,
      files.write('bad.csv', [
        HEADER,
        '00000000-0000-0000-0000-00000000d001;direction.0311478n@ac-toulouse.example;Directrice Sainte-Famille;director;',
        '00000000-0000-0000-0000-00000000d003;ce@ac-toulouse.example;Principal;director;0312093K,31478',
        'pas-un-identifiant;x@example.org;X;agent;',
        '00000000-0000-0000-0000-00000000a002;agent2@assistance.example;Agent 2;superviseur;',
        '00000000-0000-0000-0000-00000000a003;pas une adresse;Agent 3;agent;',
        A1,
        A1,
        '00000000-0000-0000-0000-00000000a004;agent4@assistance.example;Agent 4;agent',
      ]),
    );
    expect(report).toMatchObject({ rows: 8, created: 0, unchanged: 1, removed: 2, rejected: 7 });
    expect(report.rejections.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 8, 9]);
    expect(report.rejections[0]?.reason).toMatch(/au moins un UAI/);
    expect(report.rejections[1]?.reason).toMatch(/UAI invalide\(s\) dans uai_list : 31478/);
    expect(report.rejections[2]?.reason).toMatch(/aad_object_id « pas-un-identifiant » invalide/);
    expect(report.rejections[3]?.reason).toMatch(/rôle « superviseur » invalide/);
    expect(report.rejections[4]?.reason).toMatch(/upn « pas une adresse » invalide/);
    expect(report.rejections[5]?.reason).toMatch(/déjà présent ligne 7/);
    expect(report.rejections[6]?.reason).toMatch(/4 champ\(s\) au lieu de 5/);
    // d001's row was bad: she keeps her entry; d002 and the admin were absent: removed.
    expect((await prisma.staff.findMany({ orderBy: { aadObjectId: 'asc' } })).map((s) => s.aadObjectId)).toEqual([
      '00000000-0000-0000-0000-00000000a001',
      '00000000-0000-0000-0000-00000000d001',
    ]);
  });

  it('changes nothing when the file cannot be used', async () => {
    await importStaff(ctx, files.write('staff.csv', [HEADER, D1, D2, A1, AD]));
    const before = await directory();
    await expect(importStaff(ctx, files.write('nocol.csv', ['aad_object_id;upn;display_name;role', A1]))).rejects.toThrow(
      /absente\(s\) de l'en-tête : uai_list/,
    );
    await expect(importStaff(ctx, files.write('header-only.csv', [HEADER]))).rejects.toThrow(ImportFileError);
    await expect(importStaff(ctx, files.write('all-bad.csv', [HEADER, 'x;y;z;agent;']))).rejects.toThrow(/Aucune ligne valide/);
    await expect(importStaff(ctx, files.write('latin1.csv', Buffer.from(`${HEADER}\n${D2}\n`, 'latin1')))).rejects.toThrow(/UTF-8/);
    expect(await directory()).toEqual(before);
  });
});
