// The first load into empty account tables: secondary indexes and foreign keys dropped for the
// merge and built again, the same, in the same transaction; given up when the tables are busy.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withBulkLoad } from '../../../services/import/extract-bulk.js';
import { importExtract } from '../../../services/import/extract.js';
import { inTransaction } from '../../../services/import/sql.js';
import { databaseUrl, isEmbedded } from '../../helpers/db.js';
import { importTestSetup } from '../../helpers/import.js';
import { BASE_EXTRACT, COLLEGE, ECOLE, LYCEE_REUNION } from '../../fixtures/import/files.js';

const { prisma, ctx, files, noCases, snapshot } = importTestSetup();

const ROWS = [
  ...BASE_EXTRACT,
  // Rejected: Hugo's class differs from his rows above.
  `${COLLEGE};070123456AC;MARTIN;Hugo;2013-05-02;4E;4e 1;G-5;GRONDIN;Marc;;07 68 22 31 49;in_charge`,
];

/** Every index and constraint of the account tables, by definition. */
async function schema(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ def: string }[]>`
    SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index
    WHERE indrelid = ANY(ARRAY['"Pupil"', '"Guardian"', '"GuardianRef"', '"PupilGuardian"', '"Credential"']::regclass[])
    UNION ALL
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
    WHERE conrelid = ANY(ARRAY['"Pupil"', '"Guardian"', '"GuardianRef"', '"PupilGuardian"', '"Credential"']::regclass[])
    UNION ALL
    SELECT tgrelid::regclass::text || ' ' || tgname || ' ' || tgenabled::text FROM pg_trigger
    WHERE tgrelid = ANY(ARRAY['"Pupil"', '"Guardian"', '"PupilGuardian"']::regclass[]) AND NOT tgisinternal`;
  return rows.map((r) => r.def).sort();
}

/** Work schemas of imports (sql.ts withWorkSchema) left in the database: none after a commit or a rollback. */
const workSchemas = async (): Promise<number> =>
  (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'import\_work\_%'`)[0]?.n ?? -1;

const secondaryIndexes = (): Promise<{ n: number }[]> =>
  prisma.$queryRaw`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = '"Guardian"'::regclass AND NOT indisunique`;

describe(`first load into empty tables (${isEmbedded() ? 'PGlite' : 'PostgreSQL'})`, () => {
  it('applies the file and leaves every index and foreign key as it was; the next import runs on them', async () => {
    const before = await schema();
    expect(before.length).toBeGreaterThan(15);
    const first = await importExtract(ctx, files.write('first.csv', ROWS), noCases);
    expect(first).toMatchObject({ rows: 6, created: 5, rejected: 1 });
    expect(await schema()).toEqual(before);
    expect(await workSchemas()).toBe(0);
    // The statistics triggers were off: the schools are marked for a recount all the same.
    const dirty = await prisma.$queryRaw<{ uai: string }[]>`SELECT DISTINCT "schoolUai" AS uai FROM "StatsDirty" ORDER BY 1`;
    expect(dirty.map((d) => d.uai)).toEqual([ECOLE, COLLEGE, LYCEE_REUNION].map((school) => school.split(';')[0]));
    const claire = await prisma.guardian.findFirstOrThrow({ where: { email: 'claire.martin@example.org' }, include: { pupils: true, refs: true } });
    expect(claire).toMatchObject({ identifier: 'c.martin', mobile: '+33612345678' });
    expect(claire.pupils).toHaveLength(2);
    // A foreign key rebuilt is a foreign key enforced.
    await expect(prisma.guardianRef.create({ data: { ref: 'G-404', guardianId: 999_999 } })).rejects.toThrow();

    const kept = await snapshot();
    const second = await importExtract(ctx, files.write('second.csv', ROWS), noCases);
    expect(second).toMatchObject({ rows: 6, created: 0, unchanged: 5, rejected: 1 });
    expect(await snapshot()).toEqual(kept);
    expect(await schema()).toEqual(before);
  });

  it('a first load that fails after its merge changes nothing: no row, every index and foreign key in place', async () => {
    const before = await schema();
    const failing = importExtract(ctx, files.write('failing.csv', ROWS), {
      ...noCases,
      onRejection: () => {
        throw new Error('report lost');
      },
    });
    await expect(failing).rejects.toThrow('report lost');
    expect(await schema()).toEqual(before);
    expect(await prisma.guardian.count()).toBe(0);
    expect(await prisma.pupil.count()).toBe(0);
    expect(await workSchemas()).toBe(0);
  });

  it.skipIf(isEmbedded())('merges with the indexes in place when another session is using the tables', async () => {
    const other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT count(*) FROM "Guardian"');
      const during = await inTransaction(prisma, (sql) => withBulkLoad(sql, ctx.log, async () => (await secondaryIndexes())[0]?.n, '200ms'), 60_000);
      // Not dropped: the merge ran on the indexed tables.
      expect(during).toBe(3);
      await other.query('COMMIT');
      const free = await inTransaction(
        prisma,
        (sql) =>
          withBulkLoad(sql, ctx.log, async () => {
            const rows = await sql.query<{ n: number }>`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = '"Guardian"'::regclass AND NOT indisunique`;
            return rows[0]?.n;
          }),
        60_000,
      );
      expect(free).toBe(0);
      expect((await secondaryIndexes())[0]?.n).toBe(3);
    } finally {
      await other.end();
    }
  });
});
