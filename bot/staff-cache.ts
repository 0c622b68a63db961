// A short-lived cache of staff directory lookups for this instance: every turn asks "who is
// speaking?", and the answer (a staff member, or nobody) changes only when the directory is
// imported. Entries expire after `ttlMs`, so a new directory is seen by every instance within
// that delay; nothing another instance needs lives here.
import type { StaffActor } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import { findStaffActor } from '../services/staff.js';

export const STAFF_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export class StaffCache {
  private readonly entries = new Map<string, { actor: StaffActor | null; expires: number }>();

  constructor(private readonly ttlMs = STAFF_CACHE_TTL_MS) {}

  async find(ctx: ServiceContext, id: string): Promise<StaffActor | null> {
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.expires > now) return hit.actor;
    const actor = await findStaffActor(ctx, id);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(id, { actor, expires: now + this.ttlMs });
    return actor;
  }
}
