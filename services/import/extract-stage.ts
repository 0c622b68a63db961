// Staging an extract: the file is read once, each row validated (extract-rows.ts) and written,
// valid or not, to the work table import_row of the import's transaction (sql.ts
// withWorkSchema): with COPY FROM STDIN on PostgreSQL, with multi-row INSERTs on the embedded
// PGlite (its server does not speak the COPY sub-protocol). Everything after this is set-based
// SQL over that table; Node keeps nothing per row.
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { identifierBaseOf, normalizeName, normalizeUai, searchKeyOf } from '../text.js';
import { scanCsvFile, type CsvCheck, type CsvRow } from './csv.js';
import { EXTRACT_REQUIRED_COLUMNS, extractColumns, validate, type ExtractColumns } from './extract-rows.js';
import { PLACEHOLDER, rawStatement, type Sql } from './sql.js';

/** Separates the warnings of one row in import_row.warnings (E'\\x1F' in extract-outcome.ts). */
export const WARNING_SEPARATOR = '\u001f';

type Value = string | number | boolean | null;

/** The columns of import_row, in order, with their SQL types. */
const COLUMNS: [string, string][] = [
  ['line', 'int'],
  ['ok', 'boolean'],
  ['reason', 'text'],
  ['uai', 'text'],
  ['ine', 'text'],
  ['ref', 'text'],
  ['school_name', 'text'],
  ['academy', 'text'],
  ['degree', 'text'],
  ['p_last', 'text'],
  ['p_first', 'text'],
  ['p_search', 'text'],
  ['birth', 'date'],
  ['level', 'text'],
  ['class_name', 'text'],
  ['g_last', 'text'],
  ['g_first', 'text'],
  ['g_search', 'text'],
  ['id_base', 'text'],
  ['email', 'text'],
  ['mobile', 'text'],
  ['kind', 'text'],
  ['identifier', 'text'],
  ['state', 'text'],
  ['origin', 'text'],
  ['email_confirmed', 'boolean'],
  ['mobile_confirmed', 'boolean'],
  ['warnings', 'text'],
];
const INVALID_PADDING: Value[] = new Array<Value>(COLUMNS.length - 6).fill(null);

/**
 * Names repeat (a pupil's rows follow each other, siblings share guardians, first names far more
 * than last names): each part's normalised form is kept, up to a bound, and the search keys and
 * identifier bases are put together from the parts. Small: in a register of real, varied names
 * most last names are seen once, and 100,000 forms kept ~20 MB of heap alive for little.
 */
const NAME_CACHE = 10_000;
interface Names {
  search: (lastName: string, firstName: string) => string;
  base: (firstName: string, lastName: string) => string;
}
function names(): Names {
  const cache = new Map<string, string>();
  const normalized = (part: string): string => {
    let v = cache.get(part);
    if (v === undefined) {
      if (cache.size >= NAME_CACHE) cache.clear();
      v = normalizeName(part);
      cache.set(part, v);
    }
    return v;
  };
  return {
    search: (lastName, firstName) => searchKeyOf(normalized(lastName), normalized(firstName)),
    base: (firstName, lastName) => identifierBaseOf(normalized(firstName), normalized(lastName)),
  };
}

/** One staged row, in COLUMNS order. */
function stagedRow(csv: CsvRow, columns: ExtractColumns, today: Date, name: Names): Value[] {
  const v = validate(csv, columns, today);
  if (!v.ok) {
    const r = v.rejected;
    // The UAI as the safety check reads it (a rejected row's link is kept, its school measured).
    const uai = csv.fields ? normalizeUai(csv.fields[columns.at.uai] ?? '') : null;
    return [r.line, false, r.reason, uai, r.ine ?? null, r.ref ?? null, ...INVALID_PADDING];
  }
  const r = v.row;
  return [
    r.line,
    true,
    null,
    r.uai,
    r.ine,
    r.ref,
    r.schoolName,
    r.academy,
    r.degree,
    r.pupilLastName,
    r.pupilFirstName,
    name.search(r.pupilLastName, r.pupilFirstName),
    r.birthDate,
    r.level,
    r.className,
    r.lastName,
    r.firstName,
    name.search(r.lastName, r.firstName),
    name.base(r.firstName, r.lastName),
    r.email,
    r.mobile,
    r.kind,
    r.identifier,
    r.state,
    r.origin,
    r.emailConfirmed,
    r.mobileConfirmed,
    v.warnings.length ? v.warnings.map((w) => w.reason).join(WARNING_SEPARATOR) : null,
  ];
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One line of COPY's text format. */
function copyLine(row: Value[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as Value;
    let text: string;
    if (v === null) text = '\\N';
    else if (typeof v === 'string') text = COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] as string) : v;
    else text = String(v);
    line += i === 0 ? text : `\t${text}`;
  }
  return `${line}\n`;
}

