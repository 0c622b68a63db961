// The choices the account selection offers: scopes, levels and origins, and their checks.
import type { AccountOrigin, AccountState } from '../../services/db/index.js';
import { LEVELS, levelLabel } from '../../services/accounts/levels.js';
import { ORIGIN_LABELS } from '../../cards/staff/labels.js';
import type { Choice } from '../shared/validators.js';

export type Scope = 'one' | 'not_notified' | 'not_activated' | 'no_email' | 'class' | 'level' | 'origin' | 'all';
export const SCOPES: readonly Choice<Scope>[] = [
  { value: 'one', title: 'Un responsable', synonyms: ['un compte', 'un seul', 'une personne', 'un parent'] },
  { value: 'not_notified', title: 'Les comptes non notifiés', synonyms: ['non notifies', 'non notifie', 'nouveaux comptes'] },
  { value: 'not_activated', title: 'Les comptes notifiés non activés', synonyms: ['non actives', 'relance', 'relancer', 'pas encore actives'] },
  { value: 'no_email', title: 'Les comptes sans e-mail', synonyms: ['sans mail', 'sans adresse', 'sans email', 'pas de mail'] },
  { value: 'class', title: 'Une classe', synonyms: ['classe', 'par classe'] },
  { value: 'level', title: 'Un niveau', synonyms: ['niveau', 'par niveau'] },
  { value: 'origin', title: 'Une origine de compte', synonyms: ['origine', 'par origine'] },
  { value: 'all', title: 'Tous les comptes', synonyms: ['tous', 'tout', "toute l'ecole", 'tout le monde'] },
];

/** Every level the register knows ("CM1", or its name typed: "cours moyen 1re annee"). */
export const LEVEL_CHOICES: readonly Choice<string>[] = LEVELS.map((code) => ({ value: code, title: code, synonyms: [levelLabel(code)] }));
const ORIGINS: readonly AccountOrigin[] = ['SCHOOL', 'SELF', 'FRANCECONNECT', 'UNSET'];
export const ORIGIN_CHOICES: readonly Choice<AccountOrigin>[] = ORIGINS.map((o) => ({
  value: o,
  title: ORIGIN_LABELS[o],
  synonyms: o === 'SCHOOL' ? ['etablissement', 'établissement', 'ecole'] : o === 'FRANCECONNECT' ? ['france connect'] : [],
}));

const ACCOUNT_STATES: readonly AccountState[] = ['NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED'];
export const isState = (s: string): s is AccountState => ACCOUNT_STATES.some((x) => x === s);
export const isLevel = (l: string): boolean => LEVEL_CHOICES.some((c) => c.value === l);
