// The help card message (issue #10): the card alone, no text bubble repeating it; a button to
// talk to an agent here only when the live handoff is set up and the platform is open.
import { describe, expect, it } from 'vitest';
import { humanHelpActivity } from '../../../dialogs/shared/human-help.js';
import { parseHelpdeskHours } from '../../../services/helpdesk/hours.js';
import { DEFAULT_HOURS } from '../../../services/helpdesk/contact.js';
import { testSettings } from '../../helpers/context.js';
import { expectValidCard } from '../../helpers/adaptive.js';

const monday = new Date('2026-12-07T09:00:00Z');
const sunday = new Date('2026-12-06T09:00:00Z');

describe('the help card message', () => {
  it('shows the card without repeating its text in a bubble, with a fallback for text-only channels', () => {
    const activity = humanHelpActivity(testSettings(), monday, 'Besoin d’aide ?');
    expect(activity.text).toBeUndefined();
    const attachment = activity.attachments?.[0];
    expectValidCard(attachment?.content);
    expect(JSON.stringify(attachment)).toContain('"fallbackText"');
    expect(JSON.stringify(attachment?.content)).not.toContain('ci-dessous');
  });

  it.each([
    ['agents configured, open', { hours: parseHelpdeskHours('always'), waitMinutes: 10, agentsTeamId: '19:a@thread.tacv2' }, monday, true],
    ['agents configured, closed', { hours: DEFAULT_HOURS, waitMinutes: 10, agentsTeamId: '19:a@thread.tacv2' }, sunday, false],
    ['no agents team', { hours: parseHelpdeskHours('always'), waitMinutes: 10 }, monday, false],
  ])('offers to write to an agent here: %s', (_label, helpdesk, now, offered) => {
    const activity = humanHelpActivity(testSettings({ helpdesk }), now);
    expect(JSON.stringify(activity.attachments?.[0]?.content).includes('Écrire à un conseiller ici')).toBe(offered);
  });
});
