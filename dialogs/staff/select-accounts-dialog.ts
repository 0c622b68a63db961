// Which accounts of a school an operation applies to: one guardian (found by name), the
// accounts not notified yet, those notified but not activated (reminders), those without an
// email (to notify by sheet), a class (offered as buttons), a level, an account origin, or
// every account. The request may answer at once: a class named in it ("notifier la 6e 2",
// any case, accents, spaces, hyphens), states, a level, an identifier, or a person's name
// ("renotifier sophie martin"). Returns an AccountSelection, or undefined.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { AccountOrigin } from '../../services/db/index.js';
import { MAX_PAGE_SIZE, populationLevels, selectPopulation, type PopulationFilter } from '../../services/accounts/population.js';
import { classesInText, schoolClasses } from '../../services/accounts/classes.js';
import { findAccounts, type LookupQuery } from '../../services/lookup.js';
import { ORIGIN_LABELS, STATE_LABELS } from '../../cards/staff/labels.js';
import type { DialogDeps, RecognizedEntities } from '../types.js';
import { PICK_ACCOUNT_DIALOG, PickAccountDialog, pickedAccount, queryFromEntities, type PickAccountOptions } from './pick-account-dialog.js';
import { StaffDialog, staffActorOf } from './staff-dialog.js';
import { askClass, ClassPrompt, type OfferedClass } from './class-prompt.js';
import { requestedName } from './request-words.js';
import { promptId } from '../shared/prompts.js';
import { isLevel, isState, LEVEL_CHOICES, ORIGIN_CHOICES, SCOPES, type Scope } from './select-accounts-choices.js';

export const SELECT_ACCOUNTS_DIALOG = 'staff.selectAccounts';
const SCOPE_PROMPT = promptId<Scope>('staff.selectAccounts.scope');
const CLASS_PROMPT = promptId<OfferedClass>('staff.selectAccounts.class');
const LEVEL_PROMPT = promptId<string>('staff.selectAccounts.level');
const ORIGIN_PROMPT = promptId<AccountOrigin>('staff.selectAccounts.origin');

export interface SelectAccountsOptions {
  uai: string;
  entities?: RecognizedEntities;
  /** The request ("notifier la 6e 2", "renotifier sophie martin"). */
  text?: string;
  /** Question asked ("Quels comptes voulez-vous notifier ?"). */
  question: string;
}

export interface AccountSelection {
  guardianIds: number[];
  /** What was selected, in words (shown on the preview). */
  label: string;
}

/** The accounts this dialog ended with, read by the step after it (undefined: none selected). */
export function selectedAccounts(step: WaterfallStepContext): AccountSelection | undefined {
  return step.result as AccountSelection | undefined;
}

/** What the steps keep. */
interface SelectAccountsValues {
  scope: Scope;
}

export class SelectAccountsDialog extends StaffDialog<SelectAccountsValues> {
  constructor(deps: DialogDeps) {
    super(SELECT_ACCOUNTS_DIALOG, deps);
    this.addChoicePrompt(SCOPE_PROMPT, SCOPES);
    this.addDialog(new ClassPrompt(CLASS_PROMPT));
    this.addChoicePrompt(LEVEL_PROMPT, LEVEL_CHOICES);
    this.addChoicePrompt(ORIGIN_PROMPT, ORIGIN_CHOICES);
    this.addDialog(new PickAccountDialog(deps));
    this.addSteps(this.scopeStep, this.detailStep, this.collectStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CLASS_PROMPT) return 'Cliquez sur la classe, ou écrivez son nom tel qu’il figure dans votre logiciel de scolarité (ONDE ou SIECLE).';
    if (promptId === LEVEL_PROMPT) return 'Choisissez un niveau (par exemple CM1 ou 6E) : tous les comptes des élèves de ce niveau seront retenus.';
    if (promptId === ORIGIN_PROMPT)
      return 'L’origine indique qui a créé le compte : l’établissement, le responsable lui-même (par SMS), FranceConnect, ou non renseignée.';
    return 'Choisissez les comptes concernés : un responsable précis, les comptes jamais notifiés, ceux notifiés mais pas encore activés, ceux sans adresse e-mail, une classe, un niveau, une origine de compte ou tous les comptes.';
  }

