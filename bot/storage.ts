// botbuilder Storage on the database (BotState table), so conversations survive restarts and
// several instances share them. eTags behave as botbuilder expects: '*' or no eTag -> write;
// a stale eTag -> error; every write gets a new eTag.
import type { Storage, StoreItems } from 'botbuilder';
import type { PrismaClient } from '../services/db/index.js';
import type { TurnReadAhead } from '../services/chat-store.js';
import { deleteStates, readStates, readStatesAndActiveRequest, writeStates, type StateWrite, type StoredState } from '../services/state-store.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turn-state key of what the web chat's append read for the turn it starts (TurnReadAhead; bot/directline/bridge.ts). */
export const TURN_READ_AHEAD = Symbol('educonnect.turnReadAhead');

/** Read-aheads kept at most (a turn takes its own at once; the rest are turns that never read). */
const MAX_READ_AHEADS = 10_000;

export class DatabaseStorage implements Storage {
  /** Documents read ahead by readAhead(), by key, until the next read of that key alone. */
  private readonly ahead = new Map<string, Promise<Map<string, StoredState>>>();

  constructor(private readonly db: PrismaClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    const [only] = keys;
    const ahead = keys.length === 1 && only !== undefined ? this.ahead.get(only) : undefined;
    if (ahead && only !== undefined) this.ahead.delete(only);
    const stored = await (ahead ?? readStates(this.db, keys));
    const items: StoreItems = {};
    for (const [key, { data, etag }] of stored) {
      items[key] = { ...(isRecord(data) ? data : {}), eTag: etag };
    }
    return items;
  }

  /**
   * Reads the document `key` now, for the next read() of that key alone (a turn's first state
   * access), together with the id of the handoff request under way in the conversation
   * `conversationKey` (null when none): one statement where a parent's turn sent two. Any read
   * of the key is as good as another (writes meet on the eTag): overlapping turns of one
   * conversation may take each other's. `forget` drops it if no read took it.
   */
  readAhead(key: string, conversationKey: string): { activeRequestId: Promise<number | null>; forget(): void } {
    const read = readStatesAndActiveRequest(this.db, [key], conversationKey);
    const activeRequestId = read.then((r) => r.activeRequestId);
    // Whoever awaits it sees a failure; nobody may await it (a staff member's turn).
    activeRequestId.catch(() => undefined);
    return {
      activeRequestId,
      forget: this.keep(
        key,
        read.then((r) => r.states),
      ),
    };
  }

  /** Like readAhead, with what another statement read (the web chat's append, TurnReadAhead). */
  readAheadFrom(read: TurnReadAhead): { activeRequestId: Promise<number | null>; forget(): void } {
    return { activeRequestId: Promise.resolve(read.activeRequestId), forget: this.keep(read.stateKey, Promise.resolve(read.states)) };
  }

  /** Keeps `states` for the next read of `key` alone; returns the function that drops it if no read took it. */
  private keep(key: string, states: Promise<Map<string, StoredState>>): () => void {
    states.catch(() => undefined);
    if (this.ahead.size >= MAX_READ_AHEADS) this.ahead.clear();
    this.ahead.set(key, states);
    return () => {
      if (this.ahead.get(key) === states) this.ahead.delete(key);
    };
  }

  async write(changes: StoreItems): Promise<void> {
    const writes: StateWrite[] = Object.entries(changes).map(([key, item]: [string, unknown]) => {
      const { eTag, ...data } = isRecord(item) ? item : {};
      // The document goes through JSON as botbuilder's own storages do (drops undefined, functions).
      return { key, json: JSON.stringify(data), etag: typeof eTag === 'string' ? eTag : undefined };
    });
    await writeStates(this.db, writes);
  }

  async delete(keys: string[]): Promise<void> {
    await deleteStates(this.db, keys);
  }
}
