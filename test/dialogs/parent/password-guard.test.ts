// The password guard in every parent prompt. Class of fault: a value the question could read
// (or another kind of value: an identifier as phones capitalise it, a case reference in lower
// case, an email, markup or code) was taken for a password, dropped, and the same question
// came back uncounted, forever. Now the prompt reads its answer first; only what it cannot
// read is checked; a real password is refused as an attempt, so the third one offers a person.
import { describe, expect, it } from 'vitest';
import { clickCard, dialogClient, runTranscript, say, turnText, type TranscriptStep } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { KNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld({ freshCounters: true });

/** How to reach each question a parent can be asked (the last step leaves it waiting). */
const PROMPTS: [string, TranscriptStep[]][] = [
  ['lost identifier: channel card', [{ user: "J'ai perdu mon identifiant", bot: 'Comment souhaitez-vous recevoir' }]],
  [
    'lost identifier: email',
    [
      { user: "J'ai perdu mon identifiant", bot: 'recevoir' },
      { user: 'par mail', bot: "l'adresse e-mail de votre compte" },
    ],
  ],
  [
    'lost identifier: mobile',
    [
      { user: "J'ai perdu mon identifiant", bot: 'recevoir' },
      { user: 'par sms', bot: 'le numéro de portable de votre compte' },
    ],
  ],
  ['lost password: identifier', [{ user: "J'ai perdu mon mot de passe", bot: 'Quel est votre identifiant' }]],
  [
    'lost password: channel card',
    [
      { user: "J'ai perdu mon mot de passe", bot: 'identifiant' },
      { user: KNOWN.identifier, bot: 'Comment souhaitez-vous réinitialiser' },
    ],
  ],
  [
    'lost password: SMS code',
    [
      { user: "J'ai perdu mon mot de passe", bot: 'identifiant' },
      { user: KNOWN.identifier, bot: 'réinitialiser' },
      { user: 'par sms', bot: 'recopiez ici le code' },
    ],
  ],
  ['activation mail: first login done?', [{ user: "Je n'ai pas reçu le mail d'activation", bot: 'première connexion' }]],
  ['change of email: situation card', [{ user: "Changer l'adresse mail de mon compte", bot: 'Où en est votre compte' }]],
  [
    'change of email: send to the school?',
    [
      { user: "Changer l'adresse mail de mon compte", bot: 'Où en est votre compte' },
      { user: (prev) => clickCard(prev, 'pending'), bot: 'transmette cette demande' },
    ],
  ],
  ['FranceConnect: mobile refused?', [{ user: 'Me connecter avec FranceConnect', bot: 'refusé' }]],
  ['regrouping: ask the school?', [{ user: 'Regrouper mes enfants sur un seul compte', bot: "Voulez-vous que je demande à l'école" }]],
  ['school request: child last name', [{ user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' }]],
  [
    'school request: child first name',
    [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'Et son prénom ?' },
    ],
  ],
  [
    'school request: school',
    [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'Dans quelle école' },
    ],
  ],
  [
    'school request: pick among schools',
    [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'Dans quelle école' },
      { user: 'école Jules Ferry', bot: 'Plusieurs établissements correspondent' },
    ],
  ],
  [
    'school request: birth date typed on the site',
    [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'école' },
      { user: KNOWN.uai, bot: 'date de naissance' },
    ],
  ],
  [
    'school request: contact (mail or mobile)',
    [
      { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'école' },
      { user: KNOWN.uai, bot: 'date de naissance' },
      { user: '14/03/2015', bot: 'numéro de portable' },
    ],
  ],
  [
    "school request: parent's name",
    [
      { user: "Mon numéro de portable n'est pas reconnu", bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'école' },
      { user: KNOWN.uai, bot: 'votre nom et votre prénom' },
    ],
  ],
  [
    'school request: mobile to record',
    [
      { user: "Mon numéro de portable n'est pas reconnu", bot: 'nom de famille' },
      { user: 'Dupont', bot: 'prénom' },
      { user: 'Léa', bot: 'école' },
      { user: KNOWN.uai, bot: 'votre nom' },
      { user: 'Céline Dupont', bot: "Quel numéro de portable l'école doit-elle enregistrer" },
    ],
  ],
];

/** What phones, copy-paste and curious people type, none of which is a password. */
const NOT_PASSWORDS: [string, string][] = [
  ['capitalised identifier', 'C.Dupont114'],
  ['identifier in capitals', 'C.DUPONT114'],
  ['case reference in lower case', 'edu-2026-000123'],
  ['case reference', 'EDU-2026-000123'],
  ['capitalised email', 'Celine.Dupont@Exemple.fr'],
  ['markup', '<script>alert(1)</script>'],
  ['template', '${7*7}'],
  ['function call', 'alert(document.cookie)'],
  ['web address', 'https://educonnect.education.gouv.fr/Login1'],
];

describe('password guard in every parent prompt', () => {
  for (const [prompt, path] of PROMPTS) {
    it.each(NOT_PASSWORDS)(`${prompt}: %s is read as what it is, never as a password`, async (_kind, text) => {
      const client = dialogClient(await parentRoot(ctx));
      await runTranscript(client, path);
      const replies = turnText(await say(client, text));
      expect(replies).not.toContain(MESSAGES.passwordWarning);
      expect(replies).not.toContain(MESSAGES.error);
      expect(replies.length).toBeGreaterThan(0);
    });

    it(`${prompt}: a password is refused as an attempt; the third offers a person (no loop)`, async () => {
      const client = dialogClient(await parentRoot(ctx));
      await runTranscript(client, path);
      await runTranscript(client, [
        { user: 'Soleil-2024-xyz', bot: MESSAGES.passwordWarning, not: 'Soleil-2024-xyz' },
        { user: 'mon mot de passe est Kx7!pQ2wz', bot: MESSAGES.passwordWarning, not: 'Kx7!pQ2wz' },
        { user: 'Azerty123!', bot: [MESSAGES.gaveUp, '0 809 54 06 06'], not: 'Azerty123!' },
      ]);
    });
  }

  it('the question itself comes back after the warning (text question)', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: "J'ai perdu mon mot de passe", bot: 'Quel est votre identifiant' },
      { user: 'Soleil-2024-xyz', bot: [MESSAGES.passwordWarning, 'Quel est votre identifiant'] },
      { user: 'C.Dupont114', bot: 'Comment souhaitez-vous réinitialiser' },
    ]);
  });
});
