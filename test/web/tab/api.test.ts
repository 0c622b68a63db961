// /api/tab/…: the Entra ID token checked against a local key set (valid, expired, wrong
// audience, wrong issuer, unknown key, forged algorithms), the staff directory mapping, scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, DIRECTOR, DIRECTOR_OF_TWO, startTabWorld, TENANT, type TabWorld } from './setup.js';

let world: TabWorld;
beforeAll(async () => {
  world = await startTabWorld();
});
afterAll(async () => {
  await world.close();
});

async function get(path: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${world.app.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('tab API authentication', () => {
  it('answers a valid token with the staff member and their schools', async () => {
    const { status, body } = await get('/api/tab/me', await world.token());
    expect(status).toBe(200);
    expect(body).toMatchObject({ role: 'director', schools: [{ uai: '0311478N', name: expect.stringContaining('Sainte-Famille') }] });
  });

  it('accepts the v1 issuer form of the same tenant', async () => {
    const { status } = await get('/api/tab/me', await world.token({ issuer: `https://sts.windows.net/${TENANT}/` }));
    expect(status).toBe(200);
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['an expired token', () => world.token({ expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['a token for another audience', () => world.token({ audience: 'api://elsewhere.example/6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d' })],
    ['a token of another tenant', () => world.token({ issuer: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0' })],
    ['a token signed by an unknown key', () => world.token({ key: world.strangerKey, kid: 'stranger' })],
    ['a token signed by an unknown key under a known kid', () => world.token({ key: world.strangerKey })],
    ['an unsigned token (alg none)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ oid: DIRECTOR, aud: world.audience, exp: 9999999999 })}.`],
    ['an HS256 token', async () => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ oid: DIRECTOR, aud: world.audience, exp: 9999999999 })}.c2lnbmF0dXJl`],
    ['garbage', async () => 'not-a-token'],
  ];
  it.each(refused)('refuses %s with 401 and a French message', async (_name, make) => {
    const { status, body } = await get('/api/tab/me', await make());
    expect(status).toBe(401);
    expect(String(body.error)).toMatch(/session Teams|onglet/);
  });

  it('refuses a valid token of someone outside the staff directory with 403', async () => {
    const { status, body } = await get('/api/tab/me', await world.token({ oid: '99999999-0000-0000-0000-000000000000' }));
    expect(status).toBe(403);
    expect(body.error).toBe('Cet onglet est réservé aux directeurs d’école et aux agents de l’assistance.');
  });

  it('takes ?as= outside production only', async () => {
    expect((await get(`/api/tab/me?as=${AGENT}`)).body).toMatchObject({ role: 'agent', academies: ['La Réunion', 'Toulouse'] });
  });
});

describe('tab API scopes and data', () => {
  it("gives a director their school's figures, classes, history, requests and batches", async () => {
    const { status, body } = await get('/api/tab/schools/0311478N', await world.token());
    expect(status).toBe(200);
    const stats = body.stats as { uai: string; summary: { accounts: number }; classes: unknown[] };
    expect(stats.uai).toBe('0311478N');
    expect(stats.summary.accounts).toBeGreaterThan(0);
    expect(stats.classes.length).toBeGreaterThan(0);
    expect(Array.isArray(body.history) && body.history.length).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(body.cases)).toBe(true);
    expect(Array.isArray(body.batches)).toBe(true);
  });

  it("refuses another school's data with 403", async () => {
    const { status, body } = await get('/api/tab/schools/0312093K', await world.token());
    expect(status).toBe(403);
    expect(String(body.error)).toContain('accès');
  });

  it('refuses academy and national figures to a director, gives them to an agent', async () => {
    expect((await get('/api/tab/figures', await world.token({ oid: DIRECTOR_OF_TWO }))).status).toBe(403);
    const national = await get('/api/tab/figures', await world.token({ oid: AGENT }));
    expect(national.status).toBe(200);
    expect((national.body.stats as { schools: unknown[] }).schools).toHaveLength(4);
    const academy = await get(`/api/tab/figures?academy=${encodeURIComponent('La Réunion')}`, await world.token({ oid: AGENT }));
    expect((academy.body.stats as { schools: { uai: string }[] }).schools.map((s) => s.uai).sort()).toEqual(['9740021R', '9741087A']);
  });

  it('builds the history from the last snapshot of each day of the school year', async () => {
    const db = world.app.ctx.db;
    // Today's snapshot first (the latest one is what the figures show), then older days.
    expect((await get('/api/tab/schools/9740021R', await world.token({ oid: DIRECTOR_OF_TWO }))).status).toBe(200);
    const summary = (activated: number) => ({
      kind: 'school',
      summary: { accounts: 100, activated, activatedPct: activated, pupilsWithActivatedPct: activated / 2 },
    });
    const day = (d: string, h: number) => new Date(`${d}T${String(h).padStart(2, '0')}:00:00Z`);
    const now = world.app.ctx.now();
    const y = now.getUTCMonth() >= 8 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    await db.statsSnapshot.createMany({
      data: [
        { scope: 'SCHOOL', scopeKey: '9740021R', computedAt: day(`${y - 1}-06-01`, 1), data: summary(5) },
        { scope: 'SCHOOL', scopeKey: '9740021R', computedAt: day(`${y}-10-01`, 1), data: summary(10) },
        { scope: 'SCHOOL', scopeKey: '9740021R', computedAt: day(`${y}-10-01`, 15), data: summary(12) },
        { scope: 'SCHOOL', scopeKey: '9740021R', computedAt: day(`${y}-11-02`, 1), data: summary(30) },
      ],
    });
    const { body } = await get('/api/tab/schools/9740021R', await world.token({ oid: DIRECTOR_OF_TWO }));
    expect(body).toHaveProperty('history');
    const history = body.history as { day: string; activatedPct: number; pastDeadline: number | null }[];
    expect(history).toHaveLength(3);
    // Today's point carries the accounts past the 3-month activation deadline.
    expect(typeof history[2]?.pastDeadline).toBe('number');
    expect(history.slice(0, 2)).toEqual([
      expect.objectContaining({ day: `${y}-10-01`, activatedPct: 12 }),
      expect.objectContaining({ day: `${y}-11-02`, activatedPct: 30 }),
    ]);
  });

  it('exports the list of accounts as a CSV through a signed link', async () => {
    const res = await fetch(`${world.app.url}/api/tab/schools/0311478N/list`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await world.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ format: 'csv' }),
    });
    expect(res.status).toBe(200);
    const file = (await res.json()) as { url: string; fileName: string };
    expect(file.fileName).toMatch(/^Educonnect-ListeResponsables-\d{14}\.csv$/);
    const csv = await (await fetch(file.url)).text();
    expect(csv.split('\n')[0]).toContain('Identifiant');
  });

  it('refuses a case state that does not exist with a French message', async () => {
    const res = await fetch(`${world.app.url}/api/tab/cases/EDU-2026-000001/state`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await world.token()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: 'DONE' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('Choisissez le nouvel état de la demande.');
  });
});
