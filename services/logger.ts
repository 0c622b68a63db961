// The one logger. Secrets never reach it: known secret fields are redacted, and callers log
// masked contacts (see maskEmail / maskPhone) rather than full emails or phone numbers.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** What every line logged during a request or a turn carries: its request id, conversation id… */
export type LogBindings = Record<string, string | number | undefined>;

const bindingsInScope = new AsyncLocalStorage<LogBindings>();

/**
 * Runs `fn` so that every line logged inside it (by any logger made here, in any service it
 * calls, across awaits) carries `bindings`; nested scopes add theirs. For one piece of code,
 * `log.child(bindings)` does the same.
 */
export function withLogBindings<T>(bindings: LogBindings, fn: () => T): T {
  return bindingsInScope.run({ ...bindingsInScope.getStore(), ...bindings }, fn);
}

/** Path segments that are secrets: self-service tokens, file ids, the facade's connector secret. */
const SECRET_SEGMENT = /(\/(?:activation|mot-de-passe|email|fichiers|_connector)\/)[^/?#\s"'<>]+/g;
/** Query parameters that are secrets (signed links, the web chat's stream token `t`). */
const SECRET_QUERY = /([?&](?:sig|token|code|secret|t)=)[^&#\s"'<>]+/gi;
/** A JWT anywhere in a text. */
const JWT = /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g;
/** Email addresses (SMTP errors echo recipients); '*' is allowed so that a masked one stays as is. */
const EMAIL = /[\w.%+*-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * The one redaction of free text in logs: secret path segments and query parameters, JWTs,
 * and email addresses (masked). Applied by the logger to every string it writes.
 */
export function redactText(text: string): string {
  return text
    .replace(SECRET_SEGMENT, '$1[redacted]')
    .replace(SECRET_QUERY, '$1[redacted]')
    .replace(JWT, '[redacted jwt]')
    .replace(EMAIL, (email) => maskEmail(email));
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null || depth > 6) return value;
  if (value instanceof Error) {
    const cause: unknown = value.cause;
    return {
      type: value.name,
      message: redactText(value.message),
      ...(value.stack ? { stack: redactText(value.stack) } : {}),
      ...('code' in value && typeof value.code === 'string' ? { code: value.code } : {}),
      ...(cause !== undefined ? { cause: redactValue(cause, depth + 1) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, depth + 1)]));
}

/** `destination`: where the lines go (tests capture them); default standard output. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'educonnect-assistant' },
    mixin: () => bindingsInScope.getStore() ?? {},
    redact: {
      paths: [
        'password',
        '*.password',
        'code',
        '*.code',
        'token',
        '*.token',
        'secret',
        '*.secret',
        'authorization',
        '*.authorization',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
    formatters: { log: (object) => redactValue(object, 0) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** "claire.martin@example.org" -> "c***n@example.org" */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  const first = local[0] ?? '';
  const last = local.length > 1 ? local[local.length - 1] : '';
  return `${first}***${last}${email.slice(at)}`;
}

/** "+33612345678" -> "+33******78" */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  if (phone.length <= 5) return '***';
  return phone.slice(0, 3) + '*'.repeat(phone.length - 5) + phone.slice(-2);
}