  private async scopeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as SelectAccountsOptions;
    const actor = staffActorOf(step.context);
    const classes = await schoolClasses(this.deps.ctx, actor, options.uai);
    const named = [...new Set([options.text ?? '', ...(options.entities?.className ?? [])].flatMap((t) => classesInText(t, classes)))];
    const states = (options.entities?.state ?? []).filter(isState);
    // A class name already fixes the level ("la CM1 A").
    const levels = named.length > 0 ? [] : (options.entities?.level ?? []).map((l) => l.toUpperCase()).filter(isLevel);
    const unknownClass = named.length === 0 ? options.entities?.className?.[0] : undefined;
    if (unknownClass) {
      await step.context.sendActivity(`Je ne trouve pas la classe « ${unknownClass} » dans cet établissement.`);
      this.keep(step, 'scope', 'class');
      return this.askClassOf(step, classes);
    }
    if (states.length > 0 || named.length > 0 || levels.length > 0) {
      const labels = [...named.map((c) => `classe ${c.name}`), ...levels.map((l) => `niveau ${l}`), ...states.map((s) => `comptes « ${STATE_LABELS[s]} »`)];
      const classIds = named.map((c) => c.classId);
      return this.finish(
        step,
        { ...(states.length ? { states } : {}), ...(classIds.length ? { classIds } : {}), ...(levels.length ? { levels } : {}) },
        labels.join(', '),
      );
    }
    const query = queryFromEntities(options.entities) ?? (await this.namedAccount(step, options));
    if (query) {
      // "réinitialiser le mot de passe de c.dupont114 / de sophie martin": that account, if it is in this school.
      this.keep(step, 'scope', 'one');
      return step.beginDialog(PICK_ACCOUNT_DIALOG, { uai: options.uai, query } satisfies PickAccountOptions);
    }
    return this.askChoice(step, SCOPE_PROMPT, options.question, SCOPES);
  }

  private async askClassOf(step: WaterfallStepContext, classes: readonly OfferedClass[]): Promise<DialogTurnResult> {
    if (classes.length > 0) return askClass(step, CLASS_PROMPT, 'Quelle classe ?', classes);
    await step.context.sendActivity('Aucune classe de cet établissement n’a d’élève inscrit.');
    return step.endDialog();
  }

  /** A person named in the request and found in this school; says so when nobody is found. */
  private async namedAccount(step: WaterfallStepContext, options: SelectAccountsOptions): Promise<LookupQuery | undefined> {
    const name = requestedName(options.text);
    if (!name) return undefined;
    const query: LookupQuery = { by: 'name', name, uai: options.uai };
    const { accounts } = await findAccounts(this.deps.ctx, staffActorOf(step.context), query);
    if (accounts.length > 0) return query;
    await step.context.sendActivity(`Je ne trouve aucun compte « ${name} » dans cet établissement.`);
    return undefined;
  }

  private async detailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options = step.options as SelectAccountsOptions;
    const preset = this.kept(step, 'scope');
    if (preset === 'one' || preset === 'class') return step.next(step.result);
    const scope = this.answer(step, SCOPE_PROMPT);
    if (!scope) return this.giveUp(step);
    this.keep(step, 'scope', scope);
    if (scope === 'one') return step.beginDialog(PICK_ACCOUNT_DIALOG, { uai: options.uai } satisfies PickAccountOptions);
    if (scope === 'class') return this.askClassOf(step, await schoolClasses(this.deps.ctx, staffActorOf(step.context), options.uai));
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
    const scope = this.kept(step, 'scope');
    if (scope === 'one') {
      const account = pickedAccount(step);
      return account ? step.endDialog({ guardianIds: [account.guardianId], label: account.name } satisfies AccountSelection) : step.endDialog();
    }
    if (scope === 'class') {
      const chosen = this.answer(step, CLASS_PROMPT);
      if (!chosen) return this.giveUp(step);
      return this.finish(step, { classIds: [chosen.classId] }, `classe ${chosen.name}`);
    }
    if (scope === 'level') {
      const level = this.answer(step, LEVEL_PROMPT);
      if (!level) return this.giveUp(step);
      return this.finish(step, { levels: [level] }, `niveau ${level}`);
    }
    if (scope === 'origin') {
      const origin = this.answer(step, ORIGIN_PROMPT);
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
