// Parsers of answers: each turns what the user typed (or clicked) into a value, or into a
// clear French re-prompt saying what is expected. Pure functions, used by ParsedPrompt.
import { isoDate, monthNumber } from '../../services/calendar.js';
import { normalizeMobile } from '../../services/phone.js';
import { normalizeUai } from '../../services/text.js';
import { folded, looksLikePassword } from './input.js';
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
  return email.length <= 254 && EMAIL.test(email) ? ok(email) : retry("Merci d'indiquer une adresse e-mail complète, par exemple prenom.nom@exemple.fr.");
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
  // Free text never takes a password typed by mistake (the prompt then warns, as an attempt).
  return !looksLikePassword(t) && t.length >= 3 && t.length <= 120 && /\p{L}/u.test(t)
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
  return retry("Merci d'indiquer une adresse e-mail (par exemple prenom.nom@exemple.fr) ou un numéro de portable (par exemple 06 12 34 56 78).");
};

/** A child's birth date: a day of the calendar from 1990, not in the future (checked by the caller). */
function birthIso(year: number, month: number, day: number): string | null {
  return year >= 1990 ? isoDate(year, month, day) : null;
}

/** A child's birth date as typed ("12/03/2016", "12-03-2016", "2016-03-12", "12 mars 2016") -> ISO YYYY-MM-DD. */
export const parseBirthDate: InputParser<string> = ({ text }) => {
  const t = text
    .slice(0, 40)
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^le /, '')
    .replace(/\b1er\b/, '1');
  const numeric = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(t);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const written = /^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$/.exec(t);
  const date = numeric
    ? birthIso(Number(numeric[3]), Number(numeric[2]), Number(numeric[1]))
    : iso
      ? birthIso(Number(iso[1]), Number(iso[2]), Number(iso[3]))
      : written
        ? birthIso(Number(written[3]), monthNumber(written[2] ?? '') ?? 0, Number(written[1]))
        : null;
  return date && date <= new Date().toISOString().slice(0, 10)
    ? ok(date)
    : retry('Merci d’indiquer la date de naissance saisie, sous la forme jour/mois/année, par exemple 12/03/2016.');
};