interface Loader {
  add(row: Value[]): void;
  /** Awaited between chunks of the file: writes what is due, waits while the database is behind. */
  drain(): Promise<void>;
  end(): Promise<void>;
  /** Stops a load that failed (COPY: CopyFail, so that the connection can roll back). */
  abort(err: Error): Promise<void>;
}

/** Bytes per write to COPY. */
const COPY_CHUNK = 256 * 1024;

/**
 * COPY FROM STDIN, written in chunks of about 256 KB (the stream's back-pressure is honoured at
 * each drain). Lines are encoded into the chunk one by one: Buffer.from of a 256 KB string built
 * by concatenation cost more than all the encoding (profiled: ~15% of the staging CPU).
 */
function copyLoader(stream: Writable): Loader {
  let failed: Error | undefined;
  stream.on('error', (err: Error) => {
    failed = err;
  });
  let buffer = Buffer.allocUnsafe(COPY_CHUNK);
  let used = 0;
  let full = false;
  const write = (room: number): void => {
    if (failed) throw failed;
    if (used) full = !stream.write(buffer.subarray(0, used)) || full;
    buffer = Buffer.allocUnsafe(Math.max(COPY_CHUNK, room));
    used = 0;
  };
  const drain = async (): Promise<void> => {
    if (failed) throw failed;
    if (full) await once(stream, 'drain');
    full = false;
  };
  return {
    add(row) {
      const line = copyLine(row);
      // At most three bytes of UTF-8 per UTF-16 code unit.
      if (used + line.length * 3 > buffer.length) write(line.length * 3);
      used += buffer.write(line, used);
    },
    drain,
    async end() {
      write(0);
      await drain();
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
      if (failed) throw failed;
    },
    async abort(err) {
      if (stream.destroyed) return;
      const closed = once(stream, 'close').catch(() => undefined);
      stream.destroy(err);
      await closed;
    },
  };
}

/** Multi-row INSERTs of `chunk` rows (one array parameter per column). */
function insertLoader(sql: Sql, chunk: number): Loader {
  const empty = (): Value[][] => COLUMNS.map(() => []);
  let columns = empty();
  const due: Value[][][] = [];
  const text = `INSERT INTO import_row SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
  const strings = rawStatement(text, PLACEHOLDER);
  const drain = async (): Promise<void> => {
    for (let values = due.shift(); values; values = due.shift()) await sql.execute(strings, ...values);
  };
  const close = (): void => {
    if (!(columns[0] as Value[]).length) return;
    due.push(columns);
    columns = empty();
  };
  return {
    add(row) {
      row.forEach((v, i) => (columns[i] as Value[]).push(v));
      if ((columns[0] as Value[]).length >= chunk) close();
    },
    drain,
    async end() {
      close();
      await drain();
    },
    abort: async () => undefined,
  };
}

export interface StageOptions {
  today: Date;
  /** Rows per INSERT (embedded database) and between two progress calls. */
  chunk: number;
  onRows?: (rowsRead: number) => void;
}

/** Creates import_row (dropped with the work schema), reads the whole file into it and returns what the reading found. Throws ImportFileError. */
export async function stageExtract(sql: Sql, file: string, options: StageOptions): Promise<CsvCheck> {
  await sql.unsafe(`CREATE UNLOGGED TABLE import_row (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`);
  const [version] = await sql.query<{ version: string }>`SELECT version() AS version`;
  const embedded = /PGlite/i.test(version?.version ?? '');
  const loader = sql.copyIn && !embedded ? copyLoader(sql.copyIn(`COPY import_row FROM STDIN`)) : insertLoader(sql, options.chunk);
  const name = names();
  let rows = 0;
  let check: CsvCheck;
  try {
    check = await scanCsvFile(file, EXTRACT_REQUIRED_COLUMNS, (header) => {
      const columns = extractColumns(header);
      return {
        row: (csv) => {
          loader.add(stagedRow(csv, columns, options.today, name));
          if (++rows % options.chunk === 0) options.onRows?.(rows);
        },
        drain: () => loader.drain(),
      };
    });
  } catch (err) {
    // A COPY in progress is ended first: the connection could not roll back otherwise.
    await loader.abort(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
  await loader.end();
  // Autovacuum never sees a table of an open transaction: without this the planner guesses its size from
  // its pages and its columns' values blindly.
  await sql.unsafe('ANALYZE import_row');
  options.onRows?.(rows);
  return check;
}
