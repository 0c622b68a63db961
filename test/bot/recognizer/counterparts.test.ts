import { describe, expect, it } from 'vitest';
import { sideOf } from '../../../bot/recognizer/counterparts.js';
import { normalizeUtterance } from '../../../bot/recognizer/normalize.js';
import type { IntentName } from '../../../bot/recognizer/recognizer.js';

describe('sideOf: parents act on their own account, staff on other people’s', () => {
  it.each([
    // a parent request about someone else is the staff request
    ['activation_mail', "M. Girard n'a pas reçu son mail d'activation", 'resend_activation'],
    ['activation_mail', "un papa n'a jamais reçu le mail d'activation", 'resend_activation'],
    ['lost_password', 'ce responsable a perdu son mot de passe', 'reset_password'],
    ['lost_identifier', "l'identifiant de Mme Leroy", 'find_account'],
    ['activation_mail', "une maman me dit qu'elle n'a pas reçu le mail d'activation", 'resend_activation'],
    // ... unless it is about "my" account
    ['lost_password', 'mon mot de passe est refusé', 'lost_password'],
    ['activation_mail', "je n'ai pas reçu mon mail d'activation", 'activation_mail'],
    // a staff request the writer makes about their own account is the parent request
    ['reset_password', 'je voudrais un nouveau mot de passe', 'lost_password'],
    ['resend_activation', "pouvez-vous me renvoyer le mail d'activation", 'activation_mail'],
    // staff commands stay staff requests, with or without a person
    ['reset_password', 'réinitialiser le mot de passe de ce parent', 'reset_password'],
    ['resend_activation', "renvoyer le mail d'activation", 'resend_activation'],
    ['find_account', 'chercher un compte', 'find_account'],
    // other intents are left alone
    ['statistics', 'les stats de mon école', 'statistics'],
  ] as const)('%s: %j -> %s', (intent: IntentName, text, expected: IntentName) => {
    expect(sideOf(intent, normalizeUtterance(text))).toBe(expected);
  });
});
