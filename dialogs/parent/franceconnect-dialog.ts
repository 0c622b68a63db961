// FranceConnect: what it is, the first-login steps (mobile, SMS code, children's birth dates),
// the rule that the mobile must be the one the school recorded, the FAQ; and a way on to the
// "mobile not recognised" request.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { linkCard } from '../../cards/shared/link-card.js';
import { yesNoCard } from '../../cards/shared/choice-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseYesNo, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { FRANCECONNECT_FAQ_URL } from './links.js';
import { MOBILE_NOT_RECOGNISED_DIALOG, MobileNotRecognisedDialog } from './mobile-not-recognised-dialog.js';

export const FRANCECONNECT_DIALOG = 'parent.franceConnect';
const MOBILE_REFUSED = `${FRANCECONNECT_DIALOG}.mobileRefused`;

export class FranceConnectDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(FRANCECONNECT_DIALOG, deps);
    this.addPrompt(MOBILE_REFUSED, parseYesNo);
    this.addDialog(new MobileNotRecognisedDialog(deps));
    this.addSteps(this.explainStep, this.mobileStep, this.doneStep);
  }

  protected helpText(): string {
    return "Avec FranceConnect, vous utilisez un compte que vous avez déjà ; le numéro de portable demandé doit être celui donné à l'école.";
  }

  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const card = linkCard({
      title: 'Se connecter avec FranceConnect',
      lines: [
        "FranceConnect vous permet d'utiliser un compte que vous avez déjà (impots.gouv.fr, l'Assurance Maladie, l'Identité Numérique La Poste, MSA…) au lieu d'un identifiant EduConnect.",
        "La première fois : choisissez « S'identifier avec FranceConnect », connectez-vous avec ce compte, puis indiquez votre numéro de portable. Vous recevez un code par SMS à saisir, puis vous confirmez vos enfants avec leur date de naissance.",
        "Le numéro de portable doit être celui que vous avez donné à l'école de vos enfants : sinon, il n'est pas reconnu.",
        'Les fois suivantes, FranceConnect suffit. Pour une question sur votre compte FranceConnect lui-même, consultez sa foire aux questions.',
      ],
      links: [{ label: 'FAQ FranceConnect', url: FRANCECONNECT_FAQ_URL }],
    });
    await step.context.sendActivity(
      MessageFactory.attachment(CardFactory.adaptiveCard(card), `FranceConnect : voici l'essentiel. FAQ : ${FRANCECONNECT_FAQ_URL}`),
    );
    return this.askWithCard(step, MOBILE_REFUSED, (nonce) => yesNoCard('Votre numéro de portable est-il refusé lors de la connexion ?', nonce));
  }

  private async mobileStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const refused = step.result as Parsed<boolean>;
    if (!refused.ok) return this.giveUp(step);
    if (refused.value) return step.beginDialog(MOBILE_NOT_RECOGNISED_DIALOG);
    await step.context.sendActivity("Très bien. N'hésitez pas si vous avez une autre question.");
    return step.endDialog();
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
