// Every staff card builder: valid Adaptive Card (≤ 1.5) for the adaptivecards library, French
// content, accessible bars (percentage as text), nonces on every submit button.
import { describe, expect, it } from 'vitest';
import { expectValidCard } from '../../helpers/adaptive.js';
import { aggregateStatsCard, percentBar, schoolStatsCard } from '../../../cards/staff/stats-card.js';
import { notifyPreviewCard } from '../../../cards/staff/notify-preview-card.js';
import { reminderPreviewCard } from '../../../cards/staff/reminder-preview-card.js';
import { linkChoice, parseLinkId, refusedLinksCard } from '../../../cards/staff/refused-links-card.js';
import { accountPickCard } from '../../../cards/staff/account-pick-card.js';
import { accountCard } from '../../../cards/staff/account-card.js';
import { recommendationCard } from '../../../cards/staff/recommendation-card.js';
import { caseAlertCard, caseDetailCard, caseListCard } from '../../../cards/staff/cases-card.js';
import { fileCard } from '../../../cards/staff/file-card.js';
import { buttonsCard } from '../../../cards/staff/buttons-card.js';
import { batchListCard, batchReportCard, MAX_REPORT_ROWS } from '../../../cards/staff/batches-card.js';
import { parisDateTime, percent } from '../../../cards/staff/labels.js';
import { SITUATIONS } from '../../../services/playbook.js';
import { counts } from './fixtures.js';

const NONCE = '11111111-2222-3333-4444-555555555555';

/** Every Action.Submit's data in a card. */
function submits(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((n) => submits(n, out));
  else if (typeof node === 'object' && node !== null) {
    if (Reflect.get(node, 'type') === 'Action.Submit') out.push(Reflect.get(node, 'data'));
    for (const k of ['body', 'actions', 'items', 'columns']) submits(Reflect.get(node, k), out);
  }
  return out;
}

const computedAt = new Date('2026-11-22T01:00:00Z');

