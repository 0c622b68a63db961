// Import safety (issue #9 item 1): a cut file or one that would remove much of a school is held
// back for that school, with its figures, unless forced; duplicate rows are reported.
import { describe, expect, it } from 'vitest';
import { importExtract } from '../../../services/import/extract.js';
import { isEmbedded } from '../../helpers/db.js';
import { importTestSetup } from '../../helpers/import.js';
import { COLLEGE, ECOLE, EXTRACT_HEADER } from '../../fixtures/import/files.js';

const { prisma, ctx, files, noCases } = importTestSetup();

/** École: 40 pupils with two guardians each (80 links); collège: 2 pupils, one guardian each. */
function bigSchool(): string[] {
  const rows: string[] = [];
  for (let i = 0; i < 40; i++) {
    const ine = `0701${String(i).padStart(5, '0')}AB`;
    rows.push(`${ECOLE};${ine};MARTIN;Élève${i};2016-03-14;CM1;CM1 A;E-${i}-1;MARTIN;Mère${i};;;legal`);
    rows.push(`${ECOLE};${ine};MARTIN;Élève${i};2016-03-14;CM1;CM1 A;E-${i}-2;MARTIN;Père${i};;;legal`);
  }
  rows.push(`${COLLEGE};070299999AA;DURAND;Hugo;2013-05-02;4E;4e 3;C-1;DURAND;Anne;;;legal`);
  rows.push(`${COLLEGE};070299998AA;DURAND;Inès;2013-05-02;4E;4e 3;C-2;DURAND;Marc;;;legal`);
  return rows;
}

async function linksOf(uai: string): Promise<number> {
  return prisma.pupilGuardian.count({ where: { pupil: { schoolUai: uai } } });
}

