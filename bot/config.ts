// Configuration: read once from the environment, validated, typed. Fails fast with a clear message.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseTimeouts } from '../services/db/index.js';
import { DEFAULT_HELPDESK_HOURS, HoursSyntaxError, parseHelpdeskHours, type HelpdeskHours } from '../services/helpdesk/hours.js';
import type { ChatLimits } from './directline/limits.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  /** Connections of this instance to the database; default 10 on PostgreSQL, 4 on the embedded one. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  /** A read replica (streaming standby) of DATABASE_URL for the statistics' reads (services/read-replica.ts). */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /** Connections of this instance to the replica; default a quarter of the primary's pool, at least 2. */
  DATABASE_REPLICA_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MicrosoftAppId: z.string().optional(),
  MicrosoftAppPassword: z.string().optional(),
  MicrosoftAppTenantId: z.string().optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  /** Where the Bot Connector's signing keys are announced (default: Azure public cloud; other clouds, tests). */
  BOT_OPENID_METADATA_URL: z.url().optional(),
  /** 32-byte key (hex or base64) encrypting temporary passwords; generated into DATA_DIR in dev. */
  SECRET_KEY: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('ne-pas-repondre@educonnect.example'),
  SMS_GATEWAY_URL: z.url().optional(),
  CODE_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  LINK_TTL_HOURS: z.coerce.number().int().min(1).max(24).default(24),
  RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_PER_CONTACT: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_PER_SOURCE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(60),
  /** Default: on outside production (the demo set carries a documented password). */
  LOAD_DEMO_DATA: bool.optional(),
  STATS_NIGHTLY_HOUR: z.coerce.number().int().min(0).max(23).default(2),
  IMPORT_MAX_REMOVAL_PERCENT: z.coerce.number().min(0).max(100).default(10),
  WORKERS: bool.default(true),
  /** Keys of the Entra ID tokens the Teams tab receives (SSO). */
  ENTRA_JWKS_URL: z.url().default('https://login.microsoftonline.com/common/discovery/v2.0/keys'),
  /** When people of the assistance platform answer (syntax: services/helpdesk/hours.ts, README). */
  HELPDESK_HOURS: z.string().default(DEFAULT_HELPDESK_HOURS),
  /** Minutes a parent waits for an agent before being offered a written request. */
  HANDOFF_WAIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  /** The help-desk agents' team: its General channel id (19:…@thread.tacv2). */
  AGENTS_TEAM_ID: z
    .string()
    .regex(/^19:\S+$/, 'must be a Teams channel id such as 19:…@thread.tacv2')
    .optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(60000),
  CHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).default(60),
  CHAT_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  CHAT_STREAM_OPENINGS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  CHAT_REQUESTS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(1).default(600),
  /** Node processes of this instance serving one port (node:cluster, bot/processes.ts); more than 1 needs DATABASE_URL. */
  BOT_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  production: boolean;
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  /** Connection pool size (DATABASE_POOL_SIZE). */
  databasePoolSize: number;
  /** The read replica for statistics (DATABASE_REPLICA_URL, DATABASE_REPLICA_POOL_SIZE); absent: all on the primary. */
  databaseReplica: { url: string; poolSize: number } | undefined;
  dataDir: string;
  logLevel: string;
  bot: { appId?: string; appPassword?: string; tenantId?: string; appType?: string; openIdMetadataUrl?: string };
  secretKey: Buffer;
  mail: { smtpUrl?: string; from: string };
  sms: { gatewayUrl?: string };
  selfService: {
    codeTtlMinutes: number;
    linkTtlHours: number;
    rateLimits: { perAccount: number; perContact: number; perSource: number; windowMinutes: number };
  };
  loadDemoData: boolean;
  statsNightlyHour: number;
  /** The extract import holds back a school it would shrink by more than this (links or pupils). */
  importMaxRemovalPercent: number;
  workers: boolean;
  /** Processes serving the port (BOT_PROCESSES); the background workers run in the first one. */
  processes: number;
  /** Teams tab SSO: where the signing keys are, the tenant whose tokens are accepted, the audience. */
  tab: { jwksUrl: string; tenantId?: string; audience?: string };
  helpdesk: HelpdeskSettings;
  /** Connection, statement and idle-in-transaction timeouts of every connection (services/db). */
  databaseTimeouts: DatabaseTimeouts;
  /** Web chat flood limits (see bot/directline/limits.ts). */
  chat: ChatLimits;
}

export interface HelpdeskSettings {
  hours: HelpdeskHours;
  waitMinutes: number;
  /** Without it, parents are given the phone and the form (no live handoff). */
  agentsTeamId?: string;
}

