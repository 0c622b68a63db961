// The help-desk playbook (DOMAIN.md; admin guide §3.2): for an account and a situation, the
// recommended actions. Pure: the dialogs turn each action code into a button or a sentence.
import type { AccountState } from './db/index.js';

export const SITUATIONS = [
  'lost_site_address',
  'lost_identifier',
  'lost_password',
  'lost_activation_link',
  'email_change',
  'birth_date_refused',
  'mobile_not_recognised',
] as const;
export type Situation = (typeof SITUATIONS)[number];

export type ActionCode =
  /** (Re)notify the account (sheet or email): services/accounts/notify.ts */
  | 'renotify'
  /** Read the identifier on the account page: consultAccount */
  | 'read_identifier'
  /** Read the temporary password on the account page: consultAccount */
  | 'read_temporary_password'
  /** Reset the password, then re-notify: notify with reset */
  | 'reset_then_renotify'
  /** Resend the activation mail (C07), optionally to a corrected address: resendActivation */
  | 'resend_activation'
  /** Information only: the guardian gives/corrects the email at first login */
  | 'explain_email_at_first_login'
  /** Information only: the guardian changes the email in "mon compte" */
  | 'explain_email_in_account'
  /** Information only: the account must first be used with the temporary password */
  | 'explain_first_login'
  /** Information only: the account is already activated */
  | 'explain_already_active'
  /** The school corrects the birth date in its register (visible after 1–2 days) */
  | 'correct_register_birth_date'
  /** The school corrects the mobile number in its register (visible the next day) */
  | 'correct_register_mobile'
  /** Open a follow-up case: the parent is told automatically when the correction arrives */
  | 'open_case';

type CaseKind = 'BIRTH_DATE' | 'MOBILE';

export interface RecommendedAction {
  code: ActionCode;
  /** Short French button label. */
  label: string;
  /** French explanation for the agent or director. */
  explanation: string;
  /** For resend_activation: ask for the new address first. For open_case: the case kind. */
  params?: { askEmail?: boolean; caseKind?: CaseKind };
}

export interface PlaybookAccount {
  state: AccountState;
  /** The current password is still a temporary one (readable by the school). */
  passwordTemporary: boolean;
}

export interface Recommendation {
  situation: Situation;
  actions: RecommendedAction[];
}

const RENOTIFY: RecommendedAction = {
  code: 'renotify',
  label: 'Re-notifier le compte',
  explanation: "Une nouvelle fiche (ou un e-mail) rappelle l'adresse du site, l'identifiant et, s'il est encore provisoire, le mot de passe.",
};

const NOTIFY_FIRST: RecommendedAction = {
  code: 'renotify',
  label: 'Notifier le compte',
  explanation: "Ce compte n'a jamais été notifié : la notification donne l'identifiant et un mot de passe provisoire.",
};

const READ_IDENTIFIER: RecommendedAction = {
  code: 'read_identifier',
  label: "Lire l'identifiant",
  explanation: "L'identifiant figure sur la fiche du compte : vous pouvez le communiquer au responsable.",
};

function lostPassword(a: PlaybookAccount): RecommendedAction[] {
  if (a.state === 'NOT_NOTIFIED') return [NOTIFY_FIRST];
  if (a.passwordTemporary) {
    return [
      RENOTIFY,
      {
        code: 'read_temporary_password',
        label: 'Lire le mot de passe provisoire',
        explanation: "Le mot de passe n'a pas encore été changé : il est lisible sur la fiche du compte. Ne le communiquez qu'au responsable lui-même.",
      },
    ];
  }
  return [
    {
      code: 'reset_then_renotify',
      label: 'Réinitialiser puis re-notifier',
      explanation:
        'Le responsable a déjà choisi son mot de passe : réinitialisez-le (l’ancien cesse aussitôt de fonctionner) puis re-notifiez le compte pour transmettre le nouveau mot de passe provisoire.',
    },
  ];
}

