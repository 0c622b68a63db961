// Puts a file into the upload session Teams opened when the person accepted a file consent
// card (one PUT with Content-Range, as the Teams bot file API expects). Only https targets, or
// http on loopback (local fakes and the Emulator).
import type { FileContent } from './files.js';

const UPLOAD_TIMEOUT_MS = 30_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class UploadError extends Error {}

export async function uploadToTeams(uploadUrl: string, file: FileContent): Promise<void> {
  let url: URL;
  try {
    url = new URL(uploadUrl);
  } catch {
    throw new UploadError('invalid upload URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) throw new UploadError('upload URL must be https');
  const size = file.content.length;
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'Content-Type': file.contentType, 'Content-Range': `bytes 0-${size - 1}/${size}` },
    body: new Uint8Array(file.content),
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  if (!res.ok) throw new UploadError(`upload answered ${res.status}`);
}
