// A child on the account is not (or no longer) theirs: how to report it in "Mon compte", and
// the rule that the only guardian of a pupil cannot be removed.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { linkCard } from '../../cards/shared/link-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import type { DialogDeps } from '../types.js';
import { accountPageUrl } from './links.js';

export const WRONG_CHILD_DIALOG = 'parent.wrongChild';

export class WrongChildDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(WRONG_CHILD_DIALOG, deps);
    this.addSteps(this.explainStep);
  }

  protected helpText(): string {
    return 'Le signalement se fait dans « Mon compte », onglet « Mes enfants ».';
  }

  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const card = linkCard({
      title: "Signaler un enfant qui n'est pas le vôtre",
      lines: [
        "Connectez-vous, puis dans « Mon compte », onglet « Mes enfants », cliquez sur « Je ne suis pas le représentant légal de », suivi du prénom de l'enfant.",
        "L'enfant est alors retiré de votre compte et de vos services en ligne.",
        "Ce signalement n'est pas possible si vous êtes le seul responsable enregistré pour cet enfant : adressez-vous alors à son école ou à son établissement.",
        "En cas d'erreur, vous pourrez confirmer à nouveau le lien avec l'enfant lors de votre prochaine connexion.",
      ],
      links: [{ label: 'Ouvrir « Mon compte »', url: accountPageUrl(this.deps.ctx) }],
    });
    await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), "Voici comment signaler un enfant qui n'est pas le vôtre."));
    return step.endDialog();
  }
}
