// The Teams tab's data (web/tab): for a director, one school's figures, their history over the
// school year from the nightly snapshots, its classes, open parent requests and recent email
// batches; for an agent or an administrator, academy and national figures with the same history.
// Every function takes the actor and checks its scope through the services it calls.
import type { StaffActor } from './actor.js';
import type { ServiceContext } from './context.js';
import { forbidden } from './errors.js';
import { listCases, type CaseSummary } from './cases.js';
import { listRecentBatches, type BatchSummary } from './accounts/batches.js';
import { getAggregateStats, getSchoolStats, NATIONAL_KEY, type AggregateStatsData, type SchoolStatsData, type Stats, type StatsCounts } from './stats.js';
import { schoolsOfStaff, type SchoolSummary } from './staff.js';
import { parisWallClock } from './paris.js';
import { dailyStats, listQueue, type DayStats, type QueueEntry } from './handoff/queue.js';
import { claimHandoff } from './handoff/agents.js';
import { replicaRead } from './read-replica.js';

/** One day of the activation curve (the last snapshot of that day, Paris time). */
export interface HistoryPoint {
  /** YYYY-MM-DD (Paris). */
  day: string;
  accounts: number;
  activated: number;
  activatedPct: number;
  pupilsWithActivatedPct: number;
  /** Accounts notified more than 3 months ago and still not activated, when the snapshot has it. */
  pastDeadline: number | null;
}

export interface Me {
  role: StaffActor['kind'];
  name: string;
  schools: SchoolSummary[];
  academies: string[];
}

export interface SchoolDashboard {
  stats: Stats<SchoolStatsData>;
  history: HistoryPoint[];
  cases: CaseSummary[];
  batches: BatchSummary[];
}

export interface AggregateDashboard {
  stats: Stats<AggregateStatsData>;
  history: HistoryPoint[];
}

/** 1 September of the school year `at` belongs to (Paris calendar), as YYYY-MM-DD. */
export function schoolYearStart(at: Date): string {
  const { year, month } = parisWallClock(at);
  return `${month >= 9 ? year : year - 1}-09-01`;
}

export async function whoAmI(ctx: ServiceContext, actor: StaffActor): Promise<Me> {
  const schools = await schoolsOfStaff(ctx, actor);
  const academies =
    actor.kind === 'director'
      ? []
      : (await ctx.db.school.findMany({ distinct: ['academy'], select: { academy: true }, orderBy: { academy: 'asc' } })).map((s) => s.academy);
  return { role: actor.kind, name: actor.name, schools, academies };
}

interface SnapshotRow {
  day: string;
  data: unknown;
}

