// The page shell and the form parts (labels tied to inputs, hints and errors announced with
// aria-describedby, an error summary linking to the fields). French, no JavaScript.
import { PAGES } from '../../services/public-paths.js';
import { DEFAULT_HOURS, HELPDESK, hoursText } from '../../services/helpdesk/contact.js';
import { PASSWORD_RULE_TEXT } from '../../services/selfservice/policy.js';
import { html, type SafeHtml } from './html.js';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  errors?: FieldError[];
}

/** The banner every public page shares (self-service pages, the chat page, the dev outbox). */
export const siteHeader = (): SafeHtml => html`<header class="header">
<div class="header__inner">
<p class="header__brand"><span class="header__flag" aria-hidden="true"></span>République française</p>
<p class="header__service">Assistance EduConnect</p>
</div>
</header>`;

/** The footer every public page shares: the assistance platform's phone, price and hours. */
export const siteFooter = (hours: string = hoursText(DEFAULT_HOURS)): SafeHtml =>
  html`<footer class="footer"><p>Besoin d'aide ? Assistance par téléphone au ${HELPDESK.phone} (${HELPDESK.price}), ${hours}. Ce service ne vous demandera jamais votre mot de passe.</p></footer>`;

export function layout({ title, body, errors = [] }: PageOptions): string {
  const fullTitle = `${errors.length ? 'Erreur : ' : ''}${title} – Assistance EduConnect`;
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${fullTitle}</title>
<link rel="stylesheet" href="${PAGES.styles}">
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
${siteHeader()}
<main id="contenu" class="main main--narrow" tabindex="-1">
<h1>${title}</h1>
${errorSummary(errors)}
${body}
</main>
${siteFooter()}
</body>
</html>`.value;
}

function errorSummary(errors: FieldError[]): SafeHtml {
  if (!errors.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">Votre saisie est à corriger</h2>
<ul>${errors.flatMap((e) => e.messages.map((m) => html`<li><a href="#${e.field}">${m}</a></li>`))}</ul>
</div>`;
}

export interface InputOptions {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'tel' | 'password' | 'date';
  autocomplete?: string;
  hint?: string;
  value?: string;
  errors?: FieldError[];
  inputmode?: 'numeric' | 'tel' | 'email' | 'text';
  maxlength?: number;
  pattern?: string;
  spellcheck?: boolean;
}

export function errorsFor(errors: FieldError[] | undefined, field: string): string[] {
  return errors?.filter((e) => e.field === field).flatMap((e) => e.messages) ?? [];
}

export function input(o: InputOptions): SafeHtml {
  const id = o.name;
  const errs = errorsFor(o.errors, o.name);
  const described = [o.hint ? `${id}-hint` : '', errs.length ? `${id}-error` : ''].filter(Boolean).join(' ');
  const value = o.type === 'password' ? '' : (o.value ?? '');
  return html`<div class="field">
<label for="${id}">${o.label}</label>
${o.hint ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ''}
${errs.length ? html`<span class="error-message" id="${id}-error">${errs.length === 1 ? html`<span>Erreur : ${errs[0]}</span>` : html`Erreur :<ul>${errs.map((m) => html`<li>${m}</li>`)}</ul>`}</span>` : ''}
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${value}"${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.spellcheck === false ? html` spellcheck="false" autocapitalize="none"` : ''}${described ? html` aria-describedby="${described}"` : ''}${errs.length ? html` aria-invalid="true"` : ''} required>
</div>`;
}

export interface RadioOption {
  value: string;
  label: string;
}

export function radios(o: { name: string; legend: string; options: RadioOption[]; value?: string; errors?: FieldError[] }): SafeHtml {
  const errs = errorsFor(o.errors, o.name);
  return html`<fieldset${errs.length ? html` aria-describedby="${o.name}-error"` : ''}>
<legend>${o.legend}</legend>
${errs.length ? html`<span class="error-message" id="${o.name}-error">Erreur : ${errs.join(' ')}</span>` : ''}
${o.options.map(
  (opt, i) =>
    html`<div class="radio"><input type="radio" id="${i === 0 ? o.name : `${o.name}-${opt.value}`}" name="${o.name}" value="${opt.value}"${(o.value ?? o.options[0]?.value) === opt.value ? html` checked` : ''}><label for="${i === 0 ? o.name : `${o.name}-${opt.value}`}">${opt.label}</label></div>`,
)}
</fieldset>`;
}

export function form(action: string, csrf: SafeHtml, content: SafeHtml, submit: string): SafeHtml {
  return html`<form method="post" action="${action}" novalidate>
${csrf}
${content}
<button type="submit">${submit}</button>
</form>`;
}

/** A page with only a message (and an optional link). */
export function messagePage(title: string, message: string, kind: 'notice' | 'success' = 'notice', link?: { href: string; text: string }): string {
  return layout({ title, body: html`<div class="${kind}"><p>${message}</p></div>${link ? html`<p><a href="${link.href}">${link.text}</a></p>` : ''}` });
}

/** Policy reasons split between the password field and its confirmation. */
export function passwordErrors(reasons: string[]): FieldError[] {
  const mismatch = reasons.filter((m) => m.startsWith('La confirmation'));
  const others = reasons.filter((m) => !m.startsWith('La confirmation'));
  return [...(others.length ? [{ field: 'password', messages: others }] : []), ...(mismatch.length ? [{ field: 'confirmation', messages: mismatch }] : [])];
}

/** The identifier (read-only, for password managers) and the password chosen, typed twice; `replacing`: labels say "nouveau". */
export function newPasswordFields(identifier: string, errors: FieldError[], replacing: boolean): SafeHtml {
  const what = replacing ? 'nouveau mot de passe' : 'mot de passe';
  return html`<div class="field"><label for="username">Identifiant</label><input id="username" name="username" type="text" value="${identifier}" autocomplete="username" readonly></div>
${input({ name: 'password', label: replacing ? 'Nouveau mot de passe' : 'Mot de passe', type: 'password', autocomplete: 'new-password', hint: PASSWORD_RULE_TEXT, errors, maxlength: 128 })}
${input({ name: 'confirmation', label: `Confirmez le ${what}`, type: 'password', autocomplete: 'new-password', errors, maxlength: 128 })}`;
}
