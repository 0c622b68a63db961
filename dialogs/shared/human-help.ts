// The message that offers a person: the human-help card alone (no repeated text bubble), with
// today's opening status; plain text for channels that show no cards.
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { humanHelpCard } from '../../cards/shared/human-help-card.js';
import type { ServiceSettings } from '../../services/context.js';
import { HELPDESK, helpdeskOf, hoursText, isOpen, statusText } from '../../services/helpdesk/contact.js';

export function humanHelpActivity(settings: ServiceSettings, now: Date, intro?: string): Partial<Activity> {
  const { hours, agentsTeamId } = helpdeskOf(settings);
  const open = isOpen(hours, now);
  const status = statusText(hours, now);
  const card = humanHelpCard({ ...HELPDESK, hours: hoursText(hours), intro, status, open, liveHandoff: open && agentsTeamId !== undefined });
  const summary = `${intro ? `${intro} ` : ''}Vous pouvez joindre la plateforme d'assistance au ${HELPDESK.phone} (${HELPDESK.price}), ${hoursText(hours)}, ou en ligne : ${HELPDESK.formUrl}. ${status}`;
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card), undefined, summary);
  const attachment = activity.attachments?.[0];
  if (attachment) Reflect.set(attachment, 'fallbackText', summary);
  return activity;
}