export class ConfigError extends Error {}

function parseKey(raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('SECRET_KEY must be 32 bytes, in hex (64 characters) or base64');
  return key;
}

/** In development, a key is generated once into the data directory so that restarts keep it. */
function devKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  return key;
}

/** `api://<PUBLIC_URL host>/<MicrosoftAppId>`: the Application ID URI of the tab's SSO. */
function tabAudience(publicUrl: string, appId: string | undefined): string | undefined {
  return appId ? `api://${new URL(publicUrl).host}/${appId}` : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    if (!e.MicrosoftAppId || !e.MicrosoftAppPassword) {
      throw new ConfigError('In production, MicrosoftAppId and MicrosoftAppPassword are required.');
    }
    if (!e.SECRET_KEY) throw new ConfigError('In production, SECRET_KEY is required.');
    if (!e.PUBLIC_URL) throw new ConfigError('In production, PUBLIC_URL is required.');
  }
  let hours: HelpdeskHours;
  try {
    hours = parseHelpdeskHours(e.HELPDESK_HOURS);
  } catch (err) {
    if (!(err instanceof HoursSyntaxError)) throw err;
    throw new ConfigError(`Invalid configuration:\n  HELPDESK_HOURS: ${err.message}. Example: "${DEFAULT_HELPDESK_HOURS}", or "always".`);
  }
  if (e.DATABASE_REPLICA_URL && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URL: needs DATABASE_URL (the embedded database has no replica).');
  }
  if (e.BOT_PROCESSES > 1 && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  BOT_PROCESSES: more than 1 needs DATABASE_URL (the embedded database is served by one process).');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const databasePoolSize = e.DATABASE_POOL_SIZE ?? (e.DATABASE_URL ? 10 : 4);
  return {
    env: e.NODE_ENV,
    production,
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    // A real server serves every turn's state read/write and lookups in parallel; PGlite runs
    // one transaction at a time whatever the pool, so a small pool only queues less.
    databasePoolSize,
    // Only the statistics' sums and history read there: a small share of the primary's pool.
    databaseReplica: e.DATABASE_REPLICA_URL
      ? { url: e.DATABASE_REPLICA_URL, poolSize: e.DATABASE_REPLICA_POOL_SIZE ?? Math.max(2, Math.ceil(databasePoolSize / 4)) }
      : undefined,
    dataDir,
    logLevel: e.LOG_LEVEL,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      tenantId: e.MicrosoftAppTenantId,
      appType: e.MicrosoftAppType,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    },
    secretKey: e.SECRET_KEY ? parseKey(e.SECRET_KEY) : devKey(dataDir),
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    sms: { gatewayUrl: e.SMS_GATEWAY_URL },
    selfService: {
      codeTtlMinutes: e.CODE_TTL_MINUTES,
      linkTtlHours: e.LINK_TTL_HOURS,
      rateLimits: {
        perAccount: e.RATE_LIMIT_PER_ACCOUNT,
        perContact: e.RATE_LIMIT_PER_CONTACT,
        perSource: e.RATE_LIMIT_PER_SOURCE,
        windowMinutes: e.RATE_LIMIT_WINDOW_MINUTES,
      },
    },
    loadDemoData: e.LOAD_DEMO_DATA ?? !production,
    statsNightlyHour: e.STATS_NIGHTLY_HOUR,
    importMaxRemovalPercent: e.IMPORT_MAX_REMOVAL_PERCENT,
    workers: e.WORKERS,
    processes: e.BOT_PROCESSES,
    tab: { jwksUrl: e.ENTRA_JWKS_URL, tenantId: e.MicrosoftAppTenantId, audience: tabAudience(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`, e.MicrosoftAppId) },
    helpdesk: { hours, waitMinutes: e.HANDOFF_WAIT_MINUTES, agentsTeamId: e.AGENTS_TEAM_ID },
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
      idleInTransactionMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    chat: {
      messagesPerMinute: e.CHAT_MESSAGES_PER_MINUTE,
      messagesPerMinutePerAddress: e.CHAT_MESSAGES_PER_MINUTE_PER_ADDRESS,
      socketsPerAddress: e.CHAT_SOCKETS_PER_ADDRESS,
      streamOpeningsPerMinutePerAddress: e.CHAT_STREAM_OPENINGS_PER_MINUTE_PER_ADDRESS,
      requestsPerMinutePerAddress: e.CHAT_REQUESTS_PER_MINUTE_PER_ADDRESS,
    },
  };
}
