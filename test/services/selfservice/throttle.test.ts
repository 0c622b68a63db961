// Login throttling instead of lockout (issue #11, point 7): wrong passwords from five
// addresses do not keep the owner out from a sixth; one address that keeps guessing waits
// 1, 2, 4… s (only that address); many addresses together slow every try on the identifier
// by seconds, never lock it. The clock is the test context's (no real waiting).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../../services/actor.js';
import { startFirstLogin } from '../../../services/selfservice/activation.js';
import { login } from '../../../services/selfservice/session.js';
import { delaySeconds } from '../../../services/selfservice/throttle.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { makeGuardian, recordingContext, type RecordingContext } from './fixtures.js';

const prisma = testPrisma();
let ctx: RecordingContext;
const PASSWORD = 'Jardin-Fleuri-2031';
const from = (n: number): Actor => ({ kind: 'anonymous', source: `ip:203.0.113.${n}` });

afterAll(() => prisma.$disconnect());
beforeEach(async () => {
  await resetDatabase(prisma);
  // Rate limits per address stay out of the way: this is about the throttle.
  ctx = recordingContext(prisma, {
    selfService: { codeTtlMinutes: 30, linkTtlHours: 24, rateLimits: { perAccount: 5, perContact: 5, perSource: 10_000, windowMinutes: 60 } },
  });
  await makeGuardian(ctx, { identifier: 'c.martin', personalPassword: PASSWORD, state: 'ACTIVATED' });
});

describe('password throttling', () => {
  it('five addresses failing five times each do not keep the owner out from a sixth', { timeout: 90_000 }, async () => {
    for (let address = 1; address <= 5; address++) {
      for (let i = 0; i < 5; i++) expect(await login(ctx, from(address), 'c.martin', `Mauvais-${address}-${i}`)).toMatchObject({ reason: 'bad_credentials' });
    }
    expect((await login(ctx, from(6), 'c.martin', PASSWORD)).ok).toBe(true);
  });

  it('one address that keeps guessing waits 1, 2, 4 s…, only that address; the right password then clears it', { timeout: 90_000 }, async () => {
    for (let i = 0; i < 5; i++) await login(ctx, from(1), 'c.martin', `Mauvais-${i}`);
    const waits: string[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await login(ctx, from(1), 'c.martin', PASSWORD);
      expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' });
      waits.push(refused.ok ? '' : refused.text);
      // The owner elsewhere is not refused, and a wrong try elsewhere is just wrong.
      expect((await login(ctx, from(9), 'c.martin', 'Autre-Erreur-1')).ok).toBe(false);
      ctx.advance(delaySeconds({ free: 5, capSeconds: 900 }, 5 + round) * 1000);
      expect(await login(ctx, from(1), 'c.martin', `Encore-${round}`)).toMatchObject({ reason: 'bad_credentials' });
    }
    expect(waits).toEqual(
      [1, 2, 4].map(
        (s) =>
          `Trop d’essais de mot de passe pour cet identifiant. Patientez ${s} seconde${s > 1 ? 's' : ''} avant de réessayer. En cas d’oubli, utilisez « Mot de passe perdu ».`,
      ),
    );
    expect((await login(ctx, from(2), 'c.martin', PASSWORD)).ok).toBe(true);
    ctx.advance(8000);
    expect((await login(ctx, from(1), 'c.martin', PASSWORD)).ok).toBe(true);
    expect(await login(ctx, from(1), 'c.martin', 'Mauvais-apres')).toMatchObject({ reason: 'bad_credentials' });
  });

  it('distributed guessing (50 addresses) slows every try on the identifier by seconds, never a lock', { timeout: 120_000 }, async () => {
    for (let address = 1; address <= 52; address++) await login(ctx, from(address), 'c.martin', `Mauvais-${address}`);
    const owner = await login(ctx, from(200), 'c.martin', PASSWORD);
    expect(owner).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(owner.ok ? '' : owner.text).toMatch(/Patientez \d+ secondes? avant de réessayer/);
    ctx.advance(delaySeconds({ free: 50, capSeconds: 60 }, 52) * 1000);
    expect((await login(ctx, from(200), 'c.martin', PASSWORD)).ok).toBe(true);
    // However long the attack, the wait stays under a minute.
    for (let address = 1; address <= 10; address++) {
      ctx.advance(61_000);
      await login(ctx, from(address), 'c.martin', `Encore-${address}`);
    }
    const later = await login(ctx, from(200), 'c.martin', PASSWORD);
    expect(later.ok ? '' : later.text).toMatch(/Patientez (\d+ secondes?|1 minute) avant/);
  });

  it('the same for an unknown identifier (nothing told), and first-login failures count the same way', { timeout: 90_000 }, async () => {
    for (let i = 0; i < 5; i++) await login(ctx, from(1), 'personne.inconnue', `Mauvais-${i}`);
    expect(await login(ctx, from(1), 'personne.inconnue', 'Mauvais-5')).toMatchObject({ reason: 'rate_limited' });
    for (let i = 0; i < 5; i++) await startFirstLogin(ctx, from(3), 'c.martin', `Provisoire-${i}`);
    expect((await login(ctx, from(3), 'c.martin', PASSWORD)).ok).toBe(false);
    expect((await login(ctx, from(4), 'c.martin', PASSWORD)).ok).toBe(true);
  });

  it('delays grow 1, 2, 4… from the fifth failure up to the cap', () => {
    const rule = { free: 5, capSeconds: 900 };
    expect([3, 4, 5, 6, 7, 8, 20].map((n) => delaySeconds(rule, n))).toEqual([0, 0, 1, 2, 4, 8, 900]);
  });
});
