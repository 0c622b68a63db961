// The preview of a (re)notification before anything changes: how many accounts, which
// letters (C01–C06), the warnings, and an explicit choice "Confirmer" / "Annuler".
import type { LetterCode } from '../../services/delivery/types.js';
import { adaptiveCard, facts, submit, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';

export const CONFIRM = 'confirm';
export const CANCEL = 'cancel';

const LETTER_LABELS: Partial<Record<LetterCode, string>> = {
  C01: 'C01 – fiche de première notification',
  C02: 'C02 – e-mail de première notification',
  C03: 'C03 – fiche de rappel (mot de passe inchangé)',
  C04: 'C04 – e-mail de rappel (mot de passe inchangé)',
  C05: 'C05 – fiche avec nouveau mot de passe provisoire',
  C06: 'C06 – e-mail avec nouveau mot de passe provisoire',
};

export interface NotifyPreviewCardData {
  schoolName: string;
  /** "Tous les comptes non notifiés", "Dupont Marie"… */
  selection: string;
  channel: 'sheet' | 'email';
  reset: boolean;
  toNotify: number;
  letters: Partial<Record<LetterCode, number>>;
  warnings: readonly string[];
  nonce: string;
}

export function notifyPreviewCard(d: NotifyPreviewCardData): AdaptiveCardJson {
  const channel = d.channel === 'sheet' ? 'Fiche individuelle (PDF à imprimer)' : 'E-mail';
  const letters = Object.entries(d.letters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => ({ title: LETTER_LABELS[code as LetterCode] ?? code, value: String(n) }));
  const nothing = d.toNotify === 0;
  return adaptiveCard(
    [
      title('Vérifiez avant de confirmer'),
      facts([
        { title: 'Établissement', value: d.schoolName },
        { title: 'Sélection', value: d.selection },
        { title: 'Mode', value: channel },
        { title: 'Réinitialisation', value: d.reset ? 'Oui (nouveau mot de passe provisoire)' : 'Non' },
        { title: 'Comptes notifiés', value: String(d.toNotify) },
      ]),
      ...(letters.length ? [text('Courriers', { weight: 'Bolder' as const }), facts(letters)] : []),
      ...d.warnings.map((w) => text(w, { color: 'Warning' as const })),
      text(nothing ? "Aucun compte ne serait notifié : il n'y a rien à confirmer." : "Rien n'est modifié tant que vous n'avez pas confirmé.", {
        isSubtle: true,
      }),
    ],
    nothing ? [submit('Annuler', d.nonce, CANCEL)] : [submit('Confirmer', d.nonce, CONFIRM), submit('Annuler', d.nonce, CANCEL)],
    `${d.toNotify} compte(s) seront notifiés. Confirmez ou annulez.`,
  );
}
