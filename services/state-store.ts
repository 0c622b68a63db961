// Database side of the bot state (conversation and user state): JSON documents keyed by
// string, with optimistic concurrency on an eTag. The botbuilder Storage adapter is
// bot/storage.ts; this file knows nothing of botbuilder. A turn reads its document with one
// prepared statement and writes it with another, on the pg pool (services/db/raw-query.ts).
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from './db/index.js';
import { preparedStatement, rawQuery } from './db/raw-query.js';
import { activeRequestIdSql } from './handoff/requests.js';

export interface StoredState {
  data: Prisma.JsonValue;
  etag: string;
}

export interface StateWrite {
  key: string;
  /** The document as JSON text. */
  json: string;
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

const READ = preparedStatement('state.read', 'SELECT key, data, etag FROM "BotState" WHERE key = ANY($1::text[])');
/**
 * An upsert whose update applies only when the stored eTag is the expected one ($4) or none
 * is expected; two first writes racing meet on the primary key and the second sees the
 * first's eTag. No row back = the stored eTag differs.
 */
const WRITE = preparedStatement(
  'state.write',
  `INSERT INTO "BotState" (key, data, etag, "updatedAt") VALUES ($1, $2::jsonb, $3, now())
   ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, etag = EXCLUDED.etag, "updatedAt" = now()
   WHERE $4::text IS NULL OR "BotState".etag = $4
   RETURNING etag`,
);
const DELETE = preparedStatement('state.delete', 'DELETE FROM "BotState" WHERE key = ANY($1::text[])');

export async function readStates(db: PrismaClient, keys: readonly string[]): Promise<Map<string, StoredState>> {
  const result = new Map<string, StoredState>();
  if (keys.length === 0) return result;
  const rows = await rawQuery<{ key: string; data: Prisma.JsonValue; etag: string }>(db, READ, [keys]);
  for (const row of rows) result.set(row.key, { data: row.data, etag: row.etag });
  return result;
}

/** The document of the key `placeholder` as SQL: a json object {data, etag}, or null (for a statement that reads it with other work). */
export const stateDocumentSql = (placeholder: string): string =>
  `SELECT json_build_object('data', data, 'etag', etag) FROM "BotState" WHERE key = ${placeholder}`;

/** A document as stateDocumentSql returns it (null: none), as readStates gives it. */
export function statesOf(key: string, document: unknown): Map<string, StoredState> {
  const states = new Map<string, StoredState>();
  if (typeof document !== 'object' || document === null) return states;
  const data: unknown = Reflect.get(document, 'data');
  const etag: unknown = Reflect.get(document, 'etag');
  if (typeof etag === 'string') states.set(key, { data: data ?? null, etag });
  return states;
}

/** READ and the id of the handoff request under way in a conversation ($2), in one statement: always one row or more. */
const READ_WITH_ACTIVE_REQUEST = preparedStatement(
  'state.read_with_handoff',
  `SELECT s.key, s.data, s.etag, h.id AS "activeRequestId"
   FROM (SELECT 1) one
   LEFT JOIN (${activeRequestIdSql('$2')}) h ON true
   LEFT JOIN "BotState" s ON s.key = ANY($1::text[])`,
);

/**
 * The documents of `keys` and the id of the handoff request under way in the conversation
 * `conversationKey` (null when none), in one statement: a parent's turn needs both first.
 */
export async function readStatesAndActiveRequest(
  db: PrismaClient,
  keys: readonly string[],
  conversationKey: string,
): Promise<{ states: Map<string, StoredState>; activeRequestId: number | null }> {
  const rows = await rawQuery<{ key: string | null; data: Prisma.JsonValue; etag: string | null; activeRequestId: number | null }>(
    db,
    READ_WITH_ACTIVE_REQUEST,
    [keys, conversationKey],
  );
  const states = new Map<string, StoredState>();
  for (const row of rows) if (row.key !== null && row.etag !== null) states.set(row.key, { data: row.data, etag: row.etag });
  return { states, activeRequestId: rows[0]?.activeRequestId ?? null };
}

/** A statement's rows: on the pool (rawQuery) or in a transaction. */
type Run = (values: readonly unknown[]) => Promise<unknown[]>;

/** Writes one document in one statement (WRITE). */
async function writeOne(run: Run, w: StateWrite, etag: string): Promise<void> {
  const expected = w.etag === undefined || w.etag === '*' ? null : w.etag;
  const rows = await run([w.key, w.json, etag, expected]);
  if (rows.length !== 1) throw new StateConflictError(w.key);
}

/**
 * Write every document, all or nothing; each gets a new eTag (returned by key). A
 * conditional write whose eTag does not match the stored one throws StateConflictError and
 * nothing is written. One document (what botbuilder's state saves) is one statement, no
 * transaction; several are one transaction.
 */
export async function writeStates(db: PrismaClient, writes: readonly StateWrite[]): Promise<Map<string, string>> {
  const planned = writes.map((w) => [w, randomUUID()] as const);
  const writeAll = async (run: Run): Promise<void> => {
    for (const [w, etag] of planned) await writeOne(run, w, etag);
  };
  if (planned.length === 1) await writeAll((values) => rawQuery(db, WRITE, values));
  else if (planned.length > 1) await db.$transaction((tx) => writeAll((values) => tx.$queryRawUnsafe<unknown[]>(WRITE.text, ...values)));
  return new Map(planned.map(([w, etag]) => [w.key, etag]));
}

export async function deleteStates(db: PrismaClient, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await rawQuery(db, DELETE, [keys]);
}
