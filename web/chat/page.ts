// The web chat page (web/chat/index.html): the shared header, footer and stylesheet of the
// public pages (web/pages/layout.ts, web/site.css), the assistance platform's phone, price and
// hours from the one module that knows them (services/helpdesk), and an introduction for the
// person who opens it: parents, or — outside production, with ?as= — a director or an agent.
import type { ServiceSettings } from '../../services/context.js';
import type { StaffActor } from '../../services/actor.js';
import { HELPDESK, helpdeskOf, hoursText } from '../../services/helpdesk/contact.js';
import { PAGES } from '../../services/public-paths.js';
import { escapeHtml, html, SafeHtml } from '../pages/html.js';
import { siteFooter, siteHeader } from '../pages/layout.js';

export type ChatAudience = 'parent' | 'director' | 'agent';

export const audienceOf = (staff: StaffActor | null): ChatAudience => (!staff ? 'parent' : staff.kind === 'director' ? 'director' : 'agent');

/** Spaces that must not break a phone number or "8 h" across lines. */
const keepTogether = (s: string): SafeHtml => new SafeHtml(escapeHtml(s).replace(/(\d) (?=\d|h\b)/g, '$1&nbsp;'));

const TITLES: Record<ChatAudience, string> = {
  parent: 'Assistance EduConnect – Aide en ligne pour les parents',
  director: 'Assistance EduConnect – Directions d’école et d’établissement',
  agent: 'Assistance EduConnect – Agents de la plateforme d’assistance',
};

const SEND_HELP = html`écrivez votre demande dans le champ «&nbsp;Tapez votre message&nbsp;» en bas de la conversation, puis appuyez sur Entrée.`;

function intro(audience: ChatAudience, staff: StaffActor | null): SafeHtml {
  if (audience === 'parent') {
    return html`<h1 id="chat-title" tabindex="-1">Assistance EduConnect pour les parents</h1>
<p id="chat-help" class="chat-help">Identifiant ou mot de passe perdu, e-mail d’activation non reçu, date de naissance refusée&nbsp;: ${SEND_HELP}
<strong>Ne communiquez jamais votre mot de passe.</strong></p>`;
  }
  const who = audience === 'director' ? 'direction d’école ou d’établissement' : 'agent de la plateforme d’assistance';
  const what =
    audience === 'director'
      ? 'Statistiques de vos écoles, consultation d’un compte, notifications, mots de passe provisoires, listes de comptes et demandes des parents'
      : 'Recherche d’un compte, diagnostic, actions pour le compte d’une école et suivi des demandes des parents';
  return html`<h1 id="chat-title" tabindex="-1">${audience === 'director' ? 'Assistance EduConnect pour les directions' : 'Assistance EduConnect pour les agents'}</h1>
<p id="chat-help" class="chat-help">${what}&nbsp;: choisissez une demande proposée par l’assistant ou ${SEND_HELP}
Essai hors production&nbsp;: l’assistant vous reconnaît comme ${staff?.name ?? ''} (${who}).</p>`;
}

/** Below the conversation: parents may call the platform; staff have their own channels. */
function more(audience: ChatAudience, settings: ServiceSettings): SafeHtml {
  if (audience !== 'parent') return html``;
  return html`<section class="contact" aria-labelledby="contact-title">
<h2 id="contact-title">Parler à une personne</h2>
<p>La plateforme d’assistance répond au <a href="${HELPDESK.phoneUri}">${keepTogether(HELPDESK.phone)}</a> (${HELPDESK.price}) ${keepTogether(hoursText(helpdeskOf(settings).hours))}.</p>
</section>`;
}

export function renderChatPage(template: string, settings: ServiceSettings, staff: StaffActor | null = null): string {
  const audience = audienceOf(staff);
  const values: Record<string, SafeHtml> = {
    TITLE: html`${TITLES[audience]}`,
    STYLES: html`${PAGES.styles}`,
    HEADER: siteHeader(),
    INTRO: intro(audience, staff),
    MORE: more(audience, settings),
    FOOTER: siteFooter(hoursText(helpdeskOf(settings).hours)),
    HELP_PHONE: keepTogether(HELPDESK.phone),
    HELP_PHONE_TEXT: html`${HELPDESK.phone}`,
  };
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => values[name]?.value ?? whole);
}
