// Files handed to staff (sheets, lists, which hold temporary passwords): kept in the database
// for a short while and served once. The link is signed (HMAC-SHA256 under the service secret
// key over the file id, the expiry and the owner), works until its expiry and only for the
// first download: the download claims the row atomically (downloadedAt) and empties its
// content. In a Teams personal chat the file is sent the Teams way instead (claimed the same
// way, see claimOwnFile). Another copy: produce it again from the batch list.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PAGES, publicLink } from '../public-paths.js';
import { Writable } from 'node:stream';
import { actorId, type Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { parisStamp } from '../paris.js';
import { renderListCsv } from './csv.js';
import { renderSheetsPdf, type ProgressCallback } from './pdf.js';
import { renderListPdf } from './pdf-list.js';
import type { Letter, ListDocument } from './types.js';
import { startPeriodic, type Periodic } from '../periodic.js';

/** How long a stored file and its link live. */
export const FILE_TTL_MINUTES = 15;

export const PDF = 'application/pdf';
export const CSV = 'text/csv; charset=utf-8';

export interface StoredFileInfo {
  id: string;
  fileName: string;
  contentType: string;
  ownerId: string;
  expiresAt: Date;
  /** How long the link lives, for the wording ("valable N minutes"). */
  validMinutes: number;
  size: number;
}

/** A stored file with its download link, as a dialog shows it. */
export interface DeliveredFile extends StoredFileInfo {
  url: string;
}

export interface StoreFileInput {
  fileName: string;
  contentType: string;
  content: Buffer;
  owner: Actor;
  ttlMinutes?: number;
}

export async function storeFile(ctx: ServiceContext, input: StoreFileInput): Promise<StoredFileInfo> {
  const validMinutes = input.ttlMinutes ?? FILE_TTL_MINUTES;
  const expiresAt = new Date(ctx.now().getTime() + validMinutes * 60_000);
  const ownerId = actorId(input.owner);
  const row = await ctx.db.storedFile.create({
    data: { fileName: input.fileName, contentType: input.contentType, content: new Uint8Array(input.content), ownerId, expiresAt },
    select: { id: true },
  });
  return { id: row.id, fileName: input.fileName, contentType: input.contentType, ownerId, expiresAt, validMinutes, size: input.content.length };
}

function signature(key: Buffer, id: string, exp: number, ownerId: string): string {
  return createHmac('sha256', key).update(`file\n${id}\n${exp}\n${ownerId}`).digest('base64url');
}

/** `<publicUrl>/fichiers/<id>?exp=<unix seconds>&sig=<HMAC>`, valid until `expiresAt` for `ownerId` only. */
export function signedFileUrl(ctx: ServiceContext, file: { id: string; ownerId: string; expiresAt: Date }): string {
  const exp = Math.floor(file.expiresAt.getTime() / 1000);
  const url = new URL(publicLink(ctx.settings, PAGES.files, file.id));
  url.searchParams.set('exp', String(exp));
  url.searchParams.set('sig', signature(ctx.settings.secretKey, file.id, exp, file.ownerId));
  return url.toString();
}

export interface FileContent {
  fileName: string;
  contentType: string;
  content: Buffer;
}

export type OpenFileResult = { status: 'ok'; file: FileContent } | { status: 'forbidden' | 'expired' | 'not_found' | 'used' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids of the outbox and of stored files are UUIDs; anything else cannot match. */
export const isUuid = (s: string): boolean => UUID.test(s);

/**
 * Takes the file for its one delivery: the first caller gets the content, every later one
 * 'used' (one UPDATE … WHERE "downloadedAt" IS NULL, so two instances cannot both win). The
 * stored content is emptied once taken.
 */
async function claim(ctx: ServiceContext, id: string): Promise<OpenFileResult> {
  const now = ctx.now();
  const rows = await ctx.db.$queryRaw<{ fileName: string; contentType: string; content: Uint8Array }[]>`
    UPDATE "StoredFile" SET "downloadedAt" = ${now}
    WHERE "id" = ${id}::uuid AND "downloadedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "fileName", "contentType", "content"`;
  const row = rows[0];
  if (!row) {
    const current = await ctx.db.storedFile.findUnique({ where: { id }, select: { downloadedAt: true } });
    return { status: !current ? 'not_found' : current.downloadedAt ? 'used' : 'expired' };
  }
  await ctx.db.storedFile.update({ where: { id }, data: { content: new Uint8Array(0) } });
  return { status: 'ok', file: { fileName: row.fileName, contentType: row.contentType, content: Buffer.from(row.content) } };
}

/** Checks a signed link, then claims the file: bad signature -> forbidden; past its expiry -> expired; downloaded before -> used. */
export async function openSignedFile(ctx: ServiceContext, id: string, expParam: string | undefined, sigParam: string | undefined): Promise<OpenFileResult> {
  const exp = Number(expParam);
  if (!isUuid(id) || !Number.isSafeInteger(exp) || !sigParam) return { status: 'forbidden' };
  const expired = exp * 1000 <= ctx.now().getTime();
  const row = await ctx.db.storedFile.findUnique({ where: { id }, select: { ownerId: true, expiresAt: true, downloadedAt: true } });
  if (!row) return { status: expired ? 'expired' : 'not_found' };
  const expected = Buffer.from(signature(ctx.settings.secretKey, id, exp, row.ownerId));
  const given = Buffer.from(sigParam);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { status: 'forbidden' };
  if (expired || row.expiresAt.getTime() <= ctx.now().getTime()) return { status: 'expired' };
  if (row.downloadedAt) return { status: 'used' };
  return claim(ctx, id);
}

/** The owner takes their file without a link (Teams file consent): same single use and expiry; anyone else -> not_found. */
export async function claimOwnFile(ctx: ServiceContext, actor: Actor, id: string): Promise<OpenFileResult> {
  if (!isUuid(id)) return { status: 'not_found' };
  const row = await ctx.db.storedFile.findUnique({ where: { id }, select: { ownerId: true } });
  if (row?.ownerId !== actorId(actor)) return { status: 'not_found' };
  return claim(ctx, id);
}

/** The owner declined the file: it is deleted at once. */
export async function discardOwnFile(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  if (!isUuid(id)) return;
  await ctx.db.storedFile.deleteMany({ where: { id, ownerId: actorId(actor) } });
}

/** Deletes the files past their expiry; returns how many. Run by a periodic job. */
export async function cleanupExpiredFiles(ctx: ServiceContext): Promise<number> {
  const { count } = await ctx.db.storedFile.deleteMany({ where: { expiresAt: { lte: ctx.now() } } });
  return count;
}

/** Deletes expired files every `intervalMs` (any number of instances may run it). */
export function startFileCleanup(ctx: ServiceContext, intervalMs = 60_000): Periodic {
  return startPeriodic({ name: 'file cleanup', intervalMs, log: ctx.log }, async () => {
    const count = await cleanupExpiredFiles(ctx);
    if (count) ctx.log.info({ count }, 'expired files deleted');
  });
}

/** Bytes appended to a stored file at a time while a document is rendered. */
const STORE_CHUNK = 512 * 1024;

/**
 * A Writable that streams into a StoredFile row: the document is appended to the row's bytes
 * chunk by chunk, so that a 1,000-page PDF is never held whole in the process memory.
 */
class StoredFileWriter extends Writable {
  private parts: Buffer[] = [];
  private pending = 0;
  size = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly id: string,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.parts.push(chunk);
    this.pending += chunk.length;
    this.size += chunk.length;
    if (this.pending < STORE_CHUNK) {
      callback();
      return;
    }
    this.flush().then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush().then(() => callback(), callback);
  }

  private async flush(): Promise<void> {
    if (this.pending === 0) return;
    const data = Buffer.concat(this.parts);
    this.parts = [];
    this.pending = 0;
    await this.ctx.db.$executeRaw`UPDATE "StoredFile" SET "content" = "content" || ${data} WHERE "id" = ${this.id}::uuid`;
  }
}

/** Renders straight into storage; the link is made only once the file is complete. */
async function renderToStore<T>(
  ctx: ServiceContext,
  owner: Actor,
  fileName: string,
  contentType: string,
  render: (out: Writable) => Promise<T>,
): Promise<{ file: DeliveredFile; result: T }> {
  const stored = await storeFile(ctx, { fileName, contentType, content: Buffer.alloc(0), owner });
  const out = new StoredFileWriter(ctx, stored.id);
  try {
    const result = await render(out);
    const file = { ...stored, size: out.size };
    return { file: { ...file, url: signedFileUrl(ctx, file) }, result };
  } catch (err) {
    out.destroy();
    await ctx.db.storedFile.deleteMany({ where: { id: stored.id } });
    throw err;
  }
}

/** Individual sheets of a notification batch as ONE stored PDF (one page per letter). */
export async function createSheetsFile(
  ctx: ServiceContext,
  owner: Actor,
  letters: readonly Letter[],
  onProgress?: ProgressCallback,
): Promise<DeliveredFile & { pages: number }> {
  const name = `Educonnect-Courriers-${parisStamp(ctx.now())}.pdf`;
  const { file, result } = await renderToStore(ctx, owner, name, PDF, (out) => renderSheetsPdf(letters, out, onProgress));
  return { ...file, pages: result.pages };
}

/** An account list (§5.4) as a stored PDF or CSV named `<list.fileName>.<pdf|csv>`. */
export async function createListFile(ctx: ServiceContext, owner: Actor, list: ListDocument, format: 'pdf' | 'csv'): Promise<DeliveredFile> {
  const fileName = `${list.fileName}.${format}`;
  if (format === 'csv') {
    const stored = await storeFile(ctx, { fileName, contentType: CSV, content: renderListCsv(list), owner });
    return { ...stored, url: signedFileUrl(ctx, stored) };
  }
  const { file } = await renderToStore(ctx, owner, fileName, PDF, (out) => renderListPdf(list, out));
  return file;
}
