// What the parent and the agents read during a handoff (French, "vous", short).
import { HELPDESK, hoursText } from '../helpdesk/contact.js';
import type { HelpdeskHours } from '../helpdesk/hours.js';

export const MAX_RELAYED_CHARS = 2000;

export const PARENT = {
  waiting: (position: number, estimate: number | undefined): string =>
    `Je transmets votre demande à un conseiller de la plateforme d'assistance : une personne va vous répondre ici. ` +
    `Vous êtes n° ${position} dans la file d'attente${estimate ? ` ; attente estimée : environ ${estimate} minute${estimate > 1 ? 's' : ''}` : ''}.\n\n` +
    'Vous pouvez ajouter une phrase pour décrire votre demande, ou écrire « annuler ». Ne communiquez jamais votre mot de passe : personne ne vous le demandera.',
  alreadyWaiting: (position: number): string =>
    `Votre demande est déjà transmise : un conseiller va vous répondre ici (vous êtes n° ${position} dans la file d'attente). Vous pouvez écrire « annuler » pour l'annuler.`,
  alreadyClaimed: 'Un conseiller vous répond déjà dans cette conversation : écrivez-lui ici.',
  noteReceived: "Merci, c'est transmis au conseiller qui prendra votre demande.",
  claimed: (firstName: string): string => `${firstName}, conseiller·ère de l'assistance, vous répond.`,
  fromAgent: (firstName: string, message: string): string => `**${firstName}** : ${message}`,
  ended:
    "Le conseiller a terminé la conversation. Merci d'avoir patienté. L'assistant vous répond de nouveau : écrivez votre demande si vous avez besoin d'autre chose.",
  cancelled: "C'est noté : votre demande est annulée. L'assistant reste à votre disposition.",
  askContact: (reason: string, hours: HelpdeskHours): string =>
    `${reason} Vous pouvez laisser une demande écrite : indiquez votre adresse e-mail ou votre numéro de portable, et un conseiller vous recontactera dès que possible. ` +
    `Vous pouvez aussi appeler le ${HELPDESK.phone} (${HELPDESK.price}), ${hoursText(hours)}. Pour ne rien laisser, écrivez « annuler ».`,
  nobodyFree: (waitMinutes: number): string => `Aucun conseiller n'a pu vous répondre depuis ${waitMinutes} minutes.`,
  contactNotUnderstood:
    "Je n'ai pas reconnu d'adresse e-mail ni de numéro de portable. Écrivez par exemple marie.dupont@exemple.fr ou 06 12 34 56 78, ou « annuler ».",
  callbackSaved: (contact: string, opening: string | undefined): string =>
    `Merci : votre demande écrite est enregistrée. Un conseiller vous recontactera (${contact})${opening ? ` dès la prochaine ouverture, le ${opening}` : ' dès que possible'}.`,
  empty: 'Votre message est vide : rien n’a été transmis.',
  tooLong: `Votre message est trop long (${MAX_RELAYED_CHARS} caractères au plus) : rien n’a été transmis. Vous pouvez l’envoyer en plusieurs fois.`,
  rated: 'Merci pour votre avis !',
  alreadyRated: 'Merci, votre avis est déjà enregistré.',
  ratingUnknown: "Cette conversation n'attend plus d'avis.",
} as const;

export const AGENTS = {
  claimedByYou:
    'Vous avez pris en charge cette demande. Ce que vous écrivez dans ce fil est transmis au parent ; écrivez « fin » ou cliquez sur « Terminer » pour clore.',
  alreadyYours: 'C’est déjà fait : vous avez pris en charge cette demande. Rien n’a été refait.',
  takenBy: (name: string): string => `Cette demande est déjà prise en charge par ${name}.`,
  closed: 'Cette demande est close : le parent ne reçoit plus les messages de ce fil.',
  claimFirst: "Prenez d'abord la demande en charge (bouton « Prendre en charge ») : le parent ne reçoit rien avant.",
  notAnAgent: "Seuls les conseillers de l'assistance peuvent prendre en charge la conversation d'un parent.",
  ended: (name: string): string => `Conversation terminée par ${name}. Le parent est invité à donner son avis.`,
  fromParent: (message: string): string => `**Parent** : ${message}`,
  parentCancelled: 'Le parent a annulé sa demande.',
  parentLeft: (minutes: number): string => `Le parent a quitté la conversation (aucune activité depuis ${minutes} minutes) : la demande est close.`,
  notVerified:
    "Le parent n'a pas été vérifié par l'assistant : aucun compte n'est associé à cette demande. Cliquez sur « Rechercher un compte » sur la carte de la demande, et vérifiez vous-même l'identité du parent avant toute action.",
  accountOpened:
    'Voici le compte vérifié du parent. Les actions sont faites à votre nom et enregistrées dans le journal ; le parent ne voit rien de ce qui suit.',
  searchOpened:
    "Le parent n'a pas été vérifié par l'assistant : vérifiez vous-même son identité avant toute action. Les actions sont faites à votre nom et enregistrées dans le journal ; le parent ne voit rien de ce qui suit.",
  onlyClaimer: (name: string | null): string => `Seul·e ${name ?? 'le conseiller qui a pris en charge la demande'} peut agir sur le compte depuis ce fil.`,
  nextForAssistant:
    "Votre prochain message dans ce fil sera lu par l'assistant : il ne sera pas transmis au parent. Écrivez « annuler » pour revenir à la conversation.",
  empty: 'Votre message est vide : rien n’a été transmis.',
  tooLong: `Votre message est trop long (${MAX_RELAYED_CHARS} caractères au plus) : rien n’a été transmis.`,
  unknownRequest: 'Je ne trouve pas cette demande : la carte est peut-être ancienne.',
  nobodyClaimed: (minutes: number): string => `Personne n'a pris cette demande en ${minutes} minutes : le parent est invité à laisser une demande écrite.`,
  callbackDone: (name: string): string => `Demande écrite marquée comme traitée par ${name}.`,
} as const;
