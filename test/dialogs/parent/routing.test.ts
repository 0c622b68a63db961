// Routing of parents' own words through the real recognizer, greetings and small talk,
// and staff requests refused to parents.
import { describe, expect, it } from 'vitest';
import { dialogClient, say, turnText } from '../../helpers/dialogs.js';
import { parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld();

describe('routing parents by what they say', () => {
  it.each([
    ["j'ai oublié mon identifiant", 'Comment souhaitez-vous recevoir votre identifiant ?'],
    ['je ne retrouve plus mon mot de passe', 'Quel est votre identifiant EduConnect ?'],
    ["je n'ai jamais reçu le mail d'activation", 'Avez-vous déjà fait votre première connexion'],
    ["la date de naissance de mon fils n'est pas acceptée", 'registre des élèves'],
    ["mon numéro de téléphone n'est pas reconnu", "exactement celui que l'école"],
    ['je voudrais regrouper mes enfants sur un seul compte', 'identiques sur les deux comptes'],
    ["je ne suis pas le représentant légal d'un enfant sur mon compte", 'Je ne suis pas le représentant légal de »'],
    ["je veux changer l'adresse mail de mon compte", 'Où en est votre compte EduConnect ?'],
    ['comment se connecter avec FranceConnect ?', 'impots.gouv.fr'],
    ['je voudrais parler à un conseiller', '0 809 54 06 06'],
    // staff wording from a parent: the parent's side of the same request (counterpartOf)
    ['réinitialiser le mot de passe', 'Quel est votre identifiant EduConnect ?'],
    ["renvoyer le mail d'activation", 'Avez-vous déjà fait votre première connexion'],
  ])('"%s"', async (utterance, expected) => {
    expect(turnText(await say(dialogClient(await parentRoot(ctx)), utterance))).toContain(expected);
  });

  it('greets with what parents can ask, as buttons', async () => {
    const text = turnText(await say(dialogClient(await parentRoot(ctx)), 'Bonjour'));
    expect(text).toContain("Bonjour, je suis l'assistant EduConnect des parents d'élèves.");
    expect(text).toContain("[J'ai perdu mon mot de passe]");
    expect(text).toContain('[Parler à une personne]');
  });

  it('answers thanks and goodbye', async () => {
    const client = dialogClient(await parentRoot(ctx));
    expect(turnText(await say(client, 'merci beaucoup'))).toContain('Avec plaisir');
    expect(turnText(await say(client, 'au revoir'))).toContain('Au revoir');
  });

  it('does not route a parent to staff requests nor off-topic ones', async () => {
    for (const text of ["statistiques d'activation de l'école 0311478N", 'quel temps fera-t-il demain ?']) {
      const reply = turnText(await say(dialogClient(await parentRoot(ctx)), text));
      expect(reply).toContain("Je ne suis pas sûr d'avoir compris votre demande.");
      expect(reply).toContain("[J'ai perdu mon identifiant]");
    }
  });
});
