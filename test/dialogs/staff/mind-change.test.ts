// A staff member who changes their mind at a plain-text question is heard. Class of fault: a
// request typed where a name is asked ("liste des comptes") was taken for the name and
// searched. Now a name question does not take a text made only of request words; when the
// recognizer is sure it is another request (score >= 0.7), a one-click switch is offered, as
// parents get; a real name, or an unsure recognition, is never second-guessed.
import { describe, it } from 'vitest';
import { RootDialog } from '../../../dialogs/shared/root-dialog.js';
import { registerStaffDialogs } from '../../../dialogs/staff/index.js';
import { dialogClient, dialogDeps, runTranscript, tableRecognizer, type TranscriptStep } from '../../helpers/dialogs.js';
import { useStaffWorld } from './setup.js';
import { director } from './fixtures.js';

const env = useStaffWorld();

const recognizer = tableRecognizer({
  'réinitialiser un mot de passe': { intent: 'reset_password', score: 0.95, entities: {} },
  'liste des comptes': { intent: 'list_accounts', score: 0.95, entities: {} },
  'les statistiques': { intent: 'statistics', score: 0.55, entities: {} },
  'anne martin': { intent: 'find_account', score: 0.9, entities: {} },
});

const NAME_QUESTION = "Quel est le nom du responsable ou de l'élève ?";

/** A director of school A at the name question of a password reset. */
const atNameQuestion: TranscriptStep[] = [
  { user: 'réinitialiser un mot de passe', bot: 'Pour quel établissement ?' },
  { user: 'École Jules Ferry', bot: 'De quels comptes faut-il réinitialiser le mot de passe ?' },
  { user: 'Un responsable', bot: NAME_QUESTION },
];

function client(): ReturnType<typeof dialogClient> {
  const deps = dialogDeps(env.ctx, recognizer);
  return dialogClient(registerStaffDialogs(new RootDialog(deps), deps), { actor: director });
}

describe('staff: another request typed at a plain-text question', () => {
  it.each<[string, TranscriptStep[]]>([
    [
      'a sure other request is offered as a switch, one click starts it',
      [
        {
          user: 'liste des comptes',
          bot: [NAME_QUESTION, 'Ou souhaitez-vous plutôt : « Obtenir la liste des comptes » ?'],
          not: ['Je ne trouve aucun compte', '« liste des comptes »'],
        },
        { user: 'Oui : Obtenir la liste des comptes', bot: 'Pour quel établissement ?', not: 'réinitialiser' },
        { user: 'École Jules Ferry', bot: 'La liste de tout l’établissement, ou d’une classe ?' },
      ],
    ],
    [
      'declining the switch asks the name again, and the name is then taken',
      [
        { user: 'liste des comptes', bot: 'Ou souhaitez-vous plutôt' },
        { user: 'Non, je continue ici', bot: NAME_QUESTION },
        { user: 'anne martin', bot: '(Anne MARTIN)', not: 'Ou souhaitez-vous plutôt' },
      ],
    ],
    [
      'an unsure recognition is not offered: the name question is asked again, nothing searched',
      [{ user: 'les statistiques', bot: NAME_QUESTION, not: ['Ou souhaitez-vous plutôt', 'Je ne trouve aucun compte'] }],
    ],
    [
      'a name the recognizer reads as a request is still a name',
      [{ user: 'anne martin', bot: 'Réinitialiser le mot de passe de 1 compte(s) de École Jules Ferry (Anne MARTIN) ?', not: 'Ou souhaitez-vous plutôt' }],
    ],
  ])('%s', async (_name, steps) => {
    await runTranscript(client(), [...atNameQuestion, ...steps]);
  });
});
