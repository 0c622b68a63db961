// Records the conversation references proactive messages need (services/conversation-refs.ts),
// as activities arrive: every Teams team the bot hears from (its serviceUrl and tenant), the
// personal chat of any staff member who talks to the bot (e.g. directors to notify), and the
// conversation of any parent.
import type { Activity } from 'botbuilder';
import type { Actor } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import { conversationKey, saveConversationRef, staffKey, teamKey } from '../services/conversation-refs.js';
import { referenceOf } from './proactive.js';

function channelDataField(activity: Partial<Activity>, ...path: string[]): string | undefined {
  let value: unknown = activity.channelData;
  for (const name of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, name);
  }
  return typeof value === 'string' && value ? value : undefined;
}

export async function recordReferences(ctx: ServiceContext, activity: Partial<Activity>, actor: Actor): Promise<void> {
  if (!activity.serviceUrl || !activity.conversation?.id || !activity.channelId) return;
  if (activity.type !== 'message' && activity.type !== 'conversationUpdate' && activity.type !== 'installationUpdate') return;
  const reference = referenceOf(activity);
  const tenantId = channelDataField(activity, 'tenant', 'id') ?? activity.conversation.tenantId;
  const teamId = channelDataField(activity, 'team', 'id');
  if (teamId) {
    await saveConversationRef(
      ctx,
      teamKey(teamId),
      'team',
      { ...reference, conversation: { id: teamId, isGroup: true, conversationType: 'channel', tenantId } },
      { tenantId },
    );
  }
  const personal = !activity.conversation.isGroup && (activity.conversation.conversationType ?? 'personal') === 'personal';
  if (actor.kind === 'director' || actor.kind === 'agent' || actor.kind === 'admin') {
    if (personal) await saveConversationRef(ctx, staffKey(actor.staffId), 'staff', reference, { tenantId, staffId: actor.staffId });
  } else if ((actor.kind === 'anonymous' || actor.kind === 'guardian') && personal && activity.type === 'message') {
    await saveConversationRef(ctx, conversationKey(activity.channelId, activity.conversation.id), 'conversation', reference, { tenantId });
  }
}
