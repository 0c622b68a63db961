// Every template renders in French with both parts; every SMS is linted (GSM-7, one SMS,
// no link, no personal data beyond what it is for).
import { describe, expect, it } from 'vitest';
import { fitsOneSms, gsm7Length, nonGsm7Characters, SMS_MAX_SEPTETS } from '../../../services/delivery/gsm7.js';
import { caseNoteSms } from '../../../services/case-wording.js';
import { escapeHtml, renderMessage } from '../../../services/delivery/templates.js';
import type { OutgoingMessage } from '../../../services/delivery/types.js';
import { letter } from '../../fixtures/delivery/letters.js';
import { testSettings } from '../../helpers/context.js';

const settings = testSettings({ publicUrl: 'https://teleservices.education.gouv.fr' });

const EMAILS: OutgoingMessage[] = [
  { template: 'letter', to: 'a@example.org', letter: letter('C02') },
  { template: 'letter', to: 'a@example.org', letter: letter('C04') },
  { template: 'letter', to: 'a@example.org', letter: letter('C06') },
  {
    template: 'activation',
    to: 'a@example.org',
    firstName: 'Céline',
    lastName: 'Dupont',
    identifier: 'celine.dupont114',
    url: 'https://teleservices.education.gouv.fr/activation?t=abc&x=1',
    ttlHours: 24,
  },
  { template: 'password_reset_link', to: 'a@example.org', firstName: 'Céline', url: 'https://teleservices.education.gouv.fr/mot-de-passe?t=abc', ttlHours: 1 },
  { template: 'identifier_reminder', to: 'a@example.org', firstName: 'Céline', identifier: 'celine.dupont114' },
  { template: 'email_change_notice', to: 'a@example.org', firstName: 'Céline', newEmailMasked: 'n***w@example.org' },
  { template: 'email_change_confirm', to: 'new@example.org', firstName: 'Céline', url: 'https://teleservices.education.gouv.fr/courriel?t=abc', ttlHours: 24 },
  ...(['password_changed', 'identifier_sent', 'accounts_merged', 'account_activated'] as const).map((event) => ({
    template: 'security_notice' as const,
    to: 'a@example.org',
    firstName: 'Céline',
    event,
  })),
  ...(['birth_date', 'mobile', 'regroup', 'other'] as const).flatMap((kind) =>
    (['RESOLVED', 'WAITING_REGISTER', 'CLOSED'] as const).map((state) => ({
      template: 'case_update' as const,
      to: 'a@example.org',
      firstName: null,
      caseReference: 'EDU-2026-000042',
      kind,
      state,
      schoolName: 'École Jules Ferry',
      note: state === 'CLOSED' ? 'Merci de passer au secrétariat.' : null,
    })),
  ),
];

const SMS: OutgoingMessage[] = [
  ...(['password', 'registration', 'identifier'] as const).map((purpose) => ({
    template: 'sms_code' as const,
    to: '+33612345678',
    code: '48291357',
    ttlMinutes: 30,
    purpose,
  })),
  // The longest identifiers the generator makes stay within one SMS.
  { template: 'sms_identifier', to: '+262692123456', identifier: 'marie-eleonore.delarochefoucauld123' },
  ...(['password_changed', 'identifier_sent'] as const).map((event) => ({ template: 'sms_notice' as const, to: '+33612345678', event })),
  ...(['birth_date', 'mobile', 'regroup', 'other'] as const).flatMap((kind) =>
    (['RESOLVED', 'WAITING_REGISTER', 'CLOSED'] as const).map((state) => ({
      template: 'sms_case_update' as const,
      to: '+33612345678',
      caseReference: 'EDU-2026-000042',
      kind,
      state,
    })),
  ),
  // A school's message: links and addresses removed, accents outside GSM-7 dropped, cut to one SMS.
  ...[
    'Voir https://evil.example/x et www.site.fr ou écrivez à ce.secretariat@ecole.fr — merci ! « Très bien » ça marche.',
    'Passez au secrétariat. '.repeat(20),
  ].map((note) => ({ template: 'sms_case_note' as const, to: '+33612345678', text: caseNoteSms('EDU-2026-000042', note) ?? '' })),
];

