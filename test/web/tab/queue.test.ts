// The agents' queue in the tab: waiting requests with their waiting times, a claim from the tab
// (atomic, the same as the card's button in Teams: the parent is told, the card updated),
// directors refused, administrators' daily counts; the page's queue with its button.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/browser.js';
import { AGENT, DIRECTOR, startTabWorld, type TabWorld } from './setup.js';

const SECOND_AGENT = '00000000-0000-0000-0000-00000000a002';
const ADMIN = '00000000-0000-0000-0000-0000000ad001';

let world: TabWorld;
beforeAll(async () => {
  world = await startTabWorld();
});
afterAll(async () => {
  await world.close();
});

let requestId: number;
beforeEach(async () => {
  const db = world.app.ctx.db;
  await db.handoffMessage.deleteMany();
  await db.handoffRequest.deleteMany();
  const created = await db.handoffRequest.create({
    data: {
      conversationKey: 'webchat:test-parent',
      state: 'WAITING',
      question: "Je n'arrive pas à activer mon compte",
      verification: 'Rien de vérifié',
      transcript: [],
      createdAt: new Date(Date.now() - 7 * 60_000),
    },
  });
  requestId = created.id;
});

async function call(path: string, oid: string, method = 'GET'): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${world.app.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${await world.token({ oid })}`, 'Content-Type': 'application/json' },
    body: method === 'POST' ? '{}' : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('agents’ queue API', () => {
  it('lists the waiting parents with their waiting time for an agent; no daily figures', async () => {
    const { status, body } = await call('/api/tab/queue', AGENT);
    expect(status).toBe(200);
    expect(body.entries).toEqual([
      expect.objectContaining({ id: requestId, state: 'WAITING', question: "Je n'arrive pas à activer mon compte", waitingMinutes: 7 }),
    ]);
    expect(body.days).toBeNull();
  });

  it('gives administrators the daily counts too, and refuses directors', async () => {
    const admin = await call('/api/tab/queue', ADMIN);
    expect(admin.body.days).toEqual(expect.arrayContaining([expect.objectContaining({ requests: 1 })]));
    const director = await call('/api/tab/queue', DIRECTOR);
    expect(director.status).toBe(403);
  });

  it('lets one of two agents claiming at once win; the other is told who has it; the parent is told', async () => {
    const [a, b] = await Promise.all([
      call(`/api/tab/queue/${requestId}/claim`, AGENT, 'POST'),
      call(`/api/tab/queue/${requestId}/claim`, SECOND_AGENT, 'POST'),
    ]);
    const claimed = [a.body, b.body].filter((r) => r.claimed === true);
    expect(claimed).toHaveLength(1);
    const other = [a.body, b.body].find((r) => r.claimed === false);
    expect(String(other?.message)).toMatch(/^Cette demande est déjà prise en charge par /);
    const db = world.app.ctx.db;
    expect(await db.handoffRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({ state: 'CLAIMED' });
    const outbox = await db.handoffMessage.findMany({ where: { requestId }, orderBy: { id: 'asc' } });
    expect(outbox.map((m) => `${m.direction}:${m.kind}`)).toEqual(['to_agents:card_update', 'to_parent:text']);
    // A replay changes nothing more.
    const again = await call(`/api/tab/queue/${requestId}/claim`, AGENT, 'POST');
    expect(again.body.claimed).toBe(false);
    expect(await db.handoffMessage.count({ where: { requestId } })).toBe(2);
  });

  it('answers a claim on a closed or unknown request in French, and a director with 403', async () => {
    await world.app.ctx.db.handoffRequest.update({ where: { id: requestId }, data: { state: 'ENDED' } });
    expect((await call(`/api/tab/queue/${requestId}/claim`, AGENT, 'POST')).body).toEqual({ claimed: false, message: 'Cette demande est close.' });
    expect((await call('/api/tab/queue/999999/claim', AGENT, 'POST')).body.message).toMatch(/introuvable/);
    expect((await call(`/api/tab/queue/${requestId}/claim`, DIRECTOR, 'POST')).status).toBe(403);
  });
});

describe('agents’ queue in the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the waiting parent and claims with the button', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${world.app.url}/tab/?as=${AGENT}`);
    const button = page.getByRole('button', { name: /Prendre en charge : Je n'arrive pas à activer mon compte/ });
    await button.waitFor();
    expect(
      await page
        .getByRole('table', { name: /Demandes en cours \(1\)/ })
        .getByText('7 min')
        .count(),
    ).toBe(1);
    await button.click();
    await page.getByText(/Vous avez pris en charge cette demande/).waitFor();
    await expect.poll(() => page.getByRole('cell', { name: /Pris en charge/ }).count()).toBe(1);
  });
});
