// Self-service tokens: links (reset, activation, email change), page tickets and sessions.
// A token is 256 random bits (base64url); only its SHA-256 is stored. Tokens are single
// use: consumption is one atomic UPDATE … WHERE usedAt IS NULL AND expiresAt > now.
import { createHash, randomBytes } from 'node:crypto';
import type { Prisma, TokenKind, Tx } from '../db/index.js';
import type { ServiceContext } from '../context.js';
import { publicLink, type PagePath } from '../public-paths.js';

export interface TokenRow {
  id: string;
  kind: TokenKind;
  guardianId: number | null;
  payload: Prisma.JsonValue;
  expiresAt: Date;
  usedAt: Date | null;
  attempts: number;
  maxAttempts: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newRandomToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface CreateTokenInput {
  kind: TokenKind;
  guardianId: number | null;
  ttlMs: number;
  payload?: Prisma.InputJsonValue;
  requestId?: string;
  maxAttempts?: number;
}

/** Creates a token inside the caller's transaction and returns it in clear (to send once). */
export async function createToken(ctx: ServiceContext, tx: Tx, input: CreateTokenInput): Promise<string> {
  const token = newRandomToken();
  await tx.selfServiceToken.create({
    data: {
      kind: input.kind,
      guardianId: input.guardianId,
      tokenHash: hashToken(token),
      requestId: input.requestId ?? null,
      payload: input.payload,
      maxAttempts: input.maxAttempts ?? 5,
      expiresAt: new Date(ctx.now().getTime() + input.ttlMs),
    },
  });
  return token;
}

const SELECT = { id: true, kind: true, guardianId: true, payload: true, expiresAt: true, usedAt: true, attempts: true, maxAttempts: true } as const;

export type TokenStatus = { status: 'valid'; row: TokenRow } | { status: 'expired' | 'used' | 'unknown' };

/** Reads a token without consuming it (to show a page, or to prepare a change). */
export async function peekToken(ctx: ServiceContext, db: Tx, kinds: TokenKind[], token: string): Promise<TokenStatus> {
  if (!token || token.length > 200) return { status: 'unknown' };
  const row = await db.selfServiceToken.findUnique({ where: { tokenHash: hashToken(token) }, select: SELECT });
  if (!row || !kinds.includes(row.kind)) return { status: 'unknown' };
  if (row.usedAt) return { status: 'used' };
  if (row.expiresAt.getTime() <= ctx.now().getTime() || row.attempts >= row.maxAttempts) return { status: 'expired' };
  return { status: 'valid', row };
}

/** Consumes a token atomically: returns its row, or null if unknown, used or expired. */
export async function consumeToken(ctx: ServiceContext, tx: Tx, kinds: TokenKind[], token: string): Promise<TokenRow | null> {
  if (!token || token.length > 200) return null;
  const now = ctx.now();
  const tokenHash = hashToken(token);
  const r = await tx.selfServiceToken.updateMany({
    where: { tokenHash, kind: { in: kinds }, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (r.count !== 1) return null;
  return tx.selfServiceToken.findUnique({ where: { tokenHash }, select: SELECT });
}

/** Marks every still-usable token of these kinds of an account as used (e.g. after a reset). */
export async function invalidateTokens(ctx: ServiceContext, tx: Tx, guardianId: number, kinds: TokenKind[]): Promise<number> {
  const r = await tx.selfServiceToken.updateMany({
    where: { guardianId, kind: { in: kinds }, usedAt: null },
    data: { usedAt: ctx.now() },
  });
  return r.count;
}

/** The public link of a token page: `${publicUrl}<path>/<token>` (paths: services/public-paths.ts). */
export function tokenUrl(ctx: ServiceContext, path: PagePath, token: string): string {
  return publicLink(ctx.settings, path, token);
}
