// Account lookup for the help desk (agents anywhere, directors within their schools): by
// identifier, email, mobile (any format) or name + school. Contacts come back masked.
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import type { ServiceContext } from './context.js';
import type { AccountOrigin, AccountState, LinkKind, Prisma } from './db/index.js';
import { invalid } from './errors.js';
import { maskEmail, maskPhone } from './logger.js';
import { normalizePhone } from './phone.js';
import { normalizeName } from './text.js';
import { hasTemporaryPassword } from './accounts/load.js';
import { guardianInActorScope, requireSchool, requireStaff } from './accounts/scope.js';

export type LookupQuery =
  | { by: 'identifier'; identifier: string }
  | { by: 'email'; email: string }
  | { by: 'mobile'; mobile: string }
  /**
   * Guardian or pupil name (words in any order), within one school; a director may leave the
   * school out to search all of theirs.
   */
  | { by: 'name'; name: string; uai?: string };

export interface AccountSummary {
  guardianId: number;
  identifier: string;
  lastName: string;
  firstName: string;
  state: AccountState;
  origin: AccountOrigin;
  hasEmail: boolean;
  emailMasked: string;
  emailConfirmed: boolean;
  hasMobile: boolean;
  mobileMasked: string;
  mobileConfirmed: boolean;
  passwordTemporary: boolean;
  distributedAt: Date | null;
  lastAccessAt: Date | null;
  /** `link`: legal representative, or person in charge (2nd degree). */
  children: { pupilId: number; firstName: string; lastName: string; uai: string; schoolName: string; className: string; link: LinkKind }[];
  openCases: number;
}

export const LOOKUP_LIMIT = 20;

export interface LookupResult {
  accounts: AccountSummary[];
  /** More accounts matched than returned: refine the query. */
  truncated: boolean;
}

const SUMMARY_SELECT = {
  id: true,
  identifier: true,
  lastName: true,
  firstName: true,
  state: true,
  origin: true,
  email: true,
  emailConfirmed: true,
  mobile: true,
  mobileConfirmed: true,
  distributedAt: true,
  lastAccessAt: true,
  credential: { select: { tempPasswordEnc: true, isTemporary: true } },
  pupils: {
    select: {
      kind: true,
      pupil: { select: { id: true, firstName: true, lastName: true, schoolUai: true, school: { select: { name: true } }, class: { select: { name: true } } } },
    },
  },
} satisfies Prisma.GuardianSelect;

export async function findAccounts(ctx: ServiceContext, actor: Actor, query: LookupQuery): Promise<LookupResult> {
  const staff = requireStaff(actor);
  const where: Prisma.GuardianWhereInput = { ...guardianInActorScope(staff) };
  switch (query.by) {
    case 'identifier': {
      const id = query.identifier.trim().toLowerCase();
      if (!id) throw invalid("Indiquez l'identifiant à rechercher.");
      where.identifier = id;
      break;
    }
    case 'email': {
      const email = query.email.trim();
      if (!email.includes('@')) throw invalid('Indiquez une adresse e-mail complète.');
      where.email = { equals: email, mode: 'insensitive' };
      break;
    }
    case 'mobile': {
      const phone = normalizePhone(query.mobile);
      if (!phone.ok) throw invalid(phone.reason);
      where.mobile = phone.e164;
      break;
    }
    case 'name': {
      // One school named, or every school of a director; agents always name one.
      if (query.uai === undefined && staff.kind !== 'director') throw invalid("Indiquez le code UAI de l'établissement de l'élève.");
      const schoolUai =
        query.uai === undefined && staff.kind === 'director' ? { in: staff.uais } : (await requireSchool(ctx.db, staff, query.uai ?? '')).school.uai;
      const words = normalizeName(query.name).split(' ').filter(Boolean);
      if (words.length === 0) throw invalid('Indiquez un nom à rechercher.');
      const contains = words.map((w) => ({ searchName: { contains: w } }));
      where.AND = [{ pupils: { some: { pupil: { schoolUai } } } }, { OR: [{ AND: contains }, { pupils: { some: { pupil: { schoolUai, AND: contains } } } }] }];
      break;
    }
  }
  const rows = await ctx.db.guardian.findMany({ where, select: SUMMARY_SELECT, orderBy: [{ searchName: 'asc' }, { id: 'asc' }], take: LOOKUP_LIMIT + 1 });
  const found = rows.slice(0, LOOKUP_LIMIT);
  const open = await ctx.db.case.groupBy({
    by: ['guardianId'],
    where: { guardianId: { in: found.map((g) => g.id) }, state: { in: ['OPEN', 'WAITING_REGISTER'] } },
    _count: { _all: true },
  });
  const openBy = new Map(open.map((o) => [o.guardianId, o._count._all]));
  await audit(ctx.db, { actor, at: ctx.now(), action: 'accounts.lookup', outcome: 'success', details: { by: query.by, results: found.length } });
  return {
    truncated: rows.length > LOOKUP_LIMIT,
    accounts: found.map((g) => ({
      guardianId: g.id,
      identifier: g.identifier,
      lastName: g.lastName,
      firstName: g.firstName,
      state: g.state,
      origin: g.origin,
      hasEmail: g.email !== null,
      emailMasked: maskEmail(g.email),
      emailConfirmed: g.emailConfirmed,
      hasMobile: g.mobile !== null,
      mobileMasked: maskPhone(g.mobile),
      mobileConfirmed: g.mobileConfirmed,
      passwordTemporary: g.state !== 'NOT_NOTIFIED' && hasTemporaryPassword(g),
      distributedAt: g.distributedAt,
      lastAccessAt: g.lastAccessAt,
      children: g.pupils.map(({ kind, pupil }) => ({
        pupilId: pupil.id,
        firstName: pupil.firstName,
        lastName: pupil.lastName,
        uai: pupil.schoolUai,
        schoolName: pupil.school.name,
        className: pupil.class.name,
        link: kind,
      })),
      openCases: openBy.get(g.id) ?? 0,
    })),
  };
}
