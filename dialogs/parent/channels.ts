// "Par e-mail / par SMS": the choice offered by the recovery dialogs.
import { choiceCard } from '../../cards/shared/choice-card.js';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import { folded } from '../shared/input.js';
import { choiceParser, type Choice, type InputParser } from '../shared/validators.js';

export type Channel = 'email' | 'sms';

export const CHANNEL_CHOICES: readonly Choice<Channel>[] = [
  {
    value: 'email',
    title: 'Par e-mail',
    synonyms: ['mail', 'email', 'e-mail', 'par mail', 'courriel', 'par email', 'par e-mail', 'par courriel', 'adresse mail'],
  },
  { value: 'sms', title: 'Par SMS', synonyms: ['sms', 'texto', 'par texto', 'portable', 'telephone', 'par telephone', 'mobile', 'par portable'] },
];

const byChoice: InputParser<Channel> = choiceParser(CHANNEL_CHOICES, 'Merci de choisir « Par e-mail » ou « Par SMS ».');

/** A button, a title or synonym, or a sentence naming one way only ("je préfère par sms svp"). */
export const parseChannel: InputParser<Channel> = (input) => {
  const chosen = byChoice(input);
  if (chosen.ok) return chosen;
  const words = ` ${folded(input.text)} `;
  const sms = / (?:sms|texto|textos) /.test(words);
  const mail = / (?:mail|e mail|email|courriel) /.test(words);
  if (sms !== mail && input.text.length <= 120) return { ok: true, value: sms ? 'sms' : 'email' };
  return chosen;
};

export const channelCard =
  (question: string, hint: string) =>
  (nonce: string): AdaptiveCardJson =>
    choiceCard({ question, hint, nonce, choices: CHANNEL_CHOICES });
