// The importers' CSV splitter against csv-parse 7 with the options the importers used before it:
// the same records, line numbers and errors on real-world shapes and on random texts cut into
// random chunks.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvSplitter, CsvSyntaxError, type CsvRecord } from '../../../services/import/csv-split.js';
import { prng } from '../../helpers/prng.js';

type Outcome = { records: CsvRecord[] } | { error: string };

function csvParse(text: string): Outcome {
  try {
    const parsed = parse(text, { delimiter: ';', info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false }) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
    return { records: parsed.map((p) => ({ fields: p.record, line: p.info.lines })) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function split(text: string, cuts: number[] = []): Outcome {
  const splitter = new CsvSplitter();
  const records: CsvRecord[] = [];
  try {
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      records.push(...splitter.write(text.slice(from, cut)));
      from = cut;
    }
    records.push(...splitter.write(text.slice(from)));
    records.push(...splitter.end());
    return { records };
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    return { error: err.message };
  }
}

describe('CSV splitter', () => {
  it.each([
    ['plain lines', 'uai;ine\n0310001A;070123456AB\n0310002B;070123456AC\n'],
    ['CRLF', 'uai;ine\r\n0310001A;070123456AB\r\n0310002B;070123456AC\r\n'],
    ['old Mac line ends', 'uai;ine\r0310001A;x\r0310002B;y\r'],
    ['a cut last line', 'uai;ine\n0310001A;070123456AB\n0310002B;0701'],
    ['empty lines', '\n\nuai;ine\n\n0310001A;x\n\r\n\n'],
    ['spaces kept (the reader trims)', 'uai ; ine \n 0310001A ;  x  \n   \n'],
    ['quoted fields', 'name;city\n"DUPONT; Marie";"Saint-Denis"\n"";x\n"a""b""";"line\nbreak"\n'],
    ['quoted with CRLF', 'name;city\r\n"a\r\nb";c\r\n"x";"y"\r\n'],
    ['a quote inside a field', 'name;city\nDU"PONT;x\n'],
    ['text after a closing quote', 'name;city\n"DUPONT" M;x\n'],
    ['a multi-byte character after a closing quote', 'name;city\n"DUPONT"é;x\n'],
    ['an unclosed quote at the end', 'name;city\nx;"DUPONT;y\nz;w\n'],
    ['a stray CR in an LF file', 'a;b\nc\rd;e\nf;g\n'],
    ['a stray LF in a CRLF file', 'a;b\r\nc\nd;e\r\nf;g\r\n'],
    ['a second BOM', '\uFEFF"a";b\n'],
    ['a NUL after a closing quote', 'a\n"x"\0y\n'],
    ['wrong field counts', 'a;b;c\n1;2\n1;2;3;4\n;;\n'],
    ['accents and emoji', 'nom;prénom\nLEFÈVRE;Éloïse 😀\n"GUÉRIN";"Zoé"\n'],
    ['nothing', ''],
    ['only line breaks', '\n\r\n\n'],
  ])('%s: as csv-parse', (_name, text) => {
    const expected = csvParse(text);
    expect(split(text)).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) expect(split(text, [cut]), `cut at ${cut}`).toEqual(expected);
  });

  it('as csv-parse on random texts cut into random chunks', () => {
    const rnd = prng(12);
    const alphabet = ['a', 'b', 'é', ';', ';', '"', '"', '\n', '\n', '\r', '\r\n', ' ', '\0', '\uFEFF', '😀', 'xyz'];
    let errors = 0;
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const length = Math.floor(rnd() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(rnd() * alphabet.length)] as string;
      const cuts = Array.from({ length: Math.floor(rnd() * 4) }, () => Math.floor(rnd() * (text.length + 1)));
      const expected = csvParse(text);
      if ('error' in expected) errors++;
      expect(split(text, cuts), JSON.stringify({ text, cuts })).toEqual(expected);
    }
    // Both kinds of texts were tried.
    expect(errors).toBeGreaterThan(400);
    expect(errors).toBeLessThan(3600);
  });

  it('as csv-parse on mostly well-formed files', () => {
    const rnd = prng(7);
    for (let n = 0; n < 300; n++) {
      const eol = ['\n', '\r\n', '\r'][n % 3] as string;
      const lines: string[] = [];
      for (let l = 0; l < 30; l++) {
        const fields = Array.from({ length: 3 + Math.floor(rnd() * 2) }, () => {
          const r = rnd();
          if (r < 0.6) return `v${Math.floor(rnd() * 1000)}`;
          if (r < 0.8) return `"q;${rnd() < 0.3 ? eol : ''}${rnd() < 0.3 ? '""' : ''}x"`;
          if (r < 0.9) return '';
          return ` é ${rnd() < 0.05 ? '"' : ''}`;
        });
        lines.push(rnd() < 0.05 ? '' : fields.join(';'));
      }
      const text = lines.join(eol) + (rnd() < 0.5 ? eol : '');
      const cuts = Array.from({ length: 5 }, () => Math.floor(rnd() * (text.length + 1)));
      expect(split(text, cuts), JSON.stringify({ text, cuts })).toEqual(csvParse(text));
    }
  });
});
