// The agents' "file d'attente": requests waiting, claimed and written requests to call back,
// with their waiting times; for admins, daily counts and satisfaction over the last days.
import type { ServiceContext } from '../context.js';
import { helpdeskOf } from '../helpdesk/contact.js';
import { helpdeskWallClock } from '../helpdesk/hours.js';
import { maskEmail, maskPhone } from '../logger.js';

export interface QueueEntry {
  id: number;
  state: 'WAITING' | 'CLAIMED' | 'CALLBACK';
  question: string;
  waitingMinutes: number;
  agentName?: string;
  contact?: string;
}

export interface DayStats {
  /** YYYY-MM-DD in the desk's time zone. */
  day: string;
  requests: number;
  claimed: number;
  callbacks: number;
  abandoned: number;
  /** Average rating (1–5) of the day's rated conversations, if any. */
  satisfaction?: number;
  ratings: number;
}

export async function listQueue(ctx: ServiceContext): Promise<QueueEntry[]> {
  const rows = await ctx.db.handoffRequest.findMany({ where: { state: { in: ['WAITING', 'CLAIMED', 'CALLBACK'] } }, orderBy: { createdAt: 'asc' }, take: 100 });
  const now = ctx.now().getTime();
  return rows.map((r) => ({
    id: r.id,
    state: r.state === 'WAITING' || r.state === 'CLAIMED' ? r.state : 'CALLBACK',
    question: r.note ? `${r.question} — ${r.note}` : r.question,
    waitingMinutes: Math.max(0, Math.floor((now - r.createdAt.getTime()) / 60_000)),
    agentName: r.agentName ?? undefined,
    contact: r.contactEmail ? maskEmail(r.contactEmail) : r.contactMobile ? maskPhone(r.contactMobile) : undefined,
  }));
}

/** Per day, most recent first, over `days` days. */
export async function dailyStats(ctx: ServiceContext, days = 7): Promise<DayStats[]> {
  const tz = helpdeskOf(ctx.settings).hours.timeZone;
  const since = new Date(ctx.now().getTime() - days * 24 * 3_600_000);
  const rows = await ctx.db.handoffRequest.findMany({
    where: { createdAt: { gte: since } },
    select: { createdAt: true, claimedAt: true, state: true, contactEmail: true, contactMobile: true, satisfaction: true },
  });
  const byDay = new Map<string, DayStats & { sum: number }>();
  for (const r of rows) {
    const day = helpdeskWallClock(r.createdAt, tz).iso;
    const s = byDay.get(day) ?? { day, requests: 0, claimed: 0, callbacks: 0, abandoned: 0, ratings: 0, sum: 0 };
    s.requests++;
    if (r.claimedAt) s.claimed++;
    if (r.contactEmail || r.contactMobile) s.callbacks++;
    if (r.state === 'ABANDONED') s.abandoned++;
    if (r.satisfaction) {
      s.ratings++;
      s.sum += r.satisfaction;
    }
    byDay.set(day, s);
  }
  return [...byDay.values()]
    .sort((a, b) => b.day.localeCompare(a.day))
    .map(({ sum, ...s }) => ({ ...s, ...(s.ratings ? { satisfaction: Math.round((sum / s.ratings) * 10) / 10 } : {}) }));
}
