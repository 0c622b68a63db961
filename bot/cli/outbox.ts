// `npm run outbox`: the messages waiting, failed or sent (recipients masked, never a body).
//   npm run outbox                         last 50 messages, all states
//   npm run outbox -- --status failed      only one state (pending, sending, sent, failed)
//   npm run outbox -- --limit 200
//   npm run outbox -- --retry <id>         put a failed message back in line
//   npm run outbox -- --send               run the worker once now (needs SMTP_URL / SMS_GATEWAY_URL)
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createServiceContext } from '../context.js';
import { createLogger } from '../../services/logger.js';
import { openDatabase } from '../../services/db/index.js';
import { listOutbox, retryMessage, runOutboxOnce } from '../../services/delivery/outbox.js';
import type { ServiceContext } from '../../services/context.js';

const STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
type Status = (typeof STATUSES)[number];

const USAGE = 'Usage : npm run outbox -- [--status pending|sending|sent|failed] [--limit N] [--retry <id>] [--send]';

function parseStatus(value: string | undefined): Status | undefined {
  if (value === undefined) return undefined;
  const s = value.toUpperCase();
  const found = STATUSES.find((x) => x === s);
  if (!found) throw new Error(`État inconnu « ${value} ». ${USAGE}`);
  return found;
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const time = (d: Date | null): string => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '-');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      retry: { type: 'string' },
      send: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const status = parseStatus(values.status);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new Error(`--limit attend un nombre entre 1 et 10000. ${USAGE}`);

  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, timeouts: config.databaseTimeouts });
  const ctx: ServiceContext = createServiceContext(config, database.prisma, log);
  try {
    if (values.retry) {
      const ok = await retryMessage(ctx, values.retry);
      if (!ok) throw new Error(`Aucun message en échec avec l'identifiant ${values.retry}.`);
      process.stdout.write(`Message ${values.retry} remis en file d'attente.\n`);
      return;
    }
    if (values.send) {
      const r = await runOutboxOnce(ctx);
      process.stdout.write(`Envoi : ${r.claimed} pris, ${r.sent} envoyés, ${r.retried} à réessayer, ${r.failed} en échec.\n`);
      if (!ctx.settings.mail.smtpUrl) process.stdout.write('SMTP_URL non défini : les e-mails restent dans la file.\n');
      if (!ctx.settings.sms.gatewayUrl) process.stdout.write('SMS_GATEWAY_URL non défini : les SMS restent dans la file.\n');
    }
    const rows = await listOutbox(ctx, { status, limit });
    if (rows.length === 0) {
      process.stdout.write('Aucun message.\n');
      return;
    }
    process.stdout.write(
      `${pad('id', 36)}  ${pad('état', 7)}  ${pad('canal', 5)}  ${pad('modèle', 20)}  ${pad('destinataire', 28)}  essais  ${pad('créé (UTC)', 19)}  ${pad('envoyé / prochain essai', 23)}  erreur\n`,
    );
    for (const r of rows) {
      const when = r.status === 'SENT' ? time(r.sentAt) : r.status === 'PENDING' ? time(r.nextAttemptAt) : '-';
      process.stdout.write(
        `${r.id}  ${pad(r.status, 7)}  ${pad(r.channel, 5)}  ${pad(r.template, 20)}  ${pad(r.recipient, 28)}  ${pad(String(r.attempts), 6)}  ${time(r.createdAt)}  ${pad(when, 23)}  ${r.lastError ?? ''}\n`,
      );
    }
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
