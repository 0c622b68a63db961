// Parsers of answers: each turns what the user typed (or clicked) into a value, or into a
// clear French re-prompt saying what is expected. Pure functions, used by ParsedPrompt.
import { normalizeMobile } from '../../services/phone.js';
import { normalizeUai } from '../../services/text.js';
import { folded } from './input.js';
import { cardSubmission } from '../../cards/shared/card-action.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; retry: string };

/** What a prompt received: the text typed, or the value of a card action. */
export interface PromptInput {
  text: string;
  value: unknown;
}

export type InputParser<T> = (input: PromptInput) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const retry = <T>(message: string): Parsed<T> => ({ ok: false, retry: message });

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z]{2,}$/i;

export const parseEmail: InputParser<string> = ({ text }) => {
  const email = text.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email)
    ? ok(email)
    : retry("Merci d'indiquer une adresse mail complète, par exemple prenom.nom@exemple.fr.");
};

export const parseMobile: InputParser<string> = ({ text }) => {
  const r = normalizeMobile(text.slice(0, 40));
  return r.ok
    ? ok(r.e164)
    : retry(
        "Merci d'indiquer un numéro de téléphone portable, par exemple 06 12 34 56 78 (hors de France métropolitaine, avec l'indicatif, par exemple +262 692 12 34 56).",
      );
};

const IDENTIFIER = /^[a-z][a-z-]*\.[a-z-]+\d*$/;

export const parseIdentifier: InputParser<string> = ({ text }) => {
  const id = text.trim().toLowerCase();
  return id.length <= 80 && IDENTIFIER.test(id)
    ? ok(id)
    : retry("Merci d'indiquer votre identifiant EduConnect : l'initiale du prénom, un point puis le nom, parfois suivi de chiffres, par exemple c.dupont114.");
};

export const parseSmsCode: InputParser<string> = ({ text }) => {
  const code = text.replace(/\s/g, '');
  return /^\d{6,8}$/.test(code) ? ok(code) : retry('Merci de recopier le code reçu par SMS : uniquement les chiffres, par exemple 123456.');
};

export const parseUai: InputParser<string> = ({ text }) => {
  const uai = normalizeUai(text.replace(/\s/g, ''));
  return uai ? ok(uai) : retry("Merci d'indiquer le code UAI de l'établissement : 7 chiffres suivis d'une lettre, par exemple 0311478N.");
};

/** A person's name (letters, spaces, hyphens, apostrophes), 1 to 60 characters. */
export const parseName: InputParser<string> = ({ text }) => {
  const name = text.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= 60 && /^[\p{L}][\p{L}' ’-]*$/u.test(name)
    ? ok(name)
    : retry("Merci d'indiquer un nom en lettres, par exemple Dupont (les traits d'union et apostrophes sont acceptés).");
};

/** A free description of a school: a UAI, or a name and town (3 to 120 characters). */
export const parseSchool: InputParser<string> = ({ text }) => {
  const t = text.trim().replace(/\s+/g, ' ');
  const uai = normalizeUai(t.replace(/\s/g, ''));
  if (uai) return ok(uai);
  return t.length >= 3 && t.length <= 120 && /\p{L}/u.test(t)
    ? ok(t)
    : retry("Merci d'indiquer le nom de l'école ou de l'établissement et sa commune, ou son code UAI (par exemple 0311478N).");
};

const YES = new Set(['oui', 'o', 'yes', 'ok', 'd accord', 'bien sur', 'oui merci', 'volontiers', 'oui s il vous plait']);
const NO = new Set(['non', 'n', 'no', 'non merci', 'pas besoin', 'ca ira']);

export type Choice<T extends string> = { value: T; title: string; synonyms: readonly string[] };

/** A choice made by a card button (nonce checked by BaseDialog) or typed as text. */
export function choiceParser<T extends string>(choices: readonly Choice<T>[], retryText: string): InputParser<T> {
  return ({ text, value }) => {
    const submitted = cardSubmission(value);
    const byCard = submitted && choices.find((c) => c.value === submitted.choice);
    if (byCard) return ok(byCard.value);
    const t = folded(text);
    const byText = choices.find((c) => folded(c.title) === t || c.synonyms.some((s) => folded(s) === t));
    return byText ? ok(byText.value) : retry(retryText);
  };
}

export const parseYesNo: InputParser<boolean> = (input) => {
  const t = folded(input.text);
  if (YES.has(t)) return ok(true);
  if (NO.has(t)) return ok(false);
  const submitted = cardSubmission(input.value);
  if (submitted?.choice === 'yes') return ok(true);
  if (submitted?.choice === 'no') return ok(false);
  return retry('Merci de répondre par « oui » ou par « non ».');
};

/** A way to reach the parent: an email address or a mobile number. */
export type Contact = { email: string } | { mobile: string };

export const parseContact: InputParser<Contact> = (input) => {
  const email = parseEmail(input);
  if (email.ok) return ok({ email: email.value });
  const mobile = parseMobile(input);
  if (mobile.ok) return ok({ mobile: mobile.value });
  return retry("Merci d'indiquer une adresse mail (par exemple prenom.nom@exemple.fr) ou un numéro de portable (par exemple 06 12 34 56 78).");
};
