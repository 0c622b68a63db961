// botbuilder's ConversationState with a cheaper change check. botbuilder keeps a hash of the
// document to save it only when a turn changed it: its own JSON.stringify with a replacer
// function (which takes V8 off its fast serialiser) then SHA-256, when the turn loads the
// document and twice when it saves it. Here the document's plain JSON text is kept and
// compared instead: the same decision (the same text, without the eTag), for less CPU.
import { ConversationState, type TurnContext } from 'botbuilder';

/** A document as a turn loaded it, with its JSON text when it was loaded or last saved ('' = save it). */
interface Cached {
  state: Record<string, unknown>;
  json: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The document's JSON text as the change check sees it: without its eTag, as botbuilder's hash. */
function documentJson(state: Record<string, unknown>): string {
  const data: Record<string, unknown> = { ...state };
  delete data.eTag;
  return JSON.stringify(data);
}

export class CheckedConversationState extends ConversationState {
  /** Turn-state key of the turn's document (BotState keeps its own under a private key, unused here). */
  private readonly cacheKey = Symbol('conversationState');

  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const item: unknown = items[key];
    const state = isRecord(item) ? item : {};
    context.turnState.set(this.cacheKey, { state, json: documentJson(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey) ?? { state: {}, json: '' };
    // Serialised once: compared with the text loaded, then kept as the text saved (the eTag is not part of it).
    const json = documentJson(cached.state);
    if (!force && (!context.turnState.has(this.cacheKey) || cached.json === json)) return;
    const key = await this.storageKey(context);
    cached.state.eTag = '*';
    await this.storage.write({ [key]: cached.state });
    cached.json = json;
    context.turnState.set(this.cacheKey, cached);
  }

  override async clear(context: TurnContext): Promise<void> {
    context.turnState.set(this.cacheKey, { state: {}, json: '' } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(this.cacheKey);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    const cached = context.turnState.get<Cached | undefined>(this.cacheKey);
    return typeof cached === 'object' && typeof cached.state === 'object' ? cached.state : undefined;
  }
}
