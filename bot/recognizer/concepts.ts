// Concepts: the many ways of saying one thing folded onto one word, so that a phrasing never
// seen still meets the words of the corpus ("egare", "paume" -> "perdu"; "n'apparait pas",
// "il manque" -> "manque"; "pourcentage", "proportion" -> "taux"). Applied by normalize.ts to
// the corpus and to every message alike, after SMS spelling and synonyms. Patterns work on
// normalised text: lower case, no accents, words separated by single spaces, apostrophes gone.

/** Single words folded onto the word of their concept. */
export const CONCEPT_WORDS: ReadonlyMap<string, string> = new Map(Object.entries({
  // lost, forgotten
  egare: 'perdu', egaree: 'perdu', egares: 'perdu', paume: 'perdu', paumer: 'perdu', paumee: 'perdu', perdue: 'perdu', perdus: 'perdu',
  oublier: 'oublie', oubliee: 'oublie', oublies: 'oublie', oubliees: 'oublie', oubli: 'oublie',
  // refused, wrong
  refusee: 'refuse', refuser: 'refuse', refusees: 'refuse', refuses: 'refuse', rejete: 'refuse', rejetee: 'refuse', rejette: 'refuse',
  rejeter: 'refuse', incorrecte: 'incorrect', incorect: 'incorrect', incorecte: 'incorrect', errone: 'incorrect', erronee: 'incorrect',
  faux: 'incorrect', fausse: 'incorrect', mauvais: 'incorrect', mauvaise: 'incorrect',
  reconnait: 'reconnu', reconnais: 'reconnu', reconnue: 'reconnu', reconnus: 'reconnu', reconu: 'reconnu', reconnaissent: 'reconnu',
  fonctionne: 'marche', fonctionnent: 'marche', fonctionner: 'marche', marchent: 'marche', marcher: 'marche',
  // received, expired, activation
  recue: 'recu', recus: 'recu', recues: 'recu', recois: 'recu', recoit: 'recu', recevoir: 'recu', recoie: 'recu',
  expiree: 'expire', expires: 'expire', expirer: 'expire', perime: 'expire', perimee: 'expire',
  validation: 'activation', confirmation: 'activation', valider: 'activer', confirmer: 'activer', activee: 'active',
  spams: 'spam', indesirable: 'spam', indesirables: 'spam',
  // several accounts, missing child, child not mine
  fusionner: 'regrouper', fusion: 'regrouper', fusionne: 'regrouper', regroupe: 'regrouper', regroupement: 'regrouper',
  grouper: 'regrouper', reunir: 'regrouper', rassembler: 'regrouper', relier: 'regrouper', lier: 'regrouper', unifier: 'regrouper',
  centraliser: 'regrouper', combiner: 'regrouper', merge: 'regrouper',
  manquant: 'manque', manquent: 'manque', manques: 'manque',
  inconnue: 'inconnu', inconnus: 'inconnu', inconnues: 'inconnu',
  // a person, the assistance
  joindre: 'contacter', appeler: 'contacter', appelez: 'contacter', telephoner: 'contacter', rappelez: 'contacter',
  rappele: 'contacter', contact: 'contacter', contactez: 'contacter',
  support: 'assistance', hotline: 'assistance', helpdesk: 'assistance',
  // help
  souci: 'probleme', soucis: 'probleme', problemes: 'probleme', bug: 'probleme', bugs: 'probleme', galere: 'probleme',
  choix: 'options', option: 'options', possibilites: 'options', fonctionnalites: 'options', menu: 'options',
  bot: 'robot', chatbot: 'robot', assistant: 'robot', assistante: 'robot',
  // changing a value
  modifier: 'changer', modif: 'changer', changement: 'changer', chgt: 'changer', remplacer: 'changer', corriger: 'changer',
  correction: 'changer', change: 'changer', changes: 'changer', modifie: 'changer',
  messagerie: 'mail', hotmail: 'mail', gmail: 'mail', yahoo: 'mail', outlook: 'mail',
  connexion: 'connecter', connecte: 'connecter', connection: 'connecter', connect: 'connecter',
  anniversaire: 'naissance', texto: 'sms', textos: 'sms', verrouille: 'bloque', bloquee: 'bloque',
  notify: 'notifier', print: 'imprimer', letter: 'lettre', activated: 'active', guardian: 'responsable',
  guardians: 'responsables', statistics: 'statistiques', update: 'changer', address: 'adresse', two: 'deux',
  // staff requests
  pourcentage: 'taux', proportion: 'taux', ratio: 'taux', nb: 'nombre', bilan: 'bilan', resume: 'bilan', synthese: 'bilan',
  recapitulatif: 'bilan', recap: 'bilan', repartition: 'bilan', chiffre: 'chiffres', avancement: 'progression', evolution: 'progression',
  listing: 'liste', listes: 'liste', lister: 'liste', export: 'exporter', extraire: 'exporter', extraction: 'exporter',
  telecharger: 'exporter', tableur: 'excel', xlsx: 'excel',
  rechercher: 'chercher', recherche: 'chercher', cherche: 'chercher',
  renotifier: 'notifier', renotif: 'notifier', notif: 'notifier', notifie: 'notifier', notifies: 'notifier',
  notifications: 'notification', lettres: 'lettre', courrier: 'lettre', courriers: 'lettre',
  reimprimer: 'imprimer', impression: 'imprimer', editer: 'imprimer', edition: 'imprimer',
  reinitialise: 'reinitialiser', reinitialisation: 'reinitialiser', reinitialisez: 'reinitialiser', regenerer: 'reinitialiser',
  temporaire: 'provisoire',
  renvoie: 'renvoyer', renvoyez: 'renvoyer', renvoi: 'renvoyer', reenvoyer: 'renvoyer', reexpedier: 'renvoyer',
  relancer: 'renvoyer', relance: 'renvoyer',
}));

