// Lost identifier: by email or by SMS to the contact confirmed on the account. The answer is
// the service's uniform reply: the same for every email or number, known or not.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { recoverIdentifier } from '../../services/selfservice/identifier.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { choiceParser, parseEmail, parseMobile, type Choice, type Parsed } from '../shared/validators.js';
import { entityText, turnActor, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHANNEL_CHOICES, type Channel } from './channels.js';

export const LOST_IDENTIFIER_DIALOG = 'parent.lostIdentifier';
const CHANNEL = `${LOST_IDENTIFIER_DIALOG}.channel`;
const EMAIL = `${LOST_IDENTIFIER_DIALOG}.email`;
const MOBILE = `${LOST_IDENTIFIER_DIALOG}.mobile`;

type Way = Channel | 'none';
const WAYS: readonly Choice<Way>[] = [
  ...CHANNEL_CHOICES,
  { value: 'none', title: "Je n'ai ni l'un ni l'autre", synonyms: ['aucun', 'ni l un ni l autre', 'je ne sais pas', 'aucun des deux'] },
];

export class LostIdentifierDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(LOST_IDENTIFIER_DIALOG, deps);
    this.addPrompt(CHANNEL, choiceParser(WAYS, "Merci de choisir « Par e-mail », « Par SMS » ou « Je n'ai ni l'un ni l'autre »."));
    this.addPrompt(EMAIL, parseEmail);
    this.addPrompt(MOBILE, parseMobile);
    this.addSteps(this.chooseChannelStep, this.askContactStep, this.sendStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === EMAIL)
      return "Indiquez l'adresse e-mail de votre compte EduConnect, celle que vous avez validée avec le lien reçu par e-mail : l'identifiant y sera envoyé.";
    if (promptId === MOBILE)
      return 'Indiquez le numéro de portable de votre compte EduConnect, celui que vous avez validé avec un code reçu par SMS : l’identifiant vous sera envoyé par SMS.';
    return "Je peux vous renvoyer votre identifiant par e-mail ou par SMS, à l'adresse ou au numéro de votre compte, si vous l'avez validé.";
  }

  private async chooseChannelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    // Started from a value or a wish ("par SMS", an address typed elsewhere): no need to ask.
    const entities = (step.options as RoutedOptions | undefined)?.entities;
    const email = entityText(entities, 'email');
    const mobile = entityText(entities, 'mobile');
    if (email) this.remember(step, 'given', email);
    else if (mobile) this.remember(step, 'given', mobile);
    const channel = email ? 'email' : mobile ? 'sms' : entities?.channel?.find((c): c is Channel => c === 'sms' || c === 'email');
    if (channel) return step.next({ ok: true, value: channel } satisfies Parsed<Way>);
    return this.askWithCard(step, CHANNEL, (nonce) =>
      choiceCard({
        question: 'Comment souhaitez-vous recevoir votre identifiant ?',
        hint: "Par e-mail ou par SMS : à l'adresse ou au numéro de votre compte EduConnect, si vous l'avez validé.",
        nonce,
        choices: WAYS,
      }),
    );
  }

  private async askContactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const way = step.result as Parsed<Way>;
    if (!way.ok) return this.giveUp(step);
    if (way.value === 'none') {
      await step.context.sendActivity(
        "Dans ce cas, l'école ou l'établissement de votre enfant peut vous redonner votre identifiant. Vous pouvez aussi vous connecter avec FranceConnect, sans identifiant EduConnect, si le numéro de portable donné à l'école est bien le vôtre.",
      );
      return step.endDialog();
    }
    this.remember(step, 'channel', way.value);
    const given = this.recall(step, 'given');
    if (given) return step.next({ ok: true, value: given } satisfies Parsed<string>);
    return way.value === 'email'
      ? this.ask(step, EMAIL, "Quelle est l'adresse e-mail de votre compte EduConnect ?")
      : this.ask(step, MOBILE, 'Quel est le numéro de portable de votre compte EduConnect ?');
  }

  private async sendStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const contact = step.result as Parsed<string>;
    if (!contact.ok) return this.giveUp(step);
    const channel: Channel = this.recall(step, 'channel') === 'sms' ? 'sms' : 'email';
    const reply = await recoverIdentifier(this.deps.ctx, turnActor(step.context), channel, contact.value);
    await step.context.sendActivity(reply.text);
    return step.endDialog();
  }
}
