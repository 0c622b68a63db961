// What every service receives: the database, the logger, the clock and its settings.
// Built once at start (bot/main.ts) or in a test; services never read the environment.
import type { PrismaClient } from './db/index.js';
import type { Logger } from './logger.js';
import type { MessageQueue } from './delivery/types.js';
import type { HelpdeskHours } from './helpdesk/hours.js';

export interface ServiceSettings {
  /** Base of every link sent to users (never derived from request headers). */
  publicUrl: string;
  /** 32-byte key for temporary passwords and signed URLs. */
  secretKey: Buffer;
  selfService: {
    codeTtlMinutes: number;
    linkTtlHours: number;
    rateLimits: { perAccount: number; perContact: number; perSource: number; windowMinutes: number };
  };
  mail: { smtpUrl?: string; from: string };
  sms: { gatewayUrl?: string };
  /** The assistance platform's hours and the live handoff (HELPDESK_HOURS, HANDOFF_WAIT_MINUTES, AGENTS_TEAM_ID). */
  /** Absent: the platform's default hours, 10 minutes, no agents' team (see services/helpdesk/contact.ts helpdeskOf). */
  helpdesk?: { hours: HelpdeskHours; waitMinutes: number; agentsTeamId?: string };
}

export interface ServiceContext {
  db: PrismaClient;
  /**
   * The read replica (DATABASE_REPLICA_URL), read-only, for reads a moment's lag cannot make
   * wrong; only through services/read-replica.ts replicaRead. Absent: everything on `db`.
   */
  readDb?: PrismaClient;
  log: Logger;
  now(): Date;
  settings: ServiceSettings;
  /** The durable outbox (emails, SMS), used inside the caller's transaction. */
  messages: MessageQueue;
}
