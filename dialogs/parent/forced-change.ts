// "On me demande de changer mon mot de passe": since the April 2024 notice, the ministry can
// require every account to choose a new password. Recognised inside lost_password (the
// intent list is fixed) by its words; the reply explains and links to this service's pages.
import type { ServiceContext } from '../../services/context.js';
import { PASSWORD_MIN_LENGTH } from '../../services/selfservice/policy.js';
import { folded } from '../shared/input.js';
import { accountPageUrl, lostPasswordUrl } from './links.js';

const ASKED = [
  /\b(on|il|site|page|educonnect|ecran)\b.{0,40}\b(me )?(demande|oblige|force|impose)\w*\b.{0,30}\b(changer|modifier|choisir|nouveau)/,
  /\b(dois|doit|faut|oblige\w*|force\w*)\b.{0,30}\b(changer|modifier|choisir)\b.{0,30}\bmot de passe/,
  /\bmot de passe\b.{0,30}\b(a ete |est |ete )?reinitialise/,
  /\bchangement (obligatoire|force|impose)/,
  /\b(changer|nouveau) (de |mon )?mot de passe\b.{0,40}\b(alors que|pourtant|pourquoi)/,
];

export function isForcedChangeQuestion(text: string): boolean {
  const t = folded(text);
  return ASKED.some((re) => re.test(t));
}

export function forcedChangeReply(ctx: ServiceContext): string {
  return (
    "C'est normal : depuis avril 2024, pour protéger les comptes, le ministère peut demander à tous les utilisateurs d'EduConnect de choisir un nouveau mot de passe. " +
    `Connectez-vous avec votre identifiant et votre mot de passe habituel (${accountPageUrl(ctx)}) : vous arrivez directement sur le choix du nouveau mot de passe. ` +
    `Il doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères, avec au moins 3 types parmi : minuscules, majuscules, chiffres et caractères spéciaux, et être différent de l'ancien. ` +
    `Vous ne vous souvenez plus du mot de passe habituel ? Utilisez « Mot de passe perdu » : ${lostPasswordUrl(ctx)}. Ne donnez jamais votre mot de passe, ni ici ni à personne.`
  );
}
