// Directors are told in Teams when parents' requests open for one of their schools: the
// first at once, then at most one grouped card per school every ALERT_WINDOW_MINUTES. The
// window is a row per school (CaseAlertWindow) taken with one atomic upsert, and the cases
// it covers are marked in the same transaction, so that several instances (or a restart)
// never send a card twice nor forget a case. Sending is the caller's (bot/case-worker.ts).
import type { ServiceContext } from './context.js';
import type { CaseState } from './db/index.js';
import { viewCasesById, type CaseView } from './cases.js';

export const ALERT_WINDOW_MINUTES = 15;
const ACTIVE: CaseState[] = ['OPEN', 'WAITING_REGISTER'];
/** Cases shown on one card; the others are counted and found in the cases dialog. */
export const ALERT_MAX_CASES = 10;

export interface SchoolAlert {
  uai: string;
  schoolName: string;
  /** The newest cases first, at most ALERT_MAX_CASES. */
  cases: CaseView[];
  /** How many cases the alert covers (may exceed cases.length). */
  total: number;
  /** Directors of the school, by staff id (aadObjectId). */
  directors: string[];
}

/** Sends the card of one school to one director; 'unreachable' when they never talked to the bot in Teams. */
export type AlertSender = (staffId: string, alert: SchoolAlert) => Promise<'sent' | 'unreachable'>;

/** Schools with cases nobody was told about yet. */
async function pendingSchools(ctx: ServiceContext): Promise<string[]> {
  const rows = await ctx.db.case.findMany({ where: { alertedAt: null, state: { in: ACTIVE } }, distinct: ['schoolUai'], select: { schoolUai: true } });
  return rows.map((r) => r.schoolUai);
}

/** Takes the school's window if it is free, and marks its pending cases as told; null when the window is still closed. */
async function takeWindow(ctx: ServiceContext, uai: string): Promise<number[] | null> {
  const now = ctx.now();
  const opensAgain = new Date(now.getTime() - ALERT_WINDOW_MINUTES * 60_000);
  return ctx.db.$transaction(async (tx) => {
    const taken = await tx.$queryRaw<{ schoolUai: string }[]>`
      INSERT INTO "CaseAlertWindow" ("schoolUai", "lastSentAt") VALUES (${uai}, ${now})
      ON CONFLICT ("schoolUai") DO UPDATE SET "lastSentAt" = EXCLUDED."lastSentAt"
      WHERE "CaseAlertWindow"."lastSentAt" <= ${opensAgain}
      RETURNING "schoolUai"`;
    if (taken.length === 0) return null;
    const cases = await tx.$queryRaw<{ id: number }[]>`
      UPDATE "Case" SET "alertedAt" = ${now}
      WHERE "schoolUai" = ${uai} AND "alertedAt" IS NULL AND state::text IN ('OPEN', 'WAITING_REGISTER')
      RETURNING id`;
    return cases.map((c) => c.id);
  });
}

/** The cases go back to "not told" (every send failed): the next window takes them. */
async function untell(ctx: ServiceContext, ids: number[]): Promise<void> {
  await ctx.db.case.updateMany({ where: { id: { in: ids } }, data: { alertedAt: null } });
}

/** One pass: every school whose window is open gets its card. Returns the number of cards sent. */
export async function runCaseAlerts(ctx: ServiceContext, send: AlertSender): Promise<number> {
  let sent = 0;
  for (const uai of await pendingSchools(ctx)) {
    const ids = await takeWindow(ctx, uai);
    if (!ids || ids.length === 0) continue;
    const cases = await viewCasesById(ctx, [...ids].sort((a, b) => b - a).slice(0, ALERT_MAX_CASES));
    const school = await ctx.db.school.findUniqueOrThrow({ where: { uai }, select: { name: true } });
    const directors = await ctx.db.staff.findMany({
      where: { role: 'DIRECTOR', uais: { has: uai } },
      select: { aadObjectId: true },
      orderBy: { aadObjectId: 'asc' },
    });
    const alert: SchoolAlert = { uai, schoolName: school.name, cases, total: ids.length, directors: directors.map((d) => d.aadObjectId) };
    let failures = 0;
    for (const staffId of alert.directors) {
      try {
        if ((await send(staffId, alert)) === 'sent') sent++;
      } catch (err) {
        failures++;
        ctx.log.warn({ err, uai, staffId }, 'case alert: card not delivered');
      }
    }
    if (failures > 0 && failures === alert.directors.length) await untell(ctx, ids);
  }
  return sent;
}
