// Staging an extract: the file is read once, each row validated (extract-rows.ts) and written,
// valid or not, to the work table import_row of the import's transaction (sql.ts
// withWorkSchema): with COPY FROM STDIN on PostgreSQL, with multi-row INSERTs on the embedded
// PGlite (its server does not speak the COPY sub-protocol). Everything after this is set-based
// SQL over that table; Node keeps nothing per row.
import { Writable } from 'node:stream';
import { once } from 'node:events';
import { identifierBaseOf, isAsciiAlphanumeric, normalizeName, normalizeUai, searchKeyOf } from '../text.js';
import { copyRowBound, writeCopyRow, type CopyValue } from './copy-text.js';
import { scanCsvFile, type CsvCheck, type CsvRow } from './csv.js';
import { EXTRACT_REQUIRED_COLUMNS, extractColumns, validate, type ExtractColumns, type RowWarning } from './extract-rows.js';
import { PLACEHOLDER, rawStatement, type Sql } from './sql.js';

/** Separates the warnings of one row in import_row.warnings (E'\\x1F' in extract-outcome.ts). */
export const WARNING_SEPARATOR = '\u001f';

type Value = CopyValue;

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

const field = (column: string): string => `coalesce(${column}, '')`;
const fields = (...columns: string[]): string => columns.map(field).join(` || E'\\t' || `);

/**
 * The data of a row's school, pupil and guardian as 64-bit hashes (s_key, p_key, g_key), which the
 * judging compares with each entity's first row (extract-decide.ts): columns the database computes
 * while the file is copied (its backend is mostly idle then: reading the file in Node is the
 * bottleneck), instead of a statement over the staged rows afterwards (1.9-2.3 s at 1,000,000 rows).
 * Two different data taken for the same would need a hash collision: about one chance in 10^13
 * for a file of a million rows. Immutable expressions only (a date as its days since 2000).
 */
const DATA_KEYS: [string, string][] = [
  ['s_key', fields('school_name', 'academy', 'degree')],
  ['p_key', fields('p_last', 'p_first', "(birth - DATE '2000-01-01')::text", 'uai', 'class_name')],
  ['g_key', fields('g_last', 'g_first', 'email', 'mobile', 'email_confirmed::text', 'mobile_confirmed::text', 'identifier', 'state', 'origin')],
];
const TABLE = [
  ...COLUMNS.map(([name, type]) => `${name} ${type}`),
  ...DATA_KEYS.map(([name, value]) => `${name} bigint GENERATED ALWAYS AS (hashtextextended(${value}, 0)) STORED`),
].join(', ');
const COLUMN_LIST = COLUMNS.map(([name]) => name).join(', ');

/**
 * Names repeat (a pupil's rows follow each other, siblings share guardians, first names far more
 * than last names): each part's normalised form is kept, up to a bound, and the search keys and
 * identifier bases are put together from the parts. Small: in a register of real, varied names
 * most last names are seen once, and 100,000 forms kept ~20 MB of heap alive for little.
 */
const NAME_CACHE = 10_000;
class Names {
  private readonly cache = new Map<string, string>();
  // The previous row's pupil: the rows of a pupil follow each other (one per guardian).
  private pupilLast = '';
  private pupilFirst = '';
  private pupilSearch = '';

  normalized(part: string): string {
    // Plain names cost less to lower-case than to look up (and keep the cache for the others).
    if (isAsciiAlphanumeric(part)) return part.toLowerCase();
    let v = this.cache.get(part);
    if (v === undefined) {
      if (this.cache.size >= NAME_CACHE) this.cache.clear();
      v = normalizeName(part);
      this.cache.set(part, v);
    }
    return v;
  }

  pupil(lastName: string, firstName: string): string {
    if (lastName !== this.pupilLast || firstName !== this.pupilFirst) {
      this.pupilSearch = searchKeyOf(this.normalized(lastName), this.normalized(firstName));
      this.pupilLast = lastName;
      this.pupilFirst = firstName;
    }
    return this.pupilSearch;
  }
}

/** The row given to the loader, filled again for each row (the loaders copy its values at once). */
const staged: Value[] = new Array<Value>(COLUMNS.length).fill(null);

/** One staged row, in COLUMNS order. */
function stagedRow(csv: CsvRow, columns: ExtractColumns, today: Date, name: Names): Value[] {
  const v = validate(csv, columns, today);
  const out = staged;
  if (!v.ok) {
    const r = v.rejected;
    out[0] = r.line;
    out[1] = false;
    out[2] = r.reason;
    // The UAI as the safety check reads it (a rejected row's link is kept, its school measured).
    out[3] = csv.fields ? normalizeUai(csv.fields[columns.at.uai] ?? '') : null;
    out[4] = r.ine ?? null;
    out[5] = r.ref ?? null;
    out.fill(null, 6);
    return out;
  }
  const r = v.row;
  const gLast = name.normalized(r.lastName);
  const gFirst = name.normalized(r.firstName);
  out[0] = r.line;
  out[1] = true;
  out[2] = null;
  out[3] = r.uai;
  out[4] = r.ine;
  out[5] = r.ref;
  out[6] = r.schoolName;
  out[7] = r.academy;
  out[8] = r.degree;
  out[9] = r.pupilLastName;
  out[10] = r.pupilFirstName;
  out[11] = name.pupil(r.pupilLastName, r.pupilFirstName);
  out[12] = r.birthDate;
  out[13] = r.level;
  out[14] = r.className;
  out[15] = r.lastName;
  out[16] = r.firstName;
  out[17] = searchKeyOf(gLast, gFirst);
  out[18] = identifierBaseOf(gFirst, gLast);
  out[19] = r.email;
  out[20] = r.mobile;
  out[21] = r.kind;
  out[22] = r.identifier;
  out[23] = r.state;
  out[24] = r.origin;
  out[25] = r.emailConfirmed;
  out[26] = r.mobileConfirmed;
  out[27] = v.warnings.length ? warningsText(v.warnings) : null;
  return out;
}

function warningsText(warnings: RowWarning[]): string {
  let text = (warnings[0] as RowWarning).reason;
  for (let i = 1; i < warnings.length; i++) text += WARNING_SEPARATOR + (warnings[i] as RowWarning).reason;
  return text;
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
 * each drain). Lines are encoded into the chunk one by one (copy-text.ts): Buffer.from of a
 * 256 KB string built by concatenation cost more than all the encoding (profiled: ~15% of the
 * staging CPU).
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
      const room = copyRowBound(row);
      if (used + room > buffer.length) write(room);
      used = writeCopyRow(row, buffer, used);
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
  const text = `INSERT INTO import_row (${COLUMN_LIST}) SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
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
  await sql.unsafe(`CREATE UNLOGGED TABLE import_row (${TABLE})`);
  const [version] = await sql.query<{ version: string }>`SELECT version() AS version`;
  const embedded = /PGlite/i.test(version?.version ?? '');
  const loader = sql.copyIn && !embedded ? copyLoader(sql.copyIn(`COPY import_row (${COLUMN_LIST}) FROM STDIN`)) : insertLoader(sql, options.chunk);
  const name = new Names();
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
  await sql.unsafe('ANALYZE import_row (line, ok, uai, ine, ref, class_name, identifier)');
  options.onRows?.(rows);
  return check;
}
