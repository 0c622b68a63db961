// Streaming reader of the `;`-separated UTF-8 files delivered to the importers. None of the
// readers keeps more than the current chunk and record in memory.
// - `scanCsvFile` reads a file once: header checked first, every row passed on as it comes,
//   the whole file proven readable (UTF-8, CSV syntax) by the time it returns (the extract
//   import stages the rows in its transaction and applies nothing before that).
// - `checkCsvFile` then `readCsvRows`: the file proven readable first, then its rows streamed
//   (the staff directory).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';

/** The file cannot be imported at all (missing, not UTF-8, not CSV, header incomplete): nothing was changed. */
export class ImportFileError extends Error {}

/** A data row: its line number in the file and its values by (lower-case) column name. */
export interface CsvRow {
  line: number;
  /** null when the row does not have as many fields as the header. */
  values: Record<string, string> | null;
  fieldCount: number;
}

export interface CsvCheck {
  header: string[];
  rows: number;
  bytes: number;
  /** Line number of the last data row (0 without one). */
  lastLine: number;
  /** False when the last line has no line break: the file was probably cut (a failed transfer). */
  endsWithLineBreak: boolean;
}

/** Decodes UTF-8 strictly (a stray Latin-1 byte is an error, not a replacement character); drops a BOM. */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private line = 1;

  constructor() {
    super({ readableObjectMode: false, decodeStrings: true });
  }

  private push_(text: string): void {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
    if (text) this.push(text);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.push_(this.decoder.decode(chunk, { stream: true }));
      done();
    } catch {
      done(new ImportFileError(`Le fichier n'est pas encodé en UTF-8 (octet invalide vers la ligne ${this.line}).`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.push_(this.decoder.decode());
      done();
    } catch {
      done(new ImportFileError(`Le fichier n'est pas encodé en UTF-8 (fin de fichier tronquée).`));
    }
  }
}

function openFile(file: string): Readable {
  return createReadStream(file, { highWaterMark: 256 * 1024 });
}

const normalizeHeader = (h: string): string => h.trim().toLowerCase();

interface Parsed {
  record: string[];
  info: { lines: number };
}

async function* records(file: string): AsyncGenerator<Parsed> {
  const parser = parse({ delimiter: ';', info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false });
  const source = openFile(file).pipe(new StrictUtf8());
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  try {
    for await (const item of parser as AsyncIterable<Parsed>) yield item;
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`Le fichier n'est pas un CSV lisible : ${(err as Error).message}`);
  } finally {
    source.destroy();
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new ImportFileError(`${file} n'est pas un fichier.`);
    return s.size;
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`Fichier introuvable ou illisible : ${file}`);
  }
}

function checkHeader(raw: string[] | undefined, required: readonly string[]): string[] {
  if (!raw) throw new ImportFileError("Le fichier est vide : la ligne d'en-tête est obligatoire.");
  const header = raw.map(normalizeHeader);
  const duplicate = header.find((h, i) => h !== '' && header.indexOf(h) !== i);
  if (duplicate) throw new ImportFileError(`La colonne « ${duplicate} » apparaît deux fois dans l'en-tête.`);
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new ImportFileError(`Colonne(s) obligatoire(s) absente(s) de l'en-tête : ${missing.join(', ')}. ` + 'Le séparateur attendu est « ; ».');
  }
  return header;
}

async function lastByte(file: string, bytes: number): Promise<number | undefined> {
  if (bytes === 0) return undefined;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1);
    await handle.read(buffer, 0, 1, bytes - 1);
    return buffer[0];
  } finally {
    await handle.close();
  }
}

/** Proves the whole file readable before anything is changed. Throws ImportFileError. */
export async function checkCsvFile(file: string, required: readonly string[]): Promise<CsvCheck> {
  const bytes = await fileSize(file);
  let header: string[] | undefined;
  let rows = 0;
  let lastLine = 0;
  for await (const { record, info } of records(file)) {
    if (!header) {
      header = checkHeader(record, required);
      continue;
    }
    rows++;
    lastLine = info.lines;
  }
  const last = await lastByte(file, bytes);
  return { header: checkHeader(header, required), rows, bytes, lastLine, endsWithLineBreak: last === 0x0a || last === 0x0d };
}

function csvRow(record: string[], line: number, header: string[]): CsvRow {
  if (record.length !== header.length) return { line, values: null, fieldCount: record.length };
  const values: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) {
    const h = header[i] as string;
    if (h) values[h] = (record[i] as string).trim();
  }
  return { line, values, fieldCount: record.length };
}

/** Streams the data rows of a file already checked by `checkCsvFile`. */
export async function* readCsvRows(file: string): AsyncGenerator<CsvRow> {
  let header: string[] | undefined;
  for await (const { record, info } of records(file)) {
    if (!header) header = record.map(normalizeHeader);
    else yield csvRow(record, info.lines, header);
  }
}

/** Reads a file once: the header is checked first, then `visit` gets every data row. Throws ImportFileError (at any point of the file). */
export async function scanCsvFile(
  file: string,
  required: readonly string[],
  visit: (row: CsvRow, header: string[]) => Promise<void> | void,
): Promise<CsvCheck> {
  const bytes = await fileSize(file);
  let header: string[] | undefined;
  let rows = 0;
  let lastLine = 0;
  for await (const { record, info } of records(file)) {
    if (!header) {
      header = checkHeader(record, required);
      continue;
    }
    rows++;
    lastLine = info.lines;
    await visit(csvRow(record, info.lines, header), header);
  }
  const last = await lastByte(file, bytes);
  return { header: checkHeader(header, required), rows, bytes, lastLine, endsWithLineBreak: last === 0x0a || last === 0x0d };
}

/**
 * Runs `use` on a file path: the given path, or a temporary copy of a stream (the staff import
 * reads twice, and a cut file is told by its last byte). The copy is removed afterwards.
 */
export async function withFile<T>(source: string | Readable, use: (file: string) => Promise<T>): Promise<T> {
  if (typeof source === 'string') return use(source);
  const dir = await mkdtemp(path.join(tmpdir(), 'educonnect-import-'));
  const file = path.join(dir, 'upload.csv');
  try {
    await pipeline(source, createWriteStream(file));
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
