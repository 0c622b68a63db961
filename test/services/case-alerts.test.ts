// Directors' alerts: the first request of a school at once, then at most one grouped card per
// school every 15 minutes, decided in the database (two instances never send it twice), and
// nothing lost when every send fails.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_WINDOW_MINUTES, runCaseAlerts, type AlertSender, type SchoolAlert } from '../../services/case-alerts.js';
import { createCase } from '../../services/cases.js';
import type { PrismaClient } from '../../services/db/index.js';
import { testContext, type TestContext } from '../helpers/context.js';
import { resetDatabase, testPrisma } from '../helpers/db.js';
import { createSchool } from './accounts/fixtures.js';

const db: PrismaClient = testPrisma();
// A second instance: its own client (connection pool) on the same database.
const db2: PrismaClient = testPrisma();
let ctx: TestContext;
const UAI = '0311478N';
const OTHER = '0312093K';
const T0 = new Date('2026-11-20T10:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

afterAll(async () => {
  await db.$disconnect();
  await db2.$disconnect();
});

beforeEach(async () => {
  await resetDatabase(db);
  ctx = testContext(db);
  ctx.setNow(T0);
  await createSchool(db, UAI, 'École Sainte-Famille');
  await createSchool(db, OTHER, 'Collège Jean-Jaurès');
  await db.staff.createMany({
    data: [
      { aadObjectId: 'dir-a', upn: 'a@ac.fr', displayName: 'Claire', role: 'DIRECTOR', uais: [UAI] },
      { aadObjectId: 'dir-b', upn: 'b@ac.fr', displayName: 'Bruno', role: 'DIRECTOR', uais: [UAI, OTHER] },
      { aadObjectId: 'dir-c', upn: 'c@ac.fr', displayName: 'Chloé', role: 'DIRECTOR', uais: [OTHER] },
      { aadObjectId: 'agent-1', upn: 'ag@ac.fr', displayName: 'Agent', role: 'AGENT', uais: [] },
    ],
  });
});

const open = async (uai = UAI, i = 1): Promise<string> =>
  (
    await createCase(
      ctx,
      { kind: 'anonymous', source: `conv-${i}` },
      { kind: 'OTHER', schoolUai: uai, contactEmail: `p${i}@example.org`, summary: `Demande ${i}` },
    )
  ).reference;

function recorder(outcome: (staffId: string) => 'sent' | 'unreachable' | 'fail' = () => 'sent'): {
  cards: { staffId: string; alert: SchoolAlert }[];
  send: AlertSender;
} {
  const cards: { staffId: string; alert: SchoolAlert }[] = [];
  return {
    cards,
    send: async (staffId, alert) => {
      const o = outcome(staffId);
      if (o === 'fail') throw new Error('connector 502');
      if (o === 'sent') cards.push({ staffId, alert });
      return o;
    },
  };
}

describe('directors alerts', () => {
  it('first case at once to every director of the school, then one grouped card after the window', async () => {
    const r = recorder();
    const first = await open(UAI, 1);
    expect(await runCaseAlerts(ctx, r.send)).toBe(2);
    expect(r.cards.map((c) => [c.staffId, c.alert.uai, c.alert.cases.map((x) => x.reference)])).toEqual([
      ['dir-a', UAI, [first]],
      ['dir-b', UAI, [first]],
    ]);
    expect(r.cards[0]?.alert.cases[0]).toMatchObject({ contactEmail: 'p1@example.org', schoolName: 'École Sainte-Famille' });
    r.cards.length = 0;

    ctx.setNow(minutes(2));
    const second = await open(UAI, 2);
    const third = await open(UAI, 3);
    expect(await runCaseAlerts(ctx, r.send)).toBe(0);
    ctx.setNow(minutes(ALERT_WINDOW_MINUTES - 1));
    expect(await runCaseAlerts(ctx, r.send)).toBe(0);
    ctx.setNow(minutes(ALERT_WINDOW_MINUTES));
    expect(await runCaseAlerts(ctx, r.send)).toBe(2);
    expect(r.cards[0]?.alert).toMatchObject({ total: 2 });
    expect(r.cards[0]?.alert.cases.map((c) => c.reference)).toEqual([third, second]);
    // Nothing new: nothing sent, even long after.
    ctx.setNow(minutes(120));
    expect(await runCaseAlerts(ctx, r.send)).toBe(0);
  });

  it('each school has its own window; a director of two schools gets one card per school', async () => {
    const r = recorder();
    await open(UAI, 1);
    await open(OTHER, 2);
    await runCaseAlerts(ctx, r.send);
    expect(r.cards.map((c) => `${c.staffId}:${c.alert.uai}`).sort()).toEqual([`dir-a:${UAI}`, `dir-b:${UAI}`, `dir-b:${OTHER}`, `dir-c:${OTHER}`]);
  });

  it('two instances at once send one card, not two', async () => {
    const r = recorder();
    await open(UAI, 1);
    const other = testContext(db2);
    other.setNow(T0);
    await Promise.all([runCaseAlerts(ctx, r.send), runCaseAlerts(other, r.send)]);
    expect(r.cards.map((c) => c.staffId).sort()).toEqual(['dir-a', 'dir-b']);
  });

  it('a director who never talked to the bot is skipped; when every send fails the cases wait for the next window', async () => {
    const some = recorder((id) => (id === 'dir-a' ? 'unreachable' : 'sent'));
    await open(UAI, 1);
    expect(await runCaseAlerts(ctx, some.send)).toBe(1);
    expect(await db.case.count({ where: { alertedAt: null } })).toBe(0);

    ctx.setNow(minutes(ALERT_WINDOW_MINUTES));
    const failing = recorder(() => 'fail');
    const lost = await open(UAI, 2);
    expect(await runCaseAlerts(ctx, failing.send)).toBe(0);
    expect(await db.case.count({ where: { alertedAt: null } })).toBe(1);
    ctx.setNow(minutes(2 * ALERT_WINDOW_MINUTES));
    const back = recorder();
    expect(await runCaseAlerts(ctx, back.send)).toBe(2);
    expect(back.cards[0]?.alert.cases.map((c) => c.reference)).toEqual([lost]);
  });

  it('closed or resolved cases before their alert are not announced', async () => {
    const r = recorder();
    const ref = await open(UAI, 1);
    await db.case.update({ where: { reference: ref }, data: { state: 'CLOSED' } });
    expect(await runCaseAlerts(ctx, r.send)).toBe(0);
  });
});
