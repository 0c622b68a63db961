// Text normalisation applied to every utterance before classification (training corpus and
// user input alike): lower case, accents stripped, invisible characters dropped, SMS spelling
// and common typos expanded, synonyms folded onto one word, and concrete values (emails,
// phones, dates, identifiers) replaced by placeholder words so that the classifier learns
// "a date" rather than "14/03/2016".
import { CONCEPT_PHRASES, CONCEPT_WORDS } from './concepts.js';
import { ENTITY_PATTERNS, isIdentifier } from './entities.js';
import { MAX_INPUT_LENGTH, stripMarks } from './fold.js';

/**
 * Lower case, accents stripped, typographic apostrophes unified, control, format and
 * bidirectional characters removed, whitespace collapsed. Keeps punctuation.
 * "  L’Élève\u200f  " -> "l'eleve"
 */
export function foldText(input: string): string {
  return stripMarks(input).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Whole words (after tokenisation) replaced by their expansion. */
const WORD_EXPANSIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // SMS contractions of "je ..." / "ne ..." / "c'est"
    jai: "j'ai",
    g: "j'ai",
    jsuis: 'je suis',
    jsui: 'je suis',
    chui: 'je suis',
    chuis: 'je suis',
    jme: 'je me',
    jne: 'je ne',
    jveux: 'je veux',
    jvoudrais: 'je voudrais',
    jpeux: 'je peux',
    jpx: 'je peux',
    jrecois: 'je recois',
    jrecoi: 'je recois',
    jarrive: "j'arrive",
    jarrives: "j'arrive",
    jcomprends: 'je comprends',
    jsais: 'je sais',
    jtrouve: 'je trouve',
    jretrouve: 'je retrouve',
    jvois: 'je vois',
    jattends: "j'attends",
    jessaie: "j'essaie",
    jaimerais: "j'aimerais",
    nest: "n'est",
    nai: "n'ai",
    narrive: "n'arrive",
    napparait: "n'apparait",
    naparait: "n'apparait",
    napparais: "n'apparait",
    cest: "c'est",
    c: "c'est",
    ya: 'il y a',
    dactivation: "d'activation",
    daide: "d'aide",
    // abbreviations
    svp: "s'il vous plait",
    svpl: "s'il vous plait",
    stp: "s'il te plait",
    pb: 'probleme',
    pbm: 'probleme',
    pbl: 'probleme',
    prob: 'probleme',
    pblm: 'probleme',
    qd: 'quand',
    kan: 'quand',
    ke: 'que',
    koi: 'quoi',
    kwa: 'quoi',
    ki: 'qui',
    pk: 'pourquoi',
    pq: 'pourquoi',
    pkoi: 'pourquoi',
    pourkoi: 'pourquoi',
    qqn: "quelqu'un",
    qqun: "quelqu'un",
    kelkun: "quelqu'un",
    quelquun: "quelqu'un",
    bcp: 'beaucoup',
    tt: 'tout',
    ds: 'dans',
    pr: 'pour',
    dc: 'donc',
    msg: 'message',
    cmt: 'comment',
    mm: 'meme',
    rdv: 'rendez-vous',
    ddn: 'date de naissance',
    naisance: 'naissance',
    naissence: 'naissance',
    nessance: 'naissance',
    // greetings and thanks
    bjr: 'bonjour',
    bnjr: 'bonjour',
    bjour: 'bonjour',
    bonjoir: 'bonjour',
    bsr: 'bonsoir',
    slt: 'salut',
    cc: 'coucou',
    mrc: 'merci',
    mci: 'merci',
    thx: 'merci',
    // synonyms folded onto one word
    mdp: 'motdepasse',
    pwd: 'motdepasse',
    password: 'motdepasse',
    passwd: 'motdepasse',
    login: 'identifiant',
    logins: 'identifiant',
    username: 'identifiant',
    id: 'identifiant',
    ident: 'identifiant',
    email: 'mail',
    emails: 'mail',
    mails: 'mail',
    mel: 'mail',
    mels: 'mail',
    courriel: 'mail',
    courriels: 'mail',
    tel: 'telephone',
    phone: 'telephone',
    portable: 'telephone',
    mobile: 'telephone',
    num: 'numero',
    reset: 'reinitialiser',
    reinit: 'reinitialiser',
    fc: 'franceconnect',
    stats: 'statistiques',
    stat: 'statistiques',
    // concepts: words of one meaning folded onto one word, so that a phrasing never seen
    // still meets the words of the corpus
    fils: 'enfant',
    fille: 'enfant',
    filles: 'enfants',
    gamin: 'enfant',
    gamine: 'enfant',
    gamins: 'enfants',
    gosse: 'enfant',
    gosses: 'enfants',
    garcon: 'enfant',
    neveu: 'enfant',
    niece: 'enfant',
    bebe: 'enfant',
    papa: 'parent',
    maman: 'parent',
    pere: 'parent',
    mere: 'parent',
    remerciements: 'merci',
    thanks: 'merci',
    sos: 'aide',
    secours: 'aide',
    conseiller: 'conseiller',
    conseillere: 'conseiller',
    operateur: 'conseiller',
    operatrice: 'conseiller',
    agent: 'conseiller',
    humain: 'conseiller',
    // common English words, put into French
    forgot: 'oublie',
    forgotten: 'oublie',
    forget: 'oublie',
    lost: 'perdu',
    remember: 'souviens',
    account: 'compte',
    accounts: 'comptes',
    child: 'enfant',
    children: 'enfants',
    kid: 'enfant',
    kids: 'enfants',
    daughter: 'fille',
    receive: 'recois',
    received: 'recu',
    cannot: 'pas',
    want: 'veux',
    speak: 'parler',
    talk: 'parler',
    person: 'personne',
    human: 'conseiller',
    number: 'numero',
    birth: 'naissance',
    wrong: 'erreur',
    work: 'marche',
    works: 'marche',
    working: 'marche',
    new: 'nouveau',
    send: 'envoyer',
    resend: 'renvoyer',
    list: 'liste',
    search: 'chercher',
    find: 'trouver',
    please: 'svp',
    link: 'lien',
    expired: 'expire',
    recognised: 'reconnu',
    recognized: 'reconnu',
    merge: 'fusionner',
  }),
);

