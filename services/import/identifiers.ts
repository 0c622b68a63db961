// Account identifiers (`firstinitial.lastname` plus digits) for the accounts an extract creates,
// and the creation of those accounts with their refs and credentials.
import type { AccountState } from '../db/index.js';
import { identifierBase, searchKey } from '../text.js';
import type { NewGuardian } from './extract-run.js';
import type { Sql } from './sql.js';

/** The credential of an account created in a state that has one (see importExtract). */
export type Credentials = (state: AccountState) => Promise<{ tempPasswordEnc: string | null; passwordHash: string | null }>;

/**
 * Free identifiers for the given bases, in order (`c.dupont`, `c.dupont1`, `c.dupont2`…),
 * skipping the taken and the reserved ones. `cursors` remembers, per base, where the previous
 * batches of the run stopped, so that common names do not rescan their taken suffixes; the
 * database is still asked about every candidate (one query per round of growing windows).
 */
export async function allocateIdentifiers(sql: Sql, bases: string[], reserved: Set<string>, cursors: Map<string, number>): Promise<string[]> {
  const need = new Map<string, number>();
  for (const b of bases) need.set(b, (need.get(b) ?? 0) + 1);
  const free = new Map<string, string[]>();
  const name = (base: string, n: number): string => (n === 0 ? base : `${base}${n}`);
  for (let window = 8; need.size; window *= 4) {
    const candidates: string[] = [];
    for (const [base, count] of need) {
      const from = cursors.get(base) ?? 0;
      for (let n = from; n < from + window + count; n++) candidates.push(name(base, n));
    }
    const taken = new Set(
      (await sql.query<{ identifier: string }>`SELECT identifier FROM "Guardian" WHERE identifier = ANY(${candidates}::text[])`).map((r) => r.identifier),
    );
    for (const [base, count] of [...need]) {
      const list = free.get(base) ?? [];
      const from = cursors.get(base) ?? 0;
      let n = from;
      for (; n < from + window + count && list.length < count; n++) {
        const id = name(base, n);
        if (!taken.has(id) && !reserved.has(id)) list.push(id);
      }
      free.set(base, list);
      cursors.set(base, n);
      if (list.length >= count) need.delete(base);
    }
  }
  const used = new Map<string, number>();
  return bases.map((b) => {
    const i = used.get(b) ?? 0;
    used.set(b, i + 1);
    return (free.get(b) as string[])[i] as string;
  });
}

/** Creates accounts with unique identifiers (the unique index decides; taken ones are retried). */
export async function insertGuardians(
  sql: Sql,
  list: NewGuardian[],
  now: string,
  cursors: Map<string, number>,
  credentials: Credentials,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const reserved = new Set(list.flatMap((g) => (g.identifier ? [g.identifier] : [])));
  let pending = list;
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt > 10) throw new Error('could not allocate unique identifiers');
    const generated = await allocateIdentifiers(
      sql,
      pending.filter((g) => !g.identifier).map((g) => identifierBase(g.firstName, g.lastName)),
      reserved,
      cursors,
    );
    let n = 0;
    const identifiers = pending.map((g) => g.identifier ?? (generated[n++] as string));
    const distributed = pending.map((g) => g.state !== 'NOT_NOTIFIED' && g.origin === 'SCHOOL');
    const inserted = await sql.query<{ id: number; identifier: string }>`
      INSERT INTO "Guardian" (identifier, "lastName", "firstName", "searchName", email, "emailConfirmed", mobile, "mobileConfirmed",
        "registerEmail", "registerMobile", state, origin,
        "distributedAt", "activatedAt", "createdAt", "updatedAt")
      SELECT u.identifier, u.last, u.first, u.search, u.email, u.ec, u.mobile, u.mc, u.remail, u.rmobile, u.state::"AccountState", u.origin::"AccountOrigin",
        CASE WHEN u.distributed THEN ${now}::timestamp END, CASE WHEN u.state = 'ACTIVATED' THEN ${now}::timestamp END, ${now}::timestamp, ${now}::timestamp
      FROM unnest(${identifiers}::text[], ${pending.map((g) => g.lastName)}::text[], ${pending.map((g) => g.firstName)}::text[],
        ${pending.map((g) => searchKey(g.lastName, g.firstName))}::text[], ${pending.map((g) => g.email)}::text[], ${pending.map((g) => g.emailConfirmed)}::boolean[],
        ${pending.map((g) => g.mobile)}::text[], ${pending.map((g) => g.mobileConfirmed)}::boolean[], ${pending.map((g) => g.registerEmail)}::text[],
        ${pending.map((g) => g.registerMobile)}::text[], ${pending.map((g) => g.state)}::text[],
        ${pending.map((g) => g.origin)}::text[], ${distributed}::boolean[])
        AS u(identifier, last, first, search, email, ec, mobile, mc, remail, rmobile, state, origin, distributed)
      ON CONFLICT (identifier) DO NOTHING
      RETURNING id, identifier`;
    const byIdentifier = new Map(inserted.map((r) => [r.identifier, r.id]));
    const retry: NewGuardian[] = [];
    pending.forEach((g, i) => {
      const identifier = identifiers[i] as string;
      const id = byIdentifier.get(identifier);
      if (id !== undefined) ids.set(g.ref, id);
      else if (g.identifier) throw new Error(`identifier ${identifier} was taken meanwhile`);
      else {
        reserved.add(identifier);
        retry.push(g);
      }
    });
    pending = retry;
  }
  const refs = [...ids];
  await sql.execute`INSERT INTO "GuardianRef" (ref, "guardianId") SELECT * FROM unnest(${refs.map(([r]) => r)}::text[], ${refs.map(([, id]) => id)}::int[])`;
  const withCredential = list.filter((g) => g.state !== 'NOT_NOTIFIED');
  if (withCredential.length) {
    const creds = await Promise.all(withCredential.map((g) => credentials(g.state)));
    await sql.execute`
      INSERT INTO "Credential" ("guardianId", "tempPasswordEnc", "passwordHash", "isTemporary", "passwordChangedAt", "updatedAt")
      SELECT u.id, u.temp, u.hash, u.temp IS NOT NULL, CASE WHEN u.temp IS NULL THEN ${now}::timestamp END, ${now}::timestamp
      FROM unnest(${withCredential.map((g) => ids.get(g.ref) as number)}::int[], ${creds.map((c) => c.tempPasswordEnc)}::text[], ${creds.map((c) => c.passwordHash)}::text[]) AS u(id, temp, hash)`;
  }
  return ids;
}
