// The `;`-separated text of the importers' files, split into records the way csv-parse 7 did with
// the options they used (delimiter `;`, quote and escape `"`, record delimiter taken from the
// first line break: \r\n, \n or \r; empty lines skipped; records of every length; strict quotes):
// the same fields, the same line numbers (csv-parse's `info.lines`, the line a record ends on,
// where a \r or \n that is not the record delimiter also counts), the same errors and messages.
// test/services/import/csv-split.test.ts compares both on random and real-world texts.
//
// Why not csv-parse: it looks at every byte through several method calls and hands out one
// record per stream event; here a line without `"`, \r or stray \n (nearly all lines) is found
// with indexOf and split in one call, and the records of a chunk are returned together. Lines
// with quotes go through a character loop that follows csv-parse's own state machine.

/** The text is not CSV (a quote misplaced or never closed); the message is csv-parse's. */
export class CsvSyntaxError extends Error {}

/** One record: its fields as written (not trimmed) and csv-parse's line number. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

const FIELD = ';';
const QUOTE = '"';

/** The first byte of a character's UTF-8 form, as a character (csv-parse names that byte in an error). */
function firstByte(text: string, at: number): string {
  const code = text.codePointAt(at) ?? 0;
  if (code < 0x80) return String.fromCharCode(code);
  if (code < 0x800) return String.fromCharCode(0xc0 | (code >> 6));
  if (code < 0x10000) return String.fromCharCode(0xe0 | (code >> 12));
  return String.fromCharCode(0xf0 | (code >> 18));
}

/** Feed text with `write`, then `end`; each returns the records completed so far. Throws CsvSyntaxError. */
export class CsvSplitter {
  /** The record delimiter, '' until the first line break outside quotes. */
  private delimiter = '';
  /** csv-parse's `info.lines`, and its "a line break was just read" (counted at the next character). */
  private line = 1;
  private pendingBreak = false;
  // A record being read character by character (quotes, stray line breaks).
  private quoting = false;
  private wasQuoting = false;
  private escaping = false;
  private field = '';
  private record: string[] = [];
  /** Text not decided yet (a line without its end, a character whose next one is needed). */
  private rest = '';

  write(text: string): CsvRecord[] {
    return this.run(this.rest + text, false);
  }

  end(): CsvRecord[] {
    return this.run(this.rest, true);
  }

  private run(buf: string, end: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const len = buf.length;
    // Where the next quote and line breaks are (len when none): a line is split at once when
    // it holds none of them.
    let nextQuote = -1;
    let nextCr = -1;
    let nextLf = -1;
    let pos = 0;
    this.rest = '';
    while (pos < len) {
      const delimiter = this.delimiter;
      if (delimiter !== '' && !this.quoting && !this.wasQuoting && this.field === '' && this.record.length === 0) {
        // (A line whose end is not in this text yet goes through the character loop.)
        const stop = buf.indexOf(delimiter, pos);
        if (stop !== -1) {
          if (nextQuote < pos) nextQuote = buf.indexOf(QUOTE, pos) >>> 0;
          if (nextCr < pos) nextCr = buf.indexOf('\r', pos) >>> 0;
          if (nextLf < pos) nextLf = buf.indexOf('\n', pos) >>> 0;
          if (nextQuote >= stop && nextCr >= stop && nextLf >= stop) {
            // The first character read (of the line, or its delimiter) counts the previous break.
            if (this.pendingBreak) this.line++;
            if (stop > pos) out.push({ fields: buf.slice(pos, stop).split(FIELD), line: this.line });
            this.pendingBreak = true;
            pos = stop + delimiter.length;
            continue;
          }
        }
      }
      const next = this.step(buf, pos, end, out);
      if (next === -1) break;
      pos = next;
    }
    if (pos < len) this.rest = buf.slice(pos);
    else if (end) this.finish(out);
    return out;
  }

  /** Reads the character at `pos` as csv-parse does; returns the next position, or -1 to wait for more text. */
  private step(buf: string, pos: number, end: boolean, out: CsvRecord[]): number {
    const left = buf.length - pos - 1;
    if (!end && left < Math.max(this.delimiter.length || 2, this.quoting ? 1 + this.delimiter.length : 0, this.quoting ? 2 : 0)) return -1;
    if (this.pendingBreak) {
      this.line++;
      this.pendingBreak = false;
    }
    if (this.delimiter === '' && !this.quoting) this.discover(buf, pos);
    const c = buf[pos] as string;
    if (c === '\r' || c === '\n') this.pendingBreak = true;
    if (this.escaping) {
      this.escaping = false;
      this.field += c;
      return pos + 1;
    }
    if (c === QUOTE) {
      if (this.quoting) {
        if (pos + 1 < buf.length && buf[pos + 1] === QUOTE) {
          this.escaping = true;
          return pos + 1;
        }
        const next = buf[pos + 1];
        const atDelimiter = this.delimiter === '' ? this.discover(buf, pos + 1) : buf.startsWith(this.delimiter, pos + 1);
        if (next === undefined || next === '\0' || next === FIELD || atDelimiter) {
          this.quoting = false;
          this.wasQuoting = true;
          return pos + 1;
        }
        throw new CsvSyntaxError(
          `Invalid Closing Quote: got "${firstByte(buf, pos + 1)}" at line ${this.line} instead of delimiter, record delimiter, trimable character (if activated) or comment`,
        );
      }
      if (this.field !== '') {
        const bom = this.field === '\uFEFF' ? ' (utf8 bom)' : '';
        throw new CsvSyntaxError(
          `Invalid Opening Quote: a quote is found on field ${this.record.length} at line ${this.line}, value is ${JSON.stringify(this.field)}${bom}`,
        );
      }
      this.quoting = true;
      return pos + 1;
    }
    if (!this.quoting) {
      if (this.delimiter !== '' && buf.startsWith(this.delimiter, pos)) {
        if (this.wasQuoting || this.record.length !== 0 || this.field !== '') {
          this.endField();
          out.push({ fields: this.record, line: this.line });
          this.record = [];
        }
        return pos + this.delimiter.length;
      }
      if (c === FIELD) {
        this.endField();
        return pos + 1;
      }
    }
    this.field += c;
    return pos + 1;
  }

  /** csv-parse takes the first \r\n, \n or \r it meets outside quotes as the record delimiter. */
  private discover(buf: string, pos: number): boolean {
    if (buf.startsWith('\r\n', pos)) this.delimiter = '\r\n';
    else if (buf[pos] === '\n') this.delimiter = '\n';
    else if (buf[pos] === '\r') this.delimiter = '\r';
    else return false;
    return true;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.wasQuoting = false;
  }

  private finish(out: CsvRecord[]): void {
    if (this.quoting) throw new CsvSyntaxError(`Quote Not Closed: the parsing is finished with an opening quote at line ${this.line}`);
    if (this.wasQuoting || this.record.length !== 0 || this.field !== '') {
      this.endField();
      out.push({ fields: this.record, line: this.line });
      this.record = [];
    }
  }
}
