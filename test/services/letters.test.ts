import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../services/db/index.js';
import { letterLinks } from '../../services/public-paths.js';
import { buildLetter, letterCarriesPassword, letterCode, type NotifyChannel } from '../../services/letters.js';

// Annex A1.1 of the admin guide, row by row.
const TABLE: [AccountState, boolean, NotifyChannel, string][] = [
  ['NOT_NOTIFIED', false, 'sheet', 'C01'],
  ['NOT_NOTIFIED', false, 'email', 'C02'],
  ['NOT_NOTIFIED', true, 'sheet', 'C01'],
  ['NOT_NOTIFIED', true, 'email', 'C02'],
  ['NOTIFIED', false, 'sheet', 'C01'],
  ['NOTIFIED', false, 'email', 'C02'],
  ['NOTIFIED', true, 'sheet', 'C01'],
  ['NOTIFIED', true, 'email', 'C02'],
  ['ACTIVATING', false, 'sheet', 'C03'],
  ['ACTIVATING', false, 'email', 'C04'],
  ['ACTIVATING', true, 'sheet', 'C05'],
  ['ACTIVATING', true, 'email', 'C06'],
  ['ACTIVATED', false, 'sheet', 'C03'],
  ['ACTIVATED', false, 'email', 'C04'],
  ['ACTIVATED', true, 'sheet', 'C05'],
  ['ACTIVATED', true, 'email', 'C06'],
];

describe('letterCode (annex A1.1)', () => {
  it.each(TABLE)('%s reset=%s by %s -> %s', (state, reset, channel, code) => {
    expect(letterCode({ state, reset, channel, passwordTemporary: false })).toBe(code);
  });

  it('an activated account whose password is still temporary gets the letter with the password', () => {
    expect(letterCode({ state: 'ACTIVATED', reset: false, channel: 'sheet', passwordTemporary: true })).toBe('C05');
    expect(letterCode({ state: 'ACTIVATING', reset: false, channel: 'email', passwordTemporary: true })).toBe('C06');
    // Notified accounts keep C01/C02 whatever the password.
    expect(letterCode({ state: 'NOTIFIED', reset: false, channel: 'sheet', passwordTemporary: true })).toBe('C01');
  });

  it('C01, C02, C05, C06 carry a password; C03, C04 do not', () => {
    expect(['C01', 'C02', 'C03', 'C04', 'C05', 'C06'].filter((c) => letterCarriesPassword(c as 'C01'))).toEqual(['C01', 'C02', 'C05', 'C06']);
  });
});

describe('buildLetter', () => {
  const base = {
    guardian: { id: 7, lastName: 'DUPONT', firstName: 'Céline', identifier: 'c.dupont114', email: null },
    school: { uai: '0311478N', name: 'ECOLE CHARLEMAGNE' },
    children: [
      { lastName: 'DUPONT', firstName: 'Maël', uai: '0312151V', schoolName: 'ECOLE MUSSET', className: '6E A', level: '6E' },
      { lastName: 'DUPONT', firstName: 'Léa', uai: '0311478N', schoolName: 'ECOLE CHARLEMAGNE', className: 'CM1', level: 'CM1' },
      { lastName: 'DUPONT', firstName: 'Enzo', uai: '0311478N', schoolName: 'ECOLE CHARLEMAGNE', className: 'CP', level: 'CP' },
    ],
    distributedAt: new Date('2026-09-02T08:00:00Z'),
    links: letterLinks({ publicUrl: 'https://assistance.educonnect.example' }),
  };

  it('names every child, the issuing school first', () => {
    const l = buildLetter({ ...base, code: 'C01', temporaryPassword: 'Abc#7defghijkm' });
    expect(l.children.map((c) => c.firstName)).toEqual(['Enzo', 'Léa', 'Maël']);
    expect(l.guardian.identifier).toBe('c.dupont114');
    expect(l.temporaryPassword).toBe('Abc#7defghijkm');
    expect(l.school.uai).toBe('0311478N');
  });

  it('refuses a password on C03/C04 and a missing one on C01/C02/C05/C06', () => {
    expect(() => buildLetter({ ...base, code: 'C03', temporaryPassword: 'x' })).toThrow();
    expect(() => buildLetter({ ...base, code: 'C02', temporaryPassword: null })).toThrow();
    expect(buildLetter({ ...base, code: 'C04', temporaryPassword: null }).temporaryPassword).toBeNull();
  });
});
