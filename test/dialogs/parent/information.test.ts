// Dialogs that explain: activation mail, wrong child, change of email (per situation),
// FranceConnect (and on to the mobile request), reaching a person (open now or not).
import { describe, it } from 'vitest';
import { testContext } from '../../helpers/context.js';
import { clickCard, dialogClient, runTranscript, type TranscriptStep } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { prisma, ctx } = useParentWorld();
const ACCOUNT_PAGE = `${ctx.settings.publicUrl}/mon-compte`;

const ACTIVATION = "Je n'ai pas reçu l'e-mail d'activation";
const EMAIL = "Changer l'adresse e-mail de mon compte";
const FC = 'Me connecter avec FranceConnect';

describe('information dialogs', () => {
  it.each([
    [
      'activation mail, first login done',
      [
        { user: ACTIVATION, bot: 'Avez-vous déjà fait votre première connexion' },
        {
          user: (prev) => clickCard(prev, 'yes'),
          bot: [
            'courriers indésirables',
            'corrigez-la vous-même',
            '/corriger-adresse-activation',
            "L'école ou l'établissement de votre enfant peut aussi vous le renvoyer",
          ],
        },
      ],
    ],
    [
      'activation mail, never logged in',
      [
        { user: ACTIVATION, bot: 'Avez-vous déjà fait votre première connexion' },
        { user: 'non', bot: ["n'est envoyé qu'après la première connexion", '/premiere-connexion', '/inscription', 'FranceConnect'] },
      ],
    ],
    [
      'activation mail, answers not understood',
      [
        { user: ACTIVATION, bot: 'Avez-vous déjà fait votre première connexion' },
        { user: 'peut-être', bot: 'Merci de répondre par « oui » ou par « non ».' },
        { user: 'bof', bot: 'Merci de répondre par « oui » ou par « non ».' },
        { user: 'je sais pas', bot: [MESSAGES.gaveUp, 'tel:+33809540606'] },
      ],
    ],
    [
      'wrong child',
      [{ user: "Un enfant de mon compte n'est pas le mien", bot: ['Je ne suis pas le représentant légal de »', 'seul responsable', ACCOUNT_PAGE] }],
    ],
    [
      'change email, account activated',
      [
        { user: EMAIL, bot: 'Où en est votre compte EduConnect ?' },
        { user: (prev) => clickCard(prev, 'activated'), bot: ['Modifier mon adresse e-mail', "l'ancienne adresse", ACCOUNT_PAGE] },
      ],
    ],
    [
      'change email, waiting for the activation mail',
      [
        { user: EMAIL, bot: 'Où en est votre compte EduConnect ?' },
        { user: (prev) => clickCard(prev, 'pending'), bot: ["vous renvoyer l'e-mail d'activation à la bonne adresse", 'Voulez-vous que je transmette'] },
        { user: 'non', bot: "D'accord" },
      ],
    ],
    [
      'change email, never logged in',
      [
        { user: EMAIL, bot: 'Où en est votre compte EduConnect ?' },
        { user: 'jamais connecté', bot: 'lors de votre première connexion' },
      ],
    ],
    [
      'change email, help then cancel',
      [
        { user: EMAIL, bot: 'Où en est votre compte EduConnect ?' },
        { user: 'aide', bot: ["dépend de l'étape", 'Où en est votre compte EduConnect ?'] },
        { user: 'arrêter', bot: MESSAGES.cancelled },
      ],
    ],
    [
      'FranceConnect, no trouble with the mobile',
      [
        { user: FC, bot: ['impots.gouv.fr', 'code par SMS', 'date de naissance', "celui que vous avez donné à l'école", 'https://franceconnect.gouv.fr/faq'] },
        { user: (prev) => clickCard(prev, 'no'), bot: 'Très bien' },
      ],
    ],
    [
      'FranceConnect, mobile refused: on to the request to the school',
      [
        { user: FC, bot: 'Votre numéro de portable est-il refusé' },
        { user: 'oui', bot: ["seule l'école peut le corriger", 'nom de famille'] },
        { user: 'annuler', bot: MESSAGES.cancelled },
      ],
    ],
  ] satisfies [string, TranscriptStep[]][])('%s', async (_name, steps) => {
    await runTranscript(dialogClient(await parentRoot(ctx)), steps);
  });

  it.each([
    ['a weekday morning (winter)', '2026-01-05T07:30:00Z', "ouverte en ce moment, jusqu'à 20 h"],
    ['a weekday before 8:00 (summer time)', '2026-07-06T05:30:00Z', 'fermée en ce moment'],
    ['a weekday 8:30 (summer time)', '2026-07-06T06:30:00Z', "ouverte en ce moment, jusqu'à 20 h"],
    ['a Friday 20:00', '2026-01-09T19:00:00Z', 'fermée en ce moment'],
    ['a Saturday 11:59', '2026-01-10T10:59:00Z', "ouverte en ce moment, jusqu'à 12 h"],
    ['a Saturday 12:00', '2026-01-10T11:00:00Z', 'fermée en ce moment'],
    ['a Sunday', '2026-01-11T10:00:00Z', 'fermée en ce moment'],
    ['in August', '2026-08-04T09:00:00Z', "fermée pendant tout le mois d'août"],
  ])('a person: says whether the platform is open now, on %s', async (_name, at, status) => {
    const clock = testContext(prisma);
    clock.setNow(new Date(at));
    await runTranscript(dialogClient(await parentRoot(clock)), [
      {
        user: 'Parler à une personne',
        bot: ['0 809 54 06 06', 'tel:+33809540606', 'du lundi au vendredi de 8 h à 20 h', 'https://assistanceteleservices.education.gouv.fr', status],
      },
    ]);
  });
});