describe('emails', () => {
  it.each(EMAILS.map((m) => [m.template, m] as const))('%s has a subject, a text part and an accessible HTML part', (_t, message) => {
    const r = renderMessage(message, settings);
    expect(r.channel).toBe('EMAIL');
    expect(r.subject).toBeTruthy();
    expect(r.text).toContain('Bonjour');
    expect(r.text).toContain('0 809 54 06 06');
    expect(r.html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(r.html).toContain(`<title>${escapeHtml(r.subject ?? '')}</title>`);
    expect(r.html).toContain('<h1');
    if ('url' in message) {
      expect(r.text).toContain(message.url);
      expect(r.html).toContain(`href="${escapeHtml(message.url)}"`);
    }
  });

  it('C02 and C06 carry the temporary password, C04 says it is unchanged', () => {
    const [c02, c04, c06] = EMAILS.slice(0, 3).map((m) => renderMessage(m, settings));
    expect(c02?.text).toContain('Kq7#mPx4Tz9Wne');
    expect(c02?.text).toContain('Activez votre compte en 2 étapes');
    expect(c06?.text).toContain('Kq7#mPx4Tz9Wne');
    expect(c04?.text).not.toContain('Kq7#mPx4Tz9Wne');
    expect(c04?.text).toContain('Mot de passe inchangé');
    // Links to this service's own pages (PUBLIC_URL): first login while the password is
    // temporary, "Mon compte" and the lost-password page when it is unchanged.
    expect(c02?.text).toContain('https://assistance.educonnect.example/premiere-connexion');
    expect(c04?.text).toContain('https://assistance.educonnect.example/mon-compte');
    expect(c04?.text).toContain('https://assistance.educonnect.example/mot-de-passe-perdu');
  });

  it('escapes names and links in the HTML part', () => {
    const hostile = letter('C02', { guardian: { lastName: '<script>alert(1)</script>', firstName: 'A&B "C"', identifier: 'a.b', email: null } });
    const r = renderMessage({ template: 'letter', to: 'a@example.org', letter: hostile }, settings);
    expect(r.html).not.toContain('<script>');
    expect(r.html).toContain('&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;');
    expect(r.html).toContain('A&amp;B &quot;C&quot;');
    const link = renderMessage({ template: 'password_reset_link', to: 'a@example.org', firstName: 'X', url: 'https://h/p?a=1&b="2"', ttlHours: 1 }, settings);
    expect(link.html).toContain('href="https://h/p?a=1&amp;b=&quot;2&quot;"');
  });
});

describe('SMS lint', () => {
  it.each(SMS.map((m) => [`${m.template}${'purpose' in m ? `/${m.purpose}` : ''}${'event' in m ? `/${m.event}` : ''}`, m] as const))(
    '%s: GSM-7, one SMS, no link',
    (_t, message) => {
      const r = renderMessage(message, settings);
      expect(r.channel).toBe('SMS');
      expect(r.subject).toBeUndefined();
      expect(r.html).toBeUndefined();
      expect(nonGsm7Characters(r.text)).toEqual([]);
      expect(gsm7Length(r.text)).toBeLessThanOrEqual(SMS_MAX_SEPTETS);
      expect(r.text).not.toMatch(/https?:|www\.|\.fr\/|\.gouv\.fr(?!\s#)/i);
      expect(r.text).not.toContain(message.to);
    },
  );

  it('a code SMS ends with the domain-bound line "@<host> #<code>"', () => {
    const r = renderMessage(
      { template: 'sms_code', to: '+33612345678', code: '123456', ttlMinutes: 30, purpose: 'password' },
      testSettings({ publicUrl: 'https://aide.example.fr:8443/base' }),
    );
    expect(r.text.split('\n').at(-1)).toBe('@aide.example.fr #123456');
    expect(r.text.split('\n')[0]).toContain('123456');
  });
});

describe('case notes by SMS', () => {
  it('keep the words, never a link or an address, and give up when nothing readable is left', () => {
    const text = caseNoteSms('EDU-2026-000042', 'Voir https://evil.example/x et www.site.fr ou ce.secretariat@ecole.fr, ça marche « très » bien');
    expect(text).toBe('EduConnect, demande EDU-2026-000042, message de l\'ecole : Voir et ou , ca marche " très " bien');
    expect(caseNoteSms('EDU-2026-000042', 'https://x.example/y')).toBeNull();
    expect(caseNoteSms('EDU-2026-000042', 'a'.repeat(500))).toMatch(/a\.\.\.$/);
  });
});

describe('GSM-7 checker', () => {
  it('counts septets, extension characters twice, and rejects what is not GSM-7', () => {
    expect(gsm7Length('Bonjour à tous, été')).toBe(19);
    expect(gsm7Length('€[]')).toBe(6);
    expect(gsm7Length('ça')).toBeNull();
    expect(gsm7Length('même')).toBeNull();
    expect(gsm7Length('l’école')).toBeNull();
    expect(nonGsm7Characters('Cœur « ok » ç')).toEqual(['œ', '«', '»', 'ç']);
    expect(fitsOneSms('a'.repeat(160))).toBe(true);
    expect(fitsOneSms('a'.repeat(161))).toBe(false);
    expect(fitsOneSms('€'.repeat(81))).toBe(false);
  });
});
