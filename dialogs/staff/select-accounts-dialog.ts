// Which accounts of a school an operation applies to: one guardian (found by name), the
// accounts not notified yet, those notified but not activated (reminders), those without an
// email (to notify by sheet), a class, a level, an account origin, or every account; the
// request's entities (states, class, level) may answer at once. Returns an AccountSelection,
// or undefined.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { AccountOrigin, AccountState } from '../../services/db/index.js';
import { LEVELS, levelLabel } from '../../services/accounts/levels.js';
import { MAX_PAGE_SIZE, populationLevels, selectPopulation, type PopulationFilter } from '../../services/accounts/population.js';
import { ORIGIN_LABELS, STATE_LABELS } from '../../cards/staff/labels.js';
import type { Choice } from '../shared/validators.js';
import type { DialogDeps, RecognizedEntities } from '../types.js';
import { PICK_ACCOUNT_DIALOG, PickAccountDialog, queryFromEntities, type PickAccountOptions, type PickedAccount } from './pick-account-dialog.js';
import { StaffDialog, staffActorOf, textParser } from './staff-dialog.js';

export const SELECT_ACCOUNTS_DIALOG = 'staff.selectAccounts';
const SCOPE_PROMPT = 'staff.selectAccounts.scope';
const CLASS_PROMPT = 'staff.selectAccounts.class';
const LEVEL_PROMPT = 'staff.selectAccounts.level';
const ORIGIN_PROMPT = 'staff.selectAccounts.origin';

export interface SelectAccountsOptions {
  uai: string;
  entities?: RecognizedEntities;
  /** Question asked ("Quels comptes voulez-vous notifier ?"). */
  question: string;
}

export interface AccountSelection {
  guardianIds: number[];
  /** What was selected, in words (shown on the preview). */
  label: string;
}

type Scope = 'one' | 'not_notified' | 'not_activated' | 'no_email' | 'class' | 'level' | 'origin' | 'all';
const SCOPES: readonly Choice<Scope>[] = [
  { value: 'one', title: 'Un responsable', synonyms: ['un compte', 'un seul', 'une personne', 'un parent'] },
  { value: 'not_notified', title: 'Les comptes non notifiés', synonyms: ['non notifies', 'non notifie', 'nouveaux comptes'] },
  { value: 'not_activated', title: 'Les comptes notifiés non activés', synonyms: ['non actives', 'relance', 'relancer', 'pas encore actives'] },
  { value: 'no_email', title: 'Les comptes sans e-mail', synonyms: ['sans mail', 'sans adresse', 'sans email', 'pas de mail'] },
  { value: 'class', title: 'Une classe', synonyms: ['classe', 'par classe'] },
  { value: 'level', title: 'Un niveau', synonyms: ['niveau', 'par niveau'] },
  { value: 'origin', title: 'Une origine de compte', synonyms: ['origine', 'par origine'] },
  { value: 'all', title: 'Tous les comptes', synonyms: ['tous', 'tout', "toute l'ecole", 'tout le monde'] },
];

/** Every level the register knows ("CM1", or its name typed: "cours moyen 1re annee"). */
const LEVEL_CHOICES: readonly Choice<string>[] = LEVELS.map((code) => ({ value: code, title: code, synonyms: [levelLabel(code)] }));
const ORIGINS: readonly AccountOrigin[] = ['SCHOOL', 'SELF', 'FRANCECONNECT', 'UNSET'];
const ORIGIN_CHOICES: readonly Choice<AccountOrigin>[] = ORIGINS.map((o) => ({ value: o, title: ORIGIN_LABELS[o], synonyms: o === 'SCHOOL' ? ['établissement', 'ecole'] : o === 'FRANCECONNECT' ? ['france connect'] : [] }));

const ACCOUNT_STATES: readonly AccountState[] = ['NOT_NOTIFIED', 'NOTIFIED', 'ACTIVATING', 'ACTIVATED'];
const isState = (s: string): s is AccountState => ACCOUNT_STATES.some((x) => x === s);
const isLevel = (l: string): boolean => LEVEL_CHOICES.some((c) => c.value === l);

export class SelectAccountsDialog extends StaffDialog {
  constructor(deps: DialogDeps) {
    super(SELECT_ACCOUNTS_DIALOG, deps);
    this.addChoicePrompt(SCOPE_PROMPT, SCOPES);
    this.addPrompt(CLASS_PROMPT, textParser('Merci d’indiquer le nom de la classe, par exemple « CM1 A ».'));
    this.addChoicePrompt(LEVEL_PROMPT, LEVEL_CHOICES);
    this.addChoicePrompt(ORIGIN_PROMPT, ORIGIN_CHOICES);
    this.addDialog(new PickAccountDialog(deps));
    this.addSteps(this.scopeStep, this.detailStep, this.collectStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CLASS_PROMPT) return 'Écrivez le nom de la classe tel qu’il figure dans votre logiciel de scolarité (ONDE ou SIECLE).';
    if (promptId === LEVEL_PROMPT) return 'Choisissez un niveau (par exemple CM1 ou 6E) : tous les comptes des élèves de ce niveau seront retenus.';
    if (promptId === ORIGIN_PROMPT) return 'L’origine indique qui a créé le compte : l’établissement, le responsable lui-même (par SMS), FranceConnect, ou non renseignée.';
    return 'Choisissez les comptes concernés : un responsable précis, les comptes jamais notifiés, ceux notifiés mais pas encore activés, ceux sans adresse e-mail, une classe, un niveau, une origine de compte ou tous les comptes.';
  }

