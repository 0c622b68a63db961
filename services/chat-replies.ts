// The bot's replies of one web chat turn, stored together in one statement, and when the turn
// saves its conversation state, in the statement of that write: a turn's 1.4 reply statements
// on average were a quarter of its round trips (README, "Chat turns"). The replies' ids are
// given by the caller before they are stored (a dialog awaits each reply's id); their sequence
// numbers follow the last committed one, all or none: a concurrent append that took one of
// the numbers makes the statement fail on the (conversation, seq) key after that append
// commits, and it is run again, so the replies stay in order after it.
import type { PrismaClient } from './db/index.js';
import { preparedStatement, rawQuery } from './db/raw-query.js';
import { STATE_UPSERT_SQL, StateConflictError, type StateWrite } from './state-store.js';

/** Replies waiting to be stored, in order. */
export interface ChatReplies {
  conversationId: string;
  /** Each activity as JSON text (an object). */
  texts: string[];
  /** Their Direct Line ids, assigned by the caller. */
  ids: string[];
  timestamp: string;
  /** A NOTIFY sent by the same statement (services/signals.ts). */
  notify?: { channel: string; payload: string };
}

/** $1 conversation, $2 texts, $3 ids, $4 timestamp, $5/$6 NOTIFY channel and payload; the state write's $7-$10. */
function repliesSql(withState: boolean): string {
  const state = withState ? `state AS (${STATE_UPSERT_SQL('$7', '$8', '$9', '$10')} RETURNING etag), ` : '';
  return `
  WITH ${state}base AS (SELECT COALESCE(MAX(seq), 0) AS seq FROM "ChatActivity" WHERE "conversationId" = $1),
  stored AS (
    INSERT INTO "ChatActivity" ("conversationId", seq, activity)
    SELECT $1, base.seq + r.n, r.text::jsonb || jsonb_build_object('id', r.id, 'timestamp', $4::text, 'conversation', jsonb_build_object('id', $1::text))
    FROM base, unnest($2::text[], $3::text[]) WITH ORDINALITY AS r(text, id, n)
    RETURNING seq
  )
  SELECT (SELECT count(*)::int FROM stored) AS stored,
         CASE WHEN $5::text IS NOT NULL THEN pg_notify($5::text, $6::text)::text END AS notified
         ${withState ? ', (SELECT etag FROM state) AS etag' : ''}`;
}
const STORE_REPLIES = [preparedStatement('chat.replies_store', repliesSql(false)), preparedStatement('chat.replies_store_state', repliesSql(true))] as const;

const isUniqueViolation = (err: unknown): boolean => typeof err === 'object' && err !== null && Reflect.get(err, 'code') === '23505';

/**
 * Stores `replies` (all or none, in order, after the last committed activity of their
 * conversation), and with `state` writes that bot state document in the same statement (as
 * writeStates does: a stale eTag throws StateConflictError, the replies are stored all the
 * same).
 */
export async function storeChatReplies(db: PrismaClient, replies: ChatReplies, state?: StateWrite & { newEtag: string }): Promise<void> {
  const values: unknown[] = [
    replies.conversationId,
    replies.texts,
    replies.ids,
    replies.timestamp,
    replies.notify?.channel ?? null,
    replies.notify?.payload ?? null,
  ];
  if (state) values.push(state.key, state.json, state.newEtag, state.etag === undefined || state.etag === '*' ? null : state.etag);
  for (let attempt = 0; ; attempt++) {
    let rows: { stored: number; etag?: string | null }[];
    try {
      rows = await rawQuery(db, STORE_REPLIES[state ? 1 : 0], values);
    } catch (err) {
      // A concurrent append took one of the numbers (it has committed by now): again, after it.
      if (isUniqueViolation(err) && attempt < 50) continue;
      throw err;
    }
    if (state && rows[0]?.etag !== state.newEtag) throw new StateConflictError(state.key);
    return;
  }
}