describe('staff cards', () => {
  it('school statistics: valid, Paris time, bars proportional with the percentage written', () => {
    const card = schoolStatsCard({
      nonce: NONCE,
      stats: {
        kind: 'school',
        uai: '0311478N',
        name: 'École Jules Ferry',
        computedAt,
        summary: counts(4, 1),
        classes: [
          { ...counts(3, 1), classId: 1, className: 'CM1 A', level: 'CM1' },
          { ...counts(2, 0), classId: 2, className: 'CP', level: 'CP' },
          { ...counts(1, 1), classId: 3, className: 'CE2', level: 'CE2' },
        ],
        classesTotal: counts(6, 2),
        levels: [{ ...counts(3, 1), level: 'CM1', label: 'Cours moyen 1re année' }],
        levelsTotal: counts(3, 1),
      },
    });
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain('Statistiques calculées le 22/11/2026 à 02:00.');
    expect(json).toContain('33,3 %');
    expect(json).toContain('"width":"33","style":"good"');
    expect(json).toContain('"width":"67","style":"emphasis"');
    expect(json).toContain('Cours moyen 1re année');
    expect(submits(card)).toEqual([
      { nonce: NONCE, choice: 'recompute' },
      { nonce: NONCE, choice: 'done' },
    ]);
  });

  it('bars at 0 % and 100 % keep one column only', () => {
    const empty = JSON.stringify(percentBar('CP', 0));
    const full = JSON.stringify(percentBar('CP', 100));
    expect(empty).not.toContain('"style":"good"');
    expect(full).not.toContain('"style":"emphasis"');
    expect(full).toContain('100 %');
  });

  it('aggregate statistics: valid, lowest schools first', () => {
    const card = aggregateStatsCard({
      nonce: NONCE,
      stats: {
        kind: 'aggregate',
        scope: 'ACADEMY',
        key: 'TOULOUSE',
        computedAt,
        summary: counts(10, 5),
        schools: [
          { ...counts(5, 5), uai: '0311478N', name: 'École A' },
          { ...counts(5, 0), uai: '0310002B', name: 'École B' },
        ],
        levels: [{ ...counts(10, 5), level: 'CP', label: 'Cours préparatoire' }],
        levelsTotal: counts(10, 5),
      },
    });
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain("Statistiques de l'académie de TOULOUSE");
    expect(json.indexOf('École B')).toBeLessThan(json.indexOf('École A'));
  });

  it('notify preview: letters, warnings, confirm/cancel; only cancel when nothing to do', () => {
    const card = notifyPreviewCard({
      schoolName: 'École',
      selection: 'tous',
      channel: 'email',
      reset: true,
      toNotify: 3,
      letters: { C06: 2, C02: 1 },
      warnings: ['Attention'],
      nonce: NONCE,
    });
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json.indexOf('C02')).toBeLessThan(json.indexOf('C06'));
    expect(json).toContain('"color":"Warning"');
    expect(submits(card)).toHaveLength(2);
    const nothing = notifyPreviewCard({
      schoolName: 'École',
      selection: 'tous',
      channel: 'email',
      reset: false,
      toNotify: 0,
      letters: {},
      warnings: [],
      nonce: NONCE,
    });
    expectValidCard(nothing);
    expect(submits(nothing)).toEqual([{ nonce: NONCE, choice: 'cancel' }]);
  });

  it('activation reminder preview: valid, counts by state, names without email capped, "Annuler" only when none', () => {
    const names = Array.from({ length: 12 }, (_, i) => `NOM${i} Anne`);
    const card = reminderPreviewCard({
      schoolName: 'École',
      olderThanDays: 60,
      channel: 'email',
      notified: 3,
      activating: 2,
      withoutEmail: names,
      pastDeadline: 4,
      nonce: NONCE,
    });
    expectValidCard(card);
    const json = JSON.stringify(card);
    expect(json).toContain('3 (e-mail de rappel)');
    expect(json).toContain('NOM9 Anne et 2 autre(s)');
    expect(json).not.toContain('NOM10');
    expect(submits(card)).toEqual([
      { nonce: NONCE, choice: 'confirm' },
      { nonce: NONCE, choice: 'cancel' },
    ]);
    const none = reminderPreviewCard({
      schoolName: 'École',
      olderThanDays: 60,
      channel: 'sheet',
      notified: 0,
      activating: 0,
      withoutEmail: [],
      pastDeadline: 0,
      nonce: NONCE,
    });
    expectValidCard(none);
    expect(submits(none)).toEqual([{ nonce: NONCE, choice: 'cancel' }]);
  });

  it('refused links: valid, one "Rétablir" per link (ids read back), "Fermer", Paris date', () => {
    const card = refusedLinksCard({
      schoolName: 'École',
      truncated: true,
      nonce: NONCE,
      links: [{ pupilId: 12, guardianId: 7, pupil: 'Léa DUPONT (CP)', guardian: 'DUPONT Marie (m.dupont)', refusedAt: new Date('2026-11-30T23:30:00Z') }],
    });
    expectValidCard(card);
    expect(submits(card)).toEqual([
      { nonce: NONCE, choice: linkChoice(12, 7) },
      { nonce: NONCE, choice: 'close' },
    ]);
    expect(parseLinkId(linkChoice(12, 7).slice('link:'.length))).toEqual({ pupilId: 12, guardianId: 7 });
    expect(parseLinkId('12.x')).toBeUndefined();
    const json = JSON.stringify(card);
    expect(json).toContain('01/12/2026');
    expect(json).toContain("D'autres liens refusés");
  });

  it('account pick, account and recommendation cards', () => {
    const pick = accountPickCard({
      question: 'Lequel ?',
      truncated: true,
      nonce: NONCE,
      accounts: [{ guardianId: 7, lastName: 'DUPONT', firstName: 'Marie', identifier: 'm.dupont', state: 'NOTIFIED', children: ['Léa DUPONT (CP)'] }],
    });
    expectValidCard(pick);
    expect(submits(pick)).toEqual([
      { nonce: NONCE, choice: 'account:7' },
      { nonce: NONCE, choice: 'close' },
    ]);
    const account = accountCard({
      nonce: NONCE,
      situations: SITUATIONS,
      account: {
        guardianId: 7,
        identifier: 'm.dupont',
        lastName: 'DUPONT',
        firstName: 'Marie',
        state: 'ACTIVATED',
        origin: 'FRANCECONNECT',
        hasEmail: true,
        emailMasked: 'm***t@example.org',
        emailConfirmed: true,
        hasMobile: false,
        mobileMasked: '',
        mobileConfirmed: false,
        passwordTemporary: false,
        distributedAt: null,
        lastAccessAt: computedAt,
        children: [{ pupilId: 1, firstName: 'Léa', lastName: 'DUPONT', uai: '0311478N', schoolName: 'École', className: 'CP', link: 'LEGAL' }],
        openCases: 1,
      },
    });
    expectValidCard(account);
    expect(submits(account)).toHaveLength(SITUATIONS.length + 1);
    expect(submits(account).at(-1)).toEqual({ nonce: NONCE, choice: 'close' });
    expect(JSON.stringify(account)).toContain('FranceConnect');
    const rec = recommendationCard({
      heading: 'Mot de passe perdu',
      recommended: [{ label: 'Réinitialiser', explanation: 'Puis re-notifier.' }],
      actions: [{ choice: 'reset_sheet', label: 'Réinitialiser puis fiche' }],
      nonce: NONCE,
    });
    expectValidCard(rec);
    expect(submits(rec)).toEqual([
      { nonce: NONCE, choice: 'reset_sheet' },
      { nonce: NONCE, choice: 'finished' },
    ]);
  });

  it('case list, case detail and file cards', () => {
    const summary = {
      reference: 'EDU-2026-000001',
      kind: 'BIRTH_DATE' as const,
      state: 'OPEN' as const,
      schoolUai: '0311478N',
      schoolName: 'École',
      guardianId: 1,
      pupilId: null,
      summary: 'Date refusée',
      createdAt: computedAt,
      updatedAt: computedAt,
    };
    expectValidCard(caseListCard({ heading: 'Demandes', cases: [summary], nonce: NONCE }));
    expectValidCard(caseListCard({ heading: 'Demandes', cases: [], nonce: NONCE }));
    const detail = caseDetailCard(
      {
        ...summary,
        contactEmail: null,
        contactMobile: null,
        typed: null,
        pupil: null,
        guardian: null,
        details: null,
        events: [{ at: computedAt, actor: 'agent:x', fromState: null, toState: 'OPEN', note: 'Créée' }],
        next: ['WAITING_REGISTER', 'RESOLVED', 'CLOSED'],
      },
      NONCE,
    );
    expectValidCard(detail);
    expect(submits(detail).map((d) => Reflect.get(Object(d), 'choice'))).toEqual(['state:WAITING_REGISTER', 'state:RESOLVED', 'state:CLOSED', 'back', 'close']);
    const full = {
      ...summary,
      contactEmail: 'parent@example.org',
      contactMobile: '+33612345678',
      typed: { label: 'Date de naissance saisie (refusée)', value: '12/03/2016' },
      pupil: { firstName: 'Léa', lastName: 'DUPONT', className: 'CP' },
      guardian: null,
      details: null,
      events: [],
      next: ['WAITING_REGISTER', 'RESOLVED', 'CLOSED'] as const,
    };
    const alert = caseAlertCard('École', [
      { ...full, next: [...full.next] },
      { ...full, reference: 'EDU-2026-000002', next: [...full.next] },
    ]);
    expectValidCard(alert);
    const alertJson = JSON.stringify(alert);
    for (const shown of ['2 nouvelles demandes', 'parent@example.org', '+33612345678', '12/03/2016', 'Léa DUPONT (CP)', 'note.EDU-2026-000002'])
      expect(alertJson).toContain(shown);
    expect(submits(alert)).toContainEqual({ caseAction: { reference: 'EDU-2026-000002', to: 'RESOLVED', from: 'OPEN' } });
    const file = fileCard({ heading: 'Fiches', fileName: 'a.pdf', url: 'https://example.org/fichiers/x', expiresAt: computedAt, validMinutes: 15 });
    expectValidCard(file);
    expect(JSON.stringify(file)).toContain(parisDateTime(computedAt));
    expect(JSON.stringify(file)).toContain('Lien à usage unique, valable 15 minutes');
    expect(JSON.stringify(file)).not.toContain('personnel');
  });

  it('buttons card: rows of three buttons in the body, each with the nonce', () => {
    const choices = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((v) => ({ value: v, title: v.toUpperCase() }));
    const card = buttonsCard({ question: 'Lesquels ?', choices, nonce: NONCE });
    expectValidCard(card);
    expect(card.body.filter((e) => e.type === 'ActionSet')).toHaveLength(3);
    expect(submits(card)).toHaveLength(7);
  });

  it('email batches: list with one button per batch, report capped with the rest counted', () => {
    const startedAt = new Date('2026-11-20T09:00:00Z');
    const list = batchListCard({
      schoolName: 'École Jules Ferry',
      batches: [{ batchId: 'b1', startedAt, total: 3, sent: 1, pending: 1, failed: 1 }],
      nonce: NONCE,
    });
    expectValidCard(list);
    expect(JSON.stringify(list)).toContain('1 envoyé(s) · 1 en attente · 1 en échec');
    expect(submits(list)).toEqual([
      { choice: 'batch:b1', nonce: NONCE },
      { choice: 'done', nonce: NONCE },
    ]);
    const rows = Array.from({ length: MAX_REPORT_ROWS + 5 }, (_, i) => ({
      guardianId: i + 1,
      name: `Parent ${i}`,
      recipient: 'p***t@example.org',
      status: 'sent' as const,
      reason: null,
      sentAt: startedAt,
    }));
    const report = batchReportCard({ batchId: 'b1', startedAt, sent: rows.length, pending: 0, failed: 0, rows }, NONCE);
    expectValidCard(report);
    const json = JSON.stringify(report);
    expect(json).toContain('Envoyé le 20/11/2026 à 10:00');
    expect(json).toContain('… et 5 autre(s) compte(s).');
    expect(json).not.toContain(`Parent ${MAX_REPORT_ROWS}`);
    expect(json).not.toContain('Notifiez par fiche');
  });

  it('formats percentages the French way', () => {
    expect(percent(33.333)).toBe('33,3 %');
    expect(percent(100)).toBe('100 %');
  });
});
