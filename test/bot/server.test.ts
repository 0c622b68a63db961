// Graceful shutdown: closing the server lets a turn under way finish and answer.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';

/** A root dialog whose answer waits until the test releases it. */
class SlowDialog extends Dialog {
  started!: Promise<void>;
  private markStarted!: () => void;
  release!: () => void;
  private released!: Promise<void>;

  constructor() {
    super('slow');
    this.reset();
  }

  reset(): void {
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    this.released = new Promise((resolve) => (this.release = resolve));
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    this.markStarted();
    await this.released;
    await dc.context.sendActivity('Réponse après une longue attente.');
    return dc.endDialog();
  }
}

let app: TestApp;
const dialog = new SlowDialog();

beforeAll(async () => {
  app = await startTestApp({ rootDialog: dialog });
  await resetDatabase(app.ctx.db);
});
afterAll(async () => {
  await app.close();
});

describe('graceful shutdown', () => {
  it('stops accepting but lets the turn under way finish', async () => {
    const auth = async (): Promise<{ token: string; conversationId: string }> => {
      const res = await fetch(`${app.url}/api/webchat/token`, { method: 'POST' });
      return (await res.json()) as { token: string; conversationId: string };
    };
    const { token, conversationId } = await auth();
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect((await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers })).status).toBe(201);

    const pending = fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'message', text: 'une question' }),
    });
    await dialog.started;
    expect(app.app.tracker.size).toBe(1);

    let closed = false;
    const closing = app.app.close(10_000).then(() => {
      closed = true;
    });
    // Closing has begun (new connections are refused) but waits for the turn.
    await vi.waitFor(async () => {
      await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
    });
    expect(closed).toBe(false);

    dialog.release();
    const res = await pending;
    expect(res.status).toBe(200);
    await closing;
    expect(closed).toBe(true);
    const stored = await app.ctx.db.chatActivity.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } });
    expect(stored.map((r) => (r.activity as { text?: string }).text)).toContain('Réponse après une longue attente.');
  });
});
