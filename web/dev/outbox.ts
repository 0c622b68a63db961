// GET /dev/outbox: what the outbox holds, for developers without SMTP or SMS gateway (the
// mails and SMS stay there). Newest first; bodies in clear while present, links clickable, so
// that a newcomer can follow a reset link. Registered outside production only (404 there).
import type restify from 'restify';
import type { AppConfig } from '../../bot/config.js';
import type { ServiceContext } from '../../services/context.js';
import { viewOutbox, OUTBOX_VIEW_LIMIT, type OutboxBody, type OutboxView } from '../../services/delivery/outbox-view.js';
import { html, SafeHtml, escapeHtml } from '../pages/html.js';
import { layout } from '../pages/layout.js';

export const DEV_OUTBOX_PATH = '/dev/outbox';

const STATES: Record<OutboxView['status'], string> = { PENDING: 'en attente', SENDING: 'en cours d’envoi', SENT: 'envoyé', FAILED: 'en échec' };
const KINDS: Record<OutboxView['channel'], string> = { EMAIL: 'E-mail', SMS: 'SMS' };
const WHEN = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });

/** The text with its http(s) links made clickable (a final full stop or bracket stays text). */
function linked(text: string): SafeHtml {
  const out = text.split(/(https?:\/\/[^\s<>"]+)/g).map((part, i) => {
    if (i % 2 === 0) return escapeHtml(part);
    const [, url = part, tail = ''] = /^(.*?)([.,;:!?)\]]*)$/.exec(part) ?? [];
    return `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>${escapeHtml(tail)}`;
  });
  return new SafeHtml(out.join(''));
}

function body(b: OutboxBody): SafeHtml {
  switch (b.kind) {
    case 'text':
      return html`<pre>${linked(b.text)}</pre>`;
    case 'erased':
      return html`<p>Contenu effacé après envoi (il contenait un mot de passe, un code ou un lien).</p>`;
    case 'unreadable':
      return html`<p>Contenu illisible : la clé SECRET_KEY a changé depuis sa mise en file.</p>`;
  }
}

function entry(m: OutboxView, i: number): SafeHtml {
  const title = `${KINDS[m.channel]} à ${m.recipient}${m.subject ? ` – ${m.subject}` : ''}`;
  return html`<li aria-labelledby="message-${i}">
<h2 id="message-${i}">${title}</h2>
<dl>
<dt>Type</dt><dd>${KINDS[m.channel]}</dd>
<dt>Destinataire</dt><dd>${m.recipient}</dd>
${m.subject ? html`<dt>Objet</dt><dd>${m.subject}</dd>` : ''}
<dt>État</dt><dd>${STATES[m.status]}</dd>
<dt>Date</dt><dd><time datetime="${m.createdAt.toISOString()}">${WHEN.format(m.createdAt)}</time></dd>
</dl>
${body(m.body)}
</li>`;
}

export function renderOutboxPage(messages: OutboxView[]): string {
  return layout({
    title: 'Messages de la file d’envoi (développement)',
    body: html`<p class="notice">Sans SMTP_URL ni SMS_GATEWAY_URL, les e-mails et SMS restent ici au lieu d’être envoyés. Les ${OUTBOX_VIEW_LIMIT} plus récents, du plus récent au plus ancien. Cette page n’existe pas en production.</p>
${messages.length ? html`<ol class="outbox">${messages.map(entry)}</ol>` : html`<p>Aucun message dans la file.</p>`}`,
  });
}

export function registerDevOutbox(server: restify.Server, ctx: ServiceContext, config: AppConfig): void {
  if (config.production) return;
  server.get(DEV_OUTBOX_PATH, async (_req: restify.Request, res: restify.Response) => {
    const page = Buffer.from(renderOutboxPage(await viewOutbox(ctx)));
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': page.length });
    res.end(page);
  });
}
