// The help-desk agent's account search: identifier, email, mobile or name + UAI -> the
// account card (contacts masked) -> the situation the parent reports -> the playbook's
// recommended actions and a button for every action the service allows now. Each action is
// confirmed, done on behalf of the pupil's school, and audited as the agent by the services.
import { choiceFor, clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { consultAccount } from '../../services/accounts/consult.js';
import { createCase } from '../../services/cases.js';
import { resendActivation } from '../../services/accounts/activation-resend.js';
import { findAccounts, type AccountSummary } from '../../services/lookup.js';
import { recommend, SITUATIONS, type ActionCode, type Situation } from '../../services/playbook.js';
import { notFound } from '../../services/errors.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { questionCard } from '../../cards/staff/buttons-card.js';
import { accountCard, SITUATION_LABELS } from '../../cards/staff/account-card.js';
import { FINISHED, recommendationCard, type OfferedAction } from '../../cards/staff/recommendation-card.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import { parseEmail, type Choice, type Parsed } from '../shared/validators.js';
import type { DialogDeps, RoutedOptions } from '../types.js';
import { PICK_ACCOUNT_DIALOG, PickAccountDialog, queryFromEntities, type PickAccountOptions, type PickedAccount } from './pick-account-dialog.js';
import { runNotify } from './notify-run.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';

export const FIND_ACCOUNT_DIALOG = 'staff.findAccount';
const SITUATION_PROMPT = 'staff.findAccount.situation';
const ACTION_PROMPT = 'staff.findAccount.action';
const SCHOOL_PROMPT = 'staff.findAccount.school';
const EMAIL_PROMPT = 'staff.findAccount.email';
const CONFIRM_PROMPT = 'staff.findAccount.confirm';

/** What the agent can do on an account from the chat. */
export type AccountAction =
  | 'notify_sheet'
  | 'notify_email'
  | 'reset_sheet'
  | 'reset_email'
  | 'resend_activation'
  | 'resend_activation_new_email'
  | 'show_identifier'
  | 'show_password'
  | 'open_case';

const ACTION_LABELS: Record<AccountAction, string> = {
  notify_sheet: 'Re-notifier par fiche',
  notify_email: 'Re-notifier par e-mail',
  reset_sheet: 'Réinitialiser puis fiche',
  reset_email: 'Réinitialiser puis e-mail',
  resend_activation: "Renvoyer le mail d'activation",
  resend_activation_new_email: "Renvoyer l'activation à une autre adresse",
  show_identifier: "Afficher l'identifiant",
  show_password: 'Afficher le mot de passe provisoire',
  open_case: 'Ouvrir un suivi',
};

/** The actions the services allow on this account now. */
export function allowedActions(a: Pick<AccountSummary, 'state' | 'hasEmail' | 'passwordTemporary'>): AccountAction[] {
  const out: AccountAction[] = ['notify_sheet'];
  if (a.hasEmail) out.push('notify_email');
  if (a.state !== 'NOT_NOTIFIED') out.push('reset_sheet', ...(a.hasEmail ? (['reset_email'] as const) : []));
  if (a.state === 'ACTIVATING') out.push(...(a.hasEmail ? (['resend_activation'] as const) : []), 'resend_activation_new_email');
  out.push('show_identifier');
  if (a.passwordTemporary) out.push('show_password');
  return out;
}

/** The chat actions that carry out a playbook action. */
const FOR_CODE: Partial<Record<ActionCode, readonly AccountAction[]>> = {
  renotify: ['notify_sheet', 'notify_email'],
  read_identifier: ['show_identifier'],
  read_temporary_password: ['show_password'],
  reset_then_renotify: ['reset_sheet', 'reset_email'],
  resend_activation: ['resend_activation', 'resend_activation_new_email'],
  open_case: ['open_case'],
};

const isAction = (c: string): c is AccountAction => Object.keys(ACTION_LABELS).includes(c);
const isSituation = (s: string): s is Situation => SITUATIONS.some((x) => x === s);

const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];

/** What is kept between turns (JSON only). */
interface AccountMemo {
  guardianId: number;
  identifier: string;
  name: string;
  schools: { uai: string; name: string }[];
}

