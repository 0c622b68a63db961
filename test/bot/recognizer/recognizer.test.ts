import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import heldOut from '../../../bot/recognizer/corpus/test.json' with { type: 'json' };
import training from '../../../bot/recognizer/corpus/train.json' with { type: 'json' };
import { normalizeUtterance } from '../../../bot/recognizer/normalize.js';
import { createRecognizer, INTENT_NAMES, type IntentName, type Recognizer } from '../../../bot/recognizer/recognizer.js';

let recognizer: Recognizer;
let cacheDir: string;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'intent-cache-'));
  recognizer = await createRecognizer({ cacheDir: null });
});

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const corpusEntries = (corpus: Record<string, string[]>): [string, string[]][] => Object.entries(corpus);

describe('corpus', () => {
  it('covers every intent of formats/intents.md and nothing else, with at least 40 utterances each', () => {
    expect(Object.keys(training).sort()).toEqual([...INTENT_NAMES].sort());
    expect(Object.keys(heldOut).sort()).toEqual([...INTENT_NAMES].sort());
    for (const [intent, utterances] of corpusEntries(training)) {
      expect(utterances.length, intent).toBeGreaterThanOrEqual(40);
    }
    for (const [intent, utterances] of corpusEntries(heldOut)) {
      expect(utterances.length, intent).toBeGreaterThanOrEqual(15);
    }
  });

  it('keeps the held-out split out of training (not even after normalisation)', () => {
    const trained = new Set(Object.values(training).flat().map(normalizeUtterance));
    const leaked = Object.values(heldOut)
      .flat()
      .filter((u) => normalizeUtterance(u) !== '' && trained.has(normalizeUtterance(u)));
    expect(leaked).toEqual([]);
  });
});

describe('held-out accuracy', () => {
  it('recognises at least 90% of the held-out split', async () => {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    const perIntent: string[] = [];
    for (const [intent, utterances] of corpusEntries(heldOut)) {
      let ok = 0;
      for (const text of utterances) {
        const { intent: got } = await recognizer.recognize(text);
        if (got === intent) ok += 1;
        else misses.push(`${intent} -> ${got}: ${text}`);
      }
      right += ok;
      total += utterances.length;
      perIntent.push(`${intent} ${ok}/${utterances.length}`);
    }
    const accuracy = right / total;
    console.log(`Held-out accuracy: ${(accuracy * 100).toFixed(1)}% (${right}/${total})\n${perIntent.join(', ')}\nMisses:\n${misses.join('\n')}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('how people really write', () => {
  const cases: [string, IntentName][] = [
    ['jai oublié mon mdp', 'lost_password'],
    ['identifiant perdu svp', 'lost_identifier'],
    ['mon fils nest pas sur mon compte', 'regroup_accounts'],
    ['jrecois pas le mail', 'activation_mail'],
    ["Bonjour. J'ai perdu mon identifiant, pouvez-vous m'aider ?", 'lost_identifier'],
    ["Bonjour, jai oublié mon mot de passe. Merci d'avance", 'lost_password'],
    ["bonjour je n'ai pas reçu le mail d'activation merci", 'activation_mail'],
    ['Bonjour,\nmon fils n’apparaît pas sur mon compte.\nCordialement', 'regroup_accounts'],
    ['MOT DE PASSE OUBLIÉ !!!', 'lost_password'],
    ['mot de pase oublier', 'lost_password'],
    ['identifaint perdu', 'lost_identifier'],
    ['c koi mon login', 'lost_identifier'],
    ['reset mon password stp', 'lost_password'],
    ['je ne reçois pas le mail pour activer', 'activation_mail'],
    ['date de naisance refuser', 'wrong_birth_date'],
    ['numero de telefone pas reconu', 'mobile_not_recognised'],
    ['je vx parler a 1 conseiller', 'human_agent'],
    ['jsuis perdu', 'help'],
    ['slt', 'greeting'],
    ['merci bcp', 'thanks'],
    ['bonne soirée, au revoir', 'goodbye'],
    ['stats de la CM1 A', 'statistics'],
    ['renotifier les non notifiés de CM1 A par mail', 'renotify'],
    ['réinitialiser le mdp de p.dupont12', 'reset_password'],
    ['renvoie le mail d’activation à m.martin', 'resend_activation'],
    ['export csv des comptes de 6e B', 'list_accounts'],
    ['chercher le responsable jean.dupont@gmail.com', 'find_account'],
    ['I cannot remember my login', 'lost_identifier'],
    ['password reset please', 'lost_password'],
    ['no activation mail', 'activation_mail'],
    ["merci, j'ai bien reçu le mail d'activation", 'thanks'],
    ["Merci !! C'est top.", 'thanks'],
    ['ok merci', 'thanks'],
  ];
  it.each(cases)('%s -> %s', async (text, intent) => {
    const result = await recognizer.recognize(text);
    expect(result.intent).toBe(intent);
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThanOrEqual(1);
  });
});

describe('out of scope gives none', () => {
  const cases = [
    'quelle est la météo demain',
    'je veux commander une pizza',
    'asdkjh qwe',
    '12345',
    '😀',
    '🙂👍🎉',
    '',
    '   ',
    '?!',
    'qui est le président de la République',
    'ma voiture ne démarre pas',
    'recette du gâteau au chocolat',
    'horaires de la déchetterie',
    'zorglub bidule machin',
    'bonjour, quelle est la météo demain ?',
    'Bonjour, je voudrais commander une pizza. Merci',
  ];
  it.each(cases)('%j -> none', async (text) => {
    const result = await recognizer.recognize(text);
    expect(result.intent).toBe('none');
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(1);
  });
});

describe('hostile input never throws', () => {
  const cases = [
    "'; DROP TABLE guardians; --",
    '<script>alert("x")</script><img src=x onerror=alert(1)>',
    '\u0000\u0001\u0007\u001b[31m',
    '\u202e\u200f mot de passe \u202d\u2066',
    '\ud800\udfff\ud800',
    '${7*7}{{7*7}}%s%n',
    'Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤',
    '99/99/9999 31/02/2016 2016-13-45',
    '@@@.@@@',
    'x.'.repeat(5000),
    'a'.repeat(10_000),
    'mot de passe '.repeat(800),
    '06 '.repeat(4000),
  ];
  it.each(cases.map((c) => [c.slice(0, 40), c]))('%j', async (_label, text) => {
    const result = await recognizer.recognize(text);
    expect(INTENT_NAMES).toContain(result.intent);
    expect(result.score).toBeGreaterThanOrEqual(0);
    expect(result.score).toBeLessThanOrEqual(1);
  });
});

describe('model cache', () => {
  it('stores the trained model keyed by the corpus and gives the same answers from it', async () => {
    const first = await createRecognizer({ cacheDir });
    const files = await readdir(cacheDir);
    expect(files.filter((f) => f.startsWith('educonnect-intent-') && f.endsWith('.json'))).toHaveLength(1);
    const second = await createRecognizer({ cacheDir });
    for (const text of ['jai oublié mon mdp', 'stats de la CM1 A', 'quelle est la météo demain']) {
      expect(await second.recognize(text)).toEqual(await first.recognize(text));
    }
  });

  it('trains a different model for a different corpus', async () => {
    const small = await createRecognizer({
      cacheDir,
      corpus: { greeting: ['bonjour', 'salut'], thanks: ['merci', 'merci beaucoup'] },
    });
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    expect((await small.recognize('bonjour')).intent).toBe('greeting');
  });
});
