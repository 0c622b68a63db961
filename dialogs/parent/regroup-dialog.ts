// Regrouping children of several accounts: the conditions (identical names), how to get the
// other account's identifier and temporary password (its school: case REGROUP), where to finish.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { linkCard } from '../../cards/shared/link-card.js';
import { yesNoCard } from '../../cards/shared/choice-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseYesNo, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { accountPageUrl } from './links.js';
import { SCHOOL_REQUEST_DIALOG, SchoolRequestDialog, type SchoolRequestOptions } from './school-request-dialog.js';

export const REGROUP_DIALOG = 'parent.regroup';
const WANTS_REQUEST = `${REGROUP_DIALOG}.wantsRequest`;

export class RegroupDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(REGROUP_DIALOG, deps);
    this.addPrompt(WANTS_REQUEST, parseYesNo);
    this.addDialog(new SchoolRequestDialog(deps));
    this.addSteps(this.explainStep, this.requestStep, this.doneStep);
  }

  protected helpText(): string {
    return "Pour regrouper, il faut l'identifiant et un mot de passe provisoire de l'autre compte ; l'école de l'autre enfant peut vous les remettre.";
  }

  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const card = linkCard({
      title: 'Regrouper vos enfants sur un seul compte',
      lines: [
        'Condition : le nom et le prénom doivent être identiques sur les deux comptes.',
        {
          steps: [
            "Demandez à l'école ou à l'établissement de l'enfant qui manque l'identifiant et un mot de passe provisoire de son compte.",
            'Connectez-vous avec le compte que vous voulez garder.',
            "Dans « Mon compte », rubrique « Mes enfants », choisissez « Ajouter des élèves depuis un autre compte » et saisissez l'identifiant et le mot de passe provisoire reçus.",
          ],
        },
        "L'autre compte disparaît ensuite : tous vos enfants sont sur le compte gardé. Deux comptes déjà activés peuvent aussi être regroupés de la même façon.",
      ],
      links: [{ label: 'Ouvrir « Mon compte »', url: accountPageUrl(this.deps.ctx) }],
    });
    await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), 'Voici comment regrouper vos enfants sur un seul compte.'));
    return this.askWithCard(step, WANTS_REQUEST, (nonce) =>
      yesNoCard("Voulez-vous que je demande à l'école de l'autre enfant l'identifiant et le mot de passe provisoire de son compte ?", nonce),
    );
  }

  private async requestStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const wants = step.result as Parsed<boolean>;
    if (!wants.ok) return this.giveUp(step);
    if (!wants.value) {
      await step.context.sendActivity("D'accord. Vous pouvez aussi vous adresser directement à l'école de l'autre enfant.");
      return step.endDialog();
    }
    return step.beginDialog(SCHOOL_REQUEST_DIALOG, {
      kind: 'REGROUP',
      subject: 'Regroupement de comptes : identifiant et mot de passe provisoire du second compte',
      schoolQuestion:
        "Dans quelle école ou quel établissement est scolarisé l'enfant qui n'apparaît pas sur votre compte ? Indiquez le nom et la commune, ou le code UAI.",
      askParentName: true,
      contact: { kind: 'any', question: "Pour que l'école puisse vous joindre, indiquez une adresse e-mail ou un numéro de portable." },
      nextSteps: [
        "L'école de cet enfant vous remettra l'identifiant et un mot de passe provisoire de son compte (jamais par ce chat).",
        'Connectez-vous ensuite avec le compte que vous gardez et terminez dans « Mon compte », onglet « Mes enfants ».',
      ],
    } satisfies SchoolRequestOptions);
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
