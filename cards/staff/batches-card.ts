// Email notification batches of a school: the recent ones with their delivery counts (one
// button each), the sheets and lists produced lately (a button to produce each again, once its
// link has expired), and one batch in detail, guardian by guardian (failed first, addresses
// masked, the reason in plain French).
import { choiceFor } from './choices.js';
import type { BatchReportView, BatchSummary } from '../../services/accounts/batches.js';
import type { RecentFile } from '../../services/accounts/reissue.js';
import type { DeliveryStatus } from '../../services/delivery/outbox.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson, type CardElement } from '../shared/adaptive.js';
import { parisDateTime } from './labels.js';

export const batchChoice = (batchId: string): string => choiceFor('batch', batchId);
export const BACK = 'back';
export const DONE = 'done';
/** Most guardians listed in a report card (the counts cover the whole batch). */
export const MAX_REPORT_ROWS = 30;

const counts = (b: { sent: number; pending: number; failed: number }): string => `${b.sent} envoyé(s) · ${b.pending} en attente · ${b.failed} en échec`;

/** The choice of the button that produces a file again: sheets of a batch, or a list in a format. */
export const fileChoice = (f: Pick<RecentFile, 'kind' | 'ref'>, format?: 'pdf' | 'csv'): string =>
  choiceFor('file', `${f.kind}.${f.ref}${format ? `.${format}` : ''}`);

export interface BatchListCardData {
  schoolName: string;
  batches: readonly BatchSummary[];
  /** Sheets and lists produced lately. */
  files?: readonly RecentFile[];
  nonce: string;
}

function fileItems(f: RecentFile, nonce: string): CardElement[] {
  const when = parisDateTime(f.at);
  if (f.kind === 'sheets') {
    return [
      text(`**Fiches du ${when}** – ${f.count} compte(s)`),
      { type: 'ActionSet', actions: [submit(`Refaire les fiches du ${when}`, nonce, fileChoice(f))] },
    ];
  }
  const what = f.className ? `Liste de la classe ${f.className}` : 'Liste des comptes';
  return [
    text(`**${what} du ${when}** – ${f.count} ligne(s)`),
    {
      type: 'ActionSet',
      actions: [submit(`Refaire en PDF (${when})`, nonce, fileChoice(f, 'pdf')), submit(`Refaire en CSV (${when})`, nonce, fileChoice(f, 'csv'))],
    },
  ];
}

export function batchListCard(d: BatchListCardData): AdaptiveCardJson {
  const heading = `Envois par e-mail des 30 derniers jours – ${d.schoolName}`;
  const body: CardElement[] = [title(heading)];
  if (d.batches.length === 0) body.push(text('Aucun envoi par e-mail.', { isSubtle: true }));
  d.batches.forEach((b, i) =>
    body.push({
      type: 'Container',
      separator: i > 0,
      items: [
        text(`**Envoi du ${parisDateTime(b.startedAt)}** – ${b.total} e-mail(s)`),
        text(counts(b), { isSubtle: true, spacing: 'None', ...(b.failed > 0 ? { color: 'Attention' as const } : {}) }),
        { type: 'ActionSet', actions: [submit(`Voir l'envoi du ${parisDateTime(b.startedAt)}`, d.nonce, batchChoice(b.batchId))] },
      ],
    }),
  );
  if (d.files?.length) {
    body.push(
      title('Fiches et listes des 30 derniers jours'),
      text(
        'Leur lien de téléchargement ne sert qu’une fois et ne dure que quelques minutes : vous pouvez les produire à nouveau, avec les informations à jour.',
        { isSubtle: true },
      ),
    );
    d.files.forEach((f, i) => body.push({ type: 'Container', separator: i > 0, items: fileItems(f, d.nonce) }));
  }
  return adaptiveCard(body, [submit('Terminé', d.nonce, DONE)], heading);
}

const STATUS_LABELS: Record<DeliveryStatus, string> = { sent: 'Envoyé', pending: 'En attente', failed: 'En échec' };

function rowText(r: BatchReportView['rows'][number]): string {
  const who = r.name ? `${r.name} (${r.recipient})` : r.recipient;
  if (r.status === 'failed') return `${who} – ${STATUS_LABELS.failed} : ${r.reason ?? ''}`;
  if (r.status === 'sent' && r.sentAt) return `${who} – ${STATUS_LABELS.sent} le ${parisDateTime(r.sentAt)}`;
  return `${who} – ${STATUS_LABELS[r.status]}`;
}

export function batchReportCard(report: BatchReportView, nonce: string): AdaptiveCardJson {
  const heading = `Envoi du ${parisDateTime(report.startedAt)}`;
  const shown = report.rows.slice(0, MAX_REPORT_ROWS);
  const hidden = report.rows.length - shown.length;
  return adaptiveCard(
    [
      title(heading),
      facts([
        { title: 'Envoyés', value: String(report.sent) },
        { title: 'En attente', value: String(report.pending) },
        { title: 'En échec', value: String(report.failed) },
      ]),
      ...(report.failed > 0
        ? [text('Notifiez par fiche les comptes dont l’envoi a échoué, après avoir vérifié leur adresse.', { color: 'Warning' as const })]
        : []),
      ...(report.pending > 0
        ? [text('Les e-mails en attente partent dans les minutes qui viennent (nouvel essai automatique en cas de souci passager).', { isSubtle: true })]
        : []),
      ...shown.map((r) => text(rowText(r), { spacing: 'Small', size: 'Small', ...(r.status === 'failed' ? { color: 'Attention' as const } : {}) })),
      ...(hidden > 0 ? [text(`… et ${hidden} autre(s) compte(s).`, { isSubtle: true, size: 'Small' })] : []),
    ],
    [submit('Retour à la liste', nonce, BACK), submit('Terminé', nonce, DONE)],
    `${heading} : ${counts(report)}.`,
  );
}
