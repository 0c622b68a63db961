// How an outbox row leaves the building: email through a pooled SMTP transport (nodemailer),
// SMS through the HTTP gateway (POST {"to","text"}). Each sender either resolves (sent) or
// throws a DeliveryError saying whether trying again could help.
import type nodemailer from 'nodemailer';
import type { ServiceSettings } from '../context.js';
import { lazyModule } from '../lazy-module.js';
import { SENDER_NAME } from './templates.js';

export class DeliveryError extends Error {
  constructor(
    /** true: retrying cannot help (5xx SMTP reply, 4xx from the gateway). */
    readonly permanent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** What a sender needs of an outbox row. */
export interface OutgoingRow {
  id: string;
  recipient: string;
  subject: string | null;
  textBody: string;
  htmlBody: string | null;
}

export type Sender = (row: OutgoingRow) => Promise<void>;

export interface Transports {
  email?: Sender;
  sms?: Sender;
  close(): void;
}

const SEND_TIMEOUT_MS = 30_000;

/** nodemailer (~3 MB of heap) is loaded when an SMTP transport is configured, not by every instance. */
const mailer = lazyModule<typeof nodemailer>('nodemailer');

function smtpFailure(err: unknown): DeliveryError {
  const e = err as { responseCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = (typeof e.message === 'string' ? e.message : String(err)).slice(0, 300);
  // 5xx: the server refused for good. 4xx, connection errors, timeouts: try again later.
  if (code !== undefined && code >= 500) return new DeliveryError(true, `SMTP ${code}: ${text}`);
  return new DeliveryError(false, code !== undefined ? `SMTP ${code}: ${text}` : `${typeof e.code === 'string' ? e.code : 'SMTP'}: ${text}`);
}

export function createMailSender(settings: ServiceSettings): { send: Sender; close(): void } | undefined {
  if (!settings.mail.smtpUrl) return undefined;
  const transport = mailer().createTransport({
    url: settings.mail.smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: 500,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  const from = { name: SENDER_NAME, address: settings.mail.from };
  return {
    async send(row) {
      try {
        await transport.sendMail({
          from,
          to: row.recipient,
          subject: row.subject ?? '',
          text: row.textBody,
          html: row.htmlBody ?? undefined,
          headers: { 'X-Outbox-Id': row.id, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (err) {
        throw smtpFailure(err);
      }
    },
    close: () => transport.close(),
  };
}

export function createSmsSender(settings: ServiceSettings): Sender | undefined {
  const url = settings.sms.gatewayUrl;
  if (!url) return undefined;
  return async (row) => {
    let status: number;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: row.recipient, text: row.textBody }),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      throw new DeliveryError(false, `gateway unreachable: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`);
    }
    if (status >= 200 && status < 300) return;
    // 408 and 429 are the gateway asking to come back later; other 4xx refuse the message.
    const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
    throw new DeliveryError(permanent, `gateway HTTP ${status}`);
  };
}

/** The transports the settings allow; a channel without one keeps its messages in the outbox. */
export function createTransports(settings: ServiceSettings): Transports {
  const mail = createMailSender(settings);
  return { email: mail?.send, sms: createSmsSender(settings), close: () => mail?.close() };
}
