// COPY's text lines written straight into a buffer, against the string per row given to
// Buffer.from that they replaced.
import { describe, expect, it } from 'vitest';
import { copyRowBound, writeCopyRow, type CopyValue } from '../../../services/import/copy-text.js';
import { prng } from '../../helpers/prng.js';

/** The former implementation, kept as the reference. */
function reference(row: CopyValue[]): Buffer {
  const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as CopyValue;
    let text: string;
    if (v === null) text = '\\N';
    else if (typeof v === 'string') text = /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => escapes[c] as string) : v;
    else text = String(v);
    line += i === 0 ? text : `\t${text}`;
  }
  return Buffer.from(`${line}\n`);
}

const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  ';',
  '\\',
  '\\N',
  'N',
  '\t',
  '\n',
  '\r',
  '\r\n',
  'é',
  'Œ',
  '€',
  '😀',
  '\uD83D',
  '\uDE00',
  '\u0000',
  '\u007F',
  '\u0080',
  '\u07FF',
  '\u0800',
  '\uFFFF',
  '\uFEFF',
  '"',
];

function randomValue(random: () => number): CopyValue {
  const k = random();
  if (k < 0.1) return null;
  if (k < 0.15) return random() < 0.5;
  if (k < 0.2) return Math.floor(random() * 2_000_000) - 1_000;
  if (k < 0.22) return '\\N';
  let s = '';
  const length = Math.floor(random() * 8);
  for (let i = 0; i < length; i++) s += PIECES[Math.floor(random() * PIECES.length)] as string;
  return s;
}

describe('writeCopyRow', () => {
  it('writes the bytes of the former line, within copyRowBound (random rows, seeded)', () => {
    const random = prng(20261204);
    const buf = Buffer.alloc(4096);
    for (let i = 0; i < 50_000; i++) {
      const width = 1 + Math.floor(random() * 30);
      const row = Array.from({ length: width }, () => (random() < 0.7 ? `plain ${i}` : randomValue(random)));
      const at = Math.floor(random() * 16);
      const end = writeCopyRow(row, buf, at);
      expect(end - at).toBeLessThanOrEqual(copyRowBound(row));
      expect(buf.subarray(at, end).equals(reference(row)), JSON.stringify(row)).toBe(true);
    }
  });
});
