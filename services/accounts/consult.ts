// Consulting one account (admin guide §5.2).
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { AccountOrigin, AccountState } from '../db/index.js';
import { notFound } from '../errors.js';
import { decryptSecret } from '../passwords.js';
import { hasTemporaryPassword } from './load.js';
import { guardianInSchool, requireSchool } from './scope.js';

export const MASKED_PASSWORD = '*****';

export interface ConsultedPupil {
  pupilId: number;
  firstName: string;
  lastName: string;
  birthDate: Date;
}

export interface AccountDetails {
  guardianId: number;
  identifier: string;
  lastName: string;
  firstName: string;
  /**
   * The temporary password in clear while it is temporary; "*****" once the guardian chose
   * their own (or when the account has none, e.g. FranceConnect); null for Non notifié.
   */
  password: string | null;
  passwordTemporary: boolean;
  email: string | null;
  emailConfirmed: boolean;
  mobile: string | null;
  mobileConfirmed: boolean;
  origin: AccountOrigin;
  state: AccountState;
  distributedAt: Date | null;
  lastAccessAt: Date | null;
  /** Children in the consulted school, with their class. */
  pupilsHere: (ConsultedPupil & { className: string; level: string })[];
  /** Children in other schools, with UAI and school name. */
  pupilsElsewhere: (ConsultedPupil & { uai: string; schoolName: string })[];
}

export async function consultAccount(ctx: ServiceContext, actor: Actor, guardianId: number, uai: string): Promise<AccountDetails> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  if (!Number.isSafeInteger(guardianId) || guardianId <= 0) throw notFound('malformed account id');
  const g = await ctx.db.guardian.findFirst({
    where: { id: guardianId, ...guardianInSchool(school.uai) },
    include: {
      credential: { select: { tempPasswordEnc: true, isTemporary: true } },
      pupils: { include: { pupil: { include: { class: true, school: true } } }, orderBy: { pupil: { searchName: 'asc' } } },
    },
  });
  if (!g) throw notFound(`account ${guardianId} not in ${school.uai}`);
  const temporary = hasTemporaryPassword(g);
  let password: string | null = null;
  if (g.state !== 'NOT_NOTIFIED') {
    password = temporary && g.credential?.tempPasswordEnc ? decryptSecret(g.credential.tempPasswordEnc, ctx.settings.secretKey) : MASKED_PASSWORD;
  }
  await audit(ctx.db, {
    actor,
    at: ctx.now(),
    action: 'accounts.consult',
    guardianId: g.id,
    schoolUai: school.uai,
    outcome: 'success',
    details: { temporaryShown: password !== null && password !== MASKED_PASSWORD },
  });
  const base = (p: { id: number; firstName: string; lastName: string; birthDate: Date }): ConsultedPupil => ({
    pupilId: p.id,
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: p.birthDate,
  });
  return {
    guardianId: g.id,
    identifier: g.identifier,
    lastName: g.lastName,
    firstName: g.firstName,
    password,
    passwordTemporary: g.state !== 'NOT_NOTIFIED' && temporary,
    email: g.email,
    emailConfirmed: g.emailConfirmed,
    mobile: g.mobile,
    mobileConfirmed: g.mobileConfirmed,
    origin: g.origin,
    state: g.state,
    distributedAt: g.distributedAt,
    lastAccessAt: g.lastAccessAt,
    pupilsHere: g.pupils
      .filter(({ pupil }) => pupil.schoolUai === school.uai)
      .map(({ pupil }) => ({ ...base(pupil), className: pupil.class.name, level: pupil.class.level })),
    pupilsElsewhere: g.pupils
      .filter(({ pupil }) => pupil.schoolUai !== school.uai)
      .map(({ pupil }) => ({ ...base(pupil), uai: pupil.schoolUai, schoolName: pupil.school.name })),
  };
}
