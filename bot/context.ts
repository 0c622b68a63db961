// The ServiceContext of a running process (server or CLI), built once from the configuration.
import type { AppConfig } from './config.js';
import type { ServiceContext, ServiceSettings } from '../services/context.js';
import type { PrismaClient } from '../services/db/index.js';
import type { Logger } from '../services/logger.js';
import { createMessageQueue } from '../services/delivery/queue.js';

/** The settings services receive, taken from the configuration. */
export function serviceSettings(config: AppConfig): ServiceSettings {
  return {
    publicUrl: config.publicUrl,
    secretKey: config.secretKey,
    selfService: config.selfService,
    mail: config.mail,
    sms: config.sms,
    helpdesk: config.helpdesk,
  };
}

/** `readDb`: the read replica's client (DATABASE_REPLICA_URL), when there is one. */
export function createServiceContext(config: AppConfig, db: PrismaClient, log: Logger, readDb?: PrismaClient): ServiceContext {
  const settings = serviceSettings(config);
  return { db, ...(readDb ? { readDb } : {}), log, now: () => new Date(), settings, messages: createMessageQueue(settings) };
}
