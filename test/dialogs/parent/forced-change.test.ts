// "On me demande de changer mon mot de passe" (April 2024 notice): the chat explains the mass
// reset and links to this service's pages, instead of starting a lost-password request; the
// ordinary lost-password wording still starts the usual dialog.
import { describe, expect, it } from 'vitest';
import { dialogClient, runTranscript } from '../../helpers/dialogs.js';
import { isForcedChangeQuestion } from '../../../dialogs/parent/forced-change.js';
import { parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld({ freshCounters: true });
const EXPLAINED = ['depuis avril 2024', 'au moins 12 caractères', '/mon-compte', '/mot-de-passe-perdu'];

describe('asked to change the password', () => {
  it.each([
    'On me demande de changer mon mot de passe',
    'on me force à changer mon mot de passe',
    "le site m'impose de changer mon mot de passe",
    'Pourquoi je dois changer mon mot de passe ?',
    "mon mot de passe a été réinitialisé, on me demande d'en choisir un nouveau",
    // informal variants (recognized as lost_password, whose dialog explains)
    "le site m'oblige à changer mon mot de passe",
    'le site m oblige a changer mon mdp',
    "EduConnect m'oblige à choisir un nouveau mot de passe",
  ])('"%s" -> the explanation with this service\'s links', async (text) => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [{ user: text, bot: EXPLAINED }]);
  });

  it.each([
    ["J'ai perdu mon mot de passe", false],
    ['je veux changer mon mot de passe', false],
    ['mot de passe oublié', false],
    ['on me force à changer mon mot de passe', true],
    ["il faut que je change de mot de passe alors que je l'ai déjà changé", false],
  ] as const)('keyword check: "%s" -> %s', (text, expected) => {
    expect(isForcedChangeQuestion(text)).toBe(expected);
  });

  it('the ordinary request still asks for the identifier', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [{ user: "J'ai perdu mon mot de passe", bot: 'Quel est votre identifiant EduConnect ?' }]);
  });
});
