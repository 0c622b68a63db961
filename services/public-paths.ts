// The ONE registry of this service's public pages (under PUBLIC_URL). The web routes register
// exactly these paths; letters, mails, the chat and the services build their links from them
// (publicLink), so that a page can never be moved without its links following.
// A token page is `<path>/<token>` (routes: `<path>/:token`).

export const PAGES = {
  // First login with the temporary password, and the activation link of the mail.
  firstLogin: '/premiere-connexion',
  firstLoginNext: '/premiere-connexion/suite',
  firstLoginDone: '/premiere-connexion/terminee',
  activation: '/activation',
  activationDone: '/activation-terminee',
  /** The activation mail went to a wrong address: the parent corrects it (identifier + password). */
  activationEmail: '/corriger-adresse-activation',
  activationEmailSent: '/corriger-adresse-activation/envoye',
  // Lost password, and the page where a new password is chosen from a link or a code.
  lostPassword: '/mot-de-passe-perdu',
  lostPasswordSent: '/mot-de-passe-perdu/envoye',
  lostPasswordCode: '/mot-de-passe-perdu/code',
  passwordPage: '/mot-de-passe',
  passwordChanged: '/mot-de-passe-modifie',
  /** Forced choice of a new password after a mass reset (April 2024 notice). */
  forcedChange: '/changement-mot-de-passe',
  forcedChangeDone: '/changement-mot-de-passe/termine',
  lostIdentifier: '/identifiant-perdu',
  lostIdentifierSent: '/identifiant-perdu/envoye',
  // SMS self-registration.
  registration: '/inscription',
  registrationCode: '/inscription/code',
  /** Several accounts found for the same person: the offer to group them. */
  registrationAccounts: '/inscription/comptes',
  registrationChildren: '/inscription/enfants',
  registrationPassword: '/inscription/mot-de-passe',
  registrationDone: '/inscription/terminee',
  // "Mon compte".
  account: '/mon-compte',
  accountLogin: '/mon-compte/connexion',
  accountLogout: '/mon-compte/deconnexion',
  accountRegroup: '/mon-compte/regrouper',
  accountEmail: '/mon-compte/email',
  accountPassword: '/mon-compte/mot-de-passe',
  accountMobile: '/mon-compte/portable',
  accountMobileCode: '/mon-compte/portable/code',
  /** `${accountChildren}/<pupilId>/retirer` */
  accountChildren: '/mon-compte/enfants',
  emailChange: '/email',
  emailConfirmed: '/email-confirmee',
  privacy: '/confidentialite',
  terms: '/conditions-utilisation',
  files: '/fichiers',
  /** The one stylesheet of the chat page and the self-service pages (web/site.css). */
  styles: '/static/site.css',
} as const;

export type PageName = keyof typeof PAGES;
export type PagePath = (typeof PAGES)[PageName];

/** The route of a token page: `<path>/:token`. */
export const tokenRoute = (path: PagePath): string => `${path}/:token`;

/** The absolute link of a page (optionally `<path>/<token>`), under PUBLIC_URL. */
export function publicLink(settings: { publicUrl: string }, path: PagePath, token?: string): string {
  const base = settings.publicUrl.replace(/\/+$/, '');
  return token === undefined ? `${base}${path}` : `${base}${path}/${encodeURIComponent(token)}`;
}

/** The links a letter prints: where to log in (its kind decides), and the lost-password page. */
export interface LetterLinks {
  firstLogin: string;
  account: string;
  lostPassword: string;
}

export function letterLinks(settings: { publicUrl: string }): LetterLinks {
  return {
    firstLogin: publicLink(settings, PAGES.firstLogin),
    account: publicLink(settings, PAGES.account),
    lostPassword: publicLink(settings, PAGES.lostPassword),
  };
}
