import { describe, expect, it } from 'vitest';
import { extractEntities, type Entities } from '../../../bot/recognizer/entities.js';

type Case<K extends keyof Entities> = [string, Entities[K]];

function table<K extends keyof Entities>(key: K, cases: Case<K>[]): void {
  describe(key, () => {
    it.each(cases)('%j', (text, expected) => {
      expect(extractEntities(text)[key]).toEqual(expected);
    });
  });
}

table('uai', [
  ["stats de l'école 0311478N", ['0311478N']],
  ['UAI 0750001a et 9740123X', ['0750001A', '9740123X']],
  ['0311478', undefined],
  ['03114789N', undefined],
  ['0311478NN', undefined],
]);

table('identifier', [
  ['mon identifiant est p.dupont12', ['p.dupont12']],
  ['réinitialiser G.Zoumn et celine.dupont114.', ['g.zoumn', 'celine.dupont114']],
  ['écrire à jean.dupont@gmail.com', undefined],
  ['connectez-vous sur educonnect.gouv.fr', undefined],
  ['www.impots.gouv.fr', undefined],
  ['le fichier liste.pdf', undefined],
  ['p.dupont12.', ['p.dupont12']],
  ['sans point', undefined],
]);

table('email', [
  ['mon mail: Jean.Dupont@Gmail.com merci', ['jean.dupont@gmail.com']],
  ['a@b.fr, c.d-e+f@sous.domaine.org', ['a@b.fr', 'c.d-e+f@sous.domaine.org']],
  ['arobase@ seul', undefined],
  ['x@y', undefined],
]);

table('mobile', [
  ['mon numéro 06 12 34 56 78', ['+33612345678']],
  ['0612345678', ['+33612345678']],
  ['07.81.23.45.67', ['+33781234567']],
  ['+33 6 12 34 56 78', ['+33612345678']],
  ['0033612345678', ['+33612345678']],
  ['à la Réunion 0692 12 34 56', ['+262692123456']],
  ['+262 692 12 34 56', ['+262692123456']],
  ['Guadeloupe 0690 11 22 33', ['+590690112233']],
  ['Martinique 0696 11 22 33', ['+596696112233']],
  ['fixe 01 23 45 67 89', undefined],
  ['123', undefined],
  ['UAI 0311478N', undefined],
]);

table('date', [
  ['né le 14/03/2016', ['2016-03-14']],
  ['14-03-2016', ['2016-03-14']],
  ['14.03.2016', ['2016-03-14']],
  ['14 mars 2016', ['2016-03-14']],
  ['2016-03-14', ['2016-03-14']],
  ['le 3 avril 2015', ['2015-04-03']],
  ['le 1er février 2014', ['2014-02-01']],
  ['le 3 Août 2012 ou le 25 déc. 2011', ['2012-08-03', '2011-12-25']],
  ['3/4/15', ['2015-04-03']],
  ['29/02/2016', ['2016-02-29']],
  ['29/02/2015', undefined],
  ['31/04/2016', undefined],
  ['14/13/2016', undefined],
  ['2016-02-30', undefined],
  ['32 mars 2016', undefined],
  ['le 3 avril', undefined],
]);

table('level', [
  ['les CP et les CE1', ['CP', 'CE1']],
  ['ce2 cm1 CM2', ['CE2', 'CM1', 'CM2']],
  ['PS, MS et GS', ['PS', 'MS', 'GS']],
  ['grande section', ['GS']],
  ['6e, 5ème, 4eme et 3e', ['6E', '5E', '4E', '3E']],
  ['les élèves de sixième', ['6E']],
  ['en seconde et en 2nde', ['2NDE']],
  ['1ère et terminale', ['1ERE', 'TLE']],
  ['élèves de première', ['1ERE']],
  ['Tle', ['TLE']],
  ['la classe CE1/2', ['CE1', 'CE2']],
  ['ma première connexion', undefined],
  ['ma 1ère connexion, la 1re fois', undefined],
  ['attendez une seconde', undefined],
  ['mon troisième enfant', undefined],
  ['2 de mes enfants', undefined],
]);

table('className', [
  ['la classe CM1 A', ['CM1 A']],
  ['la CE1/2', ['CE1/2']],
  ['CE2-CM1', ['CE2-CM1']],
  ['la 6e B et la 6eme C', ['6E B', '6E C']],
  ['5e3', ['5E3']],
  ['en cm1 a la rentrée', undefined],
  ['CM1', undefined],
  ['la classe cm2 B', ['CM2 B']],
]);

table('state', [
  ['les non notifiés', ['NOT_NOTIFIED']],
  ['comptes pas encore notifiés', ['NOT_NOTIFIED']],
  ['les notifiés', ['NOTIFIED']],
  ['notifié et non activé', ['NOTIFIED']],
  ["en cours d'activation", ['ACTIVATING']],
  ['en cours d’activation', ['ACTIVATING']],
  ['les comptes activés', ['ACTIVATED']],
  ['non notifiés et activés', ['NOT_NOTIFIED', 'ACTIVATED']],
  ['les non activés', undefined],
]);

table('channel', [
  ['par mail', ['email']],
  ['par courriel', ['email']],
  ['par e-mail', ['email']],
  ['par fiche', ['sheet']],
  ['sur papier', ['sheet']],
  ['en pdf', ['sheet']],
  ['imprimer les lettres', ['sheet']],
  ['par mail ou par fiche', ['email', 'sheet']],
  ['mon mail ne marche pas', undefined],
]);

table('format', [
  ['en PDF', ['pdf']],
  ['export csv', ['csv']],
  ['un fichier Excel', ['excel']],
  ['en xlsx', ['excel']],
  ['csv ou pdf', ['csv', 'pdf']],
  ['une liste', undefined],
]);

describe('extractEntities', () => {
  it('returns an empty object when there is nothing', () => {
    expect(extractEntities("bonjour j'ai perdu mon identifiant")).toEqual({});
  });

  it('finds several kinds at once', () => {
    expect(extractEntities('renotifier par mail les non notifiés de la CM1 A (0311478N), p.dupont12 né le 14/03/2016, 06 12 34 56 78')).toEqual({
      uai: ['0311478N'],
      identifier: ['p.dupont12'],
      mobile: ['+33612345678'],
      date: ['2016-03-14'],
      level: ['CM1'],
      className: ['CM1 A'],
      state: ['NOT_NOTIFIED'],
      channel: ['email'],
    });
  });

  it.each(['', '😀', '\u0000\u202e', 'x.'.repeat(5000), '0'.repeat(10_000), "'; DROP TABLE x; --"])('never throws on %j', (text) => {
    expect(typeof extractEntities(text)).toBe('object');
  });
});

describe('schoolTopic', () => {
  it.each([
    ['quel est le menu de la cantine', ['canteen']],
    ['le menu de demain midi', ['canteen']],
    ['afficher le menu', undefined],
    ['retour au menu', undefined],
  ] as const)('%j -> %j', (text, expected) => {
    expect(extractEntities(text).schoolTopic).toEqual(expected);
  });
});
