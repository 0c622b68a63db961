// Sentences every dialog shares (French, polite, never revealing whether an account exists).

export const MESSAGES = {
  cancelled: "C'est annulé. Je reste à votre disposition : dites-moi simplement ce dont vous avez besoin.",
  nothingToCancel: "Il n'y a aucune démarche en cours. Que puis-je faire pour vous ?",
  staleCard: "Ce bouton n'est plus valable : il appartient à une étape déjà terminée. Merci de répondre à la dernière question.",
  staleCardIdle: "Ce bouton n'est plus valable : la démarche correspondante est terminée. Dites-moi ce dont vous avez besoin.",
  passwordWarning:
    "Pour votre sécurité, ne communiquez jamais votre mot de passe, ni ici ni à personne : je ne vous le demanderai jamais. Votre message n'a pas été conservé.",
  gaveUp: "Je n'arrive pas à comprendre votre réponse. Une personne de la plateforme d'assistance peut vous aider :",
  error: 'Désolé, un incident technique m’empêche de traiter votre demande pour le moment. Vous pouvez réessayer dans quelques instants.',
  emptyMessage: "Je n'ai pas reçu de texte. Dites-moi en quelques mots ce dont vous avez besoin.",
  schoolMatter:
    "Cette question relève de l'école ou de l'établissement de votre enfant : adressez-vous à lui directement, ou consultez l'ENT (l'espace numérique de travail) de l'établissement. Pour ma part, je vous aide pour votre compte EduConnect :",
  helpSuffix: 'Vous pouvez à tout moment écrire « annuler » pour arrêter.',
} as const;
