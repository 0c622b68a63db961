// A file sent the Teams way in a personal chat (Teams bot file API): the consent card asks the
// person whether to save it to their OneDrive; once they accept and the bot has uploaded it,
// the file info card shows it in the chat. Pure data -> JSON (not Adaptive Cards).
import type { Attachment, FileConsentCard, FileInfoCard, FileUploadInfo } from 'botbuilder';

export const FILE_CONSENT_TYPE = 'application/vnd.microsoft.teams.card.file.consent';
export const FILE_INFO_TYPE = 'application/vnd.microsoft.teams.card.file.info';

/** What Teams sends back with the person's answer: which stored file. */
export interface FileConsentContext {
  fileId: string;
}

export interface FileConsentData extends FileConsentContext {
  fileName: string;
  sizeInBytes: number;
  validMinutes: number;
}

export function fileConsentCard(d: FileConsentData): Attachment {
  const context: FileConsentContext = { fileId: d.fileId };
  const content: FileConsentCard = {
    description: `Fichier à enregistrer dans votre OneDrive. Il contient des mots de passe provisoires : ne le partagez pas. Envoi possible une seule fois, pendant ${d.validMinutes} minutes.`,
    sizeInBytes: d.sizeInBytes,
    acceptContext: context,
    declineContext: context,
  };
  return { contentType: FILE_CONSENT_TYPE, name: d.fileName, content };
}

/** The context of a consent answer, when it names a file (anything else -> undefined). */
export function consentContext(value: unknown): FileConsentContext | undefined {
  if (typeof value !== 'object' || value === null || !('fileId' in value)) return undefined;
  const fileId: unknown = value.fileId;
  return typeof fileId === 'string' ? { fileId } : undefined;
}

/** The uploaded file, as Teams shows it in the chat (needs what the upload session gave). */
export function fileInfoCard(upload: FileUploadInfo): Attachment {
  const content: FileInfoCard = { uniqueId: upload.uniqueId, fileType: upload.fileType };
  return { contentType: FILE_INFO_TYPE, name: upload.name, contentUrl: upload.contentUrl, content };
}
