// Lost password: identifier, then a link by mail or a code by SMS (to the contact confirmed
// on the account). The chat never asks for, shows or keeps a password.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { requestPasswordReset } from '../../services/selfservice/password.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseIdentifier, type Parsed } from '../shared/validators.js';
import { entityText, turnActor, type DialogDeps, type RoutedOptions } from '../types.js';
import { channelCard, parseChannel, type Channel } from './channels.js';
import { SMS_CODE_DIALOG, SmsCodeDialog, type SmsCodeOptions } from './sms-code-dialog.js';
import { forcedChangeReply, isForcedChangeQuestion } from './forced-change.js';
import { inputText } from '../shared/input.js';

export const LOST_PASSWORD_DIALOG = 'parent.lostPassword';
const IDENTIFIER = `${LOST_PASSWORD_DIALOG}.identifier`;
const CHANNEL = `${LOST_PASSWORD_DIALOG}.channel`;

export class LostPasswordDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(LOST_PASSWORD_DIALOG, deps);
    this.addPrompt(IDENTIFIER, parseIdentifier);
    this.addPrompt(CHANNEL, parseChannel);
    this.addDialog(new SmsCodeDialog(deps));
    this.addSteps(this.identifierStep, this.channelStep, this.requestStep, this.doneStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === IDENTIFIER)
      return "Votre identifiant figure sur le courrier remis par l'école (par exemple c.dupont114). Si vous ne le connaissez plus, écrivez « annuler » puis « identifiant perdu ».";
    return "Par e-mail, vous recevez un lien pour choisir un nouveau mot de passe ; par SMS, un code à recopier ici. Ils sont envoyés à l'adresse ou au numéro de votre compte EduConnect, si vous l'avez validé.";
  }

  private async identifierStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isForcedChangeQuestion(inputText(step.context.activity))) {
      await step.context.sendActivity(forcedChangeReply(this.deps.ctx));
      return step.endDialog();
    }
    const given = entityText((step.options as RoutedOptions | undefined)?.entities, 'identifier');
    const parsed = given ? parseIdentifier({ text: given, value: undefined }) : undefined;
    if (parsed?.ok) return step.next(parsed);
    return this.ask(step, IDENTIFIER, 'Quel est votre identifiant EduConnect ? (par exemple c.dupont114 — surtout pas votre mot de passe)');
  }

  private async channelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const identifier = step.result as Parsed<string>;
    if (!identifier.ok) return this.giveUp(step);
    this.remember(step, 'identifier', identifier.value);
    const wanted = (step.options as RoutedOptions | undefined)?.entities?.channel?.find((c): c is Channel => c === 'sms' || c === 'email');
    if (wanted) return step.next({ ok: true, value: wanted } satisfies Parsed<Channel>);
    return this.askWithCard(
      step,
      CHANNEL,
      channelCard(
        'Comment souhaitez-vous réinitialiser votre mot de passe ?',
        'Par e-mail : un lien pour choisir un nouveau mot de passe. Par SMS : un code à recopier ici.',
      ),
    );
  }

  private async requestStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const channel = step.result as Parsed<Channel>;
    if (!channel.ok) return this.giveUp(step);
    const identifier = this.recall(step, 'identifier') ?? '';
    const reply = await requestPasswordReset(this.deps.ctx, turnActor(step.context), identifier, channel.value);
    await step.context.sendActivity(reply.text);
    if (reply.status === 'accepted' && 'requestId' in reply) {
      return step.beginDialog(SMS_CODE_DIALOG, { requestId: reply.requestId } satisfies SmsCodeOptions);
    }
    return step.endDialog();
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