describe(`import safety (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('holds back every school of a file whose last line is cut, and applies it with force', async () => {
    const rows = bigSchool();
    await importExtract(ctx, files.write('full.csv', [EXTRACT_HEADER, ...rows]), noCases);
    const before = await prisma.pupilGuardian.findMany({ orderBy: [{ pupilId: 'asc' }, { guardianId: 'asc' }] });
    // A failed transfer: the first half of the file, then a line cut in the middle, no final line break.
    const half = rows.slice(0, 40).map((l) => l.replace('MARTIN;Mère', 'MARTIN-DUPONT;Mère'));
    const cut = [EXTRACT_HEADER, ...half, `${COLLEGE};070299999AA;DUR`].join('\n');
    const report = await importExtract(ctx, files.write('cut.csv', Buffer.from(cut, 'utf8')), noCases);
    expect(report).toMatchObject({ truncated: true, forced: false, created: 0, updated: 0, removed: 0, schools: [], heldRows: 40 });
    expect(report.held.map((h) => [h.uai, h.reason])).toEqual([['0311478N', 'truncated']]);
    expect(report.held[0]).toMatchObject({ links: 80, linksRemoved: 40, pupils: 40, pupilsRemoved: 20 });
    expect(await prisma.pupilGuardian.findMany({ orderBy: [{ pupilId: 'asc' }, { guardianId: 'asc' }] })).toEqual(before);
    expect(await prisma.guardian.count({ where: { lastName: 'MARTIN-DUPONT' } })).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'import.extract' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ outcome: 'partial', details: expect.objectContaining({ held: ['0311478N'], truncated: true }) });

    const forced = await importExtract(ctx, files.write('cut.csv', Buffer.from(cut, 'utf8')), { ...noCases, force: true });
    expect(forced).toMatchObject({ truncated: true, forced: true, held: [], removed: 40, rejected: 1 });
    expect(forced.warnings.at(-1)).toMatchObject({ line: 42, reason: expect.stringMatching(/sans saut de ligne/) });
    expect(await linksOf('0311478N')).toBe(40);
    expect(await linksOf('0312093K')).toBe(2);
  });

  it('holds back a big school that a tiny file would empty, applies the other schools, then applies it with force', async () => {
    const rows = bigSchool();
    await importExtract(ctx, files.write('full.csv', [EXTRACT_HEADER, ...rows]), noCases);
    // Three rows of the école (a partial export) and the whole collège with one new pupil.
    const tiny = [
      EXTRACT_HEADER,
      ...rows.slice(0, 3).map((l) => l.replace(';Mère0;', ';Maman0;')),
      ...rows.slice(80),
      `${COLLEGE};070299997AA;DURAND;Léo;2013-05-02;4E;4e 3;C-3;DURAND;Paul;;;legal`,
    ];
    const report = await importExtract(ctx, files.write('tiny.csv', tiny), noCases);
    expect(report.held).toEqual([{ uai: '0311478N', reason: 'removal', links: 80, linksRemoved: 77, pupils: 40, pupilsRemoved: 38 }]);
    expect(report).toMatchObject({ schools: ['0312093K'], heldRows: 3, created: 1, unchanged: 2, removed: 0, rejected: 0 });
    expect(await linksOf('0311478N')).toBe(80);
    expect(await prisma.guardian.count({ where: { firstName: 'Maman0' } })).toBe(0);
    expect(await linksOf('0312093K')).toBe(3);

    const forced = await importExtract(ctx, files.write('tiny.csv', tiny), { ...noCases, force: true });
    expect(forced).toMatchObject({ held: [], schools: ['0311478N', '0312093K'], removed: 77, updated: 1 });
    expect(await linksOf('0311478N')).toBe(3);
  });

  it('holds back at the configured percentage of links or of pupils', async () => {
    const rows = bigSchool();
    await importExtract(ctx, files.write('full.csv', [EXTRACT_HEADER, ...rows]), noCases);
    // 6 links of 80 (7.5 %) and 3 pupils of 40 (7.5 %): under the default 10 %.
    const fewer = [EXTRACT_HEADER, ...rows.slice(6)];
    const strict = await importExtract(ctx, files.write('fewer.csv', fewer), { ...noCases, maxRemovalPercent: 5 });
    expect(strict.held).toEqual([{ uai: '0311478N', reason: 'removal', links: 80, linksRemoved: 6, pupils: 40, pupilsRemoved: 3 }]);
    expect(await linksOf('0311478N')).toBe(80);
    const usual = await importExtract(ctx, files.write('fewer.csv', fewer), noCases);
    expect(usual).toMatchObject({ held: [], removed: 6 });
    // One guardian of each of 9 pupils (9 links of 74, 12 %) but no pupil left without a guardian: held on links.
    const oneParent = [EXTRACT_HEADER, ...rows.slice(6).filter((_, i) => !(i % 2 === 1 && i < 18))];
    const held = await importExtract(ctx, files.write('one-parent.csv', oneParent), noCases);
    expect(held.held).toEqual([{ uai: '0311478N', reason: 'removal', links: 74, linksRemoved: 9, pupils: 37, pupilsRemoved: 0 }]);
  });

  it('reports duplicate rows with the line they repeat and applies the row once', async () => {
    const row = `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-1;MARTIN;Claire;;;legal`;
    const other = `${ECOLE};070123456AB;MARTIN;Lucie;2016-03-14;CM1;CM1 A;G-2;MARTIN;Paul;;;legal`;
    const report = await importExtract(ctx, files.write('dup.csv', [EXTRACT_HEADER, row, other, row, ` ${row.replace('0311478N', '0311478n')}`]), noCases);
    expect(report).toMatchObject({ rows: 4, created: 2, unchanged: 2, rejected: 0, duplicates: 2, warned: 2 });
    expect(report.warnings).toEqual([
      { line: 4, reason: 'doublon de la ligne 2 (même élève et même responsable)' },
      { line: 5, reason: 'doublon de la ligne 2 (même élève et même responsable)' },
    ]);
    expect(await prisma.pupilGuardian.count()).toBe(2);
  });
});
