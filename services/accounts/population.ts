// Selecting a population of accounts (admin guide §5.1): one row per pupil–guardian pair, as
// the guide's table shows (a guardian with two children in the school appears twice), default
// sort by pupil name, every column sortable both ways, paginated with the total count.
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import type { AccountOrigin, AccountState, Prisma } from '../db/index.js';
import { invalid } from '../errors.js';
import { normalizeName } from '../text.js';
import { levelRank } from './levels.js';
import { VISIBLE_GUARDIAN, requireSchool } from './scope.js';

export type PopulationColumn = 'pupil' | 'class' | 'level' | 'guardian' | 'identifier' | 'email' | 'origin' | 'state' | 'distributedAt' | 'lastAccessAt';
export type SortDirection = 'asc' | 'desc';

export interface PopulationFilter {
  /** Words searched in pupil or guardian names (accent- and case-insensitive, any order). */
  text?: string;
  classIds?: number[];
  classNames?: string[];
  /** Class levels ("CM1", "6E"…). */
  levels?: string[];
  states?: AccountState[];
  /** true: with an email only; false: without; undefined: both. */
  hasEmail?: boolean;
  origins?: AccountOrigin[];
  /** Restrict to these accounts (e.g. the selection to list). */
  guardianIds?: number[];
}

export interface PopulationQuery extends PopulationFilter {
  sort?: { column: PopulationColumn; direction: SortDirection };
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface PopulationRow {
  pupilId: number;
  pupilLastName: string;
  pupilFirstName: string;
  classId: number;
  className: string;
  level: string;
  guardianId: number;
  guardianLastName: string;
  guardianFirstName: string;
  identifier: string;
  hasEmail: boolean;
  origin: AccountOrigin;
  state: AccountState;
  distributedAt: Date | null;
  lastAccessAt: Date | null;
}

export interface PopulationPage {
  rows: PopulationRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

export const MAX_PAGE_SIZE = 1000;

/** The pupil–guardian pairs of a school matching the filter (visible accounts only). */
export function populationWhere(uai: string, f: PopulationFilter): Prisma.PupilGuardianWhereInput {
  const guardian: Prisma.GuardianWhereInput = { ...VISIBLE_GUARDIAN };
  if (f.states) guardian.state = { in: f.states };
  if (f.origins) guardian.origin = { in: f.origins };
  if (f.hasEmail !== undefined) guardian.email = f.hasEmail ? { not: null } : null;
  if (f.guardianIds) guardian.id = { in: f.guardianIds };
  const pupil: Prisma.PupilWhereInput = { schoolUai: uai };
  if (f.classIds) pupil.classId = { in: f.classIds };
  if (f.classNames || f.levels) {
    pupil.class = { ...(f.classNames ? { name: { in: f.classNames } } : {}), ...(f.levels ? { level: { in: f.levels } } : {}) };
  }
  const where: Prisma.PupilGuardianWhereInput = { pupil, guardian };
  const words = f.text ? normalizeName(f.text).split(' ').filter(Boolean) : [];
  if (words.length > 0) {
    where.OR = [
      { pupil: { AND: words.map((w) => ({ searchName: { contains: w } })) } },
      { guardian: { AND: words.map((w) => ({ searchName: { contains: w } })) } },
    ];
  }
  return where;
}

export function populationOrder(sort: PopulationQuery['sort']): Prisma.PupilGuardianOrderByWithRelationInput[] {
  const d = sort?.direction ?? 'asc';
  const byPupil: Prisma.PupilGuardianOrderByWithRelationInput[] = [{ pupil: { searchName: d } }, { pupilId: d }];
  const byGuardian: Prisma.PupilGuardianOrderByWithRelationInput[] = [{ guardian: { searchName: d } }, { guardianId: d }];
  const tail: Prisma.PupilGuardianOrderByWithRelationInput[] = [
    { pupil: { searchName: 'asc' } },
    { pupilId: 'asc' },
    { guardian: { searchName: 'asc' } },
    { guardianId: 'asc' },
  ];
  const head = ((): Prisma.PupilGuardianOrderByWithRelationInput[] => {
    switch (sort?.column ?? 'pupil') {
      case 'pupil':
        return [...byPupil, ...byGuardian];
      case 'guardian':
        return byGuardian;
      case 'class':
        return [{ pupil: { class: { name: d } } }];
      case 'level':
        return [{ pupil: { class: { level: d } } }];
      case 'identifier':
        return [{ guardian: { identifier: d } }];
      case 'email':
        return [{ guardian: { email: { sort: d, nulls: d === 'asc' ? 'first' : 'last' } } }];
      case 'origin':
        return [{ guardian: { origin: d } }];
      case 'state':
        return [{ guardian: { state: d } }];
      case 'distributedAt':
        return [{ guardian: { distributedAt: { sort: d, nulls: 'last' } } }];
      case 'lastAccessAt':
        return [{ guardian: { lastAccessAt: { sort: d, nulls: 'last' } } }];
    }
  })();
  return [...head, ...tail];
}

export const POPULATION_SELECT = {
  pupil: { select: { id: true, lastName: true, firstName: true, class: { select: { id: true, name: true, level: true } } } },
  guardian: {
    select: { id: true, lastName: true, firstName: true, identifier: true, email: true, origin: true, state: true, distributedAt: true, lastAccessAt: true },
  },
} satisfies Prisma.PupilGuardianSelect;

export function toPopulationRow(r: Prisma.PupilGuardianGetPayload<{ select: typeof POPULATION_SELECT }>): PopulationRow {
  return {
    pupilId: r.pupil.id,
    pupilLastName: r.pupil.lastName,
    pupilFirstName: r.pupil.firstName,
    classId: r.pupil.class.id,
    className: r.pupil.class.name,
    level: r.pupil.class.level,
    guardianId: r.guardian.id,
    guardianLastName: r.guardian.lastName,
    guardianFirstName: r.guardian.firstName,
    identifier: r.guardian.identifier,
    hasEmail: r.guardian.email !== null,
    origin: r.guardian.origin,
    state: r.guardian.state,
    distributedAt: r.guardian.distributedAt,
    lastAccessAt: r.guardian.lastAccessAt,
  };
}

export async function selectPopulation(ctx: ServiceContext, actor: Actor, uai: string, query: PopulationQuery = {}): Promise<PopulationPage> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  if (!Number.isInteger(page) || page < 1) throw invalid('Le numéro de page doit être un entier positif.');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw invalid(`La taille de page doit être comprise entre 1 et ${MAX_PAGE_SIZE}.`);
  const where = populationWhere(school.uai, query);
  const [total, rows] = await Promise.all([
    ctx.db.pupilGuardian.count({ where }),
    ctx.db.pupilGuardian.findMany({ where, select: POPULATION_SELECT, orderBy: populationOrder(query.sort), skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { rows: rows.map(toPopulationRow), total, page, pageSize, pageCount: Math.ceil(total / pageSize) };
}

/** The class levels of a school that have at least one pupil, in schooling order (for a level filter). */
export async function populationLevels(ctx: ServiceContext, actor: Actor, uai: string): Promise<string[]> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const classes = await ctx.db.schoolClass.findMany({ where: { schoolUai: school.uai, pupils: { some: {} } }, select: { level: true }, distinct: ['level'] });
  return classes.map((c) => c.level).sort((a, b) => levelRank(a) - levelRank(b) || a.localeCompare(b));
}
