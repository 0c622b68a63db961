// One action of the help-desk agent on an account found (from FindAccountDialog): the school
// the agent acts for (asked when the account has children in several), the new address when
// the activation goes elsewhere, an explicit confirmation, then the action, done by the
// services for that school and audited as the agent.
import { choiceFor, clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { consultAccount } from '../../services/accounts/consult.js';
import { createCase } from '../../services/cases.js';
import { RESEND_CONFIRMATION, resendActivation } from '../../services/accounts/activation-resend.js';
import { NOTIFY_CONFIRMATION } from '../../services/accounts/notify.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import type { Situation } from '../../services/playbook.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { questionCard } from '../../cards/staff/buttons-card.js';
import { SITUATION_LABELS } from '../../cards/staff/account-card.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import { parseEmail, type Choice, type Parsed } from '../shared/validators.js';
import type { DialogDeps } from '../types.js';
import { ACTION_LABELS, inSharedConversation, PASSWORD_IN_PERSONAL_CHAT, type AccountAction } from './account-actions.js';
import { runNotify } from './notify-run.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const ACCOUNT_ACTION_DIALOG = 'staff.findAccount.doAction';
const SCHOOL_PROMPT = promptId<string>('staff.findAccount.school');
const EMAIL_PROMPT = promptId<string>('staff.findAccount.email');
const CONFIRM_PROMPT = promptId<string>('staff.findAccount.confirm');
const CHILD_PROMPT = promptId<string>('staff.findAccount.child');

const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];

/** The account the action is on (JSON only: kept between turns). */
export interface AccountMemo {
  guardianId: number;
  identifier: string;
  name: string;
  schools: { uai: string; name: string }[];
}

export interface AccountActionOptions {
  action: AccountAction;
  account: AccountMemo;
  situation: Situation;
  /** The follow-up case the playbook recommends, if any. */
  caseKind?: 'BIRTH_DATE' | 'MOBILE';
}

/** The single-use confirmation of each changing action (reading needs none). */
const ACTION_CONFIRMATION: Partial<Record<AccountAction, string>> = {
  notify_sheet: NOTIFY_CONFIRMATION,
  notify_email: NOTIFY_CONFIRMATION,
  reset_sheet: NOTIFY_CONFIRMATION,
  reset_email: NOTIFY_CONFIRMATION,
  resend_activation: RESEND_CONFIRMATION,
  resend_activation_new_email: RESEND_CONFIRMATION,
};

const optionsOf = (step: WaterfallStepContext): AccountActionOptions => step.options as AccountActionOptions;

/** What the steps keep. */
interface AccountActionValues {
  uai: string;
  email: string;
  pupilId: number;
}

