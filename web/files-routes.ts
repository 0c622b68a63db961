// GET /fichiers/<id>?exp=…&sig=… : downloads a stored file (sheets, lists) through its signed,
// short-lived, single-use link. Bad signature -> 403, expired or already used -> 410, each
// with a short French page that says how to get the file again.
import type restify from 'restify';
import { PAGES } from '../services/public-paths.js';
import type { ServiceContext } from '../services/context.js';
import { escapeHtml } from '../services/delivery/templates.js';
import { FILE_TTL_MINUTES, openSignedFile } from '../services/delivery/files.js';
import { param } from './pages/http.js';

/** How to get the file again: the batch list of the assistant produces it anew, with a new link. */
const AGAIN =
  'Pour l’obtenir à nouveau, écrivez « mes envois » à l’assistant et choisissez « Refaire » à côté du fichier : vous recevrez un nouveau lien, avec les informations à jour.';

const MESSAGES = {
  forbidden: { status: 403, title: 'Lien non valable', text: `Ce lien de téléchargement n’est pas valable. ${AGAIN}` },
  expired: {
    status: 410,
    title: 'Lien expiré',
    text: `Ce lien de téléchargement a expiré : il n’est valable que ${FILE_TTL_MINUTES} minutes, pour protéger les mots de passe provisoires que contient le fichier. ${AGAIN}`,
  },
  used: {
    status: 410,
    title: 'Lien déjà utilisé',
    text: `Ce lien de téléchargement a déjà servi : il ne fonctionne qu’une fois, pour protéger les mots de passe provisoires que contient le fichier. ${AGAIN}`,
  },
  not_found: { status: 404, title: 'Fichier introuvable', text: `Ce fichier n’existe pas ou a déjà été supprimé. ${AGAIN}` },
} as const;

function page(res: restify.Response, kind: keyof typeof MESSAGES): void {
  const m = MESSAGES[kind];
  const body =
    `<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(m.title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;">` +
    `<h1>${escapeHtml(m.title)}</h1><p>${escapeHtml(m.text)}</p></body></html>\n`;
  res.writeHead(m.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

/** `attachment; filename="…"; filename*=UTF-8''…` (ASCII fallback for old clients). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function registerFileRoutes(server: restify.Server, ctx: ServiceContext): void {
  server.get(`${PAGES.files}/:id`, async (req: restify.Request, res: restify.Response) => {
    try {
      const query = new URL(req.url ?? '', 'http://localhost').searchParams;
      const id = param(req, 'id');
      const result = await openSignedFile(ctx, id, query.get('exp') ?? undefined, query.get('sig') ?? undefined);
      if (result.status !== 'ok') {
        page(res, result.status);
        return;
      }
      const { file } = result;
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': file.content.length,
        'Content-Disposition': contentDisposition(file.fileName),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(file.content);
    } catch (err) {
      ctx.log.error({ err }, 'file download failed');
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Le fichier est momentanément indisponible. Réessayez dans un instant.');
    }
  });
}
