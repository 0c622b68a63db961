// Names and classes read in a staff request (no database): class names match whatever their
// case, accents, spaces and hyphens; a person's name is what remains of the request words.
import { describe, expect, it } from 'vitest';
import { classesInText, classKey } from '../../../services/accounts/classes.js';
import { requestedName } from '../../../dialogs/staff/request-words.js';

describe('names and classes in a request', () => {
  it.each([
    ['CE1-A', 'classe ce1 a', true],
    ['CE1 A', 'la CE1-A', true],
    ['6E 2', 'notifier la 6e 2', true],
    ['6E 2', 'notifier la 6ème 2', true],
    ['CM1 NEW', 'liste de la cm1new', true],
    ['CE1/2', 'les ce1/2', true],
    ['Éveil', 'la classe eveil', true],
    ['CE1 A', 'la CE1 B', false],
    ['CE1 A', 'notifier la ce1', false],
  ])('class %s is named in "%s": %s', (name, text, expected) => {
    expect(classesInText(text, [{ name }]).length > 0).toBe(expected);
  });

  it('prefers the longest class named at one place, and folds keys', () => {
    expect(classesInText('la ce1 a', [{ name: 'CE1' }, { name: 'CE1 A' }]).map((c) => c.name)).toEqual(['CE1 A']);
    expect(classKey('6ème-2')).toBe(classKey('6E 2'));
  });

  it.each([
    ['réinitialiser le mot de passe de sophie martin', 'sophie martin'],
    ['renotifier sophie martin', 'sophie martin'],
    ['Renvoyer le mail d’activation de Mme Léa Dupont', 'lea dupont'],
    ['renotifier les comptes non notifiés', undefined],
    ['notifier la 6e 2', undefined],
    ['renotifier un compte', undefined],
  ])('the person named in "%s" is %s', (text, name) => {
    expect(requestedName(text)).toBe(name);
  });
});
