// The person's answer to a file consent card (cards/staff/file-consent-card.ts) in a Teams
// personal chat. Accept: the file is claimed (single use, expiry, owner only), put into the
// upload session Teams opened, then shown with a file info card. Decline: deleted at once.
import type { FileConsentCardResponse, TurnContext } from 'botbuilder';
import { MessageFactory } from 'botbuilder';
import { consentContext, fileInfoCard } from '../cards/staff/file-consent-card.js';
import { turnActor } from '../dialogs/types.js';
import type { ServiceContext } from '../services/context.js';
import { claimOwnFile, discardOwnFile, FILE_TTL_MINUTES } from '../services/delivery/files.js';
import { uploadToTeams } from '../services/delivery/teams-upload.js';

/** How to get the file again (the batch list produces it anew). */
const AGAIN = 'Pour l’obtenir à nouveau, écrivez « mes envois » et choisissez « Refaire » à côté du fichier.';

export const CONSENT_TEXTS = {
  used: `Ce fichier vous a déjà été envoyé : il ne s’envoie qu’une fois. ${AGAIN}`,
  gone: `Ce fichier n’est plus disponible : il ne peut être envoyé que pendant ${FILE_TTL_MINUTES} minutes. ${AGAIN}`,
  failed: `L’envoi du fichier vers votre OneDrive n’a pas abouti. ${AGAIN}`,
  declined: `Entendu : le fichier n’est pas envoyé, et il est effacé. ${AGAIN}`,
} as const;

export async function acceptFile(ctx: ServiceContext, context: TurnContext, response: FileConsentCardResponse): Promise<void> {
  const chosen = consentContext(response.context);
  const uploadUrl = response.uploadInfo?.uploadUrl;
  if (!chosen || !uploadUrl || !response.uploadInfo) {
    await context.sendActivity(CONSENT_TEXTS.gone);
    return;
  }
  const claimed = await claimOwnFile(ctx, turnActor(context), chosen.fileId);
  if (claimed.status !== 'ok') {
    await context.sendActivity(claimed.status === 'used' ? CONSENT_TEXTS.used : CONSENT_TEXTS.gone);
    return;
  }
  try {
    await uploadToTeams(uploadUrl, claimed.file);
  } catch (err) {
    ctx.log.warn({ err: { message: err instanceof Error ? err.message : String(err) } }, 'file upload to Teams failed');
    await context.sendActivity(CONSENT_TEXTS.failed);
    return;
  }
  const name = response.uploadInfo.name ?? claimed.file.fileName;
  await context.sendActivity(MessageFactory.attachment(fileInfoCard(response.uploadInfo), `Le fichier « ${name} » est enregistré dans votre OneDrive.`));
}

export async function declineFile(ctx: ServiceContext, context: TurnContext, response: FileConsentCardResponse): Promise<void> {
  const chosen = consentContext(response.context);
  if (chosen) await discardOwnFile(ctx, turnActor(context), chosen.fileId);
  await context.sendActivity(CONSENT_TEXTS.declined);
}
