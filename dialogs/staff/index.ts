// The staff routes: every director and agent dialog, registered on the root dialog for the
// roles allowed to use it (the services check the scope again on every call).
import type { RootDialog } from '../shared/root-dialog.js';
import type { DialogDeps } from '../types.js';
import { FindAccountDialog } from './find-account-dialog.js';
import { NotifyDialog } from './notify-dialog.js';
import { StatisticsDialog } from './statistics-dialog.js';

export function registerStaffDialogs(root: RootDialog, deps: DialogDeps): RootDialog {
  const director = ['director'] as const;
  const helpDesk = ['agent', 'admin'] as const;
  return root
    .registerRoute('statistics', new StatisticsDialog(deps), ['director', 'agent', 'admin'], 'Voir les statistiques')
    .registerRoute('renotify', new NotifyDialog(deps), director, 'Notifier ou renotifier des comptes')
    .registerRoute('find_account', new FindAccountDialog(deps), helpDesk, 'Rechercher un compte');
}
