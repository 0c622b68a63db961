import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../services/db/index.js';
import { recommend, SITUATIONS, type Situation } from '../../services/playbook.js';

const codes = (state: AccountState, situation: Situation, passwordTemporary = false): string[] =>
  recommend({ state, passwordTemporary }, situation).actions.map((a) => a.code);

describe('playbook (DOMAIN.md table, guide §3.2)', () => {
  it('lost site address and lost identifier: re-notify (or read the identifier)', () => {
    expect(codes('ACTIVATED', 'lost_site_address')).toEqual(['renotify']);
    expect(codes('NOTIFIED', 'lost_identifier', true)).toEqual(['renotify', 'read_identifier']);
  });

  it('lost password: temporary -> re-notify or read it; changed -> reset then re-notify', () => {
    expect(codes('NOTIFIED', 'lost_password', true)).toEqual(['renotify', 'read_temporary_password']);
    expect(codes('ACTIVATED', 'lost_password', true)).toEqual(['renotify', 'read_temporary_password']);
    expect(codes('ACTIVATED', 'lost_password', false)).toEqual(['reset_then_renotify']);
    expect(codes('ACTIVATING', 'lost_password', false)).toEqual(['reset_then_renotify']);
    expect(codes('NOT_NOTIFIED', 'lost_password')).toEqual(['renotify']);
  });

  it('lost activation link: resend only while activating', () => {
    expect(codes('ACTIVATING', 'lost_activation_link')).toEqual(['resend_activation']);
    expect(codes('ACTIVATED', 'lost_activation_link')).toEqual(['explain_already_active']);
    expect(codes('NOTIFIED', 'lost_activation_link', true)).toEqual(['explain_first_login', 'renotify']);
  });

  it('email change depends on the state', () => {
    expect(recommend({ state: 'ACTIVATING', passwordTemporary: false }, 'email_change').actions).toEqual([
      expect.objectContaining({ code: 'resend_activation', params: { askEmail: true } }),
    ]);
    expect(codes('NOT_NOTIFIED', 'email_change')).toEqual(['explain_email_at_first_login']);
    expect(codes('NOTIFIED', 'email_change', true)).toEqual(['explain_email_at_first_login']);
    expect(codes('ACTIVATED', 'email_change')).toEqual(['explain_email_in_account']);
  });

  it('register corrections come with a follow-up case', () => {
    expect(recommend({ state: 'ACTIVATING', passwordTemporary: false }, 'birth_date_refused').actions.map((a) => [a.code, a.params?.caseKind])).toEqual([
      ['correct_register_birth_date', undefined],
      ['open_case', 'BIRTH_DATE'],
    ]);
    expect(codes('NOT_NOTIFIED', 'mobile_not_recognised')).toEqual(['correct_register_mobile', 'open_case']);
  });

  it('every situation and state has at least one action with a French label and explanation', () => {
    for (const s of SITUATIONS)
      for (const state of ['NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED'] as const)
        for (const a of recommend({ state, passwordTemporary: state === 'NOTIFIED' }, s).actions) {
          expect(a.label.length).toBeGreaterThan(3);
          expect(a.explanation).toMatch(/[a-zé]/);
        }
  });
});
