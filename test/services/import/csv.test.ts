// The importers' file reader on what real files hold: quotes, `;` and line breaks inside quotes,
// CRLF, a BOM, trailing spaces, a cut last line, invalid UTF-8, and records that straddle the
// reader's 256 KB chunks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportFileError, scanCsvFile, type CsvCheck, type CsvRow } from '../../../services/import/csv.js';

const dir = mkdtempSync(path.join(tmpdir(), 'csv-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function scan(content: string | Buffer, required: string[] = ['a', 'b']): Promise<{ check: CsvCheck; header: string[]; rows: CsvRow[] }> {
  const file = path.join(dir, `${++n}.csv`);
  writeFileSync(file, content);
  const rows: CsvRow[] = [];
  let header: string[] = [];
  const check = await scanCsvFile(file, required, (h) => {
    header = h;
    return { row: (r) => rows.push(r), drain: async () => undefined };
  });
  return { check, header, rows };
}

describe('CSV file reader', () => {
  it('reads quotes, `;` and line breaks inside quotes, CRLF, a BOM and trailing spaces', async () => {
    const { check, header, rows } = await scan('\uFEFFA ; B \r\n"DUPONT; Marie";  x  \r\n"a ""b""";"deux\r\nlignes"\r\n\r\n 1;2;3\r\nlast;one\r\n');
    expect(header).toEqual(['a', 'b']);
    expect(rows).toEqual([
      { line: 2, fields: ['DUPONT; Marie', 'x'], fieldCount: 2 },
      // csv-parse's count, kept: a CRLF inside quotes counts as two lines.
      { line: 5, fields: ['a "b"', 'deux\r\nlignes'], fieldCount: 2 },
      { line: 7, fields: null, fieldCount: 3 },
      { line: 8, fields: ['last', 'one'], fieldCount: 2 },
    ]);
    expect(check).toMatchObject({ rows: 4, lastLine: 8, endsWithLineBreak: true });
  });

  it('trims every field as String.prototype.trim does (every kind of white space at either end, or none)', async () => {
    const spaces = [
      '',
      ' ',
      '\t',
      '\u000b',
      '\u000c',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u200a',
      '\u2028',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
      '\u0085',
      '\u200b',
      '\u001f',
      '\u007f',
    ];
    const cores = ['x', 'é', '!', '~', 'a b', '\u0085x', ''];
    const values: string[] = [];
    for (const before of spaces) for (const core of cores) for (const after of spaces) values.push(`${before}${core}${after}`);
    const { rows } = await scan(`a;b\n${values.map((v) => `${v};${v}`).join('\n')}\n`);
    const expected = values.map((v) => [v.trim(), v.trim()]);
    expect(rows.map((r) => r.fields)).toEqual(expected);
  });

  it('tells a cut last line', async () => {
    const { check, rows } = await scan('a;b\n1;2\n3;4');
    expect(rows.map((r) => r.fields)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(check).toMatchObject({ rows: 2, lastLine: 3, endsWithLineBreak: false });
  });

  it('refuses invalid UTF-8, misplaced or unclosed quotes, and an empty file', async () => {
    await expect(scan(Buffer.concat([Buffer.from('a;b\n1;2\n'), Buffer.from('é;x\n', 'latin1')]))).rejects.toThrow(
      "Le fichier n'est pas encodé en UTF-8 (octet invalide vers la ligne 1).",
    );
    await expect(scan(Buffer.from('a;b\n1;\xc3', 'latin1'))).rejects.toThrow("Le fichier n'est pas encodé en UTF-8 (fin de fichier tronquée).");
    await expect(scan('a;b\n1;2"x"\n')).rejects.toThrow(
      'Le fichier n\'est pas un CSV lisible : Invalid Opening Quote: a quote is found on field 1 at line 2, value is "2"',
    );
    await expect(scan('a;b\n"1"2;3\n')).rejects.toThrow(/^Le fichier n'est pas un CSV lisible : Invalid Closing Quote: got "2" at line 2/);
    await expect(scan('a;b\n1;"2\n3;4\n')).rejects.toThrow(
      "Le fichier n'est pas un CSV lisible : Quote Not Closed: the parsing is finished with an opening quote at line 3",
    );
    await expect(scan('')).rejects.toThrow(ImportFileError);
    await expect(scan('a;c\n1;2\n')).rejects.toThrow(/absente\(s\) de l'en-tête : b/);
  });

  it('reads records that straddle its chunks, and counts lines across them', async () => {
    // Records of varied lengths so that chunk boundaries fall inside quotes, inside a CRLF and
    // inside a two-byte character somewhere in the file.
    const lines = ['a;b'];
    for (let i = 0; i < 12_000; i++) lines.push(i % 7 === 0 ? `"q;${i}\r\nsuite";Éloïse ${'é'.repeat(i % 13)}` : `${i};${'x'.repeat(i % 50)}é`);
    const { rows, check } = await scan(`${lines.join('\r\n')}\r\n`);
    expect(rows).toHaveLength(12_000);
    let line = 1;
    rows.forEach((row, i) => {
      line += i % 7 === 0 ? 3 : 1;
      expect(row.line).toBe(line);
      expect(row.fields).toEqual(i % 7 === 0 ? [`q;${i}\r\nsuite`, `Éloïse ${'é'.repeat(i % 13)}`.trim()] : [String(i), `${'x'.repeat(i % 50)}é`]);
    });
    expect(check.lastLine).toBe(line);
  });
});
