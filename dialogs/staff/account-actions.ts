// The actions a help-desk agent can take on an account from the chat: their labels, which ones
// the services allow on an account now, and which carry out each playbook action.
import type { AccountSummary } from '../../services/lookup.js';
import type { ActionCode } from '../../services/playbook.js';

/** What the agent can do on an account from the chat. */
export type AccountAction =
  | 'notify_sheet'
  | 'notify_email'
  | 'reset_sheet'
  | 'reset_email'
  | 'resend_activation'
  | 'resend_activation_new_email'
  | 'show_identifier'
  | 'show_password'
  | 'open_case';

export const ACTION_LABELS: Record<AccountAction, string> = {
  notify_sheet: 'Re-notifier par fiche',
  notify_email: 'Re-notifier par e-mail',
  reset_sheet: 'Réinitialiser puis fiche',
  reset_email: 'Réinitialiser puis e-mail',
  resend_activation: "Renvoyer l'e-mail d'activation",
  resend_activation_new_email: "Renvoyer l'activation à une autre adresse",
  show_identifier: "Afficher l'identifiant",
  show_password: 'Afficher le mot de passe provisoire',
  open_case: 'Ouvrir un suivi',
};

/** The actions the services allow on this account now. */
export function allowedActions(a: Pick<AccountSummary, 'state' | 'hasEmail' | 'passwordTemporary'>): AccountAction[] {
  const out: AccountAction[] = ['notify_sheet'];
  if (a.hasEmail) out.push('notify_email');
  if (a.state !== 'NOT_NOTIFIED') out.push('reset_sheet', ...(a.hasEmail ? (['reset_email'] as const) : []));
  if (a.state === 'ACTIVATING') out.push(...(a.hasEmail ? (['resend_activation'] as const) : []), 'resend_activation_new_email');
  out.push('show_identifier');
  if (a.passwordTemporary) out.push('show_password');
  return out;
}

/** The chat actions that carry out a playbook action. */
export const FOR_CODE: Partial<Record<ActionCode, readonly AccountAction[]>> = {
  renotify: ['notify_sheet', 'notify_email'],
  read_identifier: ['show_identifier'],
  read_temporary_password: ['show_password'],
  reset_then_renotify: ['reset_sheet', 'reset_email'],
  resend_activation: ['resend_activation', 'resend_activation_new_email'],
  open_case: ['open_case'],
};

export const isAction = (c: string): c is AccountAction => Object.keys(ACTION_LABELS).includes(c);
