// One row of COPY's text format, encoded straight into a byte buffer: values separated by tabs,
// NULL as \N, backslash, tab, line feed and carriage return escaped, UTF-8 (a lone surrogate as
// U+FFFD, as Buffer.write does), the line ended by \n.
//
// Why not a string per row given to Buffer.write: the line was built by ~28 concatenations,
// each string value tested with a regular expression, and the rope flattened again by the write
// (profiled at 300,000 rows: ~560 ms of the staging's ~1,800 ms of CPU, plus much of the garbage
// collection). One pass over the characters writes the bytes with no string made.
// test/services/import/copy-text.test.ts compares both on random values.

export type CopyValue = string | number | boolean | null;

/** Bytes a row may take at most: 3 per UTF-16 code unit (a surrogate pair is 4 for 2), 3 per value for its tab or \N, and the line feed. */
export function copyRowBound(row: readonly CopyValue[]): number {
  let n = 1;
  for (const v of row) n += typeof v === 'string' ? 3 * v.length + 3 : 27;
  return n;
}

/** Escapes of the ASCII characters COPY reads specially, by code (0: written as is). */
const ESCAPE = new Uint8Array(128);
ESCAPE[0x5c] = 0x5c;
ESCAPE[0x09] = 0x74;
ESCAPE[0x0a] = 0x6e;
ESCAPE[0x0d] = 0x72;

function writeText(s: string, buf: Uint8Array, at: number): number {
  let u = at;
  const len = s.length;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const e = ESCAPE[c] as number;
      if (e === 0) buf[u++] = c;
      else {
        buf[u++] = 0x5c;
        buf[u++] = e;
      }
    } else if (c < 0x800) {
      buf[u++] = 0xc0 | (c >> 6);
      buf[u++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      buf[u++] = 0xe0 | (c >> 12);
      buf[u++] = 0x80 | ((c >> 6) & 0x3f);
      buf[u++] = 0x80 | (c & 0x3f);
    } else {
      const next = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        buf[u++] = 0xf0 | (cp >> 18);
        buf[u++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[u++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[u++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        buf[u++] = 0xef;
        buf[u++] = 0xbf;
        buf[u++] = 0xbd;
      }
    }
  }
  return u;
}

/** writeCopyRow value by value (a value holds a backslash, tab or line break). */
function writeEscaped(row: readonly CopyValue[], buf: Uint8Array, at: number): number {
  let u = at;
  for (let i = 0; i < row.length; i++) {
    if (i !== 0) buf[u++] = 0x09;
    const v = row[i] as CopyValue;
    if (v === null) {
      buf[u++] = 0x5c;
      buf[u++] = 0x4e;
    } else u = writeText(typeof v === 'string' ? v : String(v), buf, u);
  }
  buf[u++] = 0x0a;
  return u;
}

/**
 * Lines of `n` plain values (\N for NULL; no backslash, tab or line break in a value), by `n`:
 * tested once on the whole line rather than once per value.
 */
const plainLines = new Map<number, RegExp>();
function plainLine(n: number): RegExp {
  let re = plainLines.get(n);
  if (!re) {
    re = new RegExp(`^(?:(?:\\\\N|[^\\\\\\t\\r\\n]*)\\t){${n - 1}}(?:\\\\N|[^\\\\\\t\\r\\n]*)$`);
    plainLines.set(n, re);
  }
  return re;
}

/** The row's values with NULL as \N, joined by tabs (reused: one row at a time). */
let scratch: (string | number | boolean)[] = [];

/** Writes the row's line at `at` (room: copyRowBound) and returns where it ends. */
export function writeCopyRow(row: readonly CopyValue[], buf: Buffer, at: number): number {
  const n = row.length;
  if (scratch.length !== n) scratch = new Array<string>(n).fill('');
  // A value '\N' must be escaped ('\\N'): it would read as NULL.
  let plain = true;
  for (let i = 0; i < n; i++) {
    const v = row[i] as CopyValue;
    if (v === null) scratch[i] = '\\N';
    else {
      scratch[i] = v;
      if (v === '\\N') plain = false;
    }
  }
  const line = scratch.join('\t');
  if (!plain || !plainLine(n).test(line)) return writeEscaped(row, buf, at);
  const u = at + buf.write(line, at);
  buf[u] = 0x0a;
  return u + 1;
}
