// Lost identifier: transcripts (mail, SMS, neither), re-prompt cap, cancel and help in the
// middle, and the same words for a known and an unknown contact.
import { describe, expect, it } from 'vitest';
import { testContext } from '../../helpers/context.js';
import { clickCard, dialogClient, runTranscript, stableTranscript, type TranscriptStep } from '../../helpers/dialogs.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { KNOWN, UNKNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { prisma, ctx } = useParentWorld({ freshCounters: true });
const START = "J'ai perdu mon identifiant";
const ASK_CHANNEL = 'Comment souhaitez-vous recevoir votre identifiant ?';

const byEmail = (email: string): TranscriptStep[] => [
  { user: START, bot: ASK_CHANNEL },
  { user: (prev) => clickCard(prev, 'email'), bot: "Quelle est l'adresse e-mail de votre compte EduConnect ?" },
  { user: email, bot: 'Si cette adresse e-mail est confirmée', not: email },
];

const bySms = (mobile: string): TranscriptStep[] => [
  { user: START, bot: ASK_CHANNEL },
  { user: 'par SMS', bot: 'Quel est le numéro de portable de votre compte EduConnect ?' },
  { user: mobile, bot: 'Si ce numéro de portable est confirmé' },
];

describe('lost identifier dialog', () => {
  it.each([
    ['mail, known address', byEmail(KNOWN.email)],
    ['SMS, known number', bySms(KNOWN.mobileTyped)],
    [
      'neither',
      [
        { user: START, bot: ASK_CHANNEL },
        { user: (prev) => clickCard(prev, 'none'), bot: ["l'école ou l'établissement de votre enfant", 'FranceConnect'] },
      ],
    ],
    [
      'wrong answers re-prompted, then human help after 3',
      [
        { user: START, bot: ASK_CHANNEL },
        { user: 'par mail', bot: "Quelle est l'adresse e-mail" },
        { user: 'celine.dupont', bot: "Merci d'indiquer une adresse e-mail complète, par exemple prenom.nom@exemple.fr." },
        { user: 'celine @ exemple', bot: "Merci d'indiquer une adresse e-mail complète" },
        { user: 'je ne sais plus', bot: [MESSAGES.gaveUp, '0 809 54 06 06'] },
      ],
    ],
    [
      'cancel in the middle',
      [
        { user: START, bot: ASK_CHANNEL },
        { user: 'mail', bot: "Quelle est l'adresse e-mail" },
        { user: 'stop', bot: MESSAGES.cancelled },
        { user: 'annuler', bot: MESSAGES.nothingToCancel },
      ],
    ],
    [
      'help in the middle',
      [
        { user: START, bot: ASK_CHANNEL },
        { user: 'aide', bot: ['par e-mail ou par SMS', ASK_CHANNEL] },
        { user: 'sms', bot: 'le numéro de portable de votre compte' },
        { user: 'aide', bot: ['numéro de portable de votre compte', 'le numéro de portable de votre compte'] },
        { user: 'bonjour', bot: "Merci d'indiquer un numéro de téléphone portable" },
      ],
    ],
  ] satisfies [string, TranscriptStep[]][])('%s', async (_name, steps) => {
    await runTranscript(dialogClient(await parentRoot(ctx)), steps);
  });

  it('passes on the service\'s polite "too many requests" and the conversation goes on', async () => {
    const strict = testContext(prisma, { selfService: { ...ctx.settings.selfService, rateLimits: { ...ctx.settings.selfService.rateLimits, perSource: 1 } } });
    const client = dialogClient(await parentRoot(strict));
    await runTranscript(client, [
      ...byEmail(UNKNOWN.email),
      { user: START, bot: ASK_CHANNEL },
      { user: 'mail', bot: "Quelle est l'adresse e-mail" },
      { user: KNOWN.email, bot: 'Trop de demandes ont été faites', not: 'Si cette adresse' },
      { user: 'merci', bot: 'Avec plaisir' },
    ]);
    expect(await prisma.outboxMessage.count({ where: { recipient: KNOWN.email } })).toBe(0);
  });

  it('sends the identifier to a confirmed address (the service really ran)', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), byEmail(KNOWN.email));
    const sent = await prisma.outboxMessage.findMany({ where: { recipient: KNOWN.email } });
    expect(sent.map((m) => m.template)).toContain('identifier_reminder');
  });

  it.each([
    ['mail', byEmail(KNOWN.email), byEmail(UNKNOWN.email)],
    ['SMS', bySms(KNOWN.mobileTyped), bySms(UNKNOWN.mobileTyped)],
  ])('says exactly the same for a known and an unknown contact (%s)', async (_name, known, unknown) => {
    const a = await runTranscript(dialogClient(await parentRoot(ctx)), known);
    const b = await runTranscript(dialogClient(await parentRoot(ctx)), unknown);
    expect(stableTranscript(a)).toBe(stableTranscript(b));
  });
});
