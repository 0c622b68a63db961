// Change of email, by account situation (DOMAIN.md playbook): activated -> "Mon compte";
// waiting for the activation mail -> the school resends it to the new address; never logged
// in -> the email is given at the first login.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { choiceCard, yesNoCard } from '../../cards/shared/choice-card.js';
import { linkCard } from '../../cards/shared/link-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { choiceParser, parseYesNo, type Choice, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { accountPageUrl } from './links.js';
import { SCHOOL_REQUEST_DIALOG, SchoolRequestDialog, type SchoolRequestOptions } from './school-request-dialog.js';

export const CHANGE_EMAIL_DIALOG = 'parent.changeEmail';
const SITUATION = `${CHANGE_EMAIL_DIALOG}.situation`;
const WANTS_REQUEST = `${CHANGE_EMAIL_DIALOG}.wantsRequest`;

const RESEND_REQUEST: SchoolRequestOptions = {
  kind: 'OTHER',
  subject: "Adresse e-mail erronée : renvoyer l'e-mail d'activation à la bonne adresse",
  schoolQuestion: 'Dans quelle école ou quel établissement votre enfant est-il scolarisé ? Indiquez le nom et la commune, ou le code UAI.',
  askParentName: true,
  contact: { kind: 'email', question: "Quelle est la bonne adresse e-mail, à laquelle l'école doit renvoyer l'e-mail d'activation ?" },
  nextSteps: [
    "L'école va corriger votre adresse e-mail et vous renvoyer l'e-mail d'activation.",
    'Cliquez sur le lien de cet e-mail pour activer votre compte ; pensez à regarder dans les courriers indésirables.',
  ],
};

type Situation = 'activated' | 'pending' | 'never';
const SITUATIONS: readonly Choice<Situation>[] = [
  { value: 'activated', title: 'Je me connecte déjà à mon compte', synonyms: ['active', 'compte active', 'je me connecte', 'deja connecte'] },
  {
    value: 'pending',
    title: "J'attends l'e-mail d'activation",
    synonyms: ['en attente', 'j attends le mail d activation', 'pas recu le mail', 'mail d activation'],
  },
  { value: 'never', title: 'Je ne me suis jamais connecté', synonyms: ['jamais', 'jamais connecte', 'pas encore connecte', 'jamais connectee'] },
];

export class ChangeEmailDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(CHANGE_EMAIL_DIALOG, deps);
    this.addPrompt(SITUATION, choiceParser(SITUATIONS, 'Merci de choisir la situation qui correspond à votre compte, dans la liste.'));
    this.addPrompt(WANTS_REQUEST, parseYesNo);
    this.addDialog(new SchoolRequestDialog(deps));
    this.addSteps(this.situationStep, this.answerStep, this.requestStep, this.doneStep);
  }

  protected helpText(): string {
    return "La façon de changer d'adresse dépend de l'étape où en est votre compte : déjà utilisé, en attente de l'e-mail d'activation, ou jamais utilisé.";
  }

  private async situationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.askWithCard(step, SITUATION, (nonce) => choiceCard({ question: 'Où en est votre compte EduConnect ?', nonce, choices: SITUATIONS }));
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const situation = step.result as Parsed<Situation>;
    if (!situation.ok) return this.giveUp(step);
    if (situation.value === 'activated') {
      const card = linkCard({
        title: 'Changer votre adresse e-mail',
        lines: [
          'Connectez-vous, puis dans « Mon compte », partie « Modifier mon adresse e-mail », saisissez deux fois la nouvelle adresse et choisissez « Envoyer ».',
          "Un e-mail part vers l'ancienne adresse pour vous informer, et un autre vers la nouvelle : cliquez sur le lien qu'il contient pour confirmer le changement.",
        ],
        links: [{ label: 'Ouvrir « Mon compte »', url: accountPageUrl(this.deps.ctx) }],
      });
      await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), 'Voici comment changer votre adresse e-mail.'));
    } else if (situation.value === 'pending') {
      await step.context.sendActivity(
        "Si l'adresse saisie lors de votre première connexion est erronée, l'école ou l'établissement de votre enfant peut la corriger et vous renvoyer l'e-mail d'activation à la bonne adresse. Une fois le compte activé, vous pourrez la changer vous-même dans « Mon compte ».",
      );
      return this.askWithCard(step, WANTS_REQUEST, (nonce) => yesNoCard("Voulez-vous que je transmette cette demande à l'école ?", nonce));
    } else {
      await step.context.sendActivity(
        "Vous n'avez rien à faire pour l'instant : votre adresse e-mail vous sera demandée lors de votre première connexion, avec l'identifiant et le mot de passe provisoire remis par l'école. Indiquez alors la nouvelle adresse.",
      );
    }
    return step.endDialog();
  }

  private async requestStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const wants = step.result as Parsed<boolean>;
    if (!wants.ok) return this.giveUp(step);
    if (wants.value) return step.beginDialog(SCHOOL_REQUEST_DIALOG, RESEND_REQUEST);
    await step.context.sendActivity("D'accord. Vous pouvez aussi contacter directement l'école de votre enfant.");
    return step.endDialog();
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
