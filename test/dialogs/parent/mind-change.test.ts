// Changing one's mind in the middle of a dialog. Class of fault: a question waiting for an
// answer did not hear that the parent now asks something else (a strong different intent)
// or gives another kind of value (an email where the identifier is asked, "par SMS" where the
// email is asked); it repeated itself instead. Now any parent question offers to switch, in
// one click; declining keeps the question; ignoring the offer counts as a wrong answer.
import { describe, it } from 'vitest';
import { clickCard, dialogClient, runTranscript, type TranscriptStep } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { KNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld({ freshCounters: true });

const LOST_ID = "J'ai perdu mon identifiant";
const LOST_PW = "J'ai perdu mon mot de passe";
const ASK_ID = 'Quel est votre identifiant EduConnect ?';
const ASK_CHANNEL_ID = 'Comment souhaitez-vous recevoir votre identifiant ?';
const ACCEPT = (label: string): string => `Oui : ${label}`;
const DECLINE = 'Non, je continue ici';
const offerOf = (label: string): string[] => [`[${ACCEPT(label)}]`, `[${DECLINE}]`];

describe('changing one’s mind mid-dialog', () => {
  it.each([
    [
      'lost password -> "j\'ai perdu mon identifiant aussi" (strong other intent)',
      [
        { user: LOST_PW, bot: ASK_ID },
        { user: "j'ai perdu mon identifiant aussi", bot: ["Merci d'indiquer votre identifiant", ...offerOf(LOST_ID)] },
        { user: ACCEPT(LOST_ID), bot: ASK_CHANNEL_ID, not: ASK_ID },
      ],
    ],
    [
      'lost password -> an email where the identifier is asked: the identifier is sent to it',
      [
        { user: LOST_PW, bot: ASK_ID },
        { user: KNOWN.email, bot: offerOf(LOST_ID), not: MESSAGES.passwordWarning },
        { user: ACCEPT(LOST_ID), bot: 'Si cette adresse e-mail est confirmée', not: KNOWN.email },
      ],
    ],
    [
      'lost identifier by mail -> "je peux le recevoir par sms ?"',
      [
        { user: LOST_ID, bot: ASK_CHANNEL_ID },
        { user: 'par mail', bot: "l'adresse e-mail de votre compte" },
        { user: 'je peux le recevoir par sms ?', bot: ['reprendre', ...offerOf(LOST_ID)] },
        { user: 'oui', bot: 'le numéro de portable de votre compte' },
        { user: KNOWN.mobileTyped, bot: 'Si ce numéro de portable est confirmé' },
      ],
    ],
    [
      'lost identifier by mail -> a mobile number typed instead',
      [
        { user: LOST_ID, bot: ASK_CHANNEL_ID },
        { user: 'par mail', bot: "l'adresse e-mail de votre compte" },
        { user: KNOWN.mobileTyped, bot: offerOf(LOST_ID) },
        { user: ACCEPT(LOST_ID), bot: 'Si ce numéro de portable est confirmé' },
      ],
    ],
    [
      'lost identifier by mail -> an identifier typed instead: lost password offered',
      [
        { user: LOST_ID, bot: ASK_CHANNEL_ID },
        { user: 'par mail', bot: "l'adresse e-mail de votre compte" },
        { user: 'C.Dupont114', bot: offerOf(LOST_PW), not: MESSAGES.passwordWarning },
        { user: ACCEPT(LOST_PW), bot: 'Comment souhaitez-vous réinitialiser', not: ASK_ID },
      ],
    ],
    [
      'lost password channel card -> "je préfère par sms" is read as the choice',
      [
        { user: LOST_PW, bot: ASK_ID },
        { user: KNOWN.identifier, bot: 'Comment souhaitez-vous réinitialiser' },
        { user: 'je préfère le recevoir par sms', bot: 'recopiez ici le code' },
      ],
    ],
    [
      'declining keeps the question',
      [
        { user: LOST_PW, bot: ASK_ID },
        { user: "j'ai perdu mon identifiant aussi", bot: offerOf(LOST_ID) },
        { user: DECLINE, bot: ASK_ID },
        { user: KNOWN.identifier, bot: 'Comment souhaitez-vous réinitialiser' },
      ],
    ],
    [
      'a yes/no card -> "je veux parler à quelqu\'un"',
      [
        { user: 'Regrouper mes enfants sur un seul compte', bot: "Voulez-vous que je demande à l'école" },
        { user: "je voudrais parler à quelqu'un", bot: offerOf('Parler à une personne') },
        { user: ACCEPT('Parler à une personne'), bot: '0 809 54 06 06' },
      ],
    ],
    [
      'a free-text question (child name) does not take a request for a name',
      [
        { user: 'La date de naissance de mon enfant est refusée', bot: 'nom de famille' },
        { user: "j'ai perdu mon mot de passe aussi", bot: offerOf(LOST_PW), not: 'Et son prénom ?' },
        { user: ACCEPT(LOST_PW), bot: ASK_ID },
      ],
    ],
    [
      'offers ignored count as wrong answers: the third offers a person (no loop)',
      [
        { user: LOST_PW, bot: ASK_ID },
        { user: "j'ai perdu mon identifiant aussi", bot: offerOf(LOST_ID) },
        { user: KNOWN.email, bot: offerOf(LOST_ID) },
        { user: "j'ai perdu mon identifiant aussi", bot: [MESSAGES.gaveUp, '0 809 54 06 06'] },
      ],
    ],
  ] as [string, TranscriptStep[]][])('%s', async (_name, steps) => {
    await runTranscript(dialogClient(await parentRoot(ctx)), steps);
  });

  it('the card shown before an offer stays valid', async () => {
    const client = dialogClient(await parentRoot(ctx));
    const [card = []] = await runTranscript(client, [{ user: 'Regrouper mes enfants sur un seul compte', bot: "Voulez-vous que je demande à l'école" }]);
    await runTranscript(client, [
      { user: "j'ai perdu mon identifiant", bot: offerOf(LOST_ID) },
      { user: clickCard(card, 'yes'), bot: "Quel est le nom de famille de l'enfant" },
    ]);
  });
});
