// Streaming reader of the `;`-separated UTF-8 files delivered to the importers (split by
// csv-split.ts). None of the readers keeps more than the current chunk's records in memory.
// - `scanCsvFile` reads a file once: header checked first, every row passed on as it comes,
//   the whole file proven readable (UTF-8, CSV syntax) by the time it returns (the extract
//   import stages the rows in its transaction and applies nothing before that).
// - `checkCsvFile` then `readCsvRows`: the file proven readable first, then its rows streamed
//   (the staff directory).
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvSplitter, type CsvRecord } from './csv-split.js';

/** The file cannot be imported at all (missing, not UTF-8, not CSV, header incomplete): nothing was changed. */
export class ImportFileError extends Error {}

/** A data row: its line number in the file and its values, trimmed, in the header's order. */
export interface CsvRow {
  line: number;
  /** null when the row does not have as many fields as the header. */
  fields: string[] | null;
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

/**
 * Bytes read at a time. Small enough that the text of a read stays a regular heap object (up to
 * 128 KB: 48 K characters in two bytes each, plus a line carried over): with 256 KB reads each
 * text went to the large-object space, and the fields sliced from it kept it there until a full
 * collection (1,000,000 rows staged: heap 129 MB at its peak, 66 MB with 48-64 KB reads).
 */
const READ_SIZE = 48 * 1024;

const normalizeHeader = (h: string): string => h.trim().toLowerCase();

function countLineFeeds(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The records of a file, those of each READ_SIZE bytes together: UTF-8 decoded strictly (a stray
 * Latin-1 byte is an error, not a replacement character; a BOM is dropped), split by CsvSplitter.
 * Throws ImportFileError.
 */
async function* recordChunks(file: string): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const splitter = new CsvSplitter();
  // One buffer read into again and again (the decoder copies what it needs): a new buffer per
  // read is external memory that only a full garbage collection gives back.
  const chunk = Buffer.allocUnsafe(READ_SIZE);
  let handle: FileHandle | undefined;
  let line = 1;
  const decode = (chunk?: Buffer): string => {
    try {
      const text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      line += countLineFeeds(text);
      return text;
    } catch {
      throw new ImportFileError(
        chunk
          ? `Le fichier n'est pas encodé en UTF-8 (octet invalide vers la ligne ${line}).`
          : `Le fichier n'est pas encodé en UTF-8 (fin de fichier tronquée).`,
      );
    }
  };
  try {
    handle = await open(file, 'r');
    for (let read = await handle.read(chunk, 0, chunk.length, null); read.bytesRead > 0; read = await handle.read(chunk, 0, chunk.length, null)) {
      yield splitter.write(decode(chunk.subarray(0, read.bytesRead)));
    }
    yield [...splitter.write(decode()), ...splitter.end()];
  } catch (err) {
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`Le fichier n'est pas un CSV lisible : ${(err as Error).message}`);
  } finally {
    await handle?.close();
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
  return scanCsvFile(file, required, () => ({ row: () => undefined, drain: async () => undefined }));
}

/** Could `trim` change the text? Not when it begins and ends with printable ASCII (nearly every field: 16 calls a row saved). */
function mayNeedTrim(s: string): boolean {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  return !(first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f);
}

function csvRow({ fields, line }: CsvRecord, header: string[]): CsvRow {
  if (fields.length !== header.length) return { line, fields: null, fieldCount: fields.length };
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (mayNeedTrim(field)) fields[i] = field.trim();
  }
  return { line, fields, fieldCount: fields.length };
}

/** A row's values by (lower-case) column name; columns without a name are left out. */
export function valuesByName(header: string[], fields: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  header.forEach((h, i) => {
    if (h) values[h] = fields[i] as string;
  });
  return values;
}

/** Streams the data rows of a file already checked by `checkCsvFile`. */
export async function* readCsvRows(file: string): AsyncGenerator<CsvRow> {
  let header: string[] | undefined;
  for await (const records of recordChunks(file)) {
    for (const record of records) {
      if (!header) header = record.fields.map(normalizeHeader);
      else yield csvRow(record, header);
    }
  }
}

/** What `scanCsvFile` gives the rows of a file to. */
export interface RowSink {
  /** Every data row, in order, synchronously. */
  row(row: CsvRow): void;
  /** Awaited after the rows of each READ_SIZE bytes of the file (back-pressure). */
  drain(): Promise<void>;
}

/**
 * Reads a file once: the header is checked first, then the sink `open` returns for it gets
 * every data row. Throws ImportFileError (at any point of the file).
 */
export async function scanCsvFile(file: string, required: readonly string[], open: (header: string[]) => RowSink): Promise<CsvCheck> {
  const bytes = await fileSize(file);
  let header: string[] | undefined;
  let sink: RowSink | undefined;
  let rows = 0;
  let lastLine = 0;
  for await (const records of recordChunks(file)) {
    for (const record of records) {
      if (!header || !sink) {
        header = checkHeader(record.fields, required);
        sink = open(header);
        continue;
      }
      rows++;
      lastLine = record.line;
      sink.row(csvRow(record, header));
    }
    await sink?.drain();
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
