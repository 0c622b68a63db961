// Messages made of courtesy formulas only ("bonjour madame", "merci beaucoup", "ok merci, bonne
// journée", "ciao") are recognised by a lexicon rather than by the classifier: these formulas
// are a closed class, while the classifier only knows the few it saw and takes an unseen
// "tchao" or "wesh" for an unknown word. Bare answers ("ok", "oui", "non") ask for nothing.
// Everything here works on normalised text (normalize.ts).

type CourtesyKind = 'greeting' | 'thanks' | 'goodbye' | 'help' | 'intro' | 'filler';

/** Formulas in normalised form, by what they say. Multi-word formulas are matched whole. */
const FORMULAS: Readonly<Record<CourtesyKind, readonly string[]>> = {
  greeting: [
    'bonjour',
    'bonsoir',
    'salut',
    'coucou',
    'hello',
    'hi',
    'hey',
    'yo',
    'wesh',
    'rebonjour',
    're bonjour',
    'good morning',
    'good evening',
    'salutations',
    'allo',
    'bien le bonjour',
    'ca va',
    'comment ca va',
    'comment allez vous',
    'vous allez bien',
    'il y a quelqu un',
    'y a quelqu un',
    'quelqu un',
    'est ce qu il y a quelqu un',
  ],
  thanks: [
    'merci',
    'mille merci',
    'grand merci',
    'un grand merci',
    'je vous remercie',
    'je te remercie',
    'thank you',
    'thanks',
    'remerciements',
    'merci d avance',
    'merci par avance',
  ],
  goodbye: [
    'au revoir',
    'bye',
    'goodbye',
    'ciao',
    'tchao',
    'adieu',
    'a plus',
    'a plus tard',
    'a bientot',
    'a demain',
    'a la prochaine',
    'a une prochaine fois',
    'see you',
    'bonne journee',
    'bonne soiree',
    'bonne nuit',
    'bonne fin de journee',
    'bon week end',
    'bonne continuation',
    'bonne fin de semaine',
    'je vous laisse',
    'je te laisse',
    'je m en vais',
    'c est tout',
    'ce sera tout',
    'rien d autre',
    'j ai fini',
    'j ai termine',
    'fin de la conversation',
    'terminer la conversation',
    'je ferme la discussion',
    'quitter',
    'je quitte',
    'on arrete la',
    'stop',
    'bisous',
    'cordialement',
    'bien a vous',
  ],
  // A plea for help that names no subject ("pouvez-vous m'aider ?", "à quoi tu sers").
  help: [
    'aide',
    'aidez moi',
    'aide moi',
    'a l aide',
    'au aide',
    'options possibles',
    'les options possibles',
    'comment marche ce chat',
    'comment marche ce robot',
    'comment marche le chat',
    'j ai besoin d aide',
    'besoin d aide',
    'de l aide',
    'm aider',
    'tu peux m aider',
    'pouvez vous m aider',
    'vous pouvez m aider',
    'peux tu m aider',
    'help',
    'help me',
    'j ai une question',
    'une question',
    'j ai un probleme',
    'un probleme',
    'explique moi',
    'expliquez moi',
    'a quoi tu sers',
    'tu sers a quoi',
    'a quoi ca sert',
    'a quoi sert ce robot',
    'que peux tu faire',
    'que pouvez vous faire',
    'qu est ce que tu sais faire',
    'qu est ce que vous pouvez faire',
    'que sais tu faire',
    'tu fais quoi',
    'what can you do',
    'options',
    'quelles sont les options',
    'afficher les options',
    'retour aux options',
    'retour au options',
    'afficher le options',
    'c est quoi ce robot',
    'qui es tu',
    'tu es qui',
    'vous etes qui',
    'comment ca marche',
    'je suis perdu',
    'je comprends rien',
    'je comprends pas',
    'je comprend rien',
    'je comprend pas',
    'j y comprends rien',
    'j y comprend rien',
    'je ne comprends pas',
    'que dois je faire',
    'comment je fais',
    'comment faire',
    'je sais pas quoi faire',
    'commencer',
    'recommencer',
    'je sais pas comment faire',
    'je sais pas comment m y prendre',
    'je sais pas par ou commencer',
    'par ou commencer',
    'besoin d assistance',
  ],
  // Words that go with a formula but say nothing alone ("ok merci", "bonjour madame").
  filler: [
    'madame',
    'monsieur',
    'mme',
    'mr',
    'mademoiselle',
    'a vous',
    'a tous',
    'a toi',
    'a vous aussi',
    'tout le monde',
    'le robot',
    'le bot',
    'robot',
    'beaucoup',
    'bien',
    'infiniment',
    'encore',
    'vraiment',
    'pour tout',
    'pour votre aide',
    'de votre aide',
    'pour ton aide',
    'pour la reponse',
    'pour l info',
    'pour les infos',
    'pour votre patience',
    'c etait rapide',
    'ok',
    'okay',
    'oui',
    'd accord',
    'super',
    'parfait',
    'genial',
    'top',
    'nickel',
    'cool',
    'tres bien',
    'c est bon',
    'c est regle',
    'ca marche',
    'ca a marche',
    'ca a fonctionne',
    'c est parfait',
    'c est top',
    'vous etes super',
    'ca m a bien aide',
    'pour moi',
    'et',
    'alors',
    'donc',
    'svp',
    'et vous',
    'et toi',
    'de l ecole',
    'du college',
    'de l etablissement',
    'avec educonnect',
    'sur educonnect',
    'avec le site',
    'sur le site',
    'ici',
  ],
  // The writer introduces themselves ("bonjour, je suis parent d'élève"): a greeting.
  intro: [
    'je suis parent',
    'je suis un parent',
    'je suis une parent',
    'je suis parent d eleve',
    'je suis un parent d eleve',
    'je suis une parent d eleve',
    'je suis le directeur',
    'je suis la directrice',
    'je suis directeur',
    'je suis directrice',
  ],
};

