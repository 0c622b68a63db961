// The SMS code of a password reset, typed in the chat: a right code gives the single-use
// link to the page where the new password is chosen, and the conversation counts as verified
// for that account (a request for a person then carries it). Up to MAX_CODE_TRIES codes.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { verifyCode } from '../../services/selfservice/password.js';
import { conversationKey } from '../../services/conversation-refs.js';
import { passwordLinkCard } from '../../cards/parent/password-link-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseSmsCode, type Parsed } from '../shared/validators.js';
import { turnActor, type DialogDeps } from '../types.js';

export const SMS_CODE_DIALOG = 'parent.smsCode';
const CODE = `${SMS_CODE_DIALOG}.code`;
const MAX_CODE_TRIES = 3;

export interface SmsCodeOptions {
  requestId: string;
  tries?: number;
}

export class SmsCodeDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(SMS_CODE_DIALOG, deps);
    this.addPrompt(CODE, parseSmsCode);
    this.addSteps(this.askCodeStep, this.checkCodeStep);
  }

  protected helpText(): string {
    return `Recopiez ici le code à 6 chiffres reçu par SMS (valable ${this.deps.ctx.settings.selfService.codeTtlMinutes} minutes). Si rien n'arrive, vérifiez que ce numéro est bien celui de votre compte EduConnect.`;
  }

  private async askCodeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, CODE, 'Quand vous aurez reçu le SMS, recopiez ici le code à 6 chiffres.');
  }

  private async checkCodeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const code = step.result as Parsed<string>;
    if (!code.ok) return this.giveUp(step);
    const options = step.options as SmsCodeOptions;
    const { activity } = step.context;
    const result = await verifyCode(
      this.deps.ctx,
      turnActor(step.context),
      options.requestId,
      code.value,
      conversationKey(activity.channelId, activity.conversation.id),
    );
    if (result.ok) {
      const card = passwordLinkCard({ url: result.url, validMinutes: this.deps.ctx.settings.selfService.codeTtlMinutes });
      await step.context.sendActivity(
        MessageFactory.attachment(CardFactory.adaptiveCard(card), 'Code accepté. Voici le lien pour choisir votre nouveau mot de passe.'),
      );
      return step.endDialog();
    }
    await step.context.sendActivity(result.text);
    const tries = (options.tries ?? 1) + 1;
    if (tries > MAX_CODE_TRIES) {
      await step.context.sendActivity('Vous pouvez refaire une demande plus tard en écrivant « mot de passe perdu ».');
      return step.endDialog();
    }
    return step.replaceDialog(SMS_CODE_DIALOG, { requestId: options.requestId, tries } satisfies SmsCodeOptions);
  }
}