export class AccountActionDialog extends StaffDialog<AccountActionValues> {
  constructor(deps: DialogDeps) {
    super(ACCOUNT_ACTION_DIALOG, deps);
    this.addPrompt(SCHOOL_PROMPT, ({ value }): Parsed<string> => {
      const uai = clickedId(value, 'school');
      return uai ? { ok: true, value: uai } : { ok: false, retry: "Merci de choisir l'établissement pour le compte duquel vous agissez." };
    });
    this.addPrompt(EMAIL_PROMPT, parseEmail);
    this.addPrompt(CHILD_PROMPT, ({ value }): Parsed<string> => {
      const id = clickedId(value, 'pupil');
      return id ? { ok: true, value: id } : { ok: false, retry: "Merci de choisir l'enfant concerné par la demande." };
    });
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.schoolStep, this.emailStep, this.childStep, this.askConfirmationStep, this.decisionStep, this.doStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === EMAIL_PROMPT) return 'Écrivez la nouvelle adresse e-mail du responsable, par exemple prenom.nom@exemple.fr.';
    return "Je recherche un compte par identifiant, adresse e-mail, numéro de portable, ou nom suivi du code UAI de l'établissement.";
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { account } = optionsOf(step);
    const only = account.schools.length === 1 ? account.schools[0] : undefined;
    if (only) return step.next({ ok: true, value: only.uai });
    return this.askWithCard(step, SCHOOL_PROMPT, (nonce) =>
      questionCard({
        question: 'Pour le compte de quel établissement agissez-vous ?',
        hint: "L'action est faite au nom de l'établissement de l'enfant.",
        nonce,
        choices: account.schools.map((s) => ({ value: choiceFor('school', s.uai), title: s.name })),
      }),
    );
  }

  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = optionsOf(step);
    const uai = this.answer(step, SCHOOL_PROMPT);
    if (!uai || !options.account.schools.some((s) => s.uai === uai)) return this.giveUp(step);
    this.keep(step, 'uai', uai);
    if (options.action === 'resend_activation_new_email') return this.ask(step, EMAIL_PROMPT, 'Quelle est la nouvelle adresse e-mail du responsable ?');
    return step.next({ ok: true, value: '' });
  }

  /** A birth date case follows one child: asked when the guardian has several in the school. */
  private async childStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = optionsOf(step);
    const email = this.answer(step, EMAIL_PROMPT);
    if (email === undefined) return this.giveUp(step);
    if (email) this.keep(step, 'email', email);
    if (options.action !== 'open_case' || options.caseKind !== 'BIRTH_DATE') return step.next({ ok: true, value: '' });
    const { pupilsHere } = await consultAccount(this.deps.ctx, staffActorOf(step.context), options.account.guardianId, this.kept(step, 'uai') ?? '');
    if (pupilsHere.length <= 1) return step.next({ ok: true, value: '' });
    return this.askWithCard(step, CHILD_PROMPT, (nonce) =>
      questionCard({
        question: 'Pour quel enfant la date de naissance est-elle refusée ?',
        nonce,
        choices: pupilsHere.map((p) => ({ value: choiceFor('pupil', String(p.pupilId)), title: `${p.firstName} ${p.lastName} (${p.className})` })),
      }),
    );
  }

  private async askConfirmationStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { action, account } = optionsOf(step);
    const pupil = this.answer(step, CHILD_PROMPT);
    if (pupil === undefined) return this.giveUp(step);
    if (pupil) this.keep(step, 'pupilId', Number(pupil));
    const email = this.kept(step, 'email');
    const school = account.schools.find((s) => s.uai === this.kept(step, 'uai'));
    const target = email ? ` à la nouvelle adresse ${email}` : '';
    const kind = ACTION_CONFIRMATION[action];
    if (kind) await keepConfirmation(this.deps.ctx, step, kind);
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      choiceCard({
        question: `Confirmez-vous : ${ACTION_LABELS[action].toLowerCase()}${target} pour ${account.name}, au nom de ${school?.name ?? 'l’établissement'} ?`,
        hint: 'L’action sera enregistrée à votre nom dans le journal.',
        nonce,
        choices: DECISION,
      }),
    );
  }

  private async decisionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : rien n'a été modifié sur ce compte.");
      return step.endDialog();
    }
    return step.next();
  }

  private async doStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = optionsOf(step);
    const ctx = this.deps.ctx;
    const actor = staffActorOf(step.context);
    const uai = this.kept(step, 'uai') ?? '';
    const id = options.account.guardianId;
    switch (options.action) {
      case 'notify_sheet':
      case 'notify_email':
      case 'reset_sheet':
      case 'reset_email':
        await runNotify(ctx, step.context, actor, uai, [id], {
          channel: options.action.endsWith('email') ? 'email' : 'sheet',
          reset: options.action.startsWith('reset'),
          confirmation: keptConfirmation(step),
        });
        break;
      case 'resend_activation':
      case 'resend_activation_new_email': {
        const email = this.kept(step, 'email');
        const result = await resendActivation(ctx, actor, uai, id, { ...(email ? { correctedEmail: email } : {}), confirmation: keptConfirmation(step) });
        await step.context.sendActivity(result.message);
        break;
      }
      case 'show_identifier': {
        const details = await consultAccount(ctx, actor, id, uai);
        await step.context.sendActivity(`L'identifiant de ${details.firstName} ${details.lastName} est : **${details.identifier}**`);
        break;
      }
      case 'open_case': {
        const { reference } = await createCase(ctx, actor, {
          kind: options.caseKind ?? 'BIRTH_DATE',
          schoolUai: uai,
          guardianId: id,
          ...(this.kept(step, 'pupilId') ? { pupilId: this.kept(step, 'pupilId') } : {}),
          summary: `${SITUATION_LABELS[options.situation]} (signalé à la plateforme d'assistance)`,
        });
        await step.context.sendActivity(
          `Le suivi ${reference} est ouvert pour l'établissement. Dès que la correction arrivera du registre, le responsable sera prévenu automatiquement qu'il peut réessayer.`,
        );
        break;
      }
      case 'show_password': {
        // Never to a whole channel, even from an older card that still has the button.
        if (inSharedConversation(step.context)) {
          await step.context.sendActivity(PASSWORD_IN_PERSONAL_CHAT);
          break;
        }
        const details = await consultAccount(ctx, actor, id, uai);
        await step.context.sendActivity(
          details.passwordTemporary && details.password
            ? `Le mot de passe provisoire est : **${details.password}** — ne le communiquez qu'au responsable lui-même, après avoir vérifié son identité.`
            : "Ce compte n'a plus de mot de passe provisoire : le responsable a choisi le sien. Réinitialisez-le puis re-notifiez le compte si besoin.",
        );
        break;
      }
    }
    return step.endDialog();
  }
}
