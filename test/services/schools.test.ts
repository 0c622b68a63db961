// The public school directory search used by the parents' requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { testContext } from '../helpers/context.js';
import { findSchools } from '../../services/schools.js';

const prisma = testPrisma();
const ctx = testContext(prisma);

beforeAll(async () => {
  await resetDatabase(prisma);
  await prisma.school.createMany({
    data: [
      { uai: '0311478N', name: 'École élémentaire Jules Ferry', academy: 'Toulouse', degree: 'FIRST' },
      { uai: '0310001A', name: 'École maternelle Jules Ferry', academy: 'Toulouse', degree: 'FIRST' },
      { uai: '0350002B', name: 'Collège Anne de Bretagne', academy: 'Rennes', degree: 'SECOND' },
      { uai: '0350003C', name: 'Lycée Chateaubriand', academy: 'Rennes', degree: 'SECOND' },
    ],
  });
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe('findSchools', () => {
  it.each([
    ['a UAI, any case and spacing', '0311478 n', ['0311478N']],
    ['an unknown UAI', '9999999Z', []],
    ['words of the name, shortest name first', 'ecole jules ferry', ['0310001A', '0311478N']],
    ['accented word missing from a plain search', 'école élémentaire Jules Ferry', ['0311478N']],
    ['words and the academy', 'Jules Ferry maternelle Toulouse', ['0310001A']],
    ['accents ignored', 'chateaubriand', ['0350003C']],
    ['only generic words', 'école', []],
    ['no match', 'Lycée Imaginaire', []],
  ])('%s', async (_name, query, uais) => {
    expect((await findSchools(ctx, query)).map((s) => s.uai)).toEqual(uais);
  });

  it('caps the number of results', async () => {
    expect(await findSchools(ctx, 'jules ferry', 1)).toHaveLength(1);
  });
});