  private async scopeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as SelectAccountsOptions;
    const states = (options.entities?.state ?? []).filter(isState);
    const classNames = [...(options.entities?.className ?? [])];
    // A class name already fixes the level ("la CM1 A").
    const levels = classNames.length > 0 ? [] : (options.entities?.level ?? []).map((l) => l.toUpperCase()).filter(isLevel);
    if (states.length > 0 || classNames.length > 0 || levels.length > 0) {
      const labels = [...classNames.map((c) => `classe ${c}`), ...levels.map((l) => `niveau ${l}`), ...states.map((s) => `comptes « ${STATE_LABELS[s]} »`)];
      return this.finish(step, { ...(states.length ? { states } : {}), ...(classNames.length ? { classNames } : {}), ...(levels.length ? { levels } : {}) }, labels.join(', '));
    }
    const query = queryFromEntities(options.entities);
    if (query) {
      // "réinitialiser le mot de passe de c.dupont114": that account, if it is in this school.
      this.keep(step, 'scope', 'one');
      return step.beginDialog(PICK_ACCOUNT_DIALOG, { uai: options.uai, query } satisfies PickAccountOptions);
    }
    return this.askChoice(step, SCOPE_PROMPT, options.question, SCOPES);
  }

  private async detailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as SelectAccountsOptions;
    if (this.kept<Scope>(step, 'scope') === 'one') return step.next(step.result);
    const scope = this.answer<Scope>(step);
    if (!scope) return this.giveUp(step);
    this.keep(step, 'scope', scope);
    if (scope === 'one') return step.beginDialog(PICK_ACCOUNT_DIALOG, { uai: options.uai } satisfies PickAccountOptions);
    if (scope === 'class') return this.ask(step, CLASS_PROMPT, 'Quelle classe ?');
    if (scope === 'origin') return this.askChoice(step, ORIGIN_PROMPT, 'Quelle origine de compte ?', ORIGIN_CHOICES, 'L’origine indique qui a créé le compte.');
    if (scope === 'level') {
      const present = await populationLevels(this.deps.ctx, staffActorOf(step.context), options.uai);
      const choices = LEVEL_CHOICES.filter((c) => present.includes(c.value));
      if (choices.length === 0) {
        await step.context.sendActivity('Aucune classe de cet établissement n’a d’élève inscrit.');
        return step.endDialog();
      }
      return this.askChoice(step, LEVEL_PROMPT, 'Quel niveau ?', choices);
    }
    return step.next();
  }

  private async collectStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const scope = this.kept<Scope>(step, 'scope');
    if (scope === 'one') {
      const account: PickedAccount | undefined = step.result;
      return account ? step.endDialog({ guardianIds: [account.guardianId], label: account.name } satisfies AccountSelection) : step.endDialog();
    }
    if (scope === 'class') {
      const className = this.answer<string>(step);
      if (!className) return this.giveUp(step);
      return this.finish(step, { classNames: [className.toUpperCase()] }, `classe ${className.toUpperCase()}`);
    }
    if (scope === 'level') {
      const level = this.answer<string>(step);
      if (!level) return this.giveUp(step);
      return this.finish(step, { levels: [level] }, `niveau ${level}`);
    }
    if (scope === 'origin') {
      const origin = this.answer<AccountOrigin>(step);
      if (!origin) return this.giveUp(step);
      return this.finish(step, { origins: [origin] }, `comptes d’origine « ${ORIGIN_LABELS[origin]} »`);
    }
    if (scope === 'not_notified') return this.finish(step, { states: ['NOT_NOTIFIED'] }, 'les comptes non notifiés');
    if (scope === 'not_activated') return this.finish(step, { states: ['NOTIFIED', 'ACTIVATING'] }, 'les comptes notifiés non activés');
    if (scope === 'no_email') return this.finish(step, { hasEmail: false }, 'les comptes sans e-mail');
    return this.finish(step, {}, 'tous les comptes');
  }

  /** Every account of the filter (pairs de-duplicated); none -> says so and ends. */
  private async finish(step: WaterfallStepContext, filter: PopulationFilter, label: string): Promise<DialogTurnResult> {
    const options = step.options as SelectAccountsOptions;
    const actor = staffActorOf(step.context);
    const ids = new Set<number>();
    for (let page = 1; ; page++) {
      const result = await selectPopulation(this.deps.ctx, actor, options.uai, { ...filter, page, pageSize: MAX_PAGE_SIZE });
      for (const row of result.rows) ids.add(row.guardianId);
      if (page >= result.pageCount) break;
    }
    if (ids.size === 0) {
      await step.context.sendActivity(`Aucun compte ne correspond à votre sélection (${label}).`);
      return step.endDialog();
    }
    return step.endDialog({ guardianIds: [...ids], label: `${label} (${ids.size} compte(s))` } satisfies AccountSelection);
  }
}
