// The contract between the account service (what to say, to whom) and delivery (how:
// PDF sheets, emails, SMS). The account service never renders or sends anything itself.
import type { Tx } from '../db/index.js';
import type { LetterLinks } from '../public-paths.js';
import type { NoticeKind, ToldState } from '../case-wording.js';

export type LetterCode = 'C01' | 'C02' | 'C03' | 'C04' | 'C05' | 'C06' | 'C07';

export interface LetterChild {
  lastName: string;
  firstName: string;
  uai: string;
  schoolName: string;
  className: string;
  level: string;
}

/** One notification letter (DOMAIN.md, C01–C07), as data. */
export interface Letter {
  code: LetterCode;
  guardianId: number;
  guardian: { lastName: string; firstName: string; identifier: string; email: string | null };
  /** The school that issues the letter (the director's school). */
  school: { uai: string; name: string };
  children: LetterChild[];
  /** The temporary password in clear (C01, C02, C05, C06), or null: "mot de passe inchangé". */
  temporaryPassword: string | null;
  distributedAt: Date;
  /** Links to this service's pages under PUBLIC_URL (services/public-paths.ts letterLinks). */
  links: LetterLinks;
}

/** Every message a guardian can receive by email or SMS. Rendering is delivery's job. */
export type OutgoingMessage =
  // Letters by email: C02, C04, C06.
  | { template: 'letter'; to: string; letter: Letter }
  // C07: activation mail with its link.
  | { template: 'activation'; to: string; firstName: string; lastName: string; identifier: string; url: string; ttlHours: number }
  | { template: 'password_reset_link'; to: string; firstName: string; url: string; ttlHours: number }
  | { template: 'identifier_reminder'; to: string; firstName: string; identifier: string }
  /** Sent to the old address when the email changes. */
  | { template: 'email_change_notice'; to: string; firstName: string; newEmailMasked: string }
  /** Sent to the new address, with the confirmation link. */
  | { template: 'email_change_confirm'; to: string; firstName: string; url: string; ttlHours: number }
  /** A notice without secrets after a password reset, identifier recovery, regrouping… */
  | { template: 'security_notice'; to: string; firstName: string; event: 'password_changed' | 'identifier_sent' | 'accounts_merged' | 'account_activated' }
  /** A case moved (resolved by the import or staff, waiting for the register, closed): what happened, what to do now. */
  | {
      template: 'case_update';
      to: string;
      firstName: string | null;
      caseReference: string;
      kind: NoticeKind;
      state: ToldState;
      schoolName: string;
      note: string | null;
    }
  // SMS: no link, no personal data beyond the first name.
  | { template: 'sms_code'; to: string; code: string; ttlMinutes: number; purpose: 'password' | 'registration' | 'identifier' | 'mobile' }
  | { template: 'sms_identifier'; to: string; identifier: string }
  | { template: 'sms_notice'; to: string; event: 'password_changed' | 'identifier_sent' }
  | { template: 'sms_case_update'; to: string; caseReference: string; kind: NoticeKind; state: ToldState }
  /** The school's message about a case, links removed, cut to one SMS (case-wording.ts caseNoteSms). */
  | { template: 'sms_case_note'; to: string; text: string };

export interface EnqueueOptions {
  guardianId?: number;
  batchId?: string;
}

/** Durable outbox: a message is committed in the caller's transaction, sent later by a worker. */
export interface MessageQueue {
  enqueue(tx: Tx, message: OutgoingMessage, options?: EnqueueOptions): Promise<string>;
  /** Many messages in one statement (mass notification): same as enqueue for each, in order. */
  enqueueMany(tx: Tx, entries: readonly { message: OutgoingMessage; options?: EnqueueOptions }[]): Promise<string[]>;
}

/**
 * One line of an account list (DOMAIN.md "List accounts", seed 001 §5.4): one pupil–guardian
 * pair. `AccountListRow` of services/accounts/list.ts fits it.
 */
export interface ListRow {
  uai: string;
  schoolName: string;
  pupilLastName: string;
  pupilFirstName: string;
  /** French label ("Moyenne section"). */
  level: string;
  className: string;
  guardianLastName: string;
  guardianFirstName: string;
  identifier: string;
  /** Temporary password in clear; "*****" once changed; "" when none was distributed. */
  password: string;
}

/** An account list to render (`AccountList` of services/accounts/list.ts fits it). */
export interface ListDocument {
  /** `Educonnect-ListeResponsables-<YYYYMMDDHHMMSS>`, without extension. */
  fileName: string;
  createdAt: Date;
  school: { uai: string; name: string };
  rows: readonly ListRow[];
}
