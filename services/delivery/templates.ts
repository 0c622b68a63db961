// Rendering of every outgoing message (the OutgoingMessage union): emails with an HTML part
// and a plain-text part built from the same content, and SMS in GSM-7 without any link.
import type { ServiceSettings } from '../context.js';
import type { OutgoingMessage } from './types.js';
import { caseSmsText, caseUpdateWords } from '../case-wording.js';
import { SAFETY_TEXT, letterWording, siteOf } from './wording.js';
import { HELPDESK, helpdeskOf, helpSentence } from '../helpdesk/contact.js';
import { PAGES, publicLink } from '../public-paths.js';

/** A message rendered for its channel (subject and HTML for mail only). */
export interface RenderedMessage {
  channel: 'EMAIL' | 'SMS';
  subject?: string;
  text: string;
  html?: string;
}

export type Renderer = (message: OutgoingMessage, settings: ServiceSettings) => RenderedMessage;

/** Display name of every email's sender. */
export const SENDER_NAME = 'Administrateur des services en ligne';

// ---------------------------------------------------------------------------------------
// Emails: a list of parts, rendered as text and as HTML.

type Part =
  | { kind: 'p'; text: string; strong?: boolean }
  | { kind: 'list'; items: string[] }
  | { kind: 'value'; label: string; value: string; note?: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'small'; text: string };

