// "Par mail / par SMS": the choice offered by the recovery dialogs.
import { choiceCard } from '../../cards/shared/choice-card.js';
import type { AdaptiveCardJson } from '../../cards/shared/adaptive.js';
import { choiceParser, type Choice, type InputParser } from '../shared/validators.js';

export type Channel = 'email' | 'sms';

export const CHANNEL_CHOICES: readonly Choice<Channel>[] = [
  { value: 'email', title: 'Par mail', synonyms: ['mail', 'email', 'e-mail', 'courriel', 'par email', 'par e-mail', 'par courriel', 'adresse mail'] },
  { value: 'sms', title: 'Par SMS', synonyms: ['sms', 'texto', 'par texto', 'portable', 'telephone', 'par telephone', 'mobile', 'par portable'] },
];

export const parseChannel: InputParser<Channel> = choiceParser(CHANNEL_CHOICES, 'Merci de choisir « Par mail » ou « Par SMS ».');

export const channelCard =
  (question: string, hint: string) =>
  (nonce: string): AdaptiveCardJson =>
    choiceCard({ question, hint, nonce, choices: CHANNEL_CHOICES });
