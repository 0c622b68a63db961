// "Où en est ma demande … ?": every case, by its reference, however written, gives its state and
// school, nothing personal; an unknown or malformed reference, and a flood of look-ups, get a
// clear French answer. The real recognizer routes on the reference entity (no new intent).
import { beforeEach, describe, it } from 'vitest';
import { dialogClient, runTranscript } from '../../helpers/dialogs.js';
import { createCase, setCaseState } from '../../../services/cases.js';
import { STATUS_LOOKUPS_PER_SOURCE } from '../../../services/case-status.js';
import { KNOWN, parentRoot } from './fixtures.js';
import { useParentWorld } from './setup.js';

const { ctx } = useParentWorld({ freshCounters: true });
const agent = { kind: 'agent' as const, staffId: 'agent-1', name: 'Agent' };
let reference: string;
let short: string;

beforeEach(async () => {
  ctx.setNow(new Date('2026-11-20T10:00:00Z'));
  reference = (
    await createCase(
      ctx,
      { kind: 'anonymous', source: 'other-parent' },
      { kind: 'BIRTH_DATE', schoolUai: KNOWN.uai, contactEmail: 'secret.parent@example.org', typed: '2016-03-12', summary: 'Date refusée pour Léa SECRETNAME' },
    )
  ).reference;
  short = reference.toLowerCase().replace(/-0+/, '-');
});

describe('case status by reference', () => {
  it('any spelling of the reference: state and school, nothing personal', async () => {
    const client = dialogClient(await parentRoot(ctx));
    await runTranscript(client, [
      {
        user: `où en est ma demande ${reference} ?`,
        bot: [reference, KNOWN.schoolName, 'en cours de traitement', '20/11/2026'],
        not: ['SECRETNAME', 'secret.parent', '12/03/2016', 'Léa'],
      },
      { user: short, bot: [reference, KNOWN.schoolName] },
      { user: `Bonjour, ma demande ${reference.replace(/-/g, ' ')} a-t-elle avancé ?`, bot: reference },
    ]);
    ctx.setNow(new Date('2026-11-21T08:00:00Z'));
    await setCaseState(ctx, agent, reference, 'WAITING_REGISTER');
    await runTranscript(client, [{ user: `et ${reference} ?`, bot: ['avance', 'registre le 21/11/2026', '1 à 2 jours'] }]);
    await setCaseState(ctx, agent, reference, 'RESOLVED', { note: 'Note privée pour le parent' });
    await runTranscript(client, [{ user: `Où en est ${reference}`, bot: ['a été traitée', "Reprenez l'activation"], not: 'Note privée' }]);
  });

  it('unknown reference, a flood of look-ups: French answers, no crash', async () => {
    const client = dialogClient(await parentRoot(ctx));
    await runTranscript(client, [{ user: 'où en est EDU-2026-999999 ?', bot: ['Je ne trouve pas de demande EDU-2026-999999', 'Vérifiez la référence'] }]);
    for (let i = 1; i < STATUS_LOOKUPS_PER_SOURCE; i++) await runTranscript(client, [{ user: reference, bot: reference }]);
    await runTranscript(client, [{ user: reference, bot: 'Vous avez consulté plusieurs demandes', not: KNOWN.schoolName }]);
  });
});
