// The one logger. Secrets never reach it: known secret fields are redacted, and callers log
// masked contacts (see maskEmail / maskPhone) rather than full emails or phone numbers.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'educonnect-assistant' },
    redact: {
      paths: ['password', '*.password', 'code', '*.code', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

export const logger: Logger = createLogger();

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
