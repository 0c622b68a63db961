// The conversation state with the cheaper change check (bot/conversation-state.ts) saves
// exactly when botbuilder's ConversationState would: same writes, same documents, for the
// same sequence of turns.
import { describe, expect, it } from 'vitest';
import { ActivityTypes, ConversationState, MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { CheckedConversationState } from '../../bot/conversation-state.js';

/** A memory storage that records the documents written and the keys deleted. */
class RecordingStorage extends MemoryStorage {
  readonly writes: StoreItems[] = [];
  readonly deletes: string[][] = [];

  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)) as StoreItems);
    await super.write(changes);
  }

  override async delete(keys: string[]): Promise<void> {
    this.deletes.push([...keys]);
    await super.delete(keys);
  }
}

function turn(adapter: TestAdapter): TurnContext {
  return new TurnContext(adapter, {
    type: ActivityTypes.Message,
    channelId: 'test',
    conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' },
    from: { id: 'u1', name: 'u' },
    recipient: { id: 'bot', name: 'bot' },
    text: 'x',
  });
}

type Step = (state: ConversationState, context: TurnContext) => Promise<void>;

/** The turns of `steps` (one turn each) on botbuilder's state and on ours: what each wrote and deleted. */
async function play(steps: Step[]): Promise<{ writes: StoreItems[]; deletes: string[][]; document: unknown }[]> {
  const results = [];
  for (const make of [(s: MemoryStorage) => new ConversationState(s), (s: MemoryStorage) => new CheckedConversationState(s)]) {
    const storage = new RecordingStorage();
    const state = make(storage);
    const adapter = new TestAdapter();
    for (const step of steps) await step(state, turn(adapter));
    const key = state.getStorageKey(turn(adapter)) ?? '';
    const stored = (await storage.read([key]))[key] as Record<string, unknown> | undefined;
    const document = stored ? { ...stored, eTag: undefined } : undefined;
    results.push({
      writes: storage.writes.map((w) => JSON.parse(JSON.stringify(w, (k, v: unknown) => (k === 'eTag' ? undefined : v))) as StoreItems),
      deletes: storage.deletes,
      document,
    });
  }
  return results;
}

describe('CheckedConversationState', () => {
  it('saves when and what botbuilder saves: unchanged, changed, deep changes, undefined values, clear, delete, force', async () => {
    const steps: Step[] = [
      // Nothing loaded: nothing saved.
      async (state, context) => {
        await state.saveChanges(context);
      },
      // Loaded, unchanged: nothing saved.
      async (state, context) => {
        await state.load(context);
        await state.saveChanges(context);
      },
      async (state, context) => {
        const dialog = state.createProperty<{ stack: { id: string; state: Record<string, unknown> }[] }>('dialogState');
        await dialog.set(context, { stack: [{ id: 'root', state: { step: 0 } }] });
        await state.saveChanges(context);
        // Saved already: a second save in the same turn writes nothing.
        await state.saveChanges(context);
      },
      // A change deep inside the document.
      async (state, context) => {
        const dialog = state.createProperty<{ stack: { id: string; state: Record<string, unknown> }[] }>('dialogState');
        const value = await dialog.get(context);
        const top = value?.stack[0];
        if (top) top.state.step = 1;
        await state.saveChanges(context);
      },
      // Setting a value to what it was, or adding an undefined one: no change as JSON.
      async (state, context) => {
        await state.createProperty<boolean>('welcomed').set(context, true);
        await state.saveChanges(context);
      },
      async (state, context) => {
        await state.createProperty<boolean>('welcomed').set(context, true);
        await state.createProperty<string | undefined>('nothing').set(context, undefined);
        await state.saveChanges(context);
      },
      // Forced: written even unchanged.
      async (state, context) => {
        await state.load(context);
        await state.saveChanges(context, true);
      },
      // Cleared: an empty document is written.
      async (state, context) => {
        await state.load(context);
        await state.clear(context);
        await state.saveChanges(context);
      },
      async (state, context) => {
        await state.createProperty<number>('n').set(context, 1);
        await state.saveChanges(context);
        expect(state.get(context)).toMatchObject({ n: 1 });
      },
      // Deleted: gone from storage and from the turn.
      async (state, context) => {
        await state.load(context);
        await state.delete(context);
        expect(state.get(context)).toBeUndefined();
        await state.saveChanges(context);
      },
      async (state, context) => {
        expect(await state.load(context)).toEqual({});
        await state.saveChanges(context);
      },
    ];
    const [botbuilder, ours] = await play(steps);
    expect(botbuilder?.writes.length).toBe(6);
    expect(ours).toEqual(botbuilder);
  });
});
