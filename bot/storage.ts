// botbuilder Storage on the database (BotState table), so conversations survive restarts and
// several instances share them. eTags behave as botbuilder expects: '*' or no eTag -> write;
// a stale eTag -> error; every write gets a new eTag.
import type { Storage, StoreItems } from 'botbuilder';
import type { PrismaClient } from '../services/db/index.js';
import { deleteStates, readStates, writeStates, type StateWrite } from '../services/state-store.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class DatabaseStorage implements Storage {
  constructor(private readonly db: PrismaClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    const stored = await readStates(this.db, keys);
    const items: StoreItems = {};
    for (const [key, { data, etag }] of stored) {
      items[key] = { ...(isRecord(data) ? data : {}), eTag: etag };
    }
    return items;
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
