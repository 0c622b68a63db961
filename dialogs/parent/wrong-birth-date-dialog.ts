// The child's birth date is refused at activation: why (the school's register), then the
// request is sent to the school (case BIRTH_DATE) and the parent gets its reference.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { BaseDialog } from '../shared/base-dialog.js';
import type { DialogDeps } from '../types.js';
import { SCHOOL_REQUEST_DIALOG, SchoolRequestDialog, type SchoolRequestOptions } from './school-request-dialog.js';

export const WRONG_BIRTH_DATE_DIALOG = 'parent.wrongBirthDate';

export class WrongBirthDateDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(WRONG_BIRTH_DATE_DIALOG, deps);
    this.addDialog(new SchoolRequestDialog(deps));
    this.addSteps(this.explainStep, this.doneStep);
  }

  protected helpText(): string {
    return "La date de naissance que vous saisissez est comparée à celle enregistrée par l'école ; je transmets votre demande à l'école pour qu'elle la vérifie.";
  }

  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(
      "La date de naissance demandée à l'activation est comparée à celle que l'école a enregistrée dans son registre des élèves. Si elle est refusée alors que vous la saisissez correctement, c'est que l'école a enregistré une autre date : elle seule peut la corriger. Je vais lui transmettre votre demande.",
    );
    return step.beginDialog(SCHOOL_REQUEST_DIALOG, {
      kind: 'BIRTH_DATE',
      subject: "Date de naissance refusée à l'activation",
      schoolQuestion: "Dans quelle école ou quel établissement l'enfant est-il scolarisé ? Indiquez le nom et la commune, ou le code UAI.",
      askParentName: false,
      askTypedDate: 'Quelle date de naissance avez-vous saisie, celle que le site a refusée ? Par exemple 12/03/2016.',
      contact: { kind: 'any', question: 'Pour vous prévenir quand ce sera corrigé, indiquez une adresse e-mail ou un numéro de portable.' },
      nextSteps: [
        "L'école va vérifier la date de naissance enregistrée et la corriger si besoin.",
        'La correction est visible 1 à 2 jours plus tard : les données sont mises à jour chaque nuit.',
        'Nous vous prévenons à ce moment-là pour que vous réessayiez ; inutile de recommencer avant.',
      ],
    } satisfies SchoolRequestOptions);
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
