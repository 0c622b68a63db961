// One error handler for every turn: a polite French answer, and the conversation starts
// afresh (its state is cleared) so that the user is not stuck in a broken dialog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { TURN_ERROR_MESSAGE } from '../../bot/adapter.js';
import { resetDatabase } from '../helpers/db.js';
import { startTestApp, type TestApp } from '../helpers/server.js';

/** Asks a question, then fails when the answer is "panne". */
class FragileDialog extends Dialog {
  constructor() {
    super('fragile');
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await dc.context.sendActivity('Première question ?');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.text === 'panne') throw new Error('simulated failure');
    await dc.context.sendActivity('Merci.');
    return dc.endDialog();
  }
}

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ rootDialog: new FragileDialog() });
  await resetDatabase(app.ctx.db);
});
afterAll(async () => {
  await app.close();
});

describe('onTurnError', () => {
  it('apologises in French and clears the conversation state', async () => {
    const { token, conversationId } = (await (await fetch(`${app.url}/api/webchat/token`, { method: 'POST' })).json()) as {
      token: string;
      conversationId: string;
    };
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST', headers });
    // After the greeting of the start.
    let { watermark } = (await (await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, { headers })).json()) as {
      watermark: string;
    };
    const exchange = async (text: string): Promise<string[]> => {
      const sent = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'message', text }),
      });
      expect(sent.status).toBe(200);
      const res = await fetch(`${app.url}/v3/directline/conversations/${conversationId}/activities?watermark=${watermark}`, { headers });
      const page = (await res.json()) as { activities: { text?: string; from: { role?: string } }[]; watermark: string };
      watermark = page.watermark;
      return page.activities.filter((a) => a.from.role === 'bot').map((a) => a.text ?? '');
    };
    expect(await exchange('une demande')).toEqual(['Première question ?']);
    const key = `directline/conversations/${conversationId}/`;
    expect(await app.ctx.db.botState.count({ where: { key } })).toBe(1);

    expect(await exchange('panne')).toEqual([TURN_ERROR_MESSAGE]);
    expect(await app.ctx.db.botState.count({ where: { key } })).toBe(0);
    // Afresh: the dialog starts again instead of resuming the broken step.
    expect(await exchange('autre chose')).toEqual(['Première question ?']);
  });
});
