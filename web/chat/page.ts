// The parents' web chat page (web/chat/index.html) with the assistance platform's phone,
// price and hours filled in from the one module that knows them (services/helpdesk).
import type { ServiceSettings } from '../../services/context.js';
import { HELPDESK, helpdeskOf, hoursText } from '../../services/helpdesk/contact.js';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Spaces that must not break a phone number or "8 h" across lines. */
const keepTogether = (s: string): string => s.replace(/(\d) (?=\d|h\b)/g, '$1&nbsp;');

export function renderChatPage(template: string, settings: ServiceSettings): string {
  const values: Record<string, string> = {
    HELP_PHONE: keepTogether(escapeHtml(HELPDESK.phone)),
    HELP_PHONE_TEXT: escapeHtml(HELPDESK.phone),
    HELP_PHONE_URI: escapeHtml(HELPDESK.phoneUri),
    HELP_PRICE: escapeHtml(HELPDESK.price),
    HELP_HOURS: keepTogether(escapeHtml(hoursText(helpdeskOf(settings).hours))),
  };
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
