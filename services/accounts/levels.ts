// Class levels: register codes, their order and their French labels (lists, statistics).

export const LEVELS = ['PS', 'MS', 'GS', 'CP', 'CE1', 'CE2', 'CM1', 'CM2', '6E', '5E', '4E', '3E', '2NDE', '1ERE', 'TLE'] as const;

const LABELS: Record<string, string> = {
  PS: 'Petite section',
  MS: 'Moyenne section',
  GS: 'Grande section',
  CP: 'Cours préparatoire',
  CE1: 'Cours élémentaire 1re année',
  CE2: 'Cours élémentaire 2e année',
  CM1: 'Cours moyen 1re année',
  CM2: 'Cours moyen 2e année',
  '6E': 'Sixième',
  '5E': 'Cinquième',
  '4E': 'Quatrième',
  '3E': 'Troisième',
  '2NDE': 'Seconde',
  '1ERE': 'Première',
  TLE: 'Terminale',
};

export function levelLabel(code: string): string {
  return LABELS[code] ?? code;
}

/** Sort key: known levels in schooling order, unknown codes after them. */
export function levelRank(code: string): number {
  const i = (LEVELS as readonly string[]).indexOf(code);
  return i === -1 ? LEVELS.length : i;
}