function numberAt(obj: unknown, key: string): number | null {
  if (typeof obj !== 'object' || obj === null) return null;
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function toPoint(row: SnapshotRow): HistoryPoint | null {
  const summary = typeof row.data === 'object' && row.data !== null ? (row.data as Record<string, unknown>).summary : null;
  const accounts = numberAt(summary, 'accounts');
  const activated = numberAt(summary, 'activated');
  if (accounts === null || activated === null) return null;
  return {
    day: row.day,
    accounts,
    activated,
    activatedPct: numberAt(summary, 'activatedPct') ?? 0,
    pupilsWithActivatedPct: numberAt(summary, 'pupilsWithActivatedPct') ?? 0,
    pastDeadline: numberAt(row.data, 'pastActivationDeadline'),
  };
}

/**
 * The last snapshot of each day since the start of the school year, oldest first. Past
 * snapshots only, and today's figures are added from the caller's own read (withCurrent): on
 * the read replica when there is one (services/read-replica.ts).
 */
async function history(ctx: ServiceContext, scope: 'SCHOOL' | 'ACADEMY' | 'NATIONAL', key: string): Promise<HistoryPoint[]> {
  const since = schoolYearStart(ctx.now());
  const rows = await replicaRead(
    ctx,
    (db) => db.$queryRaw<SnapshotRow[]>`
    SELECT DISTINCT ON (day) day, data FROM (
      SELECT to_char(("computedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day, data, "computedAt", id
      FROM "StatsSnapshot"
      WHERE scope = ${scope}::"StatsScope" AND "scopeKey" = ${key}
        AND "computedAt" >= (${since}::date AT TIME ZONE 'Europe/Paris')
    ) s
    ORDER BY day, "computedAt" DESC, id DESC`,
  );
  return rows.map(toPoint).filter((p): p is HistoryPoint => p !== null);
}

/** Today's figures appended when the latest snapshot of today is newer than the curve's last day. */
function withCurrent(points: HistoryPoint[], computedAt: Date, summary: StatsCounts, pastActivationDeadline?: number): HistoryPoint[] {
  const { year, month, day } = parisWallClock(computedAt);
  const today = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const current = toPoint({ day: today, data: { summary, pastActivationDeadline } });
  if (!current) return points;
  return [...points.filter((p) => p.day !== today), current];
}

export async function schoolDashboard(ctx: ServiceContext, actor: StaffActor, uai: string): Promise<SchoolDashboard> {
  // getSchoolStats checks the scope (403 for another director's school).
  const stats = await getSchoolStats(ctx, actor, uai);
  const [points, cases, batches] = await Promise.all([
    history(ctx, 'SCHOOL', stats.uai),
    listCases(ctx, actor, { uai: stats.uai, states: ['OPEN', 'WAITING_REGISTER'] }),
    listRecentBatches(ctx, actor, stats.uai),
  ]);
  return { stats, history: withCurrent(points, stats.computedAt, stats.summary, stats.pastActivationDeadline), cases, batches };
}

export async function aggregateDashboard(ctx: ServiceContext, actor: StaffActor, academy?: string): Promise<AggregateDashboard> {
  if (actor.kind === 'director') throw forbidden('aggregate figures are for agents');
  const scope = academy ? 'ACADEMY' : 'NATIONAL';
  const stats = await getAggregateStats(ctx, actor, scope, academy);
  const points = await history(ctx, scope, academy ? stats.key : NATIONAL_KEY);
  return { stats, history: withCurrent(points, stats.computedAt, stats.summary) };
}

export interface AgentQueue {
  entries: QueueEntry[];
  /** Daily counts and satisfaction, for administrators only. */
  days: DayStats[] | null;
}

function requireDesk(actor: StaffActor): void {
  if (actor.kind === 'director') throw forbidden('the queue is for the help desk');
}

/** The parents waiting for a person, claimed and to call back (agents and administrators). */
export async function agentQueue(ctx: ServiceContext, actor: StaffActor): Promise<AgentQueue> {
  requireDesk(actor);
  return { entries: await listQueue(ctx), days: actor.kind === 'admin' ? await dailyStats(ctx) : null };
}

const CLAIM_MESSAGES = {
  claimed: 'Vous avez pris en charge cette demande : répondez au parent dans son fil de l’équipe des agents, dans Teams.',
  yours: 'Vous avez déjà pris en charge cette demande.',
  closed: 'Cette demande est close.',
  unknown: 'Cette demande est introuvable : la liste était peut-être ancienne.',
} as const;

/** Claims a waiting request from the tab: the same atomic claim as the card's button in Teams. */
export async function claimFromTab(ctx: ServiceContext, actor: StaffActor, requestId: number): Promise<{ claimed: boolean; message: string }> {
  requireDesk(actor);
  const result = await claimHandoff(ctx, requestId, actor);
  if (result.outcome === 'taken') return { claimed: false, message: `Cette demande est déjà prise en charge par ${result.by}.` };
  if (result.outcome === 'expired') return { claimed: false, message: result.message };
  return { claimed: result.outcome === 'claimed', message: CLAIM_MESSAGES[result.outcome] };
}
