// HMAC helpers of the facade: the bearer tokens, the short-lived signature in websocket
// stream URLs and the secret path of the internal connector endpoint. Keys are derived from
// config.secretKey (the same on every instance).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChatParticipant } from '../../services/chat-store.js';

const hmac = (key: Buffer, purpose: string, data: string): string => createHmac('sha256', key).update(`${purpose}\n${data}`).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The bearer token of a conversation: "<conversation id>.<user id>.<signature>". It names the
 * conversation and its user without a database read; whether it is still alive is the
 * conversation's expiry in the database, checked by the statement that serves each request
 * (so a refresh extends the same token, on every instance).
 */
export function signToken(key: Buffer, participant: ChatParticipant): string {
  return `${participant.id}.${participant.userId}.${hmac(key, 'directline-token', `${participant.id}\n${participant.userId}`)}`;
}

/** The conversation and user a token names, or null when it is not one of ours. */
export function verifyToken(key: Buffer, token: string): ChatParticipant | null {
  // Conversation ids and signatures are base64url (no dot); a user id may hold dots.
  const first = token.indexOf('.');
  const last = token.lastIndexOf('.');
  if (first <= 0 || last <= first + 1) return null;
  const participant = { id: token.slice(0, first), userId: token.slice(first + 1, last) };
  return safeEqual(token.slice(last + 1), hmac(key, 'directline-token', `${participant.id}\n${participant.userId}`)) ? participant : null;
}

/** Tokens a verifier keeps at most (a token is ~100 bytes). */
const MAX_VERIFIED_TOKENS = 10_000;

/**
 * verifyToken for `key`, keeping the tokens it has verified: a browser sends the same token with
 * every request, and what a token names never changes (its life is the database's), so an HMAC
 * per request (~0.1 ms of CPU per web chat turn in the profile) is needed once per token.
 */
export function tokenVerifier(key: Buffer): (token: string) => ChatParticipant | null {
  const verified = new Map<string, ChatParticipant>();
  return (token) => {
    const known = verified.get(token);
    if (known) return { ...known };
    const participant = verifyToken(key, token);
    if (participant) {
      if (verified.size >= MAX_VERIFIED_TOKENS) verified.clear();
      verified.set(token, { ...participant });
    }
    return participant;
  };
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