function lostActivationLink(a: PlaybookAccount): RecommendedAction[] {
  switch (a.state) {
    case 'ACTIVATING':
      return [
        {
          code: 'resend_activation',
          label: "Renvoyer l'e-mail d'activation",
          explanation: "Un nouveau lien d'activation est envoyé à l'adresse du compte (corrigez-la si besoin).",
        },
      ];
    case 'ACTIVATED':
      return [
        {
          code: 'explain_already_active',
          label: 'Compte déjà activé',
          explanation:
            "Le compte est déjà activé : aucun lien d'activation n'est nécessaire. Le responsable se connecte avec son identifiant et son mot de passe.",
        },
      ];
    case 'NOTIFIED':
      return [
        {
          code: 'explain_first_login',
          label: 'Expliquer la première connexion',
          explanation:
            "L'e-mail d'activation n'est envoyé qu'après la première connexion avec le mot de passe provisoire. Le responsable doit d'abord se connecter.",
        },
        RENOTIFY,
      ];
    case 'NOT_NOTIFIED':
      return [NOTIFY_FIRST];
  }
}

function emailChange(a: PlaybookAccount): RecommendedAction[] {
  switch (a.state) {
    case 'ACTIVATING':
      return [
        {
          code: 'resend_activation',
          label: "Renvoyer l'activation à la nouvelle adresse",
          explanation: "Le compte est en cours d'activation : saisissez la nouvelle adresse, l'e-mail d'activation y sera envoyé.",
          params: { askEmail: true },
        },
      ];
    case 'ACTIVATED':
      return [
        {
          code: 'explain_email_in_account',
          label: 'Expliquer le changement en ligne',
          explanation: "Le compte est activé : le responsable modifie lui-même son adresse dans « Mon compte ». L'école ne peut pas la changer.",
        },
      ];
    case 'NOT_NOTIFIED':
    case 'NOTIFIED':
      return [
        {
          code: 'explain_email_at_first_login',
          label: 'Expliquer la première connexion',
          explanation: 'Le responsable saisira ou corrigera lui-même son adresse lors de sa première connexion.',
        },
      ];
  }
}

/** The school corrects `what` in its register (visible `visible`), with a case that tells the guardian when it has arrived. */
function registerCorrection(code: ActionCode, label: string, what: string, visible: string, caseKind: CaseKind): RecommendedAction[] {
  return [
    {
      code,
      label,
      explanation: `L'école corrige ${what} dans son logiciel de scolarité (ONDE ou SIECLE). La correction est visible ${visible} ; le responsable pourra alors réessayer.`,
    },
    {
      code: 'open_case',
      label: 'Ouvrir un suivi',
      explanation: 'Le responsable sera prévenu automatiquement quand la correction sera arrivée.',
      params: { caseKind },
    },
  ];
}

export function recommend(account: PlaybookAccount, situation: Situation): Recommendation {
  const actions = ((): RecommendedAction[] => {
    switch (situation) {
      case 'lost_site_address':
        return [account.state === 'NOT_NOTIFIED' ? NOTIFY_FIRST : RENOTIFY];
      case 'lost_identifier':
        return [account.state === 'NOT_NOTIFIED' ? NOTIFY_FIRST : RENOTIFY, READ_IDENTIFIER];
      case 'lost_password':
        return lostPassword(account);
      case 'lost_activation_link':
        return lostActivationLink(account);
      case 'email_change':
        return emailChange(account);
      case 'birth_date_refused':
        return registerCorrection('correct_register_birth_date', 'Corriger la date de naissance', 'la date de naissance', 'après 1 à 2 jours', 'BIRTH_DATE');
      case 'mobile_not_recognised':
        return registerCorrection('correct_register_mobile', 'Corriger le numéro de portable', 'le numéro de portable', 'le lendemain', 'MOBILE');
    }
  })();
  return { situation, actions };
}
