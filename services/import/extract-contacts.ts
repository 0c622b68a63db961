// Who owns a guardian's email and mobile (DOMAIN.md "Who owns what", guide §1.4).
// - The register's values are the school's contact: kept in registerEmail/registerMobile,
//   refreshed from every row that gives one (an empty value is "unknown" and keeps the last one).
// - The account's values start as a copy of the register's and follow it while they still are
//   that copy: unconfirmed and equal to the register's previous value. Once the parent set
//   another one (first login, "Mon compte", a corrected activation address) or confirmed it,
//   it is theirs and the import never touches it again, nor its confirmation.
// - A notification uses the account's email, else the register's (accounts/load.ts); SMS
//   self-registration matches the register's mobile (selfservice/registration.ts).
import type { ExtractRow } from './extract-rows.js';
import type { DbGuardian, GuardianData } from './extract-run.js';

/** Contacts of an account the import creates: the register's, also as the account's. */
export function newGuardianContacts(row: ExtractRow): Omit<GuardianData, 'lastName' | 'firstName'> {
  return {
    email: row.email,
    emailConfirmed: row.emailConfirmed ?? false,
    mobile: row.mobile,
    mobileConfirmed: row.mobileConfirmed ?? false,
    registerEmail: row.email,
    registerMobile: row.mobile,
  };
}

interface Contact {
  value: string | null;
  confirmed: boolean;
  register: string | null;
}

/** One contact (email or mobile) after a row: the register's copy is refreshed, the account's follows it only while it is that copy. */
function nextContact(db: Contact, fromFile: string | null, fileConfirmed: boolean | null): Contact {
  const register = fromFile ?? db.register;
  const followsRegister = !db.confirmed && db.value === db.register;
  if (!followsRegister || fromFile === null) return { ...db, register };
  if (fromFile !== db.value) return { value: fromFile, confirmed: fileConfirmed ?? false, register };
  return { value: fromFile, confirmed: fileConfirmed ?? db.confirmed, register };
}

/** What a row changes in an existing account (names and contacts), or null when nothing. */
export function guardianUpdate(db: DbGuardian, row: ExtractRow): GuardianData | null {
  const email = nextContact({ value: db.email, confirmed: db.emailConfirmed, register: db.registerEmail }, row.email, row.emailConfirmed);
  const mobile = nextContact({ value: db.mobile, confirmed: db.mobileConfirmed, register: db.registerMobile }, row.mobile, row.mobileConfirmed);
  const next: GuardianData = {
    lastName: row.lastName,
    firstName: row.firstName,
    email: email.value,
    emailConfirmed: email.confirmed,
    mobile: mobile.value,
    mobileConfirmed: mobile.confirmed,
    registerEmail: email.register,
    registerMobile: mobile.register,
  };
  const same = (Object.keys(next) as (keyof GuardianData)[]).every((k) => next[k] === db[k]);
  return same ? null : next;
}
