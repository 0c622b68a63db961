// Errors that mean "the database is not answering now" (pool exhausted, connection refused
// or lost, a timeout fired), as opposed to a bug: callers answer 503 with Retry-After, never 500.

/** Prisma codes: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 connection closed, P2024 pool timeout, P2028 transaction could not start. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** PostgreSQL SQLSTATE: 57014 statement timeout, 25P03 idle-in-transaction timeout, 57P01-57P03 shutdown, 08xxx connection. */
const PG_CODES = /^(57014|25P03|57P0[1-3]|08\d{3})$/;
const MESSAGES =
  /timeout|timed out|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|Connection terminated|Unable to start a transaction|Can't reach database|connection (?:is )?closed|DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/i;

const field = (err: object, name: string): unknown => (name in err ? (err as Record<string, unknown>)[name] : undefined);

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false;
  const code = field(err, 'code');
  if (typeof code === 'string' && (PRISMA_CODES.has(code) || PG_CODES.test(code))) return true;
  const message = field(err, 'message');
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  const kind = field(err, 'kind');
  if (typeof kind === 'string' && MESSAGES.test(kind)) return true;
  return isDatabaseUnavailable(field(err, 'cause'), depth + 1);
}
