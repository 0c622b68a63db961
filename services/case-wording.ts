// What a parent is told when their case moves (resolved by the import or by staff, waiting
// for the register, closed): what happened and what to do now. Written once, used by the
// email, the SMS (GSM-7, no link) and the chat message. Plain data: no layout here.
import type { CaseKind } from './db/index.js';
import { gsm7Length, SMS_MAX_SEPTETS } from './delivery/gsm7.js';

/** The states a parent is told about. */
export type ToldState = 'RESOLVED' | 'WAITING_REGISTER' | 'CLOSED';
export type NoticeKind = 'birth_date' | 'mobile' | 'regroup' | 'other';

export const NOTICE_KIND: Record<CaseKind, NoticeKind> = { BIRTH_DATE: 'birth_date', MOBILE: 'mobile', REGROUP: 'regroup', OTHER: 'other' };

export const isToldState = (s: string): s is ToldState => s === 'RESOLVED' || s === 'WAITING_REGISTER' || s === 'CLOSED';

/** What happened and what to do now, for a parent, by case kind when resolved. */
const RESOLVED: Record<NoticeKind, { done: string; next: string }> = {
  birth_date: {
    done: "L'école a corrigé la date de naissance de votre enfant dans son registre, et la correction est maintenant prise en compte.",
    next: "Reprenez l'activation de votre compte : connectez-vous avec votre identifiant et votre mot de passe, puis saisissez la date de naissance de votre enfant.",
  },
  mobile: {
    done: "L'école a enregistré votre numéro de portable, et il est maintenant reconnu.",
    next: "Recommencez l'inscription par SMS (ou la connexion avec FranceConnect) avec ce numéro.",
  },
  regroup: {
    done: "L'école a traité votre demande de regroupement.",
    next: "Avec l'identifiant et le mot de passe provisoire remis par l'école, connectez-vous au compte que vous gardez et terminez dans « Mon compte », onglet « Mes enfants ».",
  },
  other: {
    done: 'Votre demande a été traitée.',
    next: 'Vous pouvez vous reconnecter au site habituel.',
  },
};

const WAITING = {
  done: "L'école a fait la correction dans son registre. Elle sera prise en compte d'ici 1 à 2 jours : les données sont mises à jour chaque nuit.",
  next: 'Nous vous préviendrons à ce moment-là : inutile de réessayer avant.',
};

const CLOSED = {
  done: "L'école a clos votre demande.",
  next: "Si le problème continue, vous pouvez faire une nouvelle demande dans le chat de l'assistance.",
};

export interface CaseUpdateWords {
  subject: string;
  done: string;
  next: string;
}

export function caseUpdateWords(reference: string, kind: NoticeKind, state: ToldState): CaseUpdateWords {
  switch (state) {
    case 'RESOLVED':
      return { subject: `Votre demande ${reference} est traitée`, ...RESOLVED[kind] };
    case 'WAITING_REGISTER':
      return { subject: `Votre demande ${reference} avance`, ...WAITING };
    case 'CLOSED':
      return { subject: `Votre demande ${reference} est close`, ...CLOSED };
  }
}

/** The chat message: what happened, what to do, and the school's message if any. */
export function caseChatText(reference: string, kind: NoticeKind, state: ToldState, note: string | null): string {
  const w = caseUpdateWords(reference, kind, state);
  return [`Des nouvelles de votre demande ${reference} :`, w.done, w.next, ...(note ? [`Message de l'école : « ${note} »`] : [])].join('\n\n');
}

// SMS: short, GSM-7 only (no ê, ç, ’, «), never a link.
const SMS_NEXT: Record<NoticeKind, string> = {
  birth_date: "Reprenez l'activation avec la date de naissance corrigee.",
  mobile: "Recommencez l'inscription avec votre numero de portable.",
  regroup: "Terminez le regroupement dans Mon compte avec les codes remis par l'ecole.",
  other: 'Vous pouvez vous reconnecter.',
};

export function caseSmsText(reference: string, kind: NoticeKind, state: ToldState): string {
  switch (state) {
    case 'RESOLVED':
      return `EduConnect : votre demande ${reference} est traitee. ${SMS_NEXT[kind]}`;
    case 'WAITING_REGISTER':
      return `EduConnect : l'ecole a corrige votre demande ${reference}. Ce sera pris en compte sous 1 a 2 jours, nous vous previendrons.`;
    case 'CLOSED':
      return `EduConnect : votre demande ${reference} a ete close par l'ecole.`;
  }
}

const LINK = /\b(?:https?:\/\/|www\.)\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:fr|com|net|org|gouv|eu|io|info|re|link|ly|me)\b\S*/gi;
const SUBSTITUTES: Readonly<Record<string, string>> = {
  '\u2019': "'",
  '\u2018': "'",
  '\u00ab': '"',
  '\u00bb': '"',
  '\u201c': '"',
  '\u201d': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/** GSM-7 text: accents the alphabet lacks are dropped (ê -> e), other signs replaced or removed. */
export function toGsm7(text: string): string {
  let out = '';
  for (const ch of text) {
    if (gsm7Length(ch) !== null) out += ch;
    else if (SUBSTITUTES[ch]) out += SUBSTITUTES[ch];
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      if (bare && gsm7Length(bare) !== null) out += bare;
    }
  }
  return out;
}

/**
 * The school's message as one SMS: links, web addresses and email addresses removed (SMS never
 * carry a link), GSM-7 only, cut to fit with "...". Null when nothing readable is left.
 */
export function caseNoteSms(reference: string, note: string): string | null {
  const head = `EduConnect, demande ${reference}, message de l'ecole : `;
  const clean = toGsm7(note.replace(LINK, ' ')).replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\d]/u.test(clean)) return null;
  const fits = (t: string): boolean => (gsm7Length(t) ?? Infinity) <= SMS_MAX_SEPTETS;
  if (fits(head + clean)) return head + clean;
  let cut = clean;
  while (cut && !fits(`${head}${cut}...`)) cut = cut.slice(0, -1).trimEnd();
  return `${head}${cut}...`;
}

/** Where a case stands, for anyone who gives its reference: its state and school, nothing personal. */
export function caseStatusText(reference: string, kind: NoticeKind, state: 'OPEN' | ToldState, schoolName: string, since: string): string {
  switch (state) {
    case 'OPEN':
      return `Votre demande ${reference} a bien été transmise à ${schoolName}. Elle est en cours de traitement (dernier changement le ${since}). Nous vous préviendrons dès qu'elle aura avancé.`;
    case 'WAITING_REGISTER':
      return `Votre demande ${reference} avance : ${schoolName} a fait la correction dans son registre le ${since}. Elle sera prise en compte d'ici 1 à 2 jours ; nous vous préviendrons.`;
    case 'RESOLVED':
      return `Votre demande ${reference} a été traitée par ${schoolName} le ${since}. ${RESOLVED[kind].next}`;
    case 'CLOSED':
      return `Votre demande ${reference} a été close par ${schoolName} le ${since}. ${CLOSED.next}`;
  }
}
