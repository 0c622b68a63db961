// The framework: interruptions (cancel, help, password, stale cards), re-prompt cap,
// routing by intent and role, unexpected errors. Uses a small dialog defined here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { BaseDialog } from '../../../dialogs/shared/base-dialog.js';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { MESSAGES } from '../../../dialogs/shared/messages.js';
import { choiceParser, parseEmail, type Parsed } from '../../../dialogs/shared/validators.js';
import { choiceCard } from '../../../cards/shared/choice-card.js';
import type { DialogDeps } from '../../../dialogs/types.js';
import { resetDatabase, testPrisma } from '../../helpers/db.js';
import { testContext } from '../../helpers/context.js';
import { clickCard, dialogClient, dialogDeps, runTranscript, say, tableRecognizer, turnText } from '../../helpers/dialogs.js';

const prisma = testPrisma();

class SampleDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super('sample', deps);
    this.addPrompt('sample.email', parseEmail);
    this.addPrompt(
      'sample.channel',
      choiceParser(
        [
          { value: 'email', title: 'Par mail', synonyms: ['mail'] },
          { value: 'sms', title: 'Par SMS', synonyms: ['sms'] },
        ],
        'Merci de choisir « par mail » ou « par SMS ».',
      ),
    );
    this.addSteps(this.emailStep, this.channelStep, this.doneStep);
  }

  protected helpText(promptId: string | undefined): string {
    return promptId === 'sample.email' ? "J'ai besoin de votre adresse mail." : 'Choisissez comment recevoir le message.';
  }

  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, 'sample.email', 'Quelle est votre adresse mail ?');
  }

  private async channelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = step.result as Parsed<string>;
    if (!email.ok) return this.giveUp(step);
    return this.askWithCard(step, 'sample.channel', (nonce) =>
      choiceCard({
        question: 'Par quel moyen ?',
        nonce,
        choices: [
          { value: 'email', title: 'Par mail' },
          { value: 'sms', title: 'Par SMS' },
        ],
      }),
    );
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const channel = step.result as Parsed<string>;
    if (!channel.ok) return this.giveUp(step);
    if (channel.value === 'sms') throw new Error('boom');
    await step.context.sendActivity(`Choix enregistré : ${channel.value}.`);
    return step.endDialog();
  }
}

function root(): RootDialog {
  const deps = dialogDeps(testContext(prisma), tableRecognizer({ 'test please': 'lost_identifier', salut: 'greeting', merci: 'thanks' }));
  return new RootDialog(deps).registerRoute('lost_identifier', new SampleDialog(deps), ['parent'], "Tester l'exemple");
}

beforeAll(async () => {
  await resetDatabase(prisma);
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe('BaseDialog and RootDialog', () => {
  it('runs a dialog to its end with a card click', async () => {
    await runTranscript(dialogClient(root()), [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'a@exemple.fr', bot: 'Par quel moyen ?' },
      { user: (prev) => clickCard(prev, 'email'), bot: 'Choix enregistré : email.' },
    ]);
  });

  it('cancels in the middle, then starts afresh', async () => {
    const client = dialogClient(root());
    await runTranscript(client, [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'a@exemple.fr', bot: 'Par quel moyen ?' },
      { user: 'Arrêter !', bot: MESSAGES.cancelled },
      { user: 'annuler', bot: MESSAGES.nothingToCancel },
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
    ]);
  });

  it('gives contextual help then asks the same question again', async () => {
    await runTranscript(dialogClient(root()), [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'aide', bot: ["J'ai besoin de votre adresse mail.", 'Quelle est votre adresse mail ?'] },
      { user: 'a@exemple.fr', bot: 'Par quel moyen ?' },
      { user: '?', bot: ['Choisissez comment recevoir le message.', 'Par quel moyen ?'] },
    ]);
  });

  it('re-prompts with what is expected, then offers human help after 3 attempts', async () => {
    await runTranscript(dialogClient(root()), [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'pas de mail', bot: 'prenom.nom@exemple.fr' },
      { user: 'toto@', bot: 'prenom.nom@exemple.fr' },
      { user: 'encore', bot: [MESSAGES.gaveUp, '0 809 54 06 06', 'tel:+33809540606'] },
      { user: 'merci', bot: 'Avec plaisir' },
    ]);
  });

  it('never echoes a password and keeps the question', async () => {
    await runTranscript(dialogClient(root()), [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'Secret2024!', bot: [MESSAGES.passwordWarning, 'Quelle est votre adresse mail ?'], not: 'Secret2024!' },
      { user: 'mon mot de passe est toto', bot: MESSAGES.passwordWarning, not: 'toto' },
    ]);
  });

  it('refuses stale and replayed card clicks', async () => {
    const client = dialogClient(root());
    const turns = await runTranscript(client, [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'a@exemple.fr', bot: 'Par quel moyen ?' },
      { user: { type: 'message', value: { nonce: 'forged', choice: 'email' } }, bot: [MESSAGES.staleCard, 'Par quel moyen ?'] },
    ]);
    const card = turns[1] ?? [];
    await runTranscript(client, [
      { user: clickCard(card, 'email'), bot: 'Choix enregistré : email.' },
      { user: clickCard(card, 'email'), bot: MESSAGES.staleCardIdle },
    ]);
    // A click on an old card while another question is waiting.
    await runTranscript(client, [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: clickCard(card, 'sms'), bot: [MESSAGES.staleCard, 'Quelle est votre adresse mail ?'] },
    ]);
  });

  it('answers an unexpected error politely and the conversation goes on', async () => {
    const client = dialogClient(root());
    await runTranscript(client, [
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
      { user: 'a@exemple.fr', bot: 'Par quel moyen ?' },
      { user: 'sms', bot: MESSAGES.error },
      { user: 'test please', bot: 'Quelle est votre adresse mail ?' },
    ]);
  });

  it('routes by role: staff routes are not offered to parents', async () => {
    const deps = dialogDeps(testContext(prisma), tableRecognizer({ stats: 'statistics' }));
    const r = new RootDialog(deps).registerRoute('statistics', new SampleDialog(deps), ['director', 'agent'], 'Voir les statistiques');
    const parent = await say(dialogClient(r), 'stats');
    expect(turnText(parent)).toContain('Je ne peux pas vous aider ici');
    const director = await say(dialogClient(r, { actor: { kind: 'director', staffId: 'd1', name: 'Mme D', uais: ['0311478N'] } }), 'stats');
    expect(turnText(director)).toContain('Quelle est votre adresse mail ?');
    expect(() => r.registerRoute('statistics', new SampleDialog(deps), ['agent'], 'Encore')).toThrow(/already routed/);
  });

  it('greets with the capabilities of the role and routes a clicked capability', async () => {
    const client = dialogClient(root());
    const greeting = await say(client, 'salut');
    expect(turnText(greeting)).toContain("Tester l'exemple");
    expect(turnText(await say(client, "Tester l'exemple"))).toContain('Quelle est votre adresse mail ?');
  });
});
