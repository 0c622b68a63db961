// `npm run db:migrate`: opens the database (DATABASE_URL, else the embedded one under DATA_DIR),
// which applies the pending migrations, and prints what was applied. Exit 1 on failure.
import { loadConfig } from '../config.js';
import { createLogger } from '../../services/logger.js';
import { openDatabase } from '../../services/db/index.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, timeouts: config.databaseTimeouts });
  try {
    const { applied, alreadyApplied } = database.migrations;
    const where = database.embedded ? `base embarquée (${config.dataDir})` : 'DATABASE_URL';
    if (applied.length) {
      process.stdout.write(`Migrations appliquées sur ${where} :\n${applied.map((m) => `  ${m}\n`).join('')}`);
    } else {
      process.stdout.write(`Base à jour (${where}) : aucune migration à appliquer.\n`);
    }
    process.stdout.write(`Déjà appliquées auparavant : ${alreadyApplied.length}.\n`);
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`Échec des migrations : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
