import { describe, expect, it } from 'vitest';
import { foldText, normalizeUtterance, splitSentences, stripCourtesy } from '../../../bot/recognizer/normalize.js';

describe('foldText', () => {
  it.each([
    ['  L’Élève\u200f  ', "l'eleve"],
    ['ŒUVRE  Ça\tva', 'oeuvre ca va'],
    ['a\u0000b\u202ec', 'a b c'],
  ])('%j -> %j', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });
});

describe('normalizeUtterance', () => {
  it.each([
    ['jai oublié mon mdp', 'j ai oublie mon motdepasse'],
    ['Jai oublié mon MDP svp !!', 'j ai oublie mon motdepasse svp'],
    ['mot de pass oublie', 'motdepasse oublie'],
    ['I forgot my password', 'i oublie my motdepasse'],
    ["my account doesn't work", 'my compte pas marche'],
    ['mon login', 'mon identifiant'],
    ['identifient perdu stp', 'identifiant perdu svp'],
    ['jrecois pas le mail', 'je recu pas le mail'],
    ['mon fils nest pas sur mon compte', 'mon enfant est manque sur mon compte'],
    ['jsuis bloqué, pb de mdp', 'je suis bloque motdepasse marche pas'],
    ['c koi ke je dois faire qd', 'c est quoi que je dois faire quand'],
    ['France-Connect', 'franceconnect'],
    ['renvoyer mon courriel / e-mail', 'renvoyer mon mail mail'],
    ['merciiii bcp', 'merci beaucoup'],
    ['bonjourrr', 'bonjour'],
    ['a+', 'a plus'],
    ['ddn refusée', 'date de naissance refuse'],
    ['mail jean.dupont@gmail.com tel 06 12 34 56 78', 'mail xemail telephone xphone'],
    ['né le 14/03/2016 ou 2016-03-14', 'naissance xdate ou xdate'],
    ['école 0311478N compte p.dupont12', 'ecole xuai compte xidentifiant'],
    ['impots.gouv', 'franceconnect'],
    // concepts (concepts.ts): one word for one meaning, negation without "ne"
    ["c'est tout", 'c est tout'],
    ["ma fille n'apparaît pas", 'ma enfant manque'],
    ["ce n'est pas le mien", 'ce est pasmien'],
    ['identifiant égaré, je me souviens plus du mdp', 'identifiant perdu je me oublie du motdepasse'],
    ["le site m'oblige à changer mon mot de passe", 'le site m oblige changer mon motdepasse'],
    ['réinitialiser le mdp de M. Martin ou de Mme Durand', 'reinitialiser le motdepasse de xpersonne ou de xpersonne'],
    ['le mdp de m. martin, pas de m.martin', 'le motdepasse de xpersonne pas de xidentifiant'],
    ['bonjour madame', 'bonjour madame'],
    ['il est né le 3 avril 2015', 'il naissance xdate'],
    ['le lien est mort', 'le lien expire'],
    ['ça y est, ça marche', 'resolu resolu'],
    ['ça marche pas', 'ca marche pas'],
    ['12345', ''],
    ['😀', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeUtterance(input)).toBe(expected);
  });
});

describe('stripCourtesy', () => {
  it.each([
    ['bonjour madame je n ai pas recu le mail merci d avance', 'je n ai pas recu le mail'],
    ['bonjour', ''],
    ['merci beaucoup', ''],
    ['motdepasse oublie', 'motdepasse oublie'],
  ])('%j -> %j', (input, expected) => {
    expect(stripCourtesy(input)).toBe(expected);
  });
});

describe('splitSentences', () => {
  it.each([
    ["Bonjour. J'ai perdu mon identifiant, pouvez-vous m'aider ?", ['Bonjour', "J'ai perdu mon identifiant, pouvez-vous m'aider"]],
    ['Bonjour\nmon mail est a.b@c.fr. Merci', ['Bonjour', 'mon mail est a.b@c.fr', 'Merci']],
    ['p.dupont12 bloqué!!! aidez moi', ['p.dupont12 bloqué', 'aidez moi']],
    ['', []],
  ])('%j', (input, expected) => {
    expect(splitSentences(input)).toEqual(expected);
  });
});
