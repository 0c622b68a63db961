// `npm run accounts -- <command>`: account operations reserved to staff, run from a shell.
//   require-password-change --as <admin aad id> (--national | --academy <name> | --school <UAI>)
//       April 2024 notice: every account of the scope must choose a new password at its next
//       login (administrators only, checked by the service).
//   remind-activation --as <staff aad id> --school <UAI> [--days 60] [--channel email|sheet]
//       §1.3.3: remind the accounts notified more than N days ago and still not activated
//       (sheets: a PDF file is written to --out, default ./Educonnect-Relances-<UAI>.pdf).
// The actor is the staff member of the directory named by --as; every change is audited.
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createServiceContext } from '../context.js';
import { createLogger } from '../../services/logger.js';
import { openDatabase } from '../../services/db/index.js';
import { findStaffActor } from '../../services/staff.js';
import { describeScope, requirePasswordChange, type ResetScope } from '../../services/accounts/mass-reset.js';
import { DEFAULT_REMINDER_DAYS, sendActivationReminders } from '../../services/accounts/reminders.js';
import { renderSheetsPdf } from '../../services/delivery/pdf.js';
import { ServiceError } from '../../services/errors.js';

const USAGE = `Usage :
  npm run accounts -- require-password-change --as <aad_object_id> (--national | --academy <nom> | --school <UAI>)
  npm run accounts -- remind-activation --as <aad_object_id> --school <UAI> [--days ${DEFAULT_REMINDER_DAYS}] [--channel email|sheet] [--out fichier.pdf]`;

class UsageError extends Error {}

function scopeOf(v: { national?: boolean; academy?: string; school?: string }): ResetScope {
  const given = [v.national ? 1 : 0, v.academy ? 1 : 0, v.school ? 1 : 0].reduce((a, b) => a + b, 0);
  if (given !== 1) throw new UsageError(`Indiquez exactement une portée : --national, --academy ou --school.\n${USAGE}`);
  if (v.academy) return { kind: 'academy', academy: v.academy };
  if (v.school) return { kind: 'school', uai: v.school };
  return { kind: 'national' };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      as: { type: 'string' },
      national: { type: 'boolean' },
      academy: { type: 'string' },
      school: { type: 'string' },
      days: { type: 'string' },
      channel: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  if (command !== 'require-password-change' && command !== 'remind-activation') throw new UsageError(`Commande inconnue « ${command} ».\n${USAGE}`);
  if (!values.as) throw new UsageError(`--as <aad_object_id> est obligatoire : l'action est faite et journalisée à ce nom.\n${USAGE}`);
  const days = values.days === undefined ? DEFAULT_REMINDER_DAYS : Number(values.days);
  const channel = values.channel ?? 'email';
  if (command === 'remind-activation') {
    if (!values.school) throw new UsageError(`--school <UAI> est obligatoire.\n${USAGE}`);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new UsageError('--days attend un nombre entier de jours entre 1 et 365.');
    if (channel !== 'email' && channel !== 'sheet') throw new UsageError('--channel attend « email » ou « sheet ».');
  }
  const scope = command === 'require-password-change' ? scopeOf(values) : null;

  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, timeouts: config.databaseTimeouts });
  const ctx = createServiceContext(config, database.prisma, log);
  try {
    const actor = await findStaffActor(ctx, values.as);
    if (!actor) throw new UsageError(`Aucun membre du personnel « ${values.as} » dans l'annuaire.`);
    if (scope) {
      const r = await requirePasswordChange(ctx, actor, scope);
      process.stdout.write(
        `Changement de mot de passe exigé pour ${describeScope(r.scope)} : ${r.accounts} compte(s) avec un mot de passe personnel. Les comptes au mot de passe provisoire le changeront à la première connexion.\n`,
      );
      return 0;
    }
    const r = await sendActivationReminders(ctx, actor, values.school ?? '', { olderThanDays: days, channel: channel === 'sheet' ? 'sheet' : 'email' });
    if (r.letters.length) {
      const out = values.out ?? `Educonnect-Relances-${(values.school ?? '').toUpperCase()}.pdf`;
      const file = createWriteStream(out);
      await renderSheetsPdf(r.letters, file);
      process.stdout.write(`Fiches écrites dans ${out}.\n`);
    }
    process.stdout.write(`${r.messages.join('\n')}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof ServiceError ? err.userMessage : err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
