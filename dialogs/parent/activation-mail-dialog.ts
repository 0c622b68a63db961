// Activation mail not received: it is sent only after the first login (temporary password,
// new password, email, child's birth date); what to check, and who can resend it (the school).
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { yesNoCard } from '../../cards/shared/choice-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseYesNo, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { activationEmailUrl, firstLoginUrl, registrationUrl } from './links.js';

export const ACTIVATION_MAIL_DIALOG = 'parent.activationMail';
const FIRST_LOGIN_DONE = `${ACTIVATION_MAIL_DIALOG}.firstLoginDone`;

export class ActivationMailDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(ACTIVATION_MAIL_DIALOG, deps);
    this.addPrompt(FIRST_LOGIN_DONE, parseYesNo);
    this.addSteps(this.askStep, this.answerStep);
  }

  protected helpText(): string {
    return "La première connexion se fait avec l'identifiant et le mot de passe provisoire remis par l'école ; l'e-mail d'activation est envoyé juste après.";
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.askWithCard(step, FIRST_LOGIN_DONE, (nonce) =>
      yesNoCard(
        "Avez-vous déjà fait votre première connexion avec l'identifiant et le mot de passe provisoire remis par l'école ?",
        nonce,
        "Lors de cette première connexion, on vous demande un nouveau mot de passe, votre adresse e-mail et la date de naissance d'un de vos enfants.",
      ),
    );
  }

  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const done = step.result as Parsed<boolean>;
    if (!done.ok) return this.giveUp(step);
    await step.context.sendActivity(
      done.value
        ? `L'e-mail d'activation a été envoyé à l'adresse saisie lors de cette première connexion. Regardez aussi dans vos courriers indésirables (spams), puis cliquez sur le lien qu'il contient : votre compte sera alors activé. Si l'adresse saisie était erronée, corrigez-la vous-même avec votre identifiant et le mot de passe choisi, et recevez aussitôt un nouvel e-mail : ${activationEmailUrl(this.deps.ctx)}. L'école ou l'établissement de votre enfant peut aussi vous le renvoyer.`
        : `L'e-mail d'activation n'est envoyé qu'après la première connexion. Rendez-vous sur ${firstLoginUrl(this.deps.ctx)} avec l'identifiant et le mot de passe provisoire remis par l'école : choisissez un nouveau mot de passe, indiquez votre adresse e-mail et la date de naissance demandée. L'e-mail d'activation arrive ensuite. Sans courrier de l'école, vous pouvez aussi activer votre compte vous-même par SMS (${registrationUrl(this.deps.ctx)}) ou avec FranceConnect.`,
    );
    return step.endDialog();
  }
}
