// A fake Teams Bot Connector on 127.0.0.1: channel threads (POST /v3/conversations with
// isGroup and channelData.channel.id), posts into conversations, and in-place updates
// (PUT /v3/conversations/:id/activities/:activityId). It can refuse the next calls (5xx) to
// test retries. Tests read what each conversation shows now (updates applied).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TeamsMessage {
  id: string;
  conversationId: string;
  type: string;
  text?: string;
  attachments?: { contentType?: string; content?: unknown }[];
  value?: unknown;
  name?: string;
  /** How many times it was replaced in place. */
  updates: number;
}

export interface CreatedThreadRecord {
  conversationId: string;
  channelId: string;
  tenantId?: string;
  isGroup: boolean;
}

export interface FakeTeams {
  url: string;
  threads: CreatedThreadRecord[];
  /** Messages per conversation, in arrival order (updated in place by PUT). */
  messages(conversationId: string): TeamsMessage[];
  /** Every message of every conversation. */
  all(): TeamsMessage[];
  /** Refuses the next `count` calls with HTTP `status`. */
  refuseNext(count: number, status?: number): void;
  refusedCount(): number;
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const CREATE = /^\/v3\/conversations\/?$/;
const POST = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startFakeTeams(): Promise<FakeTeams> {
  const threads: CreatedThreadRecord[] = [];
  const byConversation = new Map<string, TeamsMessage[]>();
  let counter = 0;
  let refuse = 0;
  let refuseStatus = 503;
  let refused = 0;

  const add = (conversationId: string, body: Record<string, unknown>): TeamsMessage => {
    const list = byConversation.get(conversationId) ?? [];
    const message: TeamsMessage = {
      id: String(++counter),
      conversationId,
      type: typeof body.type === 'string' ? body.type : 'message',
      text: typeof body.text === 'string' ? body.text : undefined,
      attachments: Array.isArray(body.attachments) ? (body.attachments as TeamsMessage['attachments']) : undefined,
      value: body.value,
      name: typeof body.name === 'string' ? body.name : undefined,
      updates: 0,
    };
    list.push(message);
    byConversation.set(conversationId, list);
    return message;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (refuse > 0) {
        refuse--;
        refused++;
        send(refuseStatus, { error: { code: 'ServiceError', message: 'refused by the fake connector' } });
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'POST' && CREATE.test(path)) {
        const channelData = (body.channelData ?? {}) as { channel?: { id?: string }; tenant?: { id?: string } };
        const channelId = channelData.channel?.id;
        if (!channelId || body.isGroup !== true) {
          send(400, { error: { code: 'BadArgument', message: 'isGroup and channelData.channel.id are required' } });
          return;
        }
        const first = (body.activity ?? {}) as Record<string, unknown>;
        const placeholder = `${channelId};messageid=${counter + 1}`;
        const message = add(placeholder, first);
        threads.push({ conversationId: placeholder, channelId, tenantId: channelData.tenant?.id, isGroup: true });
        send(201, { id: placeholder, activityId: message.id });
        return;
      }
      const match = POST.exec(path);
      const conversationId = match?.[1] ? decodeURIComponent(match[1]) : undefined;
      if (req.method === 'POST' && conversationId) {
        send(200, { id: add(conversationId, body).id });
        return;
      }
      if (req.method === 'PUT' && conversationId && match?.[2]) {
        const list = byConversation.get(conversationId) ?? [];
        const target = list.find((m) => m.id === decodeURIComponent(match[2] ?? ''));
        if (!target) {
          send(404, { error: { code: 'NotFound', message: 'no such activity' } });
          return;
        }
        target.text = typeof body.text === 'string' ? body.text : undefined;
        target.attachments = Array.isArray(body.attachments) ? (body.attachments as TeamsMessage['attachments']) : undefined;
        target.updates++;
        send(200, { id: target.id });
        return;
      }
      send(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    threads,
    messages: (id) => byConversation.get(id) ?? [],
    all: () => [...byConversation.values()].flat(),
    refuseNext(count, status = 503) {
      refuse = count;
      refuseStatus = status;
    },
    refusedCount: () => refused,
    async waitFor(probe, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
