// Consulting an account (admin guide §5.2), for agents (any account: identifier, email,
// mobile or name + UAI) and directors (their schools: also a name alone, or the name in the
// request) -> the account card (contacts masked; for a director the temporary password in
// clear, as the guide shows it) -> the situation the parent reports -> the playbook's
// recommended actions and a button for every action the service allows now. The action
// chosen is confirmed and carried out by AccountActionDialog (for the pupil's school,
// audited as the staff member by the services).
import { clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { findAccounts, type AccountSummary, type LookupQuery } from '../../services/lookup.js';
import { consultAccount } from '../../services/accounts/consult.js';
import { canActOnSchool } from '../../services/actor.js';
import { recommend, SITUATIONS, type Situation } from '../../services/playbook.js';
import { notFound } from '../../services/errors.js';
import { cardSubmission } from '../../cards/shared/card-action.js';
import { accountCard, SITUATION_LABELS } from '../../cards/staff/account-card.js';
import { FINISHED, recommendationCard, type OfferedAction } from '../../cards/staff/recommendation-card.js';
import type { Parsed } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { requestedName } from './request-words.js';
import { ACCOUNT_ACTION_DIALOG, AccountActionDialog, type AccountActionOptions, type AccountMemo } from './account-action-dialog.js';
import { ACTION_LABELS, allowedActions, FOR_CODE, inSharedConversation, isAction, PASSWORD_IN_PERSONAL_CHAT } from './account-actions.js';
import { PICK_ACCOUNT_DIALOG, PickAccountDialog, pickedAccount, queryFromEntities, type PickAccountOptions } from './pick-account-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export { allowedActions, type AccountAction } from './account-actions.js';

export const FIND_ACCOUNT_DIALOG = 'staff.findAccount';
const SITUATION_PROMPT = promptId<Situation>('staff.findAccount.situation');
const ACTION_PROMPT = promptId<string>('staff.findAccount.action');

const isSituation = (s: string): s is Situation => SITUATIONS.some((x) => x === s);

/** What the steps keep. */
interface FindAccountValues {
  account: AccountMemo;
  caseKind: AccountActionOptions['caseKind'];
  situation: Situation;
}

export class FindAccountDialog extends StaffDialog<FindAccountValues> {
  constructor(deps: DialogDeps) {
    super(FIND_ACCOUNT_DIALOG, deps);
    this.addDialog(new PickAccountDialog(deps));
    this.addDialog(new AccountActionDialog(deps));
    this.addPrompt(SITUATION_PROMPT, ({ value, text }): Parsed<Situation> => {
      const s = clickedId(value, 'situation') ?? '';
      if (isSituation(s)) return { ok: true, value: s };
      const typed = SITUATIONS.find((x) => SITUATION_LABELS[x].toLowerCase() === text.trim().toLowerCase());
      return typed ? { ok: true, value: typed } : { ok: false, retry: 'Merci de choisir la situation du responsable sur la fiche du compte.' };
    });
    this.addPrompt(ACTION_PROMPT, ({ value }): Parsed<string> => {
      const choice = cardSubmission(value)?.choice;
      return choice && (choice === FINISHED || isAction(choice))
        ? { ok: true, value: choice }
        : { ok: false, retry: 'Merci de cliquer sur l’action à effectuer, ou sur « Terminer ».' };
    });
    this.addSteps(this.pickStep, this.cardStep, this.situationStep, this.actionStep, this.endStep);
  }

  protected helpText(promptId: string | undefined): string {
    switch (promptId) {
      case SITUATION_PROMPT:
        return 'Choisissez ce que signale le responsable : je vous indique la marche à suivre.';
      case ACTION_PROMPT:
        return 'Cliquez sur une action : elle vous sera résumée et ne sera faite qu’après votre confirmation.';
      default:
        return "Je recherche un compte par identifiant, adresse e-mail, numéro de portable, ou nom suivi du code UAI de l'établissement.";
    }
  }

  private memo(step: WaterfallStepContext): AccountMemo {
    const memo = this.kept(step, 'account');
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
    const query = queryFromEntities(options.entities) ?? this.nameQuery(step, options);
    return step.beginDialog(PICK_ACCOUNT_DIALOG, { ...(query ? { query } : {}) } satisfies PickAccountOptions);
  }

  /** "consulter le compte de sophie martin": that name, in the director's schools (or the UAI named, for agents). */
  private nameQuery(step: WaterfallStepContext, options: RoutedOptions): LookupQuery | undefined {
    const name = requestedName(options.text);
    const uai = entityText(options.entities, 'uai');
    if (!name) return undefined;
    if (uai) return { by: 'name', name, uai };
    return staffActorOf(step.context).kind === 'director' ? { by: 'name', name } : undefined;
  }

  private async cardStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked = pickedAccount(step);
    if (!picked) return step.endDialog();
    const actor = staffActorOf(step.context);
    const account = await this.summary(step, picked.identifier);
    // A director acts for their own schools only (the services check it again).
    const schools = [...new Map(account.children.filter((c) => canActOnSchool(actor, c.uai)).map((c) => [c.uai, { uai: c.uai, name: c.schoolName }])).values()];
    this.keep(step, 'account', { guardianId: account.guardianId, identifier: account.identifier, name: picked.name, schools });
    // Directors read the password on the card, as on their administration page (audited).
    const own = actor.kind === 'director' ? schools[0] : undefined;
    const password = own ? (await consultAccount(this.deps.ctx, actor, account.guardianId, own.uai)).password : undefined;
    return this.askWithCard(step, SITUATION_PROMPT, (nonce) => accountCard({ account, ...(own ? { password } : {}), situations: SITUATIONS, nonce }));
  }

  private async situationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const situation = this.answer(step, SITUATION_PROMPT);
    if (!situation) return this.giveUp(step);
    const account = await this.summary(step, this.memo(step).identifier);
    const { actions } = recommend(account, situation);
    const caseKind = actions.find((a) => a.code === 'open_case')?.params?.caseKind;
    if (caseKind) this.keep(step, 'caseKind', caseKind);
    // A follow-up case is offered only where the playbook recommends one (register corrections).
    // The temporary password is shown in the agent's personal chat only, never to a whole channel.
    const shared = inSharedConversation(step.context);
    const allowed = [...allowedActions(account, shared), ...(caseKind ? (['open_case'] as const) : [])];
    this.keep(step, 'situation', situation);
    const recommended = actions.flatMap((a) => FOR_CODE[a.code] ?? []).filter((a) => allowed.includes(a));
    const offered: OfferedAction[] = [...recommended, ...allowed.filter((a) => !recommended.includes(a))].map((a) => ({ choice: a, label: ACTION_LABELS[a] }));
    return this.askWithCard(step, ACTION_PROMPT, (nonce) =>
      recommendationCard({
        heading: `${SITUATION_LABELS[situation]} – ${account.firstName} ${account.lastName}`,
        recommended: actions,
        actions: offered,
        ...(shared && account.passwordTemporary ? { note: PASSWORD_IN_PERSONAL_CHAT } : {}),
        nonce,
      }),
    );
  }

  private async actionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = this.answer(step, ACTION_PROMPT);
    if (!action) return this.giveUp(step);
    if (action === FINISHED || !isAction(action)) {
      await step.context.sendActivity('Très bien. Que puis-je faire d’autre pour vous ?');
      return step.endDialog();
    }
    const caseKind = this.kept(step, 'caseKind');
    return step.beginDialog(ACCOUNT_ACTION_DIALOG, {
      action,
      account: this.memo(step),
      situation: this.kept(step, 'situation') ?? 'birth_date_refused',
      ...(caseKind ? { caseKind } : {}),
    } satisfies AccountActionOptions);
  }

  private async endStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
