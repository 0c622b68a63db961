import { describe, expect, it } from 'vitest';
import { INTENT_NAMES } from '../../../bot/recognizer/recognizer.js';
import { runCommand, type CommandRun } from '../../helpers/command.js';

/** Runs `npm run --silent intent -- …args`, feeding `input` on standard input. */
const runIntent = (args: string[], input = ''): Promise<CommandRun> => runCommand('npm', ['run', '--silent', 'intent', '--', ...args], { input });

const lineSchema = (line: string): { intent: string; score: number; entities: Record<string, unknown> } => {
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`not an object: ${line}`);
  const { intent, score, entities } = parsed as Record<string, unknown>;
  if (typeof intent !== 'string' || typeof score !== 'number' || typeof entities !== 'object' || entities === null) {
    throw new Error(`bad shape: ${line}`);
  }
  expect(Object.keys(parsed)).toEqual(['intent', 'score', 'entities']);
  return { intent, score, entities: entities as Record<string, unknown> };
};

describe('npm run intent', () => {
  it('prints exactly one JSON line for a text argument', async () => {
    const run = await runIntent(["Bonjour. J'ai perdu mon identifiant p.dupont12, pouvez-vous m'aider ?"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const result = lineSchema(lines[0] ?? '');
    expect(result.intent).toBe('lost_identifier');
    expect(result.score).toBeGreaterThan(0);
    expect(result.score).toBeLessThanOrEqual(1);
    expect(result.entities).toEqual({ identifier: ['p.dupont12'] });
  });

  it('reads one text per line on standard input and answers in order', async () => {
    const texts = ['jai oublié mon mdp', 'quelle est la météo demain', '', 'statistiques de la CM1 A en pdf', '😀', "je n'ai pas reçu le mail d'activation"];
    const run = await runIntent([], `${texts.join('\r\n')}\n`);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(texts.length);
    const results = lines.map(lineSchema);
    for (const r of results) expect(INTENT_NAMES).toContain(r.intent);
    expect(results.map((r) => r.intent)).toEqual(['lost_password', 'none', 'none', 'statistics', 'none', 'activation_mail']);
    expect(results[3]?.entities).toEqual({ level: ['CM1'], className: ['CM1 A'], channel: ['sheet'], format: ['pdf'] });
  });
});
