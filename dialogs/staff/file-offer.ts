// How a produced file (sheets, list) reaches the person who asked. In a Teams personal chat,
// the Teams way: a file consent card, then the upload to their OneDrive (bot/file-consent.ts).
// Elsewhere (web chat, channels, Emulator): a card with a single-use, short-lived link.
import { MessageFactory, type TurnContext } from 'botbuilder';
import { fileCard } from '../../cards/staff/file-card.js';
import { fileConsentCard } from '../../cards/staff/file-consent-card.js';
import type { DeliveredFile } from '../../services/delivery/files.js';
import { cardActivity } from './staff-dialog.js';

export const inTeamsPersonalChat = (context: TurnContext): boolean =>
  context.activity.channelId === 'msteams' && context.activity.conversation?.conversationType === 'personal';

export async function offerFile(context: TurnContext, file: DeliveredFile, heading: string, lines: readonly string[]): Promise<void> {
  if (inTeamsPersonalChat(context)) {
    const consent = fileConsentCard({ fileId: file.id, fileName: file.fileName, sizeInBytes: file.size, validMinutes: file.validMinutes });
    const text = [`**${heading}**`, ...lines, `Acceptez l’envoi pour recevoir le fichier ici (une seule fois, pendant ${file.validMinutes} minutes).`].join(
      '\n\n',
    );
    await context.sendActivity(MessageFactory.attachment(consent, text));
    return;
  }
  const card = fileCard({ heading, fileName: file.fileName, url: file.url, expiresAt: file.expiresAt, validMinutes: file.validMinutes, lines });
  await context.sendActivity(cardActivity(card, `${heading} : ${file.fileName}`));
}
