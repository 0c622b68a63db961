// `npm run import -- extract <file.csv>` and `npm run import -- staff <file.csv>`: loads a
// register extract or the staff directory (shared/formats/) into the database, prints the
// counts and every rejected row. Exit codes: 0 done (rejected rows are listed, the others
// applied), 1 the file cannot be used (nothing was changed) or the database failed, 2 usage.
import { loadConfig, ConfigError } from '../config.js';
import { createServiceContext } from '../context.js';
import { createLogger } from '../../services/logger.js';
import { openDatabase } from '../../services/db/index.js';
import type { ServiceContext } from '../../services/context.js';
import { importExtract, ImportFileError, type RowRejection } from '../../services/import/extract.js';
import { importStaff } from '../../services/import/staff.js';

const USAGE = `Usage :
  npm run import -- extract <fichier.csv>   extraction des registres (formats/extract.md)
  npm run import -- staff <fichier.csv>     annuaire des personnels (formats/staff.md)`;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function printRejection(r: RowRejection): void {
  out(`  ligne ${r.line} : ${r.reason}`);
}

async function main(argv: string[]): Promise<number> {
  const [kind, file, ...rest] = argv;
  if ((kind !== 'extract' && kind !== 'staff') || !file || rest.length) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  // The CLI prints its own summary: the log only says what goes wrong unless LOG_LEVEL asks for more.
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log });
  const ctx: ServiceContext = createServiceContext(config, database.prisma, log);
  try {
    if (kind === 'extract') {
      let header = false;
      const report = await importExtract(ctx, file, {
        onRejection: (r) => {
          if (!header) out('Lignes rejetées (non appliquées) :');
          header = true;
          printRejection(r);
        },
        onProgress: (p) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${p.rowsRead}/${p.rowsTotal} lignes…`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const schools = report.schools.length > 10 ? `${report.schools.length} établissements` : report.schools.join(', ') || 'aucun établissement';
      out(`Extraction importée : ${report.rows} ligne(s), ${schools}`);
      out(`  créées : ${report.created}`);
      out(`  mises à jour : ${report.updated}`);
      out(`  inchangées : ${report.unchanged}`);
      out(`  liens supprimés : ${report.removed}`);
      out(`  rejetées : ${report.rejected}`);
      out(`  dates de naissance modifiées : ${report.changedBirthDates.length}, portables modifiés : ${report.changedMobiles.length}`);
      out(`  demandes résolues par cette mise à jour : ${report.casesResolved}`);
    } else {
      const report = await importStaff(ctx, file);
      if (report.rejections.length) out('Lignes rejetées (non appliquées) :');
      report.rejections.forEach(printRejection);
      out(`Annuaire importé : ${report.rows} ligne(s)`);
      out(`  créées : ${report.created}`);
      out(`  mises à jour : ${report.updated}`);
      out(`  inchangées : ${report.unchanged}`);
      out(`  supprimées (absentes du fichier) : ${report.removed}`);
      out(`  rejetées : ${report.rejected}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ImportFileError) {
      process.stderr.write(`Fichier refusé, rien n'a été modifié : ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      err instanceof ConfigError ? `${err.message}\n` : `L'import a échoué : ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