interface Email {
  subject: string;
  greeting: string;
  parts: Part[];
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const SIGNATURE = "L'administrateur des services en ligne de l'Éducation nationale";
const footer = (settings: ServiceSettings): string[] => [
  helpSentence(helpdeskOf(settings).hours),
  'Ce message vous est envoyé automatiquement : merci de ne pas y répondre.',
];

function partText(p: Part): string {
  switch (p.kind) {
    case 'p':
    case 'small':
      return p.text;
    case 'list':
      return p.items.map((i) => `  - ${i}`).join('\n');
    case 'value':
      return `${p.label} : ${p.value}${p.note ? `\n(${p.note})` : ''}`;
    case 'link':
      return `${p.label}\n${p.url}`;
  }
}

function partHtml(p: Part): string {
  const e = escapeHtml;
  switch (p.kind) {
    case 'p':
      return p.strong ? `<p><strong>${e(p.text)}</strong></p>` : `<p>${e(p.text)}</p>`;
    case 'small':
      return `<p style="font-size:14px;color:#555555;">${e(p.text)}</p>`;
    case 'list':
      return `<ul>${p.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`;
    case 'value':
      return (
        `<p style="margin:16px 0;padding:12px 16px;background:#f1f4f8;border:1px solid #c9d3df;border-radius:6px;">` +
        `${e(p.label)}<br><strong style="font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:20px;letter-spacing:1px;">${e(p.value)}</strong>` +
        (p.note ? `<br><span style="font-size:14px;color:#555555;">${e(p.note)}</span>` : '') +
        `</p>`
      );
    case 'link':
      return `<p>${e(p.label)}<br><a href="${e(p.url)}" style="color:#00305e;font-weight:bold;">${e(p.url)}</a></p>`;
  }
}

function renderEmail(email: Email, settings: ServiceSettings): RenderedMessage {
  const FOOTER = footer(settings);
  const text = [email.greeting, ...email.parts.map(partText), SIGNATURE, '--', ...FOOTER].join('\n\n') + '\n';
  const html =
    `<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(email.subject)}</title>\n</head>\n` +
    `<body style="margin:0;padding:0;background:#f4f6f9;">\n` +
    `<div role="main" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">\n` +
    `<h1 style="font-size:20px;color:#00305e;margin-top:0;">${escapeHtml(email.subject)}</h1>\n` +
    `<p>${escapeHtml(email.greeting)}</p>\n` +
    email.parts.map(partHtml).join('\n') +
    `\n<p>${escapeHtml(SIGNATURE)}</p>\n<hr>\n` +
    FOOTER.map((f) => `<p style="font-size:14px;color:#555555;">${escapeHtml(f)}</p>`).join('\n') +
    `\n</div>\n</body>\n</html>\n`;
  return { channel: 'EMAIL', subject: email.subject, text, html };
}

const hello = (firstName: string | null): string => (firstName ? `Bonjour ${firstName},` : 'Bonjour,');
const hours = (n: number): string => (n === 1 ? '1 heure' : `${n} heures`);
const NOT_YOU = "Vous n'êtes pas à l'origine de cette demande ? Ignorez ce message : rien ne sera modifié.";

const SECURITY_EVENTS: Record<Extract<OutgoingMessage, { template: 'security_notice' }>['event'], { subject: string; text: string }> = {
  password_changed: { subject: 'Votre mot de passe EduConnect a été modifié', text: "Le mot de passe de votre compte EduConnect vient d'être modifié." },
  identifier_sent: { subject: 'Votre identifiant EduConnect a été envoyé', text: 'Votre identifiant EduConnect vient de vous être envoyé, à votre demande.' },
  accounts_merged: {
    subject: 'Vos comptes EduConnect ont été regroupés',
    text: 'Vos comptes EduConnect ont été regroupés : tous vos enfants sont désormais accessibles avec ce compte.',
  },
  account_activated: {
    subject: 'Votre compte EduConnect est activé',
    text: 'Votre compte EduConnect est activé : vous pouvez accéder aux services en ligne de vos enfants.',
  },
};

/** Where a parent resumes once the school has acted: activation, SMS registration, or "Mon compte". */
const CASE_PAGES = { birth_date: PAGES.firstLogin, mobile: PAGES.registration, regroup: PAGES.account, other: PAGES.account } as const;

function email(message: Exclude<OutgoingMessage, { template: `sms_${string}` }>, settings: ServiceSettings): Email {
  switch (message.template) {
    case 'letter': {
      const w = letterWording(message.letter, helpdeskOf(settings).hours);
      const parts: Part[] = [
        { kind: 'p', text: w.intro },
        { kind: 'p', text: w.childrenLead },
        { kind: 'list', items: w.children },
        { kind: 'value', label: w.identifierLabel, value: w.identifier },
      ];
      if (w.password) parts.push({ kind: 'value', label: w.password.label, value: w.password.value, note: w.password.note });
      if (w.unchangedPassword) parts.push({ kind: 'p', text: w.unchangedPassword, strong: true });
      parts.push({ kind: 'link', label: 'Adresse du site :', url: siteOf(message.letter) });
      if (w.stepsTitle) {
        parts.push({ kind: 'p', text: w.stepsTitle, strong: true });
        for (const step of w.steps) parts.push({ kind: 'p', text: step });
      }
      parts.push({ kind: 'p', text: w.signature }, { kind: 'small', text: SAFETY_TEXT });
      return { subject: w.subject, greeting: `Bonjour ${message.letter.guardian.firstName} ${message.letter.guardian.lastName.toUpperCase()},`, parts };
    }
    case 'activation':
      return {
        subject: 'Activez votre compte EduConnect',
        greeting: `Bonjour ${message.firstName} ${message.lastName.toUpperCase()},`,
        parts: [
          { kind: 'p', text: `Vous activez votre compte EduConnect, identifiant ${message.identifier}.` },
          { kind: 'link', label: `Pour terminer, confirmez votre adresse e-mail en ouvrant ce lien (valable ${hours(message.ttlHours)}) :`, url: message.url },
          { kind: 'p', text: 'Connectez-vous ensuite avec le mot de passe que vous avez choisi.' },
          { kind: 'small', text: NOT_YOU },
        ],
      };
    case 'password_reset_link':
      return {
        subject: 'Choisissez un nouveau mot de passe EduConnect',
        greeting: hello(message.firstName),
        parts: [
          { kind: 'p', text: 'Vous avez demandé à changer le mot de passe de votre compte EduConnect.' },
          {
            kind: 'link',
            label: `Ouvrez ce lien pour choisir votre nouveau mot de passe (valable ${hours(message.ttlHours)}, une seule fois) :`,
            url: message.url,
          },
          { kind: 'small', text: NOT_YOU },
        ],
      };
    case 'identifier_reminder':
      return {
        subject: 'Votre identifiant EduConnect',
        greeting: hello(message.firstName),
        parts: [
          { kind: 'p', text: 'Vous avez demandé à retrouver votre identifiant EduConnect.' },
          { kind: 'value', label: 'Votre identifiant', value: message.identifier },
          { kind: 'link', label: 'Connectez-vous sur :', url: publicLink(settings, PAGES.account) },
          { kind: 'small', text: "Vous n'êtes pas à l'origine de cette demande ? Votre compte reste protégé par votre mot de passe." },
        ],
      };
    case 'email_change_notice':
      return {
        subject: 'Votre adresse e-mail EduConnect a été changée',
        greeting: hello(message.firstName),
        parts: [
          {
            kind: 'p',
            text: `Une nouvelle adresse e-mail a été indiquée pour votre compte EduConnect : ${message.newEmailMasked}. Les prochains messages seront envoyés à cette adresse, une fois confirmée.`,
          },
          {
            kind: 'p',
            text: "Vous n'êtes pas à l'origine de ce changement ? Changez votre mot de passe sans attendre et contactez l'assistance.",
            strong: true,
          },
        ],
      };
    case 'email_change_confirm':
      return {
        subject: 'Confirmez votre nouvelle adresse e-mail',
        greeting: hello(message.firstName),
        parts: [
          { kind: 'p', text: 'Vous avez indiqué cette adresse e-mail pour votre compte EduConnect.' },
          { kind: 'link', label: `Pour la confirmer, ouvrez ce lien (valable ${hours(message.ttlHours)}) :`, url: message.url },
          { kind: 'small', text: NOT_YOU },
        ],
      };
    case 'security_notice': {
      const e = SECURITY_EVENTS[message.event];
      return {
        subject: e.subject,
        greeting: hello(message.firstName),
        parts: [
          { kind: 'p', text: e.text },
          { kind: 'p', text: "Vous n'êtes pas à l'origine de cette opération ? Contactez l'assistance sans attendre.", strong: true },
        ],
      };
    }
    case 'case_update': {
      const w = caseUpdateWords(message.caseReference, message.kind, message.state);
      return {
        subject: w.subject,
        greeting: hello(message.firstName),
        parts: [
          { kind: 'p', text: w.done },
          { kind: 'p', text: w.next, strong: true },
          ...(message.note ? [{ kind: 'p' as const, text: `Message de ${message.schoolName} : « ${message.note} »` }] : []),
          { kind: 'link', label: 'Adresse du site :', url: publicLink(settings, CASE_PAGES[message.kind]) },
          { kind: 'small', text: `Référence de votre demande : ${message.caseReference} (${message.schoolName}).` },
        ],
      };
    }
  }
}

// ---------------------------------------------------------------------------------------
// SMS: GSM-7, no link, nothing personal beyond the first name.

const CODE_PURPOSE: Record<Extract<OutgoingMessage, { template: 'sms_code' }>['purpose'], string> = {
  password: 'pour changer votre mot de passe',
  registration: 'pour créer votre compte',
  identifier: 'pour retrouver votre identifiant',
  mobile: 'pour confirmer votre nouveau numéro',
};

const SMS_NOTICES: Record<Extract<OutgoingMessage, { template: 'sms_notice' }>['event'], string> = {
  password_changed: `EduConnect : le mot de passe de votre compte a été modifié. Si ce n'est pas vous, appelez l'assistance au ${HELPDESK.phoneCompact}.`,
  identifier_sent: `EduConnect : votre identifiant vous a été envoyé à votre demande. Si ce n'est pas vous, appelez l'assistance au ${HELPDESK.phoneCompact}.`,
};

/** Host of the public URL, for the domain-bound code line ("@host #code"). */
function publicHost(settings: ServiceSettings): string {
  return new URL(settings.publicUrl).hostname;
}

function sms(message: Extract<OutgoingMessage, { template: `sms_${string}` }>, settings: ServiceSettings): string {
  switch (message.template) {
    case 'sms_code':
      return (
        `Votre code EduConnect ${CODE_PURPOSE[message.purpose]} : ${message.code}\n` +
        `Valable ${message.ttlMinutes} min. Ne le donnez à personne.\n\n` +
        `@${publicHost(settings)} #${message.code}`
      );
    case 'sms_identifier':
      return `Votre identifiant EduConnect : ${message.identifier}\nNe communiquez jamais votre mot de passe.`;
    case 'sms_notice':
      return SMS_NOTICES[message.event];
    case 'sms_case_update':
      return caseSmsText(message.caseReference, message.kind, message.state);
    case 'sms_case_note':
      return message.text;
  }
}

const isSms = (m: OutgoingMessage): m is Extract<OutgoingMessage, { template: `sms_${string}` }> => m.template.startsWith('sms_');

/** The real renderer: the default of createMessageQueue. */
export const renderMessage: Renderer = (message, settings) => {
  if (isSms(message)) return { channel: 'SMS', text: sms(message, settings) };
  return renderEmail(email(message, settings), settings);
};

/** Templates whose body carries a secret (password, code, one-time link): cleared once sent. */
export const SECRET_TEMPLATES: ReadonlySet<string> = new Set<OutgoingMessage['template']>([
  'letter',
  'activation',
  'password_reset_link',
  'email_change_confirm',
  'sms_code',
]);
