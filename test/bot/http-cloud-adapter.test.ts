// The adapter's HTTP entry point (bot/adapter.ts HttpCloudAdapter.processRequest) answers as
// botbuilder's CloudAdapter.process does: method, body, activity, authentication, invoke response.
import { describe, expect, it, vi } from 'vitest';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, INVOKE_RESPONSE_KEY, type Request, type Response, type TurnContext } from 'botbuilder';
import { HttpCloudAdapter } from '../../bot/adapter.js';
import { createLogger } from '../../services/logger.js';

interface Answer {
  status?: number;
  sent: unknown[];
  ended: boolean;
  /** The request rejected (the HTTP server answers it). */
  thrown?: boolean;
}

function response(answer: Answer): Response {
  return {
    socket: undefined,
    status: (code: number) => {
      answer.status = code;
    },
    send: (...args: unknown[]) => {
      answer.sent.push(...args);
    },
    header: () => undefined,
    end: () => {
      answer.ended = true;
    },
  };
}

const message = {
  type: 'message',
  id: 'a1',
  timestamp: '2026-01-01T00:00:00.000Z',
  channelId: 'emulator',
  serviceUrl: 'http://127.0.0.1:1',
  from: { id: 'u1' },
  conversation: { id: 'c1' },
  recipient: { id: 'bot' },
  text: 'Bonjour',
};
const invoke = { ...message, type: 'invoke', name: 'test/invoke' };

type Case = [label: string, appId: string | undefined, req: Request];
const cases: Case[] = [
  ['GET', undefined, { method: 'GET', headers: {}, body: message }],
  ['no body', undefined, { method: 'POST', headers: {} }],
  ['array body', undefined, { method: 'POST', headers: {}, body: [message] as unknown as Record<string, unknown> }],
  ['text body', undefined, { method: 'POST', headers: {}, body: 'hello' as unknown as Record<string, unknown> }],
  ['no type', undefined, { method: 'POST', headers: {}, body: { ...message, type: undefined } }],
  ['empty type', undefined, { method: 'POST', headers: {}, body: { ...message, type: '' } }],
  ['message', undefined, { method: 'POST', headers: {}, body: message }],
  ['invoke', undefined, { method: 'POST', headers: {}, body: invoke }],
  ['header array', undefined, { method: 'POST', headers: { authorization: ['a', 'b'] }, body: message }],
  ['no token, app id', 'app-id', { method: 'POST', headers: {}, body: message }],
  ['bad token, app id', 'app-id', { method: 'POST', headers: { authorization: 'Bearer nonsense' }, body: message }],
];

type Logic = (context: TurnContext) => Promise<void>;

async function answers(
  make: (appId: string | undefined) => CloudAdapter,
  run: (adapter: CloudAdapter, req: Request, res: Response, logic: Logic) => Promise<void>,
) {
  const out: Record<string, Answer & { turns: number }> = {};
  for (const [label, appId, req] of cases) {
    const answer: Answer = { sent: [], ended: false };
    let turns = 0;
    const adapter = make(appId);
    adapter.onTurnError = async () => undefined;
    const logic: Logic = async (context) => {
      turns++;
      // An invoke's answer, as a handler gives it.
      if (context.activity.type === 'invoke') {
        context.turnState.set(INVOKE_RESPONSE_KEY, { type: 'invokeResponse', value: { status: 201, body: { ok: true } } });
      }
    };
    const body: unknown = req.body;
    const copy: Request = { ...req, body: typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...req.body } : req.body };
    try {
      await run(adapter, copy, response(answer), logic);
    } catch {
      answer.thrown = true;
    }
    out[label] = { ...answer, turns };
  }
  return out;
}

describe('HttpCloudAdapter.processRequest', () => {
  it('answers every request as CloudAdapter.process', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const auth = (appId: string | undefined) => new ConfigurationBotFrameworkAuthentication(appId ? { MicrosoftAppId: appId } : {});
    const theirs = await answers(
      (appId) => new CloudAdapter(auth(appId)),
      (adapter, req, res, logic) => adapter.process(req, res, logic),
    );
    const ours = await answers(
      (appId) => new HttpCloudAdapter(auth(appId), createLogger('silent')),
      (adapter, req, res, logic) => (adapter instanceof HttpCloudAdapter ? adapter.processRequest(req, res, logic) : Promise.reject(new Error('not ours'))),
    );
    expect(ours).toEqual(theirs);
    expect(theirs.GET?.status).toBe(405);
    expect(theirs['array body']?.status).toBe(400);
    expect(theirs['no token, app id']?.status).toBe(401);
    expect(theirs.invoke).toMatchObject({ status: 201, sent: [{ ok: true }], turns: 1 });
    expect(theirs.message).toMatchObject({ status: 200, turns: 1 });
    vi.restoreAllMocks();
  });
});