/** Phrase-level rewrites applied after tokenisation (patterns on the space-joined words). */
const PHRASE_REWRITES: readonly (readonly [RegExp, string])[] = [
  [/\bmo[st]?s? d ?e? ?pas+e?s?\b/g, 'motdepasse'],
  [/\bmot de pas\b/g, 'motdepasse'],
  [/\bcode secret\b/g, 'motdepasse'],
  [/\bnom d utilisateur\b/g, 'identifiant'],
  [/\bid[ae]n?t[iy]?f?i?[ae]n?t?s?\b/g, 'identifiant'],
  [/\be mail\b/g, 'mail'],
  [/\badresse electronique\b/g, 'adresse mail'],
  [/\bfrance ?[ck]on+ec?te?s?\b/g, 'franceconnect'],
  [/\bmer+c+i+s?\b/g, 'merci'],
  [/\bbon+jou+r+s?\b/g, 'bonjour'],
  [/\ba ?u ?revoire?\b/g, 'au revoir'],
  [/\bs il (?:vous|te) plait\b/g, 'svp'],
  [/\b(?:can|don|doesn|didn|won|isn) t\b/g, 'pas'],
];

/** Placeholder words for concrete values, in the order they are replaced. */
const PLACEHOLDERS: readonly (readonly [RegExp, string])[] = [
  [ENTITY_PATTERNS.email, ' xemail '],
  [ENTITY_PATTERNS.isoDate, ' xdate '],
  [ENTITY_PATTERNS.numericDate, ' xdate '],
  [ENTITY_PATTERNS.phone, ' xphone '],
  [ENTITY_PATTERNS.uai, ' xuai '],
];

/**
 * The form of an utterance the classifier sees.
 * "Jai oublié mon MDP svp !!" -> "j ai oublie mon motdepasse svp"
 */
export function normalizeUtterance(input: string): string {
  // "M. Dupont", "m. dupont": the title, not the elided "m'" of "il m'oblige" nor the
  // identifier "m.dupont"
  const titled = input.slice(0, MAX_INPUT_LENGTH).replace(/(?<![\p{L}\d.])(?:M\. ?(?=\p{Lu})|[Mm]\. (?=\p{L}))/gu, 'monsieur ');
  let text = foldText(titled);
  text = text.replace(/(^|\s)[a@]\+(?=\s|$)/g, '$1a plus');
  for (const [pattern, word] of PLACEHOLDERS) text = text.replace(new RegExp(pattern.source, 'g'), word);
  text = text.replace(new RegExp(ENTITY_PATTERNS.identifier.source, 'g'), (m) => (isIdentifier(m) ? ' xidentifiant ' : m));
  const words = text
    .replace(/([a-z])\1{2,}/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !/^\d{4,}$/.test(w))
    .map((w) => WORD_EXPANSIONS.get(w) ?? w);
  let joined = words.join(' ').replace(/'/g, ' ');
  for (const [pattern, replacement] of PHRASE_REWRITES) joined = joined.replace(pattern, replacement);
  joined = joined
    .split(/\s+/)
    .map((w) => CONCEPT_WORDS.get(w) ?? w)
    .join(' ');
  for (const [pattern, replacement] of CONCEPT_PHRASES) joined = joined.replace(pattern, replacement);
  return joined.replace(/\s+/g, ' ').trim();
}

/** Courtesy formulas that open or close a message (normalised form). */
const OPENING = /^(?:(?:re ?)?(?:bonjour|bonsoir|salut|coucou|hello|hi|madame|monsieur|mme|mr|m|a vous|a tous|le bot|le robot)(?:\s+|$))+/;
const CLOSING =
  /(?:\s*(?:merci(?: beaucoup| bien| d avance| par avance| pour votre aide| de votre aide)?|par avance|d avance|cordialement|bien a vous|bonne journee|bonne soiree|svp|au revoir|thanks|thank you))+$/;

/**
 * A normalised message without its opening greeting and closing thanks, or '' when that
 * is all there is. "bonjour je n ai pas recu le mail merci" -> "je n ai pas recu le mail"
 */
export function stripCourtesy(normalized: string): string {
  return normalized.replace(OPENING, '').replace(CLOSING, '').trim();
}

/**
 * The sentences of a message (split on . ! ? ; and line breaks), each trimmed, empty ones
 * dropped. Dots inside emails, identifiers and numbers do not split.
 */
export function splitSentences(input: string): string[] {
  return input
    .slice(0, MAX_INPUT_LENGTH)
    .split(/(?:[.!?;…]+(?=\s|$))|[\r\n]+/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
