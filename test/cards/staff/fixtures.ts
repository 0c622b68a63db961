// Statistics counts for the card tests: `activated` of `accounts` accounts (one pupil each).
import type { StatsCounts } from '../../../services/stats.js';

export const counts = (accounts: number, activated: number): StatsCounts => ({
  accounts,
  notNotified: accounts - activated,
  notified: 0,
  activating: 0,
  activated,
  activatedPct: accounts ? Math.round((activated * 10000) / accounts) / 100 : 0,
  pupils: accounts,
  pupilsWithActivated: activated,
  pupilsWithActivatedPct: accounts ? Math.round((activated * 10000) / accounts) / 100 : 0,
});