/** Messages that answer or react but ask for nothing (normalised, whole message). */
const BARE_ANSWERS: ReadonlySet<string> = new Set([
  'ok',
  'okay',
  'oui',
  'non',
  'ouais',
  'si',
  'yes',
  'no',
  'd accord',
  'peut etre',
  'hmm',
  'hm',
  'bof',
  'ah',
  'oh',
  'euh',
  'bon',
]);

/** Formulas as word lists, longest first (so that "a plus tard" wins over "a plus"). */
const LEXICON: readonly (readonly [readonly string[], CourtesyKind])[] = (Object.entries(FORMULAS) as [CourtesyKind, readonly string[]][])
  .flatMap(([kind, formulas]) => formulas.map((f): [string[], CourtesyKind] => [f.split(' '), kind]))
  .sort((a, b) => b[0].length - a[0].length);

/**
 * The social intent of a message made only of courtesy formulas: goodbye if it takes leave
 * ("merci et au revoir"), else help if it asks for help without a subject ("bonjour,
 * pouvez-vous m'aider ? merci"), else thanks, else greeting; null when any word asks for
 * something else, or when only fillers are there ("ok", "super").
 */
export function courtesyIntent(normalized: string): 'greeting' | 'thanks' | 'goodbye' | 'help' | null {
  const words = normalized.split(' ').filter((w) => w !== '');
  const kinds = new Set<CourtesyKind>();
  let i = 0;
  while (i < words.length) {
    const match = LEXICON.find(([formula]) => formula.every((w, k) => words[i + k] === w));
    if (!match) return null;
    kinds.add(match[1]);
    i += match[0].length;
  }
  if (kinds.has('goodbye')) return 'goodbye';
  if (kinds.has('help')) return 'help';
  if (kinds.has('thanks')) return 'thanks';
  return kinds.has('greeting') || kinds.has('intro') ? 'greeting' : null;
}

/** A problem still there: a success report with these words is not one. */
const STILL_WRONG = /\b(?:pas|plus|jamais|rien|aucun|aucune|mais|sauf|toujours|impossible|probleme|incorrect|refuse|expire|erreur|comment|pourquoi)\b/;

/**
 * Whether a normalised message reports that the problem is solved ("ça y est, j'ai pu me
 * connecter", "c'est bon j'ai reçu mon identifiant": the `resolu` concept) with nothing
 * still wrong: the parent is thanking, not asking.
 */
export function isSuccessReport(normalized: string): boolean {
  return /\bresolu\b/.test(normalized) && !STILL_WRONG.test(normalized);
}

/** Whether a normalised message is a bare answer ("ok", "non", "d accord"): no request. */
export function isBareAnswer(normalized: string): boolean {
  return BARE_ANSWERS.has(normalized);
}
