// Loading accounts with what letters and account pages need, in one query per batch.
import type { Prisma, Tx } from '../db/index.js';
import type { LetterChild } from '../delivery/types.js';

export const ACCOUNT_SELECT = {
  id: true,
  identifier: true,
  lastName: true,
  firstName: true,
  email: true,
  registerEmail: true,
  state: true,
  credential: { select: { tempPasswordEnc: true, isTemporary: true } },
  pupils: {
    select: {
      pupil: {
        select: {
          id: true,
          lastName: true,
          firstName: true,
          birthDate: true,
          schoolUai: true,
          school: { select: { name: true } },
          class: { select: { name: true, level: true } },
        },
      },
    },
  },
} satisfies Prisma.GuardianSelect;

export type LoadedAccount = Prisma.GuardianGetPayload<{ select: typeof ACCOUNT_SELECT }>;

export async function loadAccounts(tx: Tx, ids: number[]): Promise<LoadedAccount[]> {
  const rows = await tx.guardian.findMany({
    where: { id: { in: ids } },
    select: ACCOUNT_SELECT,
    orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
  });
  return rows;
}

export function childrenOf(account: LoadedAccount): LetterChild[] {
  return account.pupils.map(({ pupil }) => ({
    lastName: pupil.lastName,
    firstName: pupil.firstName,
    uai: pupil.schoolUai,
    schoolName: pupil.school.name,
    className: pupil.class.name,
    level: pupil.class.level,
  }));
}

/** Where a notification mail goes: the account's own email, else the school's contact from the register. */
export function notificationEmail(account: { email: string | null; registerEmail: string | null }): string | null {
  return account.email ?? account.registerEmail;
}

/** The current password is a readable temporary one. */
export function hasTemporaryPassword(account: { credential: { tempPasswordEnc: string | null; isTemporary: boolean } | null }): boolean {
  return account.credential !== null && account.credential.isTemporary && account.credential.tempPasswordEnc !== null;
}

/** "NOM Prénom", as the guide lists accounts in its warnings. */
export function displayName(a: { lastName: string; firstName: string }): string {
  return `${a.lastName.toUpperCase()} ${a.firstName}`;
}

export interface AccountRef {
  guardianId: number;
  lastName: string;
  firstName: string;
  identifier: string;
}

export function accountRef(a: { id: number; lastName: string; firstName: string; identifier: string }): AccountRef {
  return { guardianId: a.id, lastName: a.lastName, firstName: a.firstName, identifier: a.identifier };
}

/** Tokens tied to the old password: pending reset links/codes, first-login tickets, sessions. */
export const PASSWORD_BOUND_TOKENS = ['PASSWORD_RESET_LINK', 'PASSWORD_RESET_CODE', 'PASSWORD_PAGE', 'FIRST_LOGIN', 'SESSION'] as const;

/**
 * Gives each account a new temporary password (encrypted) and removes its personal password
 * hash in one statement: the old password stops working at once, and the tokens obtained with
 * it (sessions, pending reset links) are closed.
 */
export async function storeTemporaryPasswords(tx: Tx, rows: { guardianId: number; tempPasswordEnc: string }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((r) => r.guardianId);
  const encs = rows.map((r) => r.tempPasswordEnc);
  await tx.$executeRaw`
    INSERT INTO "Credential" ("guardianId", "tempPasswordEnc", "passwordHash", "isTemporary", "updatedAt")
    SELECT t.id, t.enc, NULL, TRUE, ${now} FROM unnest(${ids}::int[], ${encs}::text[]) AS t(id, enc)
    ON CONFLICT ("guardianId") DO UPDATE
      SET "tempPasswordEnc" = EXCLUDED."tempPasswordEnc", "passwordHash" = NULL, "isTemporary" = TRUE, "updatedAt" = EXCLUDED."updatedAt"`;
  await tx.selfServiceToken.updateMany({ where: { guardianId: { in: ids }, kind: { in: [...PASSWORD_BOUND_TOKENS] }, usedAt: null }, data: { usedAt: now } });
}