export class FindAccountDialog extends StaffDialog {
  constructor(deps: DialogDeps) {
    super(FIND_ACCOUNT_DIALOG, deps);
    this.addDialog(new PickAccountDialog(deps));
    this.addPrompt(SITUATION_PROMPT, ({ value, text }): Parsed<Situation> => {
      const s = clickedId(value, 'situation') ?? '';
      if (isSituation(s)) return { ok: true, value: s };
      const typed = SITUATIONS.find((x) => SITUATION_LABELS[x].toLowerCase() === text.trim().toLowerCase());
      return typed ? { ok: true, value: typed } : { ok: false, retry: 'Merci de choisir la situation du responsable sur la fiche du compte.' };
    });
    this.addPrompt(ACTION_PROMPT, ({ value }): Parsed<string> => {
      const choice = cardSubmission(value)?.choice;
      return choice && (choice === FINISHED || isAction(choice)) ? { ok: true, value: choice } : { ok: false, retry: 'Merci de cliquer sur l’action à effectuer, ou sur « Terminer ».' };
    });
    this.addPrompt(SCHOOL_PROMPT, ({ value }): Parsed<string> => {
      const uai = clickedId(value, 'school');
      return uai ? { ok: true, value: uai } : { ok: false, retry: "Merci de choisir l'établissement pour le compte duquel vous agissez." };
    });
    this.addPrompt(EMAIL_PROMPT, parseEmail);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.pickStep, this.cardStep, this.situationStep, this.actionStep, this.schoolStep, this.askConfirmationStep, this.decisionStep, this.doStep);
  }

  protected helpText(promptId: string | undefined): string {
    switch (promptId) {
      case SITUATION_PROMPT:
        return 'Choisissez ce que signale le responsable : je vous indique la marche à suivre.';
      case ACTION_PROMPT:
        return 'Cliquez sur une action : elle vous sera résumée et ne sera faite qu’après votre confirmation.';
      case EMAIL_PROMPT:
        return "Écrivez la nouvelle adresse e-mail du responsable, par exemple prenom.nom@exemple.fr.";
      default:
        return "Je recherche un compte par identifiant, adresse e-mail, numéro de portable, ou nom suivi du code UAI de l'établissement.";
    }
  }

  private memo(step: WaterfallStepContext): AccountMemo {
    const memo = this.kept<AccountMemo>(step, 'account');
    if (!memo) throw notFound('account memo missing');
    return memo;
  }

  /** The account as it is now (looked up again by identifier: fresh state, masked contacts). */
  private async summary(step: WaterfallStepContext, identifier: string): Promise<AccountSummary> {
    const { accounts } = await findAccounts(this.deps.ctx, staffActorOf(step.context), { by: 'identifier', identifier });
    const account = accounts[0];
    if (!account) throw notFound(`account ${identifier}`);
    return account;
  }

  private async pickStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(PICK_ACCOUNT_DIALOG, { query: queryFromEntities(options.entities) } satisfies PickAccountOptions);
  }

  private async cardStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked: PickedAccount | undefined = step.result;
    if (!picked) return step.endDialog();
    const account = await this.summary(step, picked.identifier);
    const schools = [...new Map(account.children.map((c) => [c.uai, { uai: c.uai, name: c.schoolName }])).values()];
    this.keep<AccountMemo>(step, 'account', { guardianId: account.guardianId, identifier: account.identifier, name: picked.name, schools });
    return this.askWithCard(step, SITUATION_PROMPT, (nonce) => accountCard({ account, situations: SITUATIONS, nonce }));
  }

  private async situationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const situation = this.answer<Situation>(step);
    if (!situation) return this.giveUp(step);
    const account = await this.summary(step, this.memo(step).identifier);
    const { actions } = recommend(account, situation);
    const caseKind = actions.find((a) => a.code === 'open_case')?.params?.caseKind;
    if (caseKind) this.keep(step, 'caseKind', caseKind);
    // A follow-up case is offered only where the playbook recommends one (register corrections).
    const allowed = [...allowedActions(account), ...(caseKind ? (['open_case'] as const) : [])];
    this.keep(step, 'situation', situation);
    const recommended = actions.flatMap((a) => FOR_CODE[a.code] ?? []).filter((a) => allowed.includes(a));
    const offered: OfferedAction[] = [...recommended, ...allowed.filter((a) => !recommended.includes(a))].map((a) => ({ choice: a, label: ACTION_LABELS[a] }));
    return this.askWithCard(step, ACTION_PROMPT, (nonce) =>
      recommendationCard({ heading: `${SITUATION_LABELS[situation]} – ${account.firstName} ${account.lastName}`, recommended: actions, actions: offered, nonce }),
    );
  }

  private async actionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = this.answer<string>(step);
    if (!action) return this.giveUp(step);
    if (action === FINISHED || !isAction(action)) {
      await step.context.sendActivity('Très bien. Que puis-je faire d’autre pour vous ?');
      return step.endDialog();
    }
    this.keep(step, 'action', action);
    const { schools } = this.memo(step);
    const only = schools.length === 1 ? schools[0] : undefined;
    if (only) return step.next({ ok: true, value: only.uai });
    return this.askWithCard(step, SCHOOL_PROMPT, (nonce) =>
      questionCard({ question: "Pour le compte de quel établissement agissez-vous ?", hint: "L'action est faite au nom de l'établissement de l'enfant.", nonce, choices: schools.map((s) => ({ value: choiceFor('school', s.uai), title: s.name })) }),
    );
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const uai = this.answer<string>(step);
    if (!uai || !this.memo(step).schools.some((s) => s.uai === uai)) return this.giveUp(step);
    this.keep(step, 'uai', uai);
    if (this.kept<AccountAction>(step, 'action') === 'resend_activation_new_email') return this.ask(step, EMAIL_PROMPT, 'Quelle est la nouvelle adresse e-mail du responsable ?');
    return step.next({ ok: true, value: '' });
  }

  private async askConfirmationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = this.answer<string>(step);
    if (email === undefined) return this.giveUp(step);
    if (email) this.keep(step, 'email', email);
    const action = this.kept<AccountAction>(step, 'action') ?? 'show_identifier';
    const memo = this.memo(step);
    const school = memo.schools.find((s) => s.uai === this.kept<string>(step, 'uai'));
    const target = email ? ` à la nouvelle adresse ${email}` : '';
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      choiceCard({
        question: `Confirmez-vous : ${ACTION_LABELS[action].toLowerCase()}${target} pour ${memo.name}, au nom de ${school?.name ?? 'l’établissement'} ?`,
        hint: 'L’action sera enregistrée à votre nom dans le journal.',
        nonce,
        choices: DECISION,
      }),
    );
  }

  private async decisionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer<string>(step);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : rien n'a été modifié sur ce compte.");
      return step.endDialog();
    }
    return step.next();
  }

  private async doStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const ctx = this.deps.ctx;
    const actor = staffActorOf(step.context);
    const memo = this.memo(step);
    const uai = this.kept<string>(step, 'uai') ?? '';
    const id = memo.guardianId;
    switch (this.kept<AccountAction>(step, 'action')) {
      case 'notify_sheet':
      case 'notify_email':
      case 'reset_sheet':
      case 'reset_email': {
        const action = this.kept<AccountAction>(step, 'action') ?? 'notify_sheet';
        await runNotify(ctx, step.context, actor, uai, [id], { channel: action.endsWith('email') ? 'email' : 'sheet', reset: action.startsWith('reset') });
        break;
      }
      case 'resend_activation':
      case 'resend_activation_new_email': {
        const email = this.kept<string>(step, 'email');
        const result = await resendActivation(ctx, actor, uai, id, email ? { correctedEmail: email } : {});
        await step.context.sendActivity(result.message);
        break;
      }
      case 'show_identifier': {
        const details = await consultAccount(ctx, actor, id, uai);
        await step.context.sendActivity(`L'identifiant de ${details.firstName} ${details.lastName} est : **${details.identifier}**`);
        break;
      }
      case 'open_case': {
        const kind = this.kept<'BIRTH_DATE' | 'MOBILE'>(step, 'caseKind') ?? 'BIRTH_DATE';
        const situation = this.kept<Situation>(step, 'situation') ?? 'birth_date_refused';
        const { reference } = await createCase(ctx, actor, { kind, schoolUai: uai, guardianId: id, summary: `${SITUATION_LABELS[situation]} (signalé à la plateforme d'assistance)` });
        await step.context.sendActivity(
          `Le suivi ${reference} est ouvert pour l'établissement. Dès que la correction arrivera du registre, le responsable sera prévenu automatiquement qu'il peut réessayer.`,
        );
        break;
      }
      case 'show_password': {
        const details = await consultAccount(ctx, actor, id, uai);
        await step.context.sendActivity(
          details.passwordTemporary && details.password
            ? `Le mot de passe provisoire est : **${details.password}** — ne le communiquez qu'au responsable lui-même, après avoir vérifié son identité.`
            : "Ce compte n'a plus de mot de passe provisoire : le responsable a choisi le sien. Réinitialisez-le puis re-notifiez le compte si besoin.",
        );
        break;
      }
      default:
        break;
    }
    return step.endDialog();
  }
}

