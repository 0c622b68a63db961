// Hostile, empty, huge or strange messages: none crashes a turn, each gets a polite reply,
// none is echoed back, whether nothing is going on or a question is waiting.
import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { dialogClient, say, turnText } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld();

const NAUGHTY: [string, string | Partial<Activity>][] = [
  ['empty', ''],
  ['spaces', '   \n\t  '],
  ['10k characters', 'lorem ipsum '.repeat(850)],
  ['10k characters of a request', 'mot de passe perdu '.repeat(530)],
  ['10k emoji', '😀'.repeat(5000)],
  ['one emoji', '🙂'],
  ['flags and ZWJ', '👨‍👩‍👧‍👦🇫🇷'],
  ['script tag', '<script>alert("xss")</script>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['SQL', '\'; DROP TABLE "Guardian"; --'],
  ['template', '${7*7} {{7*7}} #{7*7}'],
  ['format string', '%s%s%s%n'],
  ['null byte', 'abc\u0000def'],
  ['RTL override', '\u202Eetalpmet'],
  ['zero width', '\u200B\u200C\u200D\uFEFF'],
  ['zalgo', 'Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ ̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳'],
  ['markdown link', '[cliquez ici](javascript:alert(1))'],
  ['null', 'null'],
  ['undefined', 'undefined'],
  ['__proto__', '__proto__'],
  ['huge number', '1'.repeat(400)],
  ['fake card value', { type: 'message', value: { nonce: 42, choice: { evil: true } } }],
  ['value without text', { type: 'message', value: 'x'.repeat(5000) }],
  ['forged nonce', { type: 'message', value: { nonce: 'x'.repeat(99), choice: 'sms' } }],
];

const ECHOES = ['<script>', 'onerror', 'DROP TABLE', '49', 'javascript:', '__proto__', 'undefined', 'null', 'NaN', '[object Object]'];

async function expectPolite(replies: Partial<Activity>[]): Promise<void> {
  expect(replies.length).toBeGreaterThan(0);
  const text = turnText(replies);
  expect(text).not.toContain(MESSAGES.error);
  for (const e of ECHOES) expect(text).not.toContain(e);
}

describe('naughty messages', () => {
  it.each(NAUGHTY)('nothing going on: %s', async (_name, input) => {
    const client = dialogClient(await parentRoot(ctx));
    await expectPolite(await say(client, input));
    // The conversation goes on.
    await say(client, 'annuler');
    expect(turnText(await say(client, "J'ai perdu mon identifiant"))).toContain('Comment souhaitez-vous recevoir votre identifiant ?');
  });

  it.each(NAUGHTY)('while a question waits: %s', async (_name, input) => {
    const client = dialogClient(await parentRoot(ctx));
    await say(client, "J'ai perdu mon mot de passe");
    const replies = await say(client, input);
    await expectPolite(replies);
    expect(turnText(replies)).toContain('identifiant');
  });
});
