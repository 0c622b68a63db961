// The words of every letter (C01–C06), written once and laid out twice: on a printed sheet
// (pdf.ts) and in an email (templates.ts). Plain data: no layout, no escaping here.
import type { Letter, LetterChild, LetterCode } from './types.js';
import { DEFAULT_HOURS, HELPDESK, helpSentence } from '../helpdesk/contact.js';
import type { HelpdeskHours } from '../helpdesk/hours.js';

export const HELP_PHONE = HELPDESK.phone;
export const HELP_ONLINE = HELPDESK.formUrl;

/** The assistance platform, in one sentence, with the platform's usual hours (services/helpdesk). */
export const HELP_TEXT = helpSentence(DEFAULT_HOURS);

export const SAFETY_TEXT = "Ne communiquez jamais votre mot de passe, ni à l'école, ni à l'assistance, ni par téléphone : personne ne vous le demandera.";

export type LetterKind = 'first' | 'reminder' | 'reset';

const KIND: Record<Exclude<LetterCode, 'C07'>, LetterKind> = {
  C01: 'first',
  C02: 'first',
  C03: 'reminder',
  C04: 'reminder',
  C05: 'reset',
  C06: 'reset',
};

export interface LetterWording {
  kind: LetterKind;
  /** Email subject (also the sheet's title). */
  subject: string;
  addressee: string;
  intro: string;
  childrenLead: string;
  children: string[];
  identifierLabel: string;
  identifier: string;
  /** A password to print, or null when it is unchanged. */
  password: { label: string; value: string; note: string } | null;
  /** Shown instead of a password when it is unchanged. */
  unchangedPassword: string | null;
  access: string;
  stepsTitle: string | null;
  steps: string[];
  signature: string;
  help: string;
  safety: string;
  date: string;
}

const DATE = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

export function frenchDate(d: Date): string {
  return DATE.format(d);
}

export function letterKind(code: LetterCode): LetterKind {
  if (code === 'C07') throw new Error('C07 is the activation mail, not a letter with a password');
  return KIND[code];
}

/** "Lucie MARTIN – CM1 A" (+ the school when it is not the issuing one). */
export function childLine(child: LetterChild, issuingUai: string): string {
  const base = `${child.firstName} ${child.lastName.toUpperCase()} – classe ${child.className}`;
  return child.uai === issuingUai ? base : `${base} (${child.schoolName})`;
}

/** Where the letter sends the guardian: the first login while the password is temporary, else "Mon compte". */
export function siteOf(letter: Letter): string {
  return letter.temporaryPassword ? letter.links.firstLogin : letter.links.account;
}

export function letterWording(letter: Letter, hours: HelpdeskHours = DEFAULT_HOURS): LetterWording {
  const kind = letterKind(letter.code);
  const school = letter.school.name;
  const several = letter.children.length > 1;
  const yourChild = several ? 'vos enfants' : 'votre enfant';
  const addressee = `À l'attention de ${letter.guardian.firstName} ${letter.guardian.lastName.toUpperCase()}`;
  const password = letter.temporaryPassword;
  const base = {
    kind,
    addressee,
    childrenLead: several ? 'Ce compte vous donne accès aux services de vos enfants :' : 'Ce compte vous donne accès aux services de votre enfant :',
    children: letter.children.map((c) => childLine(c, letter.school.uai)),
    identifierLabel: 'Votre identifiant',
    identifier: letter.guardian.identifier,
    access: `Adresse du site : ${siteOf(letter)}`,
    signature: `La direction – ${school}`,
    help: helpSentence(hours),
    safety: SAFETY_TEXT,
    date: `Le ${frenchDate(letter.distributedAt)}`,
  };
  switch (kind) {
    case 'first':
      return {
        ...base,
        subject: 'Vos accès aux services en ligne pour suivre la scolarité',
        intro:
          `${school} vous ouvre l'accès aux services en ligne de l'Éducation nationale pour suivre la scolarité de ${yourChild} ` +
          '(vie scolaire, résultats, démarches). Vous vous y connectez avec votre compte personnel EduConnect.',
        password: password
          ? {
              label: 'Votre mot de passe provisoire',
              value: password,
              note: "Il ne sert qu'une fois : à la première connexion, vous choisirez votre propre mot de passe.",
            }
          : null,
        unchangedPassword: password ? null : 'Mot de passe inchangé : utilisez celui que vous avez déjà choisi.',
        stepsTitle: 'Activez votre compte en 2 étapes',
        steps: [
          `Étape 1 : sur ${letter.links.firstLogin}, saisissez votre identifiant et le mot de passe provisoire, ` +
            'puis choisissez votre mot de passe et indiquez votre adresse e-mail (elle est indispensable).',
          "Étape 2 : ouvrez l'e-mail d'activation que vous recevrez ensuite et cliquez sur son lien. " +
            "Sans ce clic, le compte n'est pas activé. Pas d'e-mail ? Regardez dans les courriers indésirables, " +
            'ou reconnectez-vous pour corriger votre adresse.',
        ],
      };
    case 'reminder':
      return {
        ...base,
        subject: 'Rappel de votre identifiant EduConnect',
        intro: `${school} vous rappelle votre identifiant EduConnect. Votre compte est toujours valable : vous pouvez continuer à l'utiliser pour suivre la scolarité de ${yourChild}.`,
        password: null,
        unchangedPassword: `Mot de passe inchangé : utilisez celui que vous avez choisi. Vous l'avez oublié ? Choisissez-en un nouveau sur ${letter.links.lostPassword}`,
        stepsTitle: null,
        steps: [],
      };
    case 'reset':
      return {
        ...base,
        subject: 'Votre nouveau mot de passe provisoire EduConnect',
        intro: `À votre demande, ${school} a remplacé le mot de passe de votre compte EduConnect. L'ancien mot de passe ne fonctionne plus.`,
        password: password
          ? { label: 'Votre nouveau mot de passe provisoire', value: password, note: 'À la prochaine connexion, vous choisirez votre propre mot de passe.' }
          : null,
        unchangedPassword: password ? null : 'Mot de passe inchangé : utilisez celui que vous avez déjà choisi.',
        stepsTitle: null,
        steps: [],
      };
  }
}
