// Files produced again once their short-lived link has expired: the sheets of a notification
// batch and the account lists of a school, from the last 30 days (the audit rows say which
// accounts and which class). Nothing is notified again: the sheets say what is true now (the
// current temporary password, or "mot de passe inchangé" once the guardian chose theirs).
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { ServiceContext } from '../context.js';
import type { Letter } from '../delivery/types.js';
import { createListFile, createSheetsFile, type DeliveredFile } from '../delivery/files.js';
import { notFound } from '../errors.js';
import { buildLetter, letterCarriesPassword, letterCode } from '../letters.js';
import { decryptSecret } from '../passwords.js';
import { letterLinks } from '../public-paths.js';
import { childrenOf, hasTemporaryPassword, loadAccounts } from './load.js';
import { listAccounts } from './list.js';
import { guardianInSchool, requireSchool } from './scope.js';
import { RECENT_BATCH_DAYS } from './batches.js';

/** Most files listed (newest first). */
export const MAX_RECENT_FILES = 10;

export interface RecentFile {
  kind: 'sheets' | 'list';
  /** Sheets: the notification batch id; list: the audit row id. */
  ref: string;
  at: Date;
  /** Sheets: accounts notified; list: lines of the list. */
  count: number;
  /** List of one class: its name. */
  className: string | null;
}

const since = (ctx: ServiceContext): Date => new Date(ctx.now().getTime() - RECENT_BATCH_DAYS * 24 * 3600 * 1000);

/** The sheets and lists produced for `uai` in the last 30 days, newest first. */
export async function listRecentFiles(ctx: ServiceContext, actor: Actor, uai: string): Promise<RecentFile[]> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const sheets = await ctx.db.$queryRaw<{ ref: string; at: Date; count: number }[]>`
    SELECT "details"->>'batchId' AS "ref", MIN("at") AS "at", COUNT(*)::int AS "count"
    FROM "AuditLog"
    WHERE "action" = 'accounts.notify' AND "schoolUai" = ${school.uai} AND "outcome" = 'success'
      AND "details"->>'channel' = 'sheet' AND "at" >= ${since(ctx)}::timestamp
    GROUP BY 1 ORDER BY 2 DESC LIMIT ${MAX_RECENT_FILES}`;
  const lists = await ctx.db.auditLog.findMany({
    where: { action: 'accounts.list', schoolUai: school.uai, outcome: 'success', at: { gte: since(ctx) } },
    orderBy: { at: 'desc' },
    take: MAX_RECENT_FILES,
  });
  const classIds = lists.flatMap((l) => listClassIds(l.details));
  const classes = await ctx.db.schoolClass.findMany({ where: { id: { in: classIds }, schoolUai: school.uai }, select: { id: true, name: true } });
  const names = new Map(classes.map((c) => [c.id, c.name]));
  const files: RecentFile[] = [
    ...sheets.map((s) => ({ kind: 'sheets' as const, ref: s.ref, at: s.at, count: s.count, className: null })),
    ...lists.map((l) => {
      const rows: unknown = typeof l.details === 'object' && l.details !== null ? Reflect.get(l.details, 'rows') : undefined;
      const ids = listClassIds(l.details);
      return {
        kind: 'list' as const,
        ref: String(l.id),
        at: l.at,
        count: typeof rows === 'number' ? rows : 0,
        className: ids.length === 1 ? (names.get(ids[0] ?? 0) ?? null) : null,
      };
    }),
  ];
  return files.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, MAX_RECENT_FILES);
}

/** The class filter a list was made with (audit details `classIds`). */
function listClassIds(details: unknown): number[] {
  const ids: unknown = typeof details === 'object' && details !== null ? Reflect.get(details, 'classIds') : undefined;
  return Array.isArray(ids) ? ids.filter((i): i is number => Number.isSafeInteger(i)) : [];
}

/** The sheets of a notification batch of `uai`, as they would read now, in a new file for `actor`. */
export async function reissueSheets(ctx: ServiceContext, actor: Actor, uai: string, batchId: string): Promise<DeliveredFile & { pages: number }> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const rows = await ctx.db.$queryRaw<{ guardianId: number }[]>`
    SELECT DISTINCT "guardianId" FROM "AuditLog"
    WHERE "action" = 'accounts.notify' AND "schoolUai" = ${school.uai} AND "outcome" = 'success' AND "guardianId" IS NOT NULL
      AND "details"->>'channel' = 'sheet' AND "details"->>'batchId' = ${batchId} AND "at" >= ${since(ctx)}::timestamp`;
  // Accounts still visible in the school (merged or gone ones are left out).
  const visible = await ctx.db.guardian.findMany({
    where: { id: { in: rows.map((r) => r.guardianId) }, ...guardianInSchool(school.uai) },
    select: { id: true },
  });
  if (visible.length === 0) throw notFound(`sheets batch ${batchId} of ${school.uai}`);
  const now = ctx.now();
  const links = letterLinks(ctx.settings);
  const letters: Letter[] = [];
  for (const a of await loadAccounts(
    ctx.db,
    visible.map((v) => v.id),
  )) {
    const temporary = hasTemporaryPassword(a);
    const code = letterCode({ state: a.state, reset: false, channel: 'sheet', passwordTemporary: temporary });
    const sealed = a.credential?.tempPasswordEnc;
    const password = letterCarriesPassword(code) ? (temporary && sealed ? decryptSecret(sealed, ctx.settings.secretKey) : null) : null;
    if (letterCarriesPassword(code) && password === null) continue; // never notified since: no sheet to give
    letters.push(buildLetter({ code, guardian: a, school, children: childrenOf(a), temporaryPassword: password, distributedAt: now, links }));
  }
  if (letters.length === 0) throw notFound(`sheets batch ${batchId}: nothing to print`);
  const file = await createSheetsFile(ctx, actor, letters);
  await audit(ctx.db, {
    actor,
    at: now,
    action: 'files.reissue_sheets',
    schoolUai: school.uai,
    outcome: 'success',
    details: { batchId, letters: letters.length },
  });
  return file;
}

/** A list of `uai` made again (same class filter, current data), as PDF or CSV, for `actor`. */
export async function reissueList(
  ctx: ServiceContext,
  actor: Actor,
  uai: string,
  listRef: string,
  format: 'pdf' | 'csv',
): Promise<DeliveredFile & { className: string | null; rows: number }> {
  const { school } = await requireSchool(ctx.db, actor, uai);
  const id = /^\d{1,18}$/.test(listRef) ? BigInt(listRef) : null;
  const row =
    id === null
      ? null
      : await ctx.db.auditLog.findFirst({ where: { id, action: 'accounts.list', schoolUai: school.uai, outcome: 'success', at: { gte: since(ctx) } } });
  if (!row) throw notFound(`list ${listRef} of ${school.uai}`);
  const classIds = listClassIds(row.details);
  const list = await listAccounts(ctx, actor, school.uai, classIds.length ? { classIds } : {});
  const file = await createListFile(ctx, actor, list, format);
  const classes = classIds.length === 1 ? await ctx.db.schoolClass.findMany({ where: { id: { in: classIds } }, select: { name: true } }) : [];
  return { ...file, className: classes[0]?.name ?? null, rows: list.rows.length };
}
