// The audit log: one row per change (who, which account, what, when, outcome). Shared by
// every service that changes an account. Details are checked so that no secret (password,
// code, token, hash) can ever be written: keys naming a secret are refused.
import { actorId, type Actor } from './actor.js';
import type { Prisma, Tx } from './db/index.js';

/** What an audit row records (dotted verb): one name per kind of change, listed here. */
export type AuditAction =
  // accounts
  | 'accounts.consult'
  | 'accounts.link_restore'
  | 'accounts.list'
  | 'accounts.lookup'
  | 'accounts.notify'
  | 'accounts.remind_activation'
  | 'accounts.require_password_change'
  | 'accounts.resend_activation'
  | 'accounts.reset_password'
  // cases
  | 'cases.create'
  | 'cases.resolved_by_import'
  | 'cases.set_state'
  // files
  | 'files.reissue_sheets'
  // handoff
  | 'handoff.claim'
  // import
  | 'import.extract'
  | 'import.staff'
  // selfservice
  | 'selfservice.activation'
  | 'selfservice.activation_email'
  | 'selfservice.child_link_removal'
  | 'selfservice.email_change'
  | 'selfservice.email_change_request'
  | 'selfservice.first_login'
  | 'selfservice.forced_change'
  | 'selfservice.identifier_recovery'
  | 'selfservice.login'
  | 'selfservice.mobile_change'
  | 'selfservice.password_change'
  | 'selfservice.password_reset_code'
  | 'selfservice.password_reset_request'
  | 'selfservice.password_set'
  | 'selfservice.registration'
  | 'selfservice.registration_children'
  | 'selfservice.registration_code'
  | 'selfservice.registration_grouping'
  | 'selfservice.registration_request'
  | 'selfservice.regroup'
  // stats
  | 'stats.compute'
  | 'stats.nightly';

export type AuditOutcome = 'success' | 'denied' | 'failed' | 'partial';

/** A safe detail value: scalars and arrays/objects of them. */
export type AuditDetail = string | number | boolean | null | AuditDetail[] | { [key: string]: AuditDetail };

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  guardianId?: number | null;
  schoolUai?: string | null;
  outcome: AuditOutcome;
  /** Defaults to the database clock; pass ctx.now() where the service's clock matters. */
  at?: Date;
  details?: Record<string, AuditDetail>;
}

/** Keys that would carry a secret: refused in details, whatever the nesting ("tokenId" is fine). */
const SECRET_KEY = /password|passwd|secret|hash$|^(pwd|token|code|otp|pin|url|link)$/i;

function assertSafe(value: AuditDetail, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertSafe(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) throw new Error(`audit: refused detail key "${path}.${k}" (secrets never go to the audit log)`);
      assertSafe(v, `${path}.${k}`);
    }
  }
}

function actorType(actor: Actor): string {
  return actor.kind;
}

/** Writes one audit row in the caller's transaction (or on the client outside one). */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await auditMany(tx, [entry]);
}

/** The row an entry becomes (details checked): for a writer outside Prisma (the extract import's SQL). */
export function auditRow(e: AuditEntry): Prisma.AuditLogCreateManyInput {
  if (e.details) assertSafe(e.details, 'details');
  return {
    actorType: actorType(e.actor),
    actorId: actorId(e.actor),
    action: e.action,
    guardianId: e.guardianId ?? null,
    schoolUai: e.schoolUai ?? null,
    outcome: e.outcome,
    ...(e.at ? { at: e.at } : {}),
    ...(e.details ? { details: e.details } : {}),
  };
}

/** Several rows in one statement (batches of 1,000 accounts). */
export async function auditMany(tx: Tx, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditLog.createMany({ data: entries.map(auditRow) });
}
