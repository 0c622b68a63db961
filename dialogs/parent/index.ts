// The parents' routes: every parent dialog, registered on the root dialog for role 'parent'.
import type { RootDialog } from '../shared/root-dialog.js';
import { CaseStatusDialog } from '../shared/case-status-dialog.js';
import { HumanHelpDialog } from '../shared/human-help-dialog.js';
import type { DialogDeps } from '../types.js';
import { ActivationMailDialog } from './activation-mail-dialog.js';
import { ChangeEmailDialog } from './change-email-dialog.js';
import { FranceConnectDialog } from './franceconnect-dialog.js';
import { LostIdentifierDialog } from './lost-identifier-dialog.js';
import { LostPasswordDialog } from './lost-password-dialog.js';
import { MobileNotRecognisedDialog } from './mobile-not-recognised-dialog.js';
import { RegroupDialog } from './regroup-dialog.js';
import { WrongBirthDateDialog } from './wrong-birth-date-dialog.js';
import { WrongChildDialog } from './wrong-child-dialog.js';

export function registerParentDialogs(root: RootDialog, deps: DialogDeps): RootDialog {
  const parent = ['parent'] as const;
  return root
    .registerEntityRoute('caseReference', new CaseStatusDialog(deps), parent)
    .registerRoute('lost_identifier', new LostIdentifierDialog(deps), parent, "J'ai perdu mon identifiant", [], ['email', 'mobile', 'bySms', 'byEmail'])
    .registerRoute('lost_password', new LostPasswordDialog(deps), parent, "J'ai perdu mon mot de passe", [], ['identifier', 'bySms', 'byEmail'])
    .registerRoute('activation_mail', new ActivationMailDialog(deps), parent, "Je n'ai pas reçu l'e-mail d'activation")
    .registerRoute('wrong_birth_date', new WrongBirthDateDialog(deps), parent, 'La date de naissance de mon enfant est refusée')
    .registerRoute('mobile_not_recognised', new MobileNotRecognisedDialog(deps), parent, "Mon numéro de portable n'est pas reconnu")
    .registerRoute('regroup_accounts', new RegroupDialog(deps), parent, 'Regrouper mes enfants sur un seul compte')
    .registerRoute('wrong_child_link', new WrongChildDialog(deps), parent, "Un enfant de mon compte n'est pas le mien")
    .registerRoute('change_email', new ChangeEmailDialog(deps), parent, "Changer l'adresse e-mail de mon compte")
    .registerRoute('franceconnect', new FranceConnectDialog(deps), parent, 'Me connecter avec FranceConnect')
    .registerRoute('human_agent', new HumanHelpDialog(deps), parent, 'Parler à une personne');
}
