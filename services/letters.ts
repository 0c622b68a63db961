// The notification letters (admin guide, annex A1.1), as a pure decision table.
//
//   state                    | sheet  | email  | sheet+reset | email+reset
//   Non notifié              | C01    | C02    | C01         | C02
//   Notifié et non activé    | C01    | C02    | C01         | C02
//   En cours d'activation    | C03    | C04    | C05         | C06
//   Activé                   | C03    | C04    | C05         | C06
//
// One refinement from §5.3 of the guide: a letter carries the identifier alone ("mot de passe
// inchangé") only when the guardian has already chosen their own password. An activating or
// activated account whose password is still temporary (reset earlier, not yet changed) gets
// the letter that carries the temporary password (C05/C06), as the guide requires.
// C07 is the activation mail (services/accounts/activation-resend.ts).
import type { AccountState } from './db/index.js';
import type { Letter, LetterChild, LetterCode } from './delivery/types.js';
import type { LetterLinks } from './public-paths.js';

export type NotifyChannel = 'sheet' | 'email';

export interface LetterChoice {
  state: AccountState;
  /** Password reset requested (ignored for Non notifié accounts, see notify). */
  reset: boolean;
  channel: NotifyChannel;
  /** The current password is a temporary one (before any reset of this request). */
  passwordTemporary: boolean;
}

export function letterCode(c: LetterChoice): LetterCode {
  const email = c.channel === 'email';
  if (c.state === 'NOT_NOTIFIED' || c.state === 'NOTIFIED') return email ? 'C02' : 'C01';
  if (c.reset || c.passwordTemporary) return email ? 'C06' : 'C05';
  return email ? 'C04' : 'C03';
}

/** Letters that print a temporary password (the others say "mot de passe inchangé"). */
export function letterCarriesPassword(code: LetterCode): boolean {
  return code === 'C01' || code === 'C02' || code === 'C05' || code === 'C06';
}

export interface LetterInput {
  code: LetterCode;
  guardian: { id: number; lastName: string; firstName: string; identifier: string; email: string | null };
  school: { uai: string; name: string };
  children: LetterChild[];
  temporaryPassword: string | null;
  distributedAt: Date;
  links: LetterLinks;
}

/**
 * One letter. Children: every child of the account (the account serves all of them, in every
 * school, as the guide's letters list the whole family), the issuing school's first, then by name.
 */
export function buildLetter(input: LetterInput): Letter {
  if (letterCarriesPassword(input.code) !== (input.temporaryPassword !== null)) {
    throw new Error(`letter ${input.code}: temporary password ${input.temporaryPassword === null ? 'missing' : 'not expected'}`);
  }
  const children = [...input.children].sort(
    (a, b) =>
      Number(b.uai === input.school.uai) - Number(a.uai === input.school.uai) ||
      a.lastName.localeCompare(b.lastName, 'fr') ||
      a.firstName.localeCompare(b.firstName, 'fr'),
  );
  return {
    code: input.code,
    guardianId: input.guardian.id,
    guardian: { lastName: input.guardian.lastName, firstName: input.guardian.firstName, identifier: input.guardian.identifier, email: input.guardian.email },
    school: { uai: input.school.uai, name: input.school.name },
    children,
    temporaryPassword: input.temporaryPassword,
    distributedAt: input.distributedAt,
    links: input.links,
  };
}
