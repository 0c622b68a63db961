// Names of prepared statements, scoped to one client connection of the embedded database's
// server (pglite-server.ts): its connections share one PGlite session, where a statement name
// is visible to all, so each connection's names get the connection's prefix on the way in.
// Frontend messages naming a statement (PostgreSQL protocol 3):
//   Parse     'P' len name\0 query\0 …
//   Bind      'B' len portal\0 statement\0 …
//   Describe  'D' len 'S'|'P' name\0
//   Close     'C' len 'S'|'P' name\0
// The unnamed statement ("") is left alone: it lasts one exchange, and exchanges do not mix.

const PARSE = 0x50;
const BIND = 0x42;
const DESCRIBE = 0x44;
const CLOSE = 0x43;
const STATEMENT = 0x53; // 'S' in Describe and Close

export interface ScopedMessage {
  /** The message as the session must see it. */
  message: Uint8Array;
  /** A Parse of a named statement: its name on the session. */
  prepared?: string;
  /** A Close of a named statement: its name on the session. */
  closed?: string;
}

/** Where the statement name starts in `message`, or -1 when it names none. */
function statementNameOffset(message: Buffer): number {
  switch (message[0]) {
    case PARSE:
      return 5;
    case BIND: {
      const portalEnd = message.indexOf(0, 5);
      return portalEnd < 0 ? -1 : portalEnd + 1;
    }
    case DESCRIBE:
    case CLOSE:
      return message[5] === STATEMENT ? 6 : -1;
    default:
      return -1;
  }
}

/** `message` (one whole frontend message, type byte first) with its statement name prefixed. */
export function scopeStatementName(message: Buffer, prefix: string): ScopedMessage {
  const start = statementNameOffset(message);
  const end = start < 0 ? -1 : message.indexOf(0, start);
  if (end <= start) return { message: new Uint8Array(message) }; // no name, or the unnamed statement
  const name = prefix + message.toString('utf8', start, end);
  const nameBytes = Buffer.from(name, 'utf8');
  const scoped = Buffer.concat([message.subarray(0, start), nameBytes, message.subarray(end)]);
  scoped.writeInt32BE(scoped.length - 1, 1);
  const result: ScopedMessage = { message: new Uint8Array(scoped) };
  if (message[0] === PARSE) result.prepared = name;
  if (message[0] === CLOSE) result.closed = name;
  return result;
}

/** A Close of the statement `name` (its name on the session). */
export function closeStatementMessage(name: string): Uint8Array {
  const body = Buffer.from(`S${name}\0`, 'utf8');
  const message = Buffer.alloc(5 + body.length);
  message.write('C', 0, 'latin1');
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return new Uint8Array(message);
}
