// What remains of a staff request once its request words are taken out: the name of a person
// ("réinitialiser le mot de passe de sophie martin" -> "sophie martin") or of a school
// ("stats de jean jaures" -> "jean jaures"). The caller checks it against the data (a name
// that matches no account or school is not one).
import { folded } from '../shared/input.js';

/** Words of staff requests (folded), never part of a name. */
const REQUEST_WORDS = new Set(
  `a au aux avec ce cet cette ces d de des du en et je j la le les l leur leurs ma me mes moi mon m ne non nos notre pas par pour qui que s sa se ses sil son sur ta te tes toi ton tu un une vos votre vous y
  relancer relance relances relancez rappel rappels rappeler jour jours depuis plus
  svp stp merci bonjour plait peux pouvez peut pourriez voudrais voulais veux souhaite souhaiterais faut faire fais besoin aimerais
  reinitialiser reinitialise reinitialisez reinitialisation reinit reset regenerer nouveau nouvelle mot mots passe passes mdp password provisoire temporaire
  notifier notifie notifies notifiee notifiees renotifier renotifie renotifiez re notification notifications renvoyer renvoie renvoyez envoyer envoie envoyez
  mail email e courriel courriels mails lien liens activation activer active actives activee activees cours encore jamais
  consulter consulte voir vois afficher affiche chercher cherche rechercher recherche trouver trouve retrouver retrouve regarder verifier detail details info infos informations
  compte comptes responsable responsables parent parents eleve eleves enfant enfants famille mere pere maman papa madame monsieur mme mr mlle
  fiche fiches feuille feuilles imprimer impression papier pdf csv excel tableur liste listes lister export exporter
  etat identifiant identifiants login statut
  stats stat statistique statistiques chiffres taux chiffre combien
  classe classes niveau niveaux tous toutes tout ecole etablissement college lycee`.split(/\s+/),
);

/** The words of `text` that are not request words, folded; empty when none. */
export function residualWords(text: string): string[] {
  return folded(text.slice(0, 200))
    .split(' ')
    .filter((w) => w && !REQUEST_WORDS.has(w));
}

/**
 * A person's name in a request: what remains, if it is made of letters only (digits belong to
 * classes, UAIs, identifiers) and is not too long to be a name.
 */
export function requestedName(text: string | undefined): string | undefined {
  if (!text || text.includes('@')) return undefined;
  const rest = residualWords(text);
  if (rest.length === 0 || rest.length > 4 || rest.some((w) => !/^[a-z]{2,}$/.test(w))) return undefined;
  return rest.join(' ');
}
