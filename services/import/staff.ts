// The staff directory (shared/formats/staff.md). Re-importing replaces the directory in one
// transaction: a person absent from the file loses access. A bad row is reported with its line
// and skipped; the person it names (when its aad_object_id is readable) keeps their current
// entry, so that a typo never locks a director out. A file that cannot be read, or that has no
// valid row at all, changes nothing.
import type { Readable } from 'node:stream';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { normalizeEmail } from '../accounts/contact.js';
import type { ServiceContext } from '../context.js';
import type { StaffRole } from '../db/index.js';
import { normalizeUai } from '../text.js';
import { checkCsvFile, ImportFileError, readCsvRows, valuesByName, withFile } from './csv.js';
import { reportCounts, type ImportReport } from './report.js';

export const STAFF_REQUIRED_COLUMNS = ['aad_object_id', 'upn', 'display_name', 'role', 'uai_list'] as const;

const ROLES: Record<string, StaffRole> = { director: 'DIRECTOR', agent: 'AGENT', admin: 'ADMIN' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `removed`: people no longer in the directory. */
export type StaffReport = ImportReport;

export interface StaffOptions {
  /** Who runs the import (audit). Default: the system job "import". */
  actor?: Actor;
}

interface StaffRow {
  aadObjectId: string;
  upn: string;
  displayName: string;
  role: StaffRole;
  uais: string[];
}

type Validation = { ok: true; row: StaffRow } | { ok: false; reason: string; aadObjectId?: string };

function validate(values: Record<string, string>): Validation {
  const id = (values.aad_object_id ?? '').toLowerCase();
  const fail = (reason: string): Validation => ({ ok: false, reason, ...(GUID.test(id) ? { aadObjectId: id } : {}) });
  if (!GUID.test(id)) return fail(`aad_object_id « ${values.aad_object_id ?? ''} » invalide (identifiant Entra ID attendu, forme 8-4-4-4-12)`);
  const upn = normalizeEmail(values.upn ?? '');
  if (!upn) return fail(`upn « ${values.upn ?? ''} » invalide (nom de connexion de forme adresse e-mail)`);
  const displayName = values.display_name ?? '';
  if (!displayName) return fail('display_name manquant');
  const role = ROLES[(values.role ?? '').toLowerCase()];
  if (!role) return fail(`rôle « ${values.role ?? ''} » invalide (director, agent ou admin)`);
  let uais: string[] = [];
  if (role === 'DIRECTOR') {
    const parts = (values.uai_list ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = parts.filter((p) => !normalizeUai(p));
    if (bad.length) return fail(`UAI invalide(s) dans uai_list : ${bad.join(', ')}`);
    uais = [...new Set(parts.map((p) => normalizeUai(p) as string))];
    if (!uais.length) return fail('un directeur doit avoir au moins un UAI dans uai_list');
  }
  return { ok: true, row: { aadObjectId: id, upn, displayName, role, uais } };
}

const sameUais = (a: string[], b: string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Replaces the staff directory with a file (a path or a stream). Throws ImportFileError, changing nothing, when the file cannot be used. */
export async function importStaff(ctx: ServiceContext, source: string | Readable, options: StaffOptions = {}): Promise<StaffReport> {
  return withFile(source, async (file) => {
    const check = await checkCsvFile(file, STAFF_REQUIRED_COLUMNS);
    const report: StaffReport = { rows: 0, created: 0, updated: 0, unchanged: 0, removed: 0, rejected: 0, rejections: [] };
    const people = new Map<string, { row: StaffRow; line: number }>();
    const spared = new Set<string>();
    const reject = (line: number, reason: string): void => {
      report.rejected++;
      report.rejections.push({ line, reason });
    };
    for await (const csv of readCsvRows(file)) {
      report.rows++;
      if (!csv.fields) {
        reject(csv.line, `${csv.fieldCount} champ(s) au lieu de ${check.header.length} (vérifiez les « ; »)`);
        continue;
      }
      const v = validate(valuesByName(check.header, csv.fields));
      if (!v.ok) {
        reject(csv.line, v.reason);
        if (v.aadObjectId) spared.add(v.aadObjectId);
        continue;
      }
      const first = people.get(v.row.aadObjectId);
      if (first) {
        reject(csv.line, `aad_object_id ${v.row.aadObjectId} déjà présent ligne ${first.line}`);
        continue;
      }
      people.set(v.row.aadObjectId, { row: v.row, line: csv.line });
    }
    if (people.size === 0) {
      throw new ImportFileError(
        report.rows === 0
          ? "Le fichier ne contient aucune personne : l'annuaire n'a pas été modifié."
          : `Aucune ligne valide (${report.rejected} rejetée(s), ex. ligne ${report.rejections[0]?.line} : ${report.rejections[0]?.reason}) : l'annuaire n'a pas été modifié.`,
      );
    }
    const actor: Actor = options.actor ?? { kind: 'system', job: 'import' };
    await ctx.db.$transaction(
      async (tx) => {
        const keep = [...people.keys(), ...spared];
        const removed = await tx.staff.deleteMany({ where: { aadObjectId: { notIn: keep } } });
        report.removed = removed.count;
        const existing = new Map((await tx.staff.findMany({ where: { aadObjectId: { in: [...people.keys()] } } })).map((s) => [s.aadObjectId, s]));
        for (const { row } of people.values()) {
          const e = existing.get(row.aadObjectId);
          if (!e) {
            await tx.staff.create({ data: row });
            report.created++;
          } else if (e.upn !== row.upn || e.displayName !== row.displayName || e.role !== row.role || !sameUais(e.uais, row.uais)) {
            await tx.staff.update({ where: { aadObjectId: row.aadObjectId }, data: row });
            report.updated++;
          } else {
            report.unchanged++;
          }
        }
        await audit(tx, {
          actor,
          action: 'import.staff',
          outcome: report.rejected ? 'partial' : 'success',
          at: ctx.now(),
          details: reportCounts(report),
        });
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
    ctx.log.info({ ...report, rejections: undefined }, 'staff directory imported');
    return report;
  });
}
