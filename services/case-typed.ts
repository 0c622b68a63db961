// What a parent typed that the site refused, kept with their case: a birth date (BIRTH_DATE)
// or a mobile (MOBILE), checked so that nothing else (free text, a password) is ever kept,
// stored encrypted, and read back for staff only (services/cases.ts decides who reads).
import type { CaseKind } from './db/index.js';
import { invalid } from './errors.js';
import { decryptSecret } from './passwords.js';
import { normalizeMobile } from './phone.js';

const TYPED_LABELS: Partial<Record<CaseKind, string>> = { BIRTH_DATE: 'Date de naissance saisie (refusée)', MOBILE: 'Numéro saisi (non reconnu)' };

/** What the parent typed, checked against the kind (a date or a mobile, never free text), or an error. */
export function checkTyped(kind: CaseKind, typed: string, now: Date): string {
  const value = typed.trim();
  if (kind === 'BIRTH_DATE') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    const valid = d !== null && d.toISOString().slice(0, 10) === value && d.getUTCFullYear() >= 1990 && d.getTime() <= now.getTime();
    if (!valid) throw invalid("La date de naissance saisie n'est pas valide.");
    return value;
  }
  if (kind === 'MOBILE') {
    const r = normalizeMobile(value);
    if (!r.ok) throw invalid(r.reason);
    return r.e164;
  }
  throw invalid('Cette demande ne garde pas de saisie.');
}

export function readableTyped(kind: CaseKind, sealed: string | null, key: Buffer): { label: string; value: string } | null {
  const label = TYPED_LABELS[kind];
  if (!sealed || !label) return null;
  const value = decryptSecret(sealed, key);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return { label, value: date ? `${date[3]}/${date[2]}/${date[1]}` : value };
}
