// The list of accounts (admin guide §5.4) as data: delivery renders it as PDF or CSV
// (`;`-separated) under `${fileName}.pdf|csv`. One row per pupil–guardian pair.
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import { decryptSecret } from '../passwords.js';
import { parisStamp } from '../paris.js';
import { MASKED_PASSWORD } from './consult.js';
import { levelLabel } from './levels.js';
import { populationOrder, populationWhere, type PopulationFilter, type PopulationQuery } from './population.js';
import { requireSchool } from './scope.js';
import type { ListRow } from '../delivery/types.js';

/** The CSV header of the guide, in order. */
export const LIST_COLUMNS = [
  'RNE',
  'Ecole',
  "Nom de l'élève",
  "Prénom de l'élève",
  "Niveau de l'élève",
  "Classe de l'élève",
  'Nom du responsable',
  'Prénom du responsable',
  'Identifiant',
  'Mot de passe',
] as const;

/** A line of the list (the columns of the guide), with the account it is about. */
export interface AccountListRow extends ListRow {
  guardianId: number;
}

export interface AccountList {
  /** `Educonnect-ListeResponsables-<YYYYMMDDHHMMSS>` (Paris time), without extension. */
  fileName: string;
  createdAt: Date;
  school: { uai: string; name: string };
  rows: AccountListRow[];
}

export async function listAccounts(
  ctx: ServiceContext,
  actor: Actor,
  uai: string,
  filter: PopulationFilter & Pick<PopulationQuery, 'sort'> = {},
): Promise<AccountList> {
  const now = ctx.now();
  const { school } = await requireSchool(ctx.db, actor, uai);
  const pairs = await ctx.db.pupilGuardian.findMany({
    where: populationWhere(school.uai, filter),
    orderBy: populationOrder(filter.sort),
    select: {
      pupil: { select: { lastName: true, firstName: true, class: { select: { name: true, level: true } } } },
      guardian: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          identifier: true,
          state: true,
          credential: { select: { tempPasswordEnc: true, isTemporary: true } },
        },
      },
    },
  });
  const passwords = new Map<number, string>();
  const passwordOf = (g: (typeof pairs)[number]['guardian']): string => {
    const known = passwords.get(g.id);
    if (known !== undefined) return known;
    let pw = MASKED_PASSWORD;
    if (g.state === 'NOT_NOTIFIED') pw = '';
    else if (g.credential?.isTemporary && g.credential.tempPasswordEnc) pw = decryptSecret(g.credential.tempPasswordEnc, ctx.settings.secretKey);
    passwords.set(g.id, pw);
    return pw;
  };
  const rows = pairs.map(({ pupil, guardian }) => ({
    uai: school.uai,
    schoolName: school.name,
    pupilLastName: pupil.lastName,
    pupilFirstName: pupil.firstName,
    level: levelLabel(pupil.class.level),
    className: pupil.class.name,
    guardianLastName: guardian.lastName,
    guardianFirstName: guardian.firstName,
    identifier: guardian.identifier,
    password: passwordOf(guardian),
    guardianId: guardian.id,
  }));
  await audit(ctx.db, {
    actor,
    at: now,
    action: 'accounts.list',
    schoolUai: school.uai,
    outcome: 'success',
    details: { rows: rows.length, accounts: passwords.size, ...(filter.classIds ? { classIds: filter.classIds } : {}) },
  });
  return { fileName: `Educonnect-ListeResponsables-${parisStamp(now)}`, createdAt: now, school: { uai: school.uai, name: school.name }, rows };
}
