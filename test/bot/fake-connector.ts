// A fake Bot Connector (the channel side the Emulator plays): receives the bot's replies on
// 127.0.0.1 as the Bot Connector API, so HTTP tests can read what the bot said.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  conversationId: string;
  replyToId?: string;
  type: string;
  text?: string;
  from?: { id?: string; name?: string };
  attachments?: unknown[];
}

export interface FakeConnector {
  url: string;
  received: ReceivedActivity[];
  /** Waits until `count` activities of `conversationId` have arrived; returns them. */
  waitFor(conversationId: string, count: number, timeoutMs?: number): Promise<ReceivedActivity[]>;
  close(): Promise<void>;
}

const ROUTE = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const received: ReceivedActivity[] = [];
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'POST' || !match?.[1]) {
      res.writeHead(404);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ReceivedActivity, 'conversationId' | 'replyToId'>;
      received.push({ ...body, conversationId: decodeURIComponent(match[1] ?? ''), replyToId: match[2] && decodeURIComponent(match[2]) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${++counter}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(conversationId, count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mine = received.filter((a) => a.conversationId === conversationId);
        if (mine.length >= count) return mine;
        if (Date.now() > deadline) throw new Error(`expected ${count} activities in ${conversationId}, got ${mine.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
