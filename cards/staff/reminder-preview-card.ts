// The preview of activation reminders (guide §1.3.3: activate within 3 months) before anything
// is sent: how many accounts of the school, by state, the channel, the accounts that cannot be
// reached by email, and an explicit "Confirmer" / "Annuler" (only "Annuler" when none).
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';
import { CANCEL, CONFIRM } from './notify-preview-card.js';

/** Names listed on the card; the others are counted. */
const MAX_NAMES = 10;

export interface ReminderPreviewCardData {
  schoolName: string;
  olderThanDays: number;
  channel: 'sheet' | 'email';
  /** "Notifié et non activé": the notification letter again, by the channel. */
  notified: number;
  /** "En cours d'activation": the activation mail again. */
  activating: number;
  /** Selected but without an email address ("Nom Prénom"). */
  withoutEmail: readonly string[];
  pastDeadline: number;
  nonce: string;
}

export function reminderPreviewCard(d: ReminderPreviewCardData): AdaptiveCardJson {
  const total = d.notified + d.activating;
  const shown = d.withoutEmail.slice(0, MAX_NAMES).join(', ');
  const more = d.withoutEmail.length > MAX_NAMES ? ` et ${d.withoutEmail.length - MAX_NAMES} autre(s)` : '';
  return adaptiveCard(
    [
      title('Relance des comptes non activés'),
      facts([
        { title: 'Établissement', value: d.schoolName },
        { title: 'Notifiés depuis plus de', value: `${d.olderThanDays} jours` },
        { title: '« Notifié et non activé »', value: `${d.notified} (${d.channel === 'sheet' ? 'fiche de rappel à imprimer' : 'e-mail de rappel'})` },
        { title: '« En cours d’activation »', value: `${d.activating} (e-mail d’activation renvoyé)` },
        { title: 'Relances', value: String(total) },
      ]),
      ...(d.withoutEmail.length
        ? [text(`Sans adresse e-mail, non relancés par e-mail : ${shown}${more}. Relancez-les par fiche.`, { color: 'Warning' as const })]
        : []),
      text(`${d.pastDeadline} compte(s) de l’établissement ont dépassé le délai de 3 mois pour l’activation.`, { isSubtle: true }),
      text(total === 0 ? "Aucun compte ne serait relancé : il n'y a rien à confirmer." : "Rien n'est envoyé tant que vous n'avez pas confirmé.", {
        isSubtle: true,
      }),
    ],
    total === 0 ? [submit('Annuler', d.nonce, CANCEL)] : [submit('Confirmer', d.nonce, CONFIRM), submit('Annuler', d.nonce, CANCEL)],
    `${total} compte(s) seraient relancés. Confirmez ou annulez.`,
  );
}
