// Six-digit codes sent by SMS. A code is bound to the request id given to the requester,
// stored as an HMAC (settings.secretKey), valid settings.selfService.codeTtlMinutes, single
// use; 5 wrong attempts invalidate it.
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Prisma, TokenKind, Tx } from '../db/index.js';
import type { ServiceContext } from '../context.js';
import type { TokenRow } from './tokens.js';

export const MAX_CODE_ATTEMPTS = 5;

export function newRequestId(): string {
  return randomBytes(16).toString('base64url');
}

function codeHash(ctx: ServiceContext, requestId: string, code: string): string {
  return createHmac('sha256', ctx.settings.secretKey).update(`code|${requestId}|${code}`).digest('hex');
}

export function isCodeShaped(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/** Creates a code for `requestId` in the caller's transaction (`payload`: what it proves); returns it in clear (to send once). */
export async function createCode(
  ctx: ServiceContext,
  tx: Tx,
  kind: TokenKind,
  guardianId: number,
  requestId: string,
  payload?: Prisma.InputJsonValue,
): Promise<string> {
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  await tx.selfServiceToken.create({
    data: {
      kind,
      guardianId,
      requestId,
      payload,
      tokenHash: codeHash(ctx, requestId, code),
      maxAttempts: MAX_CODE_ATTEMPTS,
      expiresAt: new Date(ctx.now().getTime() + ctx.settings.selfService.codeTtlMinutes * 60_000),
    },
  });
  return code;
}

/**
 * Checks a code against its request. A right code is consumed atomically and its row
 * returned; a wrong one counts an attempt. Null for wrong, expired, used, exhausted or
 * unknown requests alike.
 */
export async function checkCode(ctx: ServiceContext, kind: TokenKind, requestId: string, code: string): Promise<TokenRow | null> {
  if (!requestId || requestId.length > 64) return null;
  const now = ctx.now();
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.selfServiceToken.findFirst({
      where: { requestId, kind, usedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
    if (!row || row.attempts >= row.maxAttempts) return null;
    const expected = Buffer.from(row.tokenHash, 'hex');
    const actual = Buffer.from(codeHash(ctx, requestId, code.trim()), 'hex');
    if (!isCodeShaped(code.trim()) || !timingSafeEqual(expected, actual)) {
      await tx.selfServiceToken.updateMany({ where: { id: row.id, attempts: { lt: row.maxAttempts } }, data: { attempts: { increment: 1 } } });
      return null;
    }
    const used = await tx.selfServiceToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now }, attempts: { lt: row.maxAttempts } },
      data: { usedAt: now },
    });
    if (used.count !== 1) return null;
    return { ...row, usedAt: now };
  });
}
