// The mobile number is not recognised (SMS self-registration, FranceConnect): why (it must be
// the number the school recorded), then the number is sent to the school (case MOBILE).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { BaseDialog } from '../shared/base-dialog.js';
import type { DialogDeps } from '../types.js';
import { SCHOOL_REQUEST_DIALOG, SchoolRequestDialog, type SchoolRequestOptions } from './school-request-dialog.js';

export const MOBILE_NOT_RECOGNISED_DIALOG = 'parent.mobileNotRecognised';

export class MobileNotRecognisedDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(MOBILE_NOT_RECOGNISED_DIALOG, deps);
    this.addDialog(new SchoolRequestDialog(deps));
    this.addSteps(this.explainStep, this.doneStep);
  }

  protected helpText(): string {
    return "Votre numéro doit être celui que l'école a enregistré pour vous ; je transmets le bon numéro à l'école pour qu'elle le corrige.";
  }

  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(
      "Pour l'inscription par SMS comme pour FranceConnect, votre numéro de portable doit être exactement celui que l'école de votre enfant a enregistré pour vous. S'il manque ou s'il est différent, il n'est pas reconnu : seule l'école peut le corriger dans son registre. Je vais lui transmettre votre demande.",
    );
    return step.beginDialog(SCHOOL_REQUEST_DIALOG, {
      kind: 'MOBILE',
      subject: 'Numéro de portable non reconnu',
      schoolQuestion: 'Dans quelle école ou quel établissement votre enfant est-il scolarisé ? Indiquez le nom et la commune, ou le code UAI.',
      askParentName: true,
      contact: { kind: 'mobile', question: "Quel numéro de portable l'école doit-elle enregistrer ? Nous l'utiliserons aussi pour vous prévenir." },
      nextSteps: [
        "L'école va enregistrer ce numéro dans son registre.",
        'Le numéro est reconnu 1 à 2 jours après sa correction : les données sont mises à jour chaque nuit.',
        'Nous vous prévenons à ce moment-là pour que vous réessayiez.',
      ],
    } satisfies SchoolRequestOptions);
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
