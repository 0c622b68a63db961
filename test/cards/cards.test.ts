// Every card builder of cards/shared and cards/parent, validated with the adaptivecards library.
import { describe, expect, it } from 'vitest';
import { choiceCard, yesNoCard } from '../../cards/shared/choice-card.js';
import { humanHelpCard } from '../../cards/shared/human-help-card.js';
import { linkCard } from '../../cards/shared/link-card.js';
import { caseReferenceCard } from '../../cards/parent/case-reference-card.js';
import { passwordLinkCard } from '../../cards/parent/password-link-card.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { DEFAULT_HOURS, HELPDESK, hoursText } from '../../services/helpdesk/contact.js';
import { expectValidCard, parseCard } from '../helpers/adaptive.js';

describe('cards', () => {
  it('choice card: one submit button per choice, each with the nonce', () => {
    const json = choiceCard({
      question: 'Par quel moyen ?',
      hint: 'Un lien ou un code.',
      nonce: 'n-1',
      choices: [
        { value: 'email', title: 'Par mail' },
        { value: 'sms', title: 'Par SMS' },
      ],
    });
    const card = expectValidCard(json);
    expect(card.getActionCount()).toBe(2);
    expect(card.getAllInputs()).toHaveLength(0);
    expect(json.actions?.map((a) => (a.type === 'Action.Submit' ? cardSubmission(a.data) : undefined))).toEqual([
      { nonce: 'n-1', choice: 'email' },
      { nonce: 'n-1', choice: 'sms' },
    ]);
  });

  it('yes/no card', () => {
    const json = yesNoCard('Voulez-vous continuer ?', 'n-2');
    expect(expectValidCard(json).getActionCount()).toBe(2);
    expect(JSON.stringify(json)).toContain('"choice":"yes"');
  });

  it.each([true, false])('human help card (open: %s): tel: link, hours, form; no FactSet (its title column broke "Téléphone")', (open) => {
    const json = humanHelpCard({
      ...HELPDESK,
      hours: hoursText(DEFAULT_HOURS),
      intro: 'Besoin d’aide ?',
      status: open ? 'Ouverte.' : 'Fermée.',
      open,
      liveHandoff: open,
    });
    const card = expectValidCard(json);
    expect(card.getActionCount()).toBe(open ? 3 : 2);
    const text = JSON.stringify(json);
    expect(text).toContain('tel:+33809540606');
    expect(text).toContain(hoursText(DEFAULT_HOURS));
    expect(text).toContain(HELPDESK.formUrl);
    expect(text).not.toContain('FactSet');
    expect(text).toContain(open ? '"color":"Good"' : '"color":"Warning"');
    // The live handoff button posts the parents' route label, as if typed.
    expect(text.includes('"data":"Parler à une personne"')).toBe(open);
  });

  it('link card', () => {
    const json = linkCard({ title: 'Titre', lines: ['Une ligne.', 'Deux lignes.'], links: [{ label: 'Ouvrir', url: 'https://exemple.fr/mon-compte' }] });
    expect(expectValidCard(json).getActionCount()).toBe(1);
  });

  it('link card: numbered steps in one list (1., 2., 3., never "1." three times)', () => {
    const json = linkCard({ title: 'Titre', lines: ['Avant.', { steps: ['Un.', 'Deux.', 'Trois.'] }, 'Après.'], links: [] });
    expectValidCard(json);
    const texts = json.body.map((b) => ('text' in b ? b.text : ''));
    expect(texts).toEqual(['Titre', 'Avant.', '1. Un.\r2. Deux.\r3. Trois.', 'Après.']);
  });

  it('case reference card', () => {
    const json = caseReferenceCard({
      reference: 'EDU-2026-000001',
      subject: 'Date refusée',
      schoolName: 'École',
      contact: 'par e-mail (p***t@exemple.fr)',
      nextSteps: ['Étape 1.', 'Étape 2.'],
    });
    expectValidCard(json);
    expect(JSON.stringify(json)).toContain('EDU-2026-000001');
  });

  it('password link card: one link, no input (never a password field)', () => {
    const json = passwordLinkCard({ url: 'https://exemple.fr/mot-de-passe/abc', validMinutes: 30 });
    const card = expectValidCard(json);
    expect(card.getAllInputs()).toHaveLength(0);
    expect(card.getActionCount()).toBe(1);
  });

  it('the validator itself rejects a broken card', () => {
    expect(parseCard({ type: 'AdaptiveCard', version: '1.6', body: [{ type: 'Bogus' }] }).problems.length).toBeGreaterThan(0);
  });
});
