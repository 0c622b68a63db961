// After a right SMS code: the single-use link to the page where the new password is chosen.
import { adaptiveCard, openUrl, text, title, type AdaptiveCardJson } from '../shared/adaptive.js';

export interface PasswordLinkCardData {
  url: string;
  validMinutes: number;
}

export function passwordLinkCard(data: PasswordLinkCardData): AdaptiveCardJson {
  return adaptiveCard(
    [
      title('Choisissez votre nouveau mot de passe'),
      text(`Ce lien ne fonctionne qu'une fois et pendant ${data.validMinutes} minutes. Ne le transmettez à personne.`),
      text('Saisissez votre nouveau mot de passe uniquement sur cette page, jamais dans la conversation.', { isSubtle: true }),
    ],
    [openUrl('Choisir mon nouveau mot de passe', data.url)],
    'Choisissez votre nouveau mot de passe avec le lien à usage unique.',
  );
}
