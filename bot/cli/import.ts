// `npm run import -- extract <file.csv> [--force] [--json]` and `npm run import -- staff <file.csv> [--json]`:
// loads a register extract or the staff directory (shared/formats/) into the database and says
// what was applied: counts, held-back schools with their figures, every rejected row and every
// warning (with `--json`: one JSON object on stdout instead).
// Exit codes, so that a scheduler notices:
//   0 everything applied (warnings possible)
//   1 the file cannot be used (nothing was changed), or the database failed
//   2 usage
//   3 some rows were rejected (the others applied)
//   4 at least one school was held back (cut file, or too much removed; see --force)
import { loadConfig, ConfigError } from '../config.js';
import { createServiceContext } from '../context.js';
import { createLogger } from '../../services/logger.js';
import { openDatabase } from '../../services/db/index.js';
import type { ServiceContext } from '../../services/context.js';
import { describeRemoval, importExtract, ImportFileError, type ExtractReport, type HeldSchool, type RowRejection } from '../../services/import/extract.js';
import { importStaff, type StaffReport } from '../../services/import/staff.js';

const USAGE = `Usage :
  npm run import -- extract <fichier.csv> [--force] [--json]   extraction des registres (formats/extract.md)
  npm run import -- staff <fichier.csv> [--json]               annuaire des personnels (formats/staff.md)
  --force  applique aussi les établissements retenus (fichier coupé, trop de suppressions)
  --json   écrit le compte rendu en JSON sur la sortie standard`;

const EXIT = { done: 0, failed: 1, usage: 2, rowsRejected: 3, schoolsHeld: 4 } as const;

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

interface Args {
  kind: 'extract' | 'staff';
  file: string;
  force: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args | null {
  const flags = argv.filter((a) => a.startsWith('--'));
  const [kind, file, ...rest] = argv.filter((a) => !a.startsWith('--'));
  if ((kind !== 'extract' && kind !== 'staff') || !file || rest.length) return null;
  if (flags.some((f) => f !== '--force' && f !== '--json') || (kind === 'staff' && flags.includes('--force'))) return null;
  return { kind, file, force: flags.includes('--force'), json: flags.includes('--json') };
}

function exitCode(report: { rejected: number; held?: HeldSchool[] }): number {
  if (report.held?.length) return EXIT.schoolsHeld;
  return report.rejected ? EXIT.rowsRejected : EXIT.done;
}

function heldText(h: HeldSchool, maxPercent: number): string {
  if (h.reason === 'truncated') return `  ${h.uai} : non appliqué (fichier coupé)`;
  return `  ${h.uai} : non appliqué, le fichier retirerait ${describeRemoval(h.linksRemoved, h.links, 'liens')} et ${describeRemoval(h.pupilsRemoved, h.pupils, 'élèves')} (seuil : ${maxPercent} %)`;
}

function printExtract(report: ExtractReport, maxPercent: number): void {
  const schools = report.schools.length > 10 ? `${report.schools.length} établissements` : report.schools.join(', ') || 'aucun établissement';
  out(`Extraction importée : ${report.rows} ligne(s), appliquée pour ${schools}${report.forced ? ' (--force)' : ''}`);
  if (report.truncated && !report.forced) {
    out("Fichier coupé : sa dernière ligne n'a pas de fin de ligne (transfert interrompu ?). Aucun établissement n'a été appliqué.");
  }
  if (report.held.length) {
    out(`Établissements retenus (rien appliqué ni supprimé, ${report.heldRows} ligne(s)) :`);
    report.held.forEach((h) => out(heldText(h, maxPercent)));
    out('  Vérifiez le fichier, puis relancez avec --force pour les appliquer.');
  }
  out(`  créées : ${report.created}`);
  out(`  mises à jour : ${report.updated}`);
  out(`  inchangées : ${report.unchanged}`);
  out(`  liens supprimés : ${report.removed}`);
  out(`  rejetées : ${report.rejected}`);
  out(`  avertissements : ${report.warned} (doublons : ${report.duplicates}, liens refusés par le responsable non recréés : ${report.refusedLinks})`);
  out(`  dates de naissance modifiées : ${report.changedBirthDates.length}, portables modifiés : ${report.changedMobiles.length}`);
  out(`  demandes résolues par cette mise à jour : ${report.casesResolved}`);
}

function printStaff(report: StaffReport): void {
  report.rejections.forEach((r) => out(`ligne ${r.line} rejetée : ${r.reason}`));
  out(`Annuaire importé : ${report.rows} ligne(s)`);
  out(`  créées : ${report.created}`);
  out(`  mises à jour : ${report.updated}`);
  out(`  inchangées : ${report.unchanged}`);
  out(`  supprimées (absentes du fichier) : ${report.removed}`);
  out(`  rejetées : ${report.rejected}`);
}

async function run(ctx: ServiceContext, args: Args, maxRemovalPercent: number): Promise<number> {
  if (args.kind === 'staff') {
    const report = await importStaff(ctx, args.file);
    const code = exitCode(report);
    if (args.json) out(JSON.stringify({ kind: 'staff', exitCode: code, ...report }));
    else printStaff(report);
    return code;
  }
  const live = (what: string) => (r: RowRejection) => {
    if (!args.json) out(`ligne ${r.line} ${what} : ${r.reason}`);
  };
  const report = await importExtract(ctx, args.file, {
    force: args.force,
    maxRemovalPercent,
    onRejection: live('rejetée'),
    onWarning: live('avertissement'),
    onProgress: (p) => {
      if (process.stderr.isTTY && p.phase === 'reading') process.stderr.write(`\r${p.rowsRead} lignes lues…`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const code = exitCode(report);
  if (args.json) out(JSON.stringify({ kind: 'extract', exitCode: code, maxRemovalPercent, ...report }));
  else printExtract(report, maxRemovalPercent);
  return code;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT.usage;
  }
  const config = loadConfig();
  // The CLI prints its own summary: the log only says what goes wrong unless LOG_LEVEL asks for more.
  const log = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log, timeouts: config.databaseTimeouts });
  const ctx: ServiceContext = createServiceContext(config, database.prisma, log);
  try {
    return await run(ctx, args, config.importMaxRemovalPercent);
  } catch (err) {
    if (err instanceof ImportFileError) {
      process.stderr.write(`Fichier refusé, rien n'a été modifié : ${err.message}\n`);
      return EXIT.failed;
    }
    throw err;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `L'import a échoué : ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.failed);
  },
);