/** Phrases folded onto the words of their concept (after CONCEPT_WORDS, in this order). */
export const CONCEPT_PHRASES: readonly (readonly [RegExp, string])[] = [
  // "c'est" is spelt out by the SMS rules as "c est": "c est est" comes from "c'est" itself
  [/\bc est (est|etait|sont)\b/g, 'c $1'],
  // negation: "ne" / "n'" are often dropped in writing; the meaning is in "pas", "plus", "jamais"
  [/(^| )n (?=\S)/g, '$1'],
  [/(^| )ne (?!(?:le|la|en|a)\b)/g, '$1'],
  // dates written with the month's name
  [/\b\d{1,2} (?:er )?(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b/g, 'xdate'],
  [/\b(?:est |suis )?nee? (?:le|en) (?=xdate)/g, 'naissance '],
  // no longer remembering
  [/\b(?:souvien[st]?|souvient|rap+el+e?s?|rap+el+ent) (?:plus|pas)\b|\b(?:pas|plus) (?:souvien[st]?|souvient)\b/g, 'oublie'],
  [/\b(?:sais|sait|connais|connait|retrouve|retrouves) plus\b/g, 'oublie'],
  // cannot
  [/\b(?:arrive|arrives|parviens|parvient|reussis|reussi) (?:pas|plus|jamais) (?:a |d )?/g, 'impossible de '],
  [/\bpasse pas\b/g, 'marche pas'],
  [/\bpas (?:eu|vu) (?=(?:de|le|la|les|l|d|mon|ma|mes|aucun|aucune)\b)/g, 'pas recu '],
  [/\b(?:arrive|arrivent|arrivee?) (?:pas|jamais)\b|\bjamais arrivee?s?\b|\bpas arrivee?s?\b/g, 'pas recu'],
  [/\blien (?:\w+ )?(?:invalide|mort|plus valable|plus valide|plus bon)\b/g, 'lien expire'],
  [/\b(?:pas|aucun|aucune) (?:de |d )?(mail|message|lien|sms)\b/g, 'pas recu $1'],
  [/\b(?:probleme|souci) (?:de|d|avec) (?:mon |le )?motdepasse\b/g, 'motdepasse marche pas'],
  [/\bmais pas (?:le |mon )?motdepasse\b/g, 'motdepasse oublie'],
  [/\blook up\b/g, 'chercher'],
  [/\b(?:pas|plus) (?:le |la )?bonn?e?\b/g, 'incorrect'],
  [/\bpas acceptee?s?\b/g, 'refuse'],
  // a child missing from the account, a child who is not theirs
  [/\b(?:apparai\w*|affiche\w*|figure\w*|present\w*) pas\b|\bpas (?:present|visible|affiche)e?s?\b/g, 'manque'],
  [/\b(?:vois|voit) (?:pas|que|qu|qu un|qu une) /g, 'manque '],
  [/\bpas (?:sur|dans) (?:mon|le|notre) (?:compte|espace)\b/g, 'manque sur mon compte'],
  [/\bpas (?:rattache|relie|associe|lie)e?s?\b/g, 'manque'],
  [/\b(?:un |une )?(?:seul|seule|unique|meme) (?:compte|identifiant|espace)\b|\b(?:compte|identifiant) unique\b/g, 'seul compte'],
  [/\b(?:sur|dans|pour) (?:un|une|l) autre (?:compte|identifiant|espace)\b|\b(?:deux|2|3|trois|plusieurs|second|deuxieme) (?:comptes|identifiants|compte|identifiant)\b/g, 'plusieurs comptes'],
  [/\b(?:aucun|pas de|pas|rien) lien avec\b/g, 'pasmien'],
  [/\bincorrect (?:enfant|eleve)\b/g, 'pasmien enfant'],
  [/\b(?:suis|sommes) (?:pas|plus) (?:son|sa|leur|le|la|un|une) (?:parent|representant|tuteur|tutrice|responsable)s?\b/g, 'suis pasmien responsable'],
  [/\brattache\w* (?:a (?:mon|moi) (?:compte )?)?par erreur\b/g, 'rattache pasmien'],
  [/\b(?:rattacher|ajouter|mettre|regrouper) (?:mon|ma|mes) (?:autre |deuxieme |second )?enfants?\b/g, 'regrouper mon enfant'],
  [/\bpas (?:le|la|les) (?:mien|mienne|miens|miennes)\b|\bpas a (?:moi|nous)\b|\b(?:m )?appartien\w* pas\b/g, 'pasmien'],
  [/\bpas (?:mon|ma|notre) (?:enfant|eleve)\b/g, 'pasmien enfant'],
  [/\bpas (?:de|dans) (?:ma|notre) famille\b|\brien a voir avec moi\b|\b(?:me|nous) (?:concerne|regarde) pas\b/g, 'pasmien'],
  [/\b(?:connais|connait) pas (?=(?:cet|cette|ce|cet|l|le|la|un|une)\b)/g, 'inconnu '],
  [/\b(?:mon|ma|mes) (?:aine|ainee|cadet|cadette|plus jeune|plus grand|plus grande|petit|petite|grand|grande|ado|benjamin|benjamine)s?\b/g, 'mon enfant'],
  [/\b(?:belle|beau) (?:enfant|fils|fille)s?\b/g, 'enfant'],
  // the problem is solved ("ça y est", "c'est bon", "j'ai pu me connecter")
  [/\b(?:ca y est|c est bon|c est regle|j ai pu|j ai reussi a|j ai bien recu|(?<!comment )ca (?:a )?(?:marche|fonctionne)(?! pas| plus| jamais))\b/g, 'resolu'],
  // the site demands a new password (the April 2024 mass reset: forced-change.ts)
  [/\b(?:oblig|forc|impos|exig|demand)\w* (?:a |de |d )?(?:changer|choisir|mettre|creer|un nouveau|une nouveau)\b/g, 'oblige changer'],
  [/\b(?:changer|nouveau) (?:de |du )?(?:motdepasse )?(?:obligatoire|force|impose)\b/g, 'oblige changer motdepasse'],
  // a person, not the robot
  [/\b(?:une |un )?(?:vraie?|reelle?) (?:personne|conseiller)\b|\bpersonne (?:reelle|physique)\b|\bquelqu un de (?:reel|vrai)\b|\betre humain\b/g, 'conseiller'],
  [/\bservice (?:client|clientele|d assistance|technique)\b|\bplateforme d assistance\b/g, 'assistance'],
  // FranceConnect's identity providers
  [/\b(?:impots gouv|impots|ameli|identite numerique la poste|identite numerique|msa)\b/g, 'franceconnect'],
  // values and people
  [/\bmettre a jour\b|\bmaj\b/g, 'changer'],
  [/\bnom de connecter\b/g, 'identifiant'],
  [/\b(?:boite mail|boite de reception|adresse de mail)\b/g, 'mail'],
  [/\b0[67]\b/g, 'telephone'],
  [/\btableau de bord\b/g, 'bilan'],
  [/\btableau des\b/g, 'liste des'],
  [/\b(?:montre|montrer|afficher|affiche|voir|consulter|sortir|donne|donner) (?:moi )?(?:les|tous les|toutes les) (?:comptes|parents|responsables|familles)\b/g, 'liste des comptes'],
  [/^(?:qui|quels? (?:parents|comptes|responsables|familles)) (?=(?:a |ont |est |sont )?(?:pas |encore |deja )*(?:active|notifi|inscrit))/g, 'liste des comptes qui '],
  [/\b(?:les|des|aux) activations\b|\bactivation statistiques\b/g, 'statistiques activation'],
  [/\bhow many\b|\bquelle part\b/g, 'combien'],
  [/\bcode (?:d acces|de connecter|pour (?:me |se )?connecter)\b/g, 'motdepasse'],
  [/\b(?:une|un|la) (?:personne|humain)\b/g, 'conseiller'],
  [/\b(?:re )?notifier\b/g, 'notifier'],
  [/\b(?:donner|redonner|attribuer|generer|creer|refaire) (?:un |une )?(?:nouveau |nouvel |autre )?motdepasse\b/g, 'reinitialiser motdepasse'],
  [/\b(?:consulter|ouvrir|voir|afficher|regarder) (?:la |sa |une )?fiche\b/g, 'consulter compte'],
  [/\bqui (?:est|sont) (?:le|la|les) (?:responsables?|parents?|representants?|tuteurs?)\b/g, 'chercher le responsable'],
  [/\b(?:remettre|remise) a zero\b/g, 'reinitialiser'],
  [/\b(?:envoyer|envoie|envoi) (?:a nouveau|de nouveau|encore)\b|\bnouvel envoi\b/g, 'renvoyer'],
  [/\b(?:mr|monsieur|mme|madame|mlle|mademoiselle) (?!(?:je|j|il|elle|on|nous|vous|votre|mon|ma|mes|merci|svp|bonjour|bonsoir|monsieur|madame|le|la|les|et)\b)[a-z]{2,}\b/g, 'xpersonne'],
];
