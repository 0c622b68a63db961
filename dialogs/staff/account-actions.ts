// The actions a help-desk agent can take on an account from the chat: their labels, which ones
// the services allow on an account now, and which carry out each playbook action.
import type { TurnContext } from 'botbuilder';
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

/** Said instead of the temporary password where others would read it (a channel, a group chat). */
export const PASSWORD_IN_PERSONAL_CHAT =
  'Le mot de passe provisoire ne s’affiche pas ici, où d’autres personnes le verraient : ouvrez ce compte dans votre conversation personnelle avec l’assistant pour le voir.';

/** A conversation others read too: an agents' channel thread, a group chat. */
export const inSharedConversation = (context: TurnContext): boolean => {
  const { conversation } = context.activity;
  return conversation.isGroup || conversation.conversationType === 'channel' || conversation.conversationType === 'groupChat';
};

/** The actions the services allow on this account now, and that fit where the agent is. */
export function allowedActions(a: Pick<AccountSummary, 'state' | 'hasEmail' | 'passwordTemporary'>, shared = false): AccountAction[] {
  const out: AccountAction[] = ['notify_sheet'];
  if (a.hasEmail) out.push('notify_email');
  if (a.state !== 'NOT_NOTIFIED') out.push('reset_sheet', ...(a.hasEmail ? (['reset_email'] as const) : []));
  if (a.state === 'ACTIVATING') out.push(...(a.hasEmail ? (['resend_activation'] as const) : []), 'resend_activation_new_email');
  out.push('show_identifier');
  if (a.passwordTemporary && !shared) out.push('show_password');
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
