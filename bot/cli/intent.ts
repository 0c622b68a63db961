// `npm run --silent intent -- "<text>"`: prints the intent of the text as one JSON line
// {"intent": …, "score": …, "entities": {…}}. Without a text argument, reads one text per
// line on standard input and prints one JSON line per text, in order.
// Nothing but these JSON lines goes to standard output.
import { createInterface } from 'node:readline';
import { createRecognizer, type Recognizer } from '../recognizer/recognizer.js';

async function printIntent(recognizer: Recognizer, text: string): Promise<void> {
  const { intent, score, entities } = await recognizer.recognize(text);
  process.stdout.write(`${JSON.stringify({ intent, score, entities })}\n`);
}

async function main(): Promise<void> {
  const recognizer = await createRecognizer();
  const args = process.argv.slice(2);
  if (args.length > 0) {
    await printIntent(recognizer, args.join(' '));
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of lines) await printIntent(recognizer, line);
}

main().catch((error: unknown) => {
  process.stderr.write(`intent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
