// HMAC helpers of the facade: the short-lived signature in websocket stream URLs and the
// secret path of the internal connector endpoint. Keys are derived from config.secretKey.
import { createHmac, timingSafeEqual } from 'node:crypto';

const hmac = (key: Buffer, purpose: string, data: string): string => createHmac('sha256', key).update(`${purpose}\n${data}`).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "<expiry seconds>.<signature>" binding a stream URL to one conversation. */
export function signStream(key: Buffer, conversationId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${hmac(key, 'directline-stream', `${conversationId}.${exp}`)}`;
}

export function verifyStream(key: Buffer, conversationId: string, signature: string, now: Date): boolean {
  const [expText, mac] = signature.split('.');
  const exp = Number(expText);
  if (!mac || !Number.isInteger(exp) || exp * 1000 < now.getTime()) return false;
  return safeEqual(mac, hmac(key, 'directline-stream', `${conversationId}.${exp}`));
}

/** The path segment that the internal connector endpoint requires. */
export const connectorSecret = (key: Buffer): string => hmac(key, 'directline-connector', 'v1');
