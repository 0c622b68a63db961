// The conversation so far, for the agents' card and the handoff event: the web chat's
// stored activities (other channels keep no transcript here), as masked lines.
import type { ServiceContext } from '../context.js';
import { listChatActivities } from '../chat-store.js';
import type { TranscriptLine } from '../../cards/handoff/request-card.js';
import { maskText } from './mask.js';

const WEB_CHAT_PREFIX = 'conversation:directline:';
const LINES = 15;

export async function conversationTranscript(ctx: ServiceContext, conversationKey: string): Promise<TranscriptLine[]> {
  if (!conversationKey.startsWith(WEB_CHAT_PREFIX)) return [];
  const id = conversationKey.slice(WEB_CHAT_PREFIX.length);
  const lines: TranscriptLine[] = [];
  let watermark = 0;
  for (;;) {
    const page = await listChatActivities(ctx, id, watermark, { limit: 200 });
    if (!page) break;
    for (const a of page.activities) {
      if (a.type !== 'message') continue;
      const from = typeof a.from === 'object' && a.from !== null && !Array.isArray(a.from) ? a.from.role : undefined;
      const text = typeof a.text === 'string' && a.text.trim() ? a.text.trim() : a.value !== undefined || Array.isArray(a.attachments) ? '[carte]' : '';
      if (text) lines.push({ from: from === 'user' ? 'Parent' : 'Assistant', text: maskText(text).slice(0, 300) });
    }
    if (page.watermark === watermark || page.activities.length < 200) break;
    watermark = page.watermark;
  }
  return lines.slice(-LINES);
}
