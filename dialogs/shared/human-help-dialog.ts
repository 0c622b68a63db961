// "I want to talk to someone". With the agents' team configured (AGENTS_TEAM_ID) and the
// platform open: the request goes to the agents' Teams channel (and the standard Bot
// Framework handoff event is emitted), the parent learns their place in the queue and can
// add a sentence or cancel. Closed: a written request with a contact, for the next opening.
// Without the agents' team: the phone, hours and online form. What follows (relay, claim,
// end) happens outside the dialogs: bot/handoff/.
import { EventFactory, type Activity, type TurnContext } from 'botbuilder';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { conversationKey } from '../../services/conversation-refs.js';
import { helpdeskOf, isOpen, statusText } from '../../services/helpdesk/contact.js';
import { conversationTranscript } from '../../services/handoff/transcript.js';
import { chatVerification } from '../../services/handoff/verification.js';
import { frenchTime, helpdeskWallClock } from '../../services/helpdesk/hours.js';
import { openHandoffRequest } from '../../services/handoff/requests.js';
import { PARENT } from '../../services/handoff/texts.js';
import { TALK_TO_AGENT } from '../../cards/shared/human-help-card.js';
import { requestRelay, turnActor, type DialogDeps } from '../types.js';
import { BaseDialog } from './base-dialog.js';
import { folded } from './input.js';
import { humanHelpActivity } from './human-help.js';

export const HUMAN_HELP_DIALOG = 'humanHelp';

const VERIFICATION = {
  anonymous: "aucune : le parent n'a pas prouvé son identité dans la conversation.",
  guardian: 'parent connecté à son compte (identité vérifiée).',
  smsCode: (at: string): string => `code reçu par SMS sur le portable confirmé du compte, saisi dans la conversation à ${at} (mot de passe perdu).`,
};
const DISCLOSED = {
  nothing: "rien de personnel : l'assistant ne révèle aucune information de compte à un parent non vérifié.",
  passwordLink: 'le lien pour choisir un nouveau mot de passe, après le code SMS ; rien d’autre.',
};

/** What the assistant verified in this conversation, and the account it proves (if any). */
async function verified(deps: DialogDeps, context: TurnContext, key: string): Promise<{ verification: string; disclosed: string; guardianId?: number }> {
  const actor = turnActor(context);
  if (actor.kind === 'guardian') return { verification: VERIFICATION.guardian, disclosed: DISCLOSED.nothing, guardianId: actor.guardianId };
  const chat = await chatVerification(deps.ctx, key);
  if (!chat) return { verification: VERIFICATION.anonymous, disclosed: DISCLOSED.nothing };
  const at = frenchTime(helpdeskWallClock(chat.verifiedAt, helpdeskOf(deps.ctx.settings).hours.timeZone).minutes);
  return { verification: VERIFICATION.smsCode(at), disclosed: DISCLOSED.passwordLink, guardianId: chat.guardianId };
}

export class HumanHelpDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(HUMAN_HELP_DIALOG, deps);
    this.addSteps(this.requestStep);
  }

  protected helpText(): string {
    return "La plateforme d'assistance répond dans cette conversation, par téléphone et par un formulaire en ligne.";
  }

  private async requestStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { ctx } = this.deps;
    const context = step.context;
    const now = ctx.now();
    const { hours, agentsTeamId } = helpdeskOf(ctx.settings);
    if (!agentsTeamId) {
      const intro =
        "Des conseillers de la plateforme d'assistance nationale peuvent vous aider. Ne leur communiquez jamais votre mot de passe : ils ne vous le demanderont pas.";
      await context.sendActivity(humanHelpActivity(ctx.settings, now, intro));
      return step.endDialog();
    }
    const open = isOpen(hours, now);
    const key = conversationKey(context.activity.channelId, context.activity.conversation.id);
    const transcript = await conversationTranscript(ctx, key);
    const said = context.activity.text?.trim() ?? '';
    // The help card's button posts its label: the real question is what the parent wrote before.
    const previous = [...transcript].reverse().find((l) => l.from === 'Parent' && folded(l.text) !== folded(said) && folded(l.text) !== folded(TALK_TO_AGENT));
    const question = folded(said) === folded(TALK_TO_AGENT) && previous ? previous.text : said || 'Parler à une personne';
    const opened = await openHandoffRequest(ctx, { conversationKey: key, question, transcript, ...(await verified(this.deps, context, key)), open });
    requestRelay(context, opened.request.id);
    if (!opened.created) {
      await context.sendActivity(opened.request.state === 'CLAIMED' ? PARENT.alreadyClaimed : PARENT.alreadyWaiting(opened.position));
      return step.endDialog();
    }
    if (open) {
      // The standard handoff event, for a contact-centre connector that would take the conversation.
      const activities = transcript.map((l): Partial<Activity> => ({
        type: 'message',
        text: l.text,
        from: { id: l.from === 'Parent' ? 'parent' : 'bot', name: l.from, role: l.from === 'Parent' ? 'user' : 'bot' },
      }));
      await context.sendActivity(
        EventFactory.createHandoffInitiation(
          context,
          { requestId: opened.request.id, skill: 'educonnect-assistance' },
          { activities: activities as Activity[] },
        ),
      );
      await context.sendActivity(PARENT.waiting(opened.position, opened.estimateMinutes));
      return step.endDialog();
    }
    await context.sendActivity(PARENT.askContact(statusText(hours, now), hours));
    return step.endDialog();
  }
}
