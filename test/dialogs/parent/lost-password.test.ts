// Lost password: link by mail, code by SMS typed in the chat then the single-use link, wrong
// codes, a password typed by mistake, replayed clicks, and identical words for any identifier.
import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { clickCard, dialogClient, runTranscript, say, stableTranscript, turnText, type TranscriptStep } from '../../helpers/dialogs.js';
import { decryptSecret } from '../../../services/passwords.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { KNOWN, UNKNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { prisma, ctx } = useParentWorld({ freshCounters: true });
const START = "J'ai perdu mon mot de passe";
const ASK_ID = 'Quel est votre identifiant EduConnect ?';
const ASK_CHANNEL = 'Comment souhaitez-vous réinitialiser votre mot de passe ?';
const ASK_CODE = 'recopiez ici le code à 6 chiffres';

async function sentCode(): Promise<string> {
  const sms = await prisma.outboxMessage.findFirstOrThrow({ where: { template: 'sms_code', recipient: KNOWN.mobile } });
  // Bodies carrying a code are kept encrypted in the outbox until sent.
  const code = /\b(\d{6})\b/.exec(decryptSecret(sms.textBody, ctx.settings.secretKey))?.[1];
  if (!code) throw new Error('no code in the SMS');
  return code;
}

const byMail = (identifier: string): TranscriptStep[] => [
  { user: START, bot: ASK_ID },
  { user: identifier, bot: ASK_CHANNEL },
  { user: (prev) => clickCard(prev, 'email'), bot: 'un e-mail avec un lien pour choisir un nouveau mot de passe' },
];

const bySms = (identifier: string): TranscriptStep[] => [
  { user: START, bot: ASK_ID },
  { user: identifier, bot: ASK_CHANNEL },
  { user: (prev) => clickCard(prev, 'sms'), bot: ['un code à 6 chiffres vient', ASK_CODE] },
];

describe('lost password dialog', () => {
  it('by mail: the link is sent to the confirmed address', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), byMail(KNOWN.identifier));
    expect((await prisma.outboxMessage.findMany({ where: { recipient: KNOWN.email } })).map((m) => m.template)).toContain('password_reset_link');
  });

  it('by SMS: the code typed here gives the single-use link to the new-password page', async () => {
    const client = dialogClient(await parentRoot(ctx));
    await runTranscript(client, bySms(KNOWN.identifier));
    const code = await sentCode();
    const turns = await runTranscript(client, [
      { user: code, bot: ['Code accepté', 'Choisir mon nouveau mot de passe', `${ctx.settings.publicUrl}/mot-de-passe/`] },
    ]);
    expect(turnText(turns[0] ?? [])).not.toContain(code);
    // The code is single-use: the same code again starts nothing.
    expect(turnText(await say(client, code))).not.toContain('Code accepté');
  });

  it('by SMS: a wrong code is refused, asked again, and capped', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      ...bySms(KNOWN.identifier),
      { user: 'abc', bot: 'Merci de recopier le code reçu par SMS' },
      { user: '000000', bot: ["Ce code n'est pas valable", ASK_CODE] },
      { user: '000001', bot: ["Ce code n'est pas valable", ASK_CODE] },
      { user: '000002', bot: ["Ce code n'est pas valable", 'mot de passe perdu'] },
    ]);
  });

  it.each([
    ['mail', byMail(KNOWN.identifier), byMail(UNKNOWN.identifier)],
    ['SMS', bySms(KNOWN.identifier), bySms(UNKNOWN.identifier)],
  ])('says exactly the same for a known and an unknown identifier (%s)', async (_name, known, unknown) => {
    const a = await runTranscript(dialogClient(await parentRoot(ctx)), known);
    const b = await runTranscript(dialogClient(await parentRoot(ctx)), unknown);
    expect(stableTranscript(a)).toBe(stableTranscript(b));
  });

  it('never echoes nor keeps a password typed by mistake, and keeps asking for the identifier', async () => {
    const storage = new MemoryStorage();
    await runTranscript(dialogClient(await parentRoot(ctx), { conversationState: new ConversationState(storage) }), [
      { user: START, bot: ASK_ID },
      { user: 'Un-Mot-De-Passe-2024', bot: [MESSAGES.passwordWarning, ASK_ID], not: 'Un-Mot-De-Passe-2024' },
      { user: 'mon mdp est Soleil2024', bot: MESSAGES.passwordWarning, not: 'Soleil2024' },
      { user: KNOWN.identifier, bot: ASK_CHANNEL },
    ]);
    const logged = await prisma.auditLog.findMany({ select: { action: true, details: true } });
    expect(JSON.stringify(logged)).not.toContain('Un-Mot-De-Passe-2024');
    // The bot state (dialog stack and answers) keeps neither.
    const state = JSON.stringify(storage);
    expect(state).toContain(KNOWN.identifier);
    expect(state).not.toContain('Un-Mot-De-Passe-2024');
    expect(state).not.toContain('Soleil2024');
  });

  it('takes the identifier from the first message when it is there', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: `J'ai oublié mon mot de passe, mon identifiant est ${KNOWN.identifier}`, bot: ASK_CHANNEL, not: ASK_ID },
    ]);
  });

  it('refuses a replayed click on the channel card', async () => {
    const client = dialogClient(await parentRoot(ctx));
    const turns = await runTranscript(client, [
      { user: START, bot: ASK_ID },
      { user: KNOWN.identifier, bot: ASK_CHANNEL },
    ]);
    const card = turns[1] ?? [];
    await runTranscript(client, [
      { user: clickCard(card, 'sms'), bot: ASK_CODE },
      { user: clickCard(card, 'sms'), bot: [MESSAGES.staleCard, ASK_CODE] },
      { user: clickCard(card, 'email'), bot: MESSAGES.staleCard, not: 'un e-mail avec un lien' },
    ]);
    expect(await prisma.outboxMessage.count({ where: { template: 'sms_code' } })).toBe(1);
  });

  it('cancel and help in the middle', async () => {
    await runTranscript(dialogClient(await parentRoot(ctx)), [
      { user: START, bot: ASK_ID },
      { user: 'aide', bot: ["courrier remis par l'école", ASK_ID] },
      { user: KNOWN.identifier, bot: ASK_CHANNEL },
      { user: 'annuler', bot: MESSAGES.cancelled },
    ]);
    expect(await prisma.outboxMessage.count()).toBe(0);
  });
});
