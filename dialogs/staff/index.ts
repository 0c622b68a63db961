// The staff routes: every director and agent dialog, registered on the root dialog for the
// roles allowed to use it (the services check the scope again on every call). The labels are
// the greeting's lines; the phrases are other ways of asking understood in any message.
import type { RootDialog } from '../shared/root-dialog.js';
import type { DialogDeps } from '../types.js';
import { BatchesDialog } from './batches-dialog.js';
import { answerCaseActionCard, isCaseActionCard } from './case-action.js';
import { CasesDialog } from './cases-dialog.js';
import { FindAccountDialog } from './find-account-dialog.js';
import { ListAccountsDialog } from './list-accounts-dialog.js';
import { NotifyDialog } from './notify-dialog.js';
import { RemindActivationDialog } from './remind-activation-dialog.js';
import { RefusedLinksDialog } from './refused-links-dialog.js';
import { ResendActivationDialog } from './resend-activation-dialog.js';
import { ResetPasswordDialog } from './reset-password-dialog.js';
import { StatisticsDialog } from './statistics-dialog.js';

export function registerStaffDialogs(root: RootDialog, deps: DialogDeps): RootDialog {
  const director = ['director'] as const;
  const staff = ['director', 'agent', 'admin'] as const;
  const cases = new CasesDialog(deps);
  return root
    .registerCardHandler({ matches: isCaseActionCard, answer: (context) => answerCaseActionCard(deps.ctx, context) })
    .registerEntityRoute('caseReference', cases, staff)
    .registerRoute('statistics', new StatisticsDialog(deps), staff, 'Voir les statistiques')
    .registerRoute('renotify', new NotifyDialog(deps), director, 'Notifier ou renotifier des comptes')
    .registerRoute('reset_password', new ResetPasswordDialog(deps), director, 'Réinitialiser un mot de passe')
    .registerRoute('resend_activation', new ResendActivationDialog(deps), director, "Renvoyer l'e-mail d'activation")
    .registerRoute('list_accounts', new ListAccountsDialog(deps), director, 'Obtenir la liste des comptes')
    .registerRoute(null, new RemindActivationDialog(deps), staff, 'Relancer les comptes non activés', [
      'relancer les comptes',
      'relancer les responsables',
      'relancer les parents',
      'relancer les familles',
      'relancer tous',
      'relance des comptes',
      'relance des parents',
      'relances',
      'comptes non actives a relancer',
      'rappel d activation',
    ])
    .registerRoute(null, new RefusedLinksDialog(deps), staff, 'Voir les enfants retirés par les parents', [
      'enfants retires',
      'enfant retire',
      'eleves retires',
      'liens refuses',
      'lien refuse',
      'retablir un lien',
      'retablir le lien',
      'retablir un enfant',
      'rattacher de nouveau',
    ])
    .registerRoute('find_account', new FindAccountDialog(deps), staff, 'Consulter le compte d’un responsable', ['rechercher un compte', 'consulter un compte'])
    .registerRoute(null, cases, staff, 'Suivre les demandes des parents', [
      'demandes des parents',
      'demandes de parents',
      'demandes en cours',
      'suivre les demandes',
      'suivi des demandes',
      'les demandes',
    ])
    .registerRoute(null, new BatchesDialog(deps), director, 'Suivre les envois et refaire les fichiers', [
      'suivre les envois',
      'etat des envois',
      'mes envois',
      'refaire les fiches',
      'refaire la liste',
      'lien expire',
      'fichier expire',
      'mes fichiers',
    ]);
}
