// Two instances started together on an empty database (issue #11, point 9): each with its own
// connection pool, both load the demo set at once; one loads it, the other waits for the
// advisory lock and then finds it loaded. Both end well; the data is there once. PostgreSQL
// only: the embedded PGlite is one session (advisory locks are shared) and is opened by one
// process only (its data directory lock), so two instances never share it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoDataIfEmpty } from '../../../services/import/demo.js';
import { isEmbedded, resetDatabase, testPrisma } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';

const first = testPrisma();
const second = testPrisma();

beforeAll(async () => {
  await resetDatabase(first);
});
afterAll(async () => {
  await first.$disconnect();
  await second.$disconnect();
});

describe.skipIf(isEmbedded())('demo data with two instances starting together', () => {
  it('is loaded once, and both instances start', { timeout: 180_000 }, async () => {
    const results = await Promise.allSettled([loadDemoDataIfEmpty(testContext(first)), loadDemoDataIfEmpty(testContext(second))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const loaded = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    expect(loaded.filter((v) => v === true)).toHaveLength(1);
    expect(loaded.filter((v) => v === false)).toHaveLength(1);
    expect(await first.auditLog.count({ where: { action: 'import.extract', actorId: 'system:demo' } })).toBe(1);
    expect(await first.auditLog.count({ where: { action: 'import.staff', actorId: 'system:demo' } })).toBe(1);
    // Both pools still answer.
    expect(await first.school.count()).toBeGreaterThan(0);
    expect(await second.school.count()).toBe(await first.school.count());
  });
});
