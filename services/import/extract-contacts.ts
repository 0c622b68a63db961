// Who owns a guardian's email and mobile (DOMAIN.md "Who owns what", guide §1.4).
// - The register's values are the school's contact: kept in registerEmail/registerMobile,
//   refreshed from every row that gives one (an empty value is "unknown" and keeps the last one).
// - The account's values start as a copy of the register's and follow it while they still are
//   that copy: unconfirmed and equal to the register's previous value. Once the parent set
//   another one (first login, "Mon compte", a corrected activation address) or confirmed it,
//   it is theirs and the import never touches it again, nor its confirmation.
// - A notification uses the account's email, else the register's (accounts/load.ts); SMS
//   self-registration matches the register's mobile (selfservice/registration.ts).
//
// The rule is SQL, applied set-based to the staged rows (extract-decide.ts): the expressions
// below take the file's columns and the account's current columns by name. An account the
// import creates starts with the register's values as its own (identifiers.ts).

/** SQL of one contact (email or mobile) after a row: the register's copy is refreshed, the account's follows it only while it is that copy. */
export interface ContactSql {
  value: string;
  confirmed: string;
  register: string;
}

/**
 * `file`/`fileConfirmed`: the row's value and flag (NULL when absent); `db*`: the account's
 * value, confirmation and register copy today.
 */
export function nextContactSql(file: string, fileConfirmed: string, dbValue: string, dbConfirmed: string, dbRegister: string): ContactSql {
  const follows = `(NOT ${dbConfirmed} AND ${dbValue} IS NOT DISTINCT FROM ${dbRegister})`;
  return {
    register: `coalesce(${file}, ${dbRegister})`,
    value: `CASE WHEN ${follows} AND ${file} IS NOT NULL THEN ${file} ELSE ${dbValue} END`,
    confirmed: `CASE WHEN NOT ${follows} OR ${file} IS NULL THEN ${dbConfirmed} WHEN ${file} IS DISTINCT FROM ${dbValue} THEN coalesce(${fileConfirmed}, false) ELSE coalesce(${fileConfirmed}, ${dbConfirmed}) END`,
  };
}
