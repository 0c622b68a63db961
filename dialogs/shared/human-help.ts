// The message that offers a person: text + human-help card, with today's opening status.
import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { humanHelpCard } from '../../cards/shared/human-help-card.js';
import { ASSISTANCE, assistanceStatus, assistanceStatusText } from './assistance.js';

export function humanHelpActivity(now: Date, intro?: string): Partial<Activity> {
  const status = assistanceStatusText(now);
  const card = humanHelpCard({ ...ASSISTANCE, intro, status, open: assistanceStatus(now).open });
  const summary = `${intro ? `${intro} ` : ''}Vous pouvez joindre la plateforme d'assistance au ${ASSISTANCE.phone} (${ASSISTANCE.price}), ${ASSISTANCE.hours}, ou en ligne : ${ASSISTANCE.formUrl}. ${status}`;
  return MessageFactory.attachment(CardFactory.adaptiveCard(card), summary, summary);
}
