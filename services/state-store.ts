// Database side of the bot state (conversation and user state): JSON documents keyed by
// string, with optimistic concurrency on an eTag. The botbuilder Storage adapter is
// bot/storage.ts; this file knows nothing of botbuilder.
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from './db/index.js';

export interface StoredState {
  data: Prisma.JsonValue;
  etag: string;
}

export interface StateWrite {
  key: string;
  data: Prisma.InputJsonValue;
  /**
   * undefined or '*' -> last writer wins; otherwise the write succeeds only if it matches the
   * stored eTag (a document that does not exist yet is created, as botbuilder's own
   * in-memory storage does).
   */
  etag?: string;
}

export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`Bot state conflict on key "${key}": it was changed by another turn (eTag mismatch).`);
    this.name = 'StateConflictError';
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'P2002';
}

export async function readStates(db: PrismaClient, keys: readonly string[]): Promise<Map<string, StoredState>> {
  const result = new Map<string, StoredState>();
  if (keys.length === 0) return result;
  const rows = await db.botState.findMany({ where: { key: { in: [...keys] } } });
  for (const row of rows) result.set(row.key, { data: row.data, etag: row.etag });
  return result;
}

/**
 * Writes one document in one statement: an upsert whose update applies only when the stored
 * eTag is the expected one (or none is expected). No row back = the stored eTag differs.
 */
async function writeOne(db: PrismaClient, w: StateWrite, etag: string): Promise<void> {
  const expected = w.etag === undefined || w.etag === '*' ? null : w.etag;
  const json = JSON.stringify(w.data);
  const rows = await db.$queryRaw<{ etag: string }[]>`
    INSERT INTO "BotState" (key, data, etag, "updatedAt") VALUES (${w.key}, ${json}::jsonb, ${etag}, now())
    ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, etag = EXCLUDED.etag, "updatedAt" = now()
    WHERE ${expected}::text IS NULL OR "BotState".etag = ${expected}
    RETURNING etag`;
  if (rows.length !== 1) throw new StateConflictError(w.key);
}

/**
 * Write every document, all or nothing; each gets a new eTag (returned by key). A
 * conditional write whose eTag does not match the stored one throws StateConflictError and
 * nothing is written. One document (the usual turn) is one statement, no transaction.
 */
export async function writeStates(db: PrismaClient, writes: readonly StateWrite[]): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  if (writes.length === 0) return etags;
  const [single] = writes;
  if (writes.length === 1 && single) {
    const etag = randomUUID();
    await writeOne(db, single, etag);
    etags.set(single.key, etag);
    return etags;
  }
  await db.$transaction(async (tx) => {
    for (const w of writes) {
      const etag = randomUUID();
      if (w.etag === undefined || w.etag === '*') {
        await tx.botState.upsert({ where: { key: w.key }, create: { key: w.key, data: w.data, etag }, update: { data: w.data, etag } });
      } else {
        const updated = await tx.botState.updateMany({ where: { key: w.key, etag: w.etag }, data: { data: w.data, etag } });
        if (updated.count !== 1) {
          const exists = await tx.botState.count({ where: { key: w.key } });
          if (exists) throw new StateConflictError(w.key);
          // Two first writes racing: the loser's insert fails on the primary key and the
          // whole transaction is rolled back, as a conflict should be.
          await tx.botState.create({ data: { key: w.key, data: w.data, etag } }).catch((err: unknown) => {
            throw isUniqueViolation(err) ? new StateConflictError(w.key) : err;
          });
        }
      }
      etags.set(w.key, etag);
    }
  });
  return etags;
}

export async function deleteStates(db: PrismaClient, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.botState.deleteMany({ where: { key: { in: [...keys] } } });
}
