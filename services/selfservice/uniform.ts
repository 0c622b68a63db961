// Uniform answers: a requester learns nothing about whether an account, a contact or a
// confirmation exists. Every self-service request answers with the same object and French
// text whatever happened, and takes at least the same time.
import type { ServiceContext } from '../context.js';

/** Minimum duration of a self-service request, whatever the path taken (ms). */
export const UNIFORM_MIN_DURATION_MS = 400;

export type UniformReply =
  | { status: 'accepted'; text: string }
  | { status: 'accepted'; text: string; requestId: string }
  /** Only the per-source limit is told (it reveals nothing about accounts). */
  | { status: 'rate_limited'; text: string; retryAfterMinutes: number };

export async function padDuration<T>(work: () => Promise<T>, minMs = UNIFORM_MIN_DURATION_MS): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = minMs - (performance.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
  }
}

const CONTACT_SCHOOL = "Si vous ne recevez rien, adressez-vous à l'école ou à l'établissement de votre enfant, ou utilisez FranceConnect.";

export const texts = {
  identifierByEmail: (): string =>
    `Si cette adresse e-mail est confirmée sur un compte EduConnect, votre identifiant vient d'y être envoyé. Pensez à regarder dans vos courriers indésirables. ${CONTACT_SCHOOL}`,
  identifierBySms: (): string =>
    `Si ce numéro de portable est confirmé sur un compte EduConnect de responsable, votre identifiant vient d'y être envoyé par SMS. ${CONTACT_SCHOOL}`,
  passwordByEmail: (ctx: ServiceContext): string =>
    `Si cet identifiant correspond à un compte dont l'adresse e-mail est confirmée, un e-mail avec un lien pour choisir un nouveau mot de passe vient d'y être envoyé (lien valable ${ctx.settings.selfService.linkTtlHours} heures). Pensez à regarder dans vos courriers indésirables. ${CONTACT_SCHOOL}`,
  passwordBySms: (ctx: ServiceContext): string =>
    `Si cet identifiant correspond à un compte dont le numéro de portable est confirmé, un code à 6 chiffres vient d'y être envoyé par SMS (code valable ${ctx.settings.selfService.codeTtlMinutes} minutes). Saisissez ce code pour continuer. ${CONTACT_SCHOOL}`,
  registrationCode: (ctx: ServiceContext): string =>
    `Si ces informations correspondent à un compte qui attend d'être activé, un code à 6 chiffres vient d'être envoyé par SMS à ce numéro (code valable ${ctx.settings.selfService.codeTtlMinutes} minutes). Sinon, vérifiez auprès de l'école ou de l'établissement de votre enfant que votre nom et votre numéro de portable y sont bien enregistrés.`,
  tooMany: (minutes: number): string => `Trop de demandes ont été faites. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
  codeRefused: (): string =>
    "Ce code n'est pas valable : il est incorrect, a expiré ou a déjà été utilisé. Vérifiez le SMS reçu ou faites une nouvelle demande.",
};

export function tooManyReply(retryAfterMinutes: number): UniformReply {
  return { status: 'rate_limited', text: texts.tooMany(retryAfterMinutes), retryAfterMinutes };
}
