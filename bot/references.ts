// Records the conversation references proactive messages need (services/conversation-refs.ts),
// as activities arrive: every Teams team the bot hears from (its serviceUrl and tenant), the
// personal chat of any staff member who talks to the bot (e.g. directors to notify), and the
// conversation of any parent. What a conversation last recorded is kept in its own state (a
// fingerprint and when): an unchanged reference is written again once a minute at most, so
// most turns send no statement for it, on whichever instance they run.
import { createHash } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Actor } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import {
  conversationKey,
  saveConversationRef,
  REFERENCE_REFRESH_MS,
  staffKey,
  teamKey,
  type ConversationRefKind,
  type ConversationReferenceJson,
} from '../services/conversation-refs.js';
import { referenceOf } from './proactive.js';

/** What a conversation last recorded (kept in its conversation state). */
export interface RecordedReferences {
  fingerprint: string;
  at: number;
}

interface ReferenceToSave {
  key: string;
  kind: ConversationRefKind;
  reference: ConversationReferenceJson;
  extra: { tenantId?: string; staffId?: string };
}

function channelDataField(activity: Partial<Activity>, ...path: string[]): string | undefined {
  let value: unknown = activity.channelData;
  for (const name of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, name);
  }
  return typeof value === 'string' && value ? value : undefined;
}

/** The references this activity gives. The activity's own id is left out: it changes every turn and no proactive message uses it. */
function referencesOf(activity: Partial<Activity>, actor: Actor): ReferenceToSave[] {
  if (!activity.serviceUrl || !activity.conversation?.id || !activity.channelId) return [];
  if (activity.type !== 'message' && activity.type !== 'conversationUpdate' && activity.type !== 'installationUpdate') return [];
  const reference: ConversationReferenceJson = { ...referenceOf(activity), activityId: undefined };
  const tenantId = channelDataField(activity, 'tenant', 'id') ?? activity.conversation.tenantId;
  const teamId = channelDataField(activity, 'team', 'id');
  const out: ReferenceToSave[] = [];
  if (teamId) {
    const team = { ...reference, conversation: { id: teamId, isGroup: true, conversationType: 'channel', tenantId } };
    out.push({ key: teamKey(teamId), kind: 'team', reference: team, extra: { tenantId } });
  }
  const personal = !activity.conversation.isGroup && (activity.conversation.conversationType ?? 'personal') === 'personal';
  if (actor.kind === 'director' || actor.kind === 'agent' || actor.kind === 'admin') {
    if (personal) out.push({ key: staffKey(actor.staffId), kind: 'staff', reference, extra: { tenantId, staffId: actor.staffId } });
  } else if ((actor.kind === 'anonymous' || actor.kind === 'guardian') && personal && activity.type === 'message') {
    out.push({ key: conversationKey(activity.channelId, activity.conversation.id), kind: 'conversation', reference, extra: { tenantId } });
  }
  return out;
}

/** Where a conversation keeps what it last recorded (its conversation state). */
export interface ReferencesMemory {
  last(): Promise<RecordedReferences | undefined>;
  remember(recorded: RecordedReferences): Promise<void>;
}

/** Saves the references of this activity, unless this conversation recorded the same ones less than a minute ago. */
export async function recordReferences(ctx: ServiceContext, activity: Partial<Activity>, actor: Actor, memory: ReferencesMemory): Promise<void> {
  const refs = referencesOf(activity, actor);
  if (refs.length === 0) return;
  const fingerprint = createHash('sha256').update(JSON.stringify(refs)).digest('base64url').slice(0, 22);
  const now = ctx.now().getTime();
  const last = await memory.last();
  if (last?.fingerprint === fingerprint && now - last.at < REFERENCE_REFRESH_MS) return;
  for (const r of refs) await saveConversationRef(ctx, r.key, r.kind, r.reference, r.extra);
  await memory.remember({ fingerprint, at: now });
}
