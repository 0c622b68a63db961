// A parent on the web chat page, as DirectLineJS talks to our Direct Line facade: token,
// start, post, and a websocket that collects what the bot pushes.
import WebSocket from 'ws';

export interface WebChatActivity {
  id: string;
  type: string;
  text?: string;
  name?: string;
  value?: unknown;
  attachments?: { contentType?: string; content?: unknown }[];
  from: { id: string; role?: string; name?: string };
}

export class WebChatParent {
  readonly received: WebChatActivity[] = [];
  private socket?: WebSocket;
  conversationId = '';
  private token = '';

  constructor(private base: string) {}

  /** Switches to another instance (same conversation, same token). */
  moveTo(base: string): void {
    this.base = base;
  }

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
  }

  /** Gets a token, starts the conversation and opens the websocket stream. */
  async open(query = ''): Promise<void> {
    const issued = (await (await fetch(`${this.base}/api/webchat/token${query}`, { method: 'POST' })).json()) as { token: string; conversationId: string };
    this.token = issued.token;
    this.conversationId = issued.conversationId;
    await this.connect();
  }

  /** (Re)opens the websocket on the current instance, from the last activity seen. */
  async connect(): Promise<void> {
    this.socket?.close();
    const res = await fetch(
      `${this.base}/v3/directline/conversations${this.conversationId && this.received.length ? `/${this.conversationId}?watermark=${this.received.length}` : ''}`,
      {
        method: this.received.length ? 'GET' : 'POST',
        headers: this.headers(),
      },
    );
    if (res.status >= 300) throw new Error(`start failed: ${res.status}`);
    const { streamUrl } = (await res.json()) as { streamUrl: string };
    const socket = new WebSocket(streamUrl);
    socket.on('message', (data: Buffer) => {
      const set = JSON.parse(data.toString('utf8')) as { activities: WebChatActivity[] };
      for (const a of set.activities) if (!this.received.some((r) => r.id === a.id)) this.received.push(a);
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.socket = socket;
  }

  async say(text: string, value?: unknown): Promise<void> {
    const res = await fetch(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ type: 'message', text, ...(value === undefined ? {} : { value }), from: { id: 'ignored' } }),
    });
    if (res.status !== 200) throw new Error(`post failed: ${res.status}`);
  }

  /** The bot's messages (not the parent's own, not events). */
  botMessages(): WebChatActivity[] {
    return this.received.filter((a) => a.from.role !== 'user' && a.type === 'message');
  }

  /** Waits until a bot message matches; returns it. */
  async waitForBot(match: (a: WebChatActivity) => boolean, what: string, timeoutMs = 10_000): Promise<WebChatActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.botMessages().find(match);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `web chat: timed out waiting for ${what}; got:\n${this.botMessages()
            .map((a) => a.text ?? '[card]')
            .join('\n')}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket?.close();
  }
}
