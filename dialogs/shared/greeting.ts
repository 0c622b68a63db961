// What the assistant says it can do: the greeting of a conversation and the list of requests
// a role can make, built from the routes that role really has (so that every line offered,
// typed back, is understood). Used by the root dialog (root-dialog.ts).
import { MessageFactory, type Activity } from 'botbuilder';
import { isStaff, type Actor } from '../../services/actor.js';
import type { SchoolSummary } from '../../services/staff.js';
import { roleOf, type ActorRole } from '../types.js';
import type { RouteTable } from './route-table.js';

export const INTRO: Record<ActorRole, string> = {
  parent: "Bonjour, je suis l'assistant EduConnect des parents d'élèves. Je peux vous aider à :",
  director: "Bonjour, je suis l'assistant EduConnect des écoles et établissements. Je peux vous aider à :",
  agent: "Bonjour, je suis l'assistant EduConnect de la plateforme d'assistance. Je peux vous aider à :",
  admin: "Bonjour, je suis l'assistant EduConnect. Je peux vous aider à :",
};

/** The requests of `role` as a list and as buttons, after `intro`. */
export function capabilities(routes: RouteTable, role: ActorRole | undefined, intro: string | undefined): Partial<Activity> {
  const labels = routes.forRole(role).map((r) => r.label);
  if (labels.length === 0) return MessageFactory.text("Je ne peux pas vous aider ici. Merci de contacter l'assistance de votre académie.");
  const list = labels.map((l) => `- ${l}`).join('\n');
  return MessageFactory.suggestedActions(
    labels,
    `${intro ?? 'Je peux vous aider à :'}\n\n${list}\n\nDécrivez votre besoin en quelques mots ou choisissez-le ci-dessous.`,
  );
}

/** The greeting of a conversation: staff by name (directors with their schools), parents with the parents' introduction. */
export function welcome(routes: RouteTable, actor: Actor, schools: readonly SchoolSummary[]): Partial<Activity> {
  const role = roleOf(actor);
  if (!role || !isStaff(actor)) return capabilities(routes, role, role ? INTRO[role] : undefined);
  const scope =
    actor.kind !== 'director'
      ? ''
      : schools.length
        ? ` Vos établissements : ${schools.map((s) => `${s.name} (${s.uai})`).join(', ')}.`
        : " Aucun établissement ne vous est rattaché dans l'annuaire : contactez l'assistance de votre académie.";
  return capabilities(routes, role, `Bonjour ${actor.name}, je suis l'assistant EduConnect.${scope}\n\nJe peux vous aider à :`);
}
