// Resending the activation mail (only for En cours d'activation): the director finds the
// guardian by name, sees the current address masked, keeps it or corrects it (validated),
// confirms, and the mail leaves with a new link.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { RESEND_CONFIRMATION, resendActivation } from '../../services/accounts/activation-resend.js';
import { keepConfirmation, keptConfirmation } from './confirmation.js';
import { findAccounts } from '../../services/lookup.js';
import { recommend } from '../../services/playbook.js';
import { notFound } from '../../services/errors.js';
import { choiceCard } from '../../cards/shared/choice-card.js';
import { CANCEL, CONFIRM } from '../../cards/staff/notify-preview-card.js';
import { STATE_LABELS } from '../../cards/staff/labels.js';
import { parseEmail, type Choice } from '../shared/validators.js';
import { entityText, type DialogDeps, type RoutedOptions } from '../types.js';
import { CHOOSE_SCHOOL_DIALOG, ChooseSchoolDialog, chosenSchool, type SchoolChoice } from './choose-school-dialog.js';
import { PICK_ACCOUNT_DIALOG, PickAccountDialog, pickedAccount, type PickAccountOptions, type PickedAccount } from './pick-account-dialog.js';
import { requestedName } from './request-words.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { promptId } from '../shared/prompts.js';

export const RESEND_ACTIVATION_DIALOG = 'staff.resendActivation';
const ADDRESS_PROMPT = promptId<'keep' | 'change'>('staff.resendActivation.address');
const EMAIL_PROMPT = promptId<string>('staff.resendActivation.email');
const CONFIRM_PROMPT = promptId<string>('staff.resendActivation.confirm');

const ADDRESS: readonly Choice<'keep' | 'change'>[] = [
  { value: 'keep', title: 'Envoyer à cette adresse', synonyms: ['oui', 'garder', 'cette adresse'] },
  { value: 'change', title: "Corriger l'adresse", synonyms: ['non', 'corriger', 'changer', 'modifier'] },
];
const DECISION: readonly Choice<typeof CONFIRM | typeof CANCEL>[] = [
  { value: CONFIRM, title: 'Confirmer', synonyms: ['oui', 'je confirme', 'valider'] },
  { value: CANCEL, title: 'Annuler', synonyms: ['non'] },
];

/** What the steps keep. */
interface ResendActivationValues {
  school: SchoolChoice;
  account: PickedAccount;
  email: string;
}

export class ResendActivationDialog extends StaffDialog<ResendActivationValues> {
  constructor(deps: DialogDeps) {
    super(RESEND_ACTIVATION_DIALOG, deps);
    this.addDialog(new ChooseSchoolDialog(deps));
    this.addDialog(new PickAccountDialog(deps));
    this.addChoicePrompt(ADDRESS_PROMPT, ADDRESS);
    this.addPrompt(EMAIL_PROMPT, parseEmail);
    this.addChoicePrompt(CONFIRM_PROMPT, DECISION);
    this.addSteps(this.schoolStep, this.pickStep, this.addressStep, this.emailStep, this.confirmStep, this.sendStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === EMAIL_PROMPT) return 'Écrivez la bonne adresse e-mail du responsable, par exemple prenom.nom@exemple.fr.';
    return "L'e-mail d'activation contient un nouveau lien ; il ne peut être renvoyé qu'à un compte « En cours d'activation ».";
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    return step.beginDialog(CHOOSE_SCHOOL_DIALOG, { entities: options.entities });
  }

  private async pickStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: RoutedOptions = step.options;
    const school = chosenSchool(step);
    if (!school) return step.endDialog();
    this.keep(step, 'school', school);
    // "renvoyer l'e-mail d'activation de anne martin / de a.martin3": that account, in this school
    // (an email in the request may be the corrected address: not a search key here).
    const name = requestedName(options.text);
    const identifier = entityText(options.entities, 'identifier');
    const query = identifier ? ({ by: 'identifier', identifier } as const) : name ? ({ by: 'name', name, uai: school.uai } as const) : undefined;
    return step.beginDialog(PICK_ACCOUNT_DIALOG, { uai: school.uai, ...(query ? { query } : {}) } satisfies PickAccountOptions);
  }

  private async addressStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const picked = pickedAccount(step);
    if (!picked) return step.endDialog();
    this.keep(step, 'account', picked);
    const { accounts } = await findAccounts(this.deps.ctx, staffActorOf(step.context), { by: 'identifier', identifier: picked.identifier });
    const account = accounts[0];
    if (!account) throw notFound(`account ${picked.identifier}`);
    if (account.state !== 'ACTIVATING') {
      const advice = recommend(account, 'lost_activation_link')
        .actions.map((a) => a.explanation)
        .join(' ');
      await step.context.sendActivity(
        `Le compte de ${picked.name} est « ${STATE_LABELS[account.state]} » : l'e-mail d'activation ne peut pas lui être renvoyé. ${advice}`,
      );
      return step.endDialog();
    }
    if (!account.hasEmail) return step.next({ ok: true, value: 'change' });
    return this.askChoice(step, ADDRESS_PROMPT, `Adresse actuelle de ${picked.name} : ${account.emailMasked}. Est-elle correcte ?`, ADDRESS);
  }

  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = this.answer(step, ADDRESS_PROMPT);
    if (!choice) return this.giveUp(step);
    if (choice === 'keep') return step.next({ ok: true, value: '' });
    return this.ask(step, EMAIL_PROMPT, 'Quelle est la bonne adresse e-mail du responsable ?');
  }

  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const email = this.answer(step, EMAIL_PROMPT);
    if (email === undefined) return this.giveUp(step);
    if (email) this.keep(step, 'email', email);
    const account = this.kept(step, 'account');
    await keepConfirmation(this.deps.ctx, step, RESEND_CONFIRMATION);
    return this.askWithCard(step, CONFIRM_PROMPT, (nonce) =>
      choiceCard({
        question: `Renvoyer l'e-mail d'activation à ${account?.name ?? 'ce responsable'}${email ? ` à la nouvelle adresse ${email}` : ''} ?`,
        hint: 'Le lien précédent cessera de fonctionner.',
        nonce,
        choices: DECISION,
      }),
    );
  }

  private async sendStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const decision = this.answer(step, CONFIRM_PROMPT);
    if (!decision) return this.giveUp(step);
    if (decision !== CONFIRM) {
      await step.context.sendActivity("C'est annulé : rien n'a été envoyé ni modifié.");
      return step.endDialog();
    }
    const school = this.kept(step, 'school');
    const account = this.kept(step, 'account');
    if (!school || !account) return step.endDialog();
    const email = this.kept(step, 'email');
    const result = await resendActivation(this.deps.ctx, staffActorOf(step.context), school.uai, account.guardianId, {
      ...(email ? { correctedEmail: email } : {}),
      confirmation: keptConfirmation(step),
    });
    await step.context.sendActivity(result.message);
    return step.endDialog();
  }
}
