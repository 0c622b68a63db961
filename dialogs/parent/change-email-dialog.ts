// Change of email, by account situation (DOMAIN.md playbook): activated -> "Mon compte";
// waiting for the activation mail -> the school resends it to the new address; never logged
// in -> the email is given at the first login.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { linkCard } from '../../cards/shared/link-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { choiceParser, type Choice, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { accountPageUrl } from './links.js';

export const CHANGE_EMAIL_DIALOG = 'parent.changeEmail';
const SITUATION = `${CHANGE_EMAIL_DIALOG}.situation`;

type Situation = 'activated' | 'pending' | 'never';
const SITUATIONS: readonly Choice<Situation>[] = [
  { value: 'activated', title: 'Je me connecte déjà à mon compte', synonyms: ['active', 'compte active', 'je me connecte', 'deja connecte'] },
  { value: 'pending', title: "J'attends le mail d'activation", synonyms: ['en attente', 'pas recu le mail', 'mail d activation'] },
  { value: 'never', title: 'Je ne me suis jamais connecté', synonyms: ['jamais', 'jamais connecte', 'pas encore connecte', 'jamais connectee'] },
];

export class ChangeEmailDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(CHANGE_EMAIL_DIALOG, deps);
    this.addPrompt(SITUATION, choiceParser(SITUATIONS, 'Merci de choisir la situation qui correspond à votre compte, dans la liste.'));
    this.addSteps(this.situationStep, this.answerStep);
  }

  protected helpText(): string {
    return "La façon de changer d'adresse dépend de l'étape où en est votre compte : déjà utilisé, en attente du mail d'activation, ou jamais utilisé.";
  }

  private async situationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.askWithCard(step, SITUATION, (nonce) => choiceCard({ question: 'Où en est votre compte EduConnect ?', nonce, choices: SITUATIONS }));
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const situation = step.result as Parsed<Situation>;
    if (!situation.ok) return this.giveUp(step);
    if (situation.value === 'activated') {
      const card = linkCard({
        title: 'Changer votre adresse mail',
        lines: [
          'Connectez-vous, puis dans « Mon compte », onglet « Mes informations », choisissez « Modifier mon adresse mail ».',
          "Un mail part vers l'ancienne adresse pour vous informer, et un autre vers la nouvelle : cliquez sur le lien qu'il contient pour confirmer le changement.",
        ],
        links: [{ label: 'Ouvrir « Mon compte »', url: accountPageUrl(this.deps.ctx) }],
      });
      await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), 'Voici comment changer votre adresse mail.'));
    } else {
      await step.context.sendActivity(
        situation.value === 'pending'
          ? "Si l'adresse saisie lors de votre première connexion est erronée, adressez-vous à l'école ou à l'établissement de votre enfant : il peut corriger l'adresse et vous renvoyer le mail d'activation à la nouvelle adresse. Une fois le compte activé, vous pourrez la changer vous-même dans « Mon compte »."
          : "Vous n'avez rien à faire pour l'instant : votre adresse mail vous sera demandée lors de votre première connexion, avec l'identifiant et le mot de passe provisoire remis par l'école. Indiquez alors la nouvelle adresse.",
      );
    }
    return step.endDialog();
  }
}
