// Finds one account: by a name (guardian or pupil) within a school; for directors by
// identifier, email, mobile or a name searched in all their schools; for agents by
// identifier, email, mobile or name + UAI. Several matches: a card to pick one (or close it);
// none: says so and asks again (capped). Returns a PickedAccount, or undefined.
import { clickedId } from '../../cards/staff/choices.js';
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { findAccounts, type AccountSummary, type LookupQuery } from '../../services/lookup.js';
import { normalizeUai } from '../../services/text.js';
import { normalizeMobile } from '../../services/phone.js';
import { accountPickCard } from '../../cards/staff/account-pick-card.js';
import { MAX_ATTEMPTS, promptId } from '../shared/prompts.js';
import { parseEmail, parseIdentifier, type Parsed, type PromptInput } from '../shared/validators.js';
import { entityText, type DialogDeps, type RecognizedEntities } from '../types.js';
import { StaffDialog, staffActorOf, textParser } from './staff-dialog.js';

export const PICK_ACCOUNT_DIALOG = 'staff.pickAccount';
const QUERY_PROMPT = promptId<LookupQuery | string>('staff.pickAccount.query');
const PICK_PROMPT = promptId<number>('staff.pickAccount.pick');

export interface PickAccountOptions {
  /** Search names within this school (directors, or agents acting for a school). */
  uai?: string;
  /** A query already known (from the request's entities). */
  query?: LookupQuery;
  /** How many searches found nothing so far. */
  misses?: number;
}

/** The account chosen (JSON-safe: kept in dialog state). */
export interface PickedAccount {
  guardianId: number;
  identifier: string;
  name: string;
}

/** The account this dialog ended with, read by the step after it (undefined: none picked). */
export function pickedAccount(step: WaterfallStepContext): PickedAccount | undefined {
  return step.result as PickedAccount | undefined;
}

/** A lookup query from the request's entities (identifier, email, mobile), if any. */
export function queryFromEntities(entities: RecognizedEntities | undefined): LookupQuery | undefined {
  const identifier = entityText(entities, 'identifier');
  if (identifier) return { by: 'identifier', identifier };
  const email = entityText(entities, 'email');
  if (email) return { by: 'email', email };
  const mobile = entityText(entities, 'mobile');
  return mobile ? { by: 'mobile', mobile } : undefined;
}

const NAME_QUESTION = "Quel est le nom du responsable ou de l'élève ?";
const DIRECTOR_QUESTION = "Quel compte ? Indiquez le nom du responsable ou de l'élève, ou l'identifiant, l'adresse e-mail ou le portable du responsable.";
const AGENT_PROMPT = promptId<LookupQuery | string>('staff.pickAccount.agentQuery');
const DIRECTOR_PROMPT = promptId<LookupQuery | string>('staff.pickAccount.directorQuery');

/** Directors: identifier, email, mobile, or a name (searched in all their schools). */
export function parseDirectorQuery({ text, value }: PromptInput): Parsed<LookupQuery | string> {
  const exact = parseAgentQuery({ text, value });
  if (exact.ok) return exact;
  const name = textParser(DIRECTOR_QUESTION)({ text, value });
  return name.ok && !/\d/.test(name.value) ? name : { ok: false, retry: DIRECTOR_QUESTION };
}
const AGENT_QUESTION =
  "Indiquez l'identifiant, l'adresse e-mail, le numéro de portable, ou le nom suivi du code UAI de l'établissement (par exemple « Dupont 0311478N »).";

/** Agents: identifier, email, mobile, or "name UAI". */
export function parseAgentQuery({ text, value }: PromptInput): Parsed<LookupQuery> {
  const email = parseEmail({ text, value });
  if (email.ok) return { ok: true, value: { by: 'email', email: email.value } };
  const identifier = parseIdentifier({ text, value });
  if (identifier.ok) return { ok: true, value: { by: 'identifier', identifier: identifier.value } };
  const mobile = normalizeMobile(text.slice(0, 40));
  if (mobile.ok) return { ok: true, value: { by: 'mobile', mobile: mobile.e164 } };
  const words = text.trim().split(/\s+/);
  const uaiAt = words.findIndex((w) => normalizeUai(w) !== null);
  const uai = uaiAt >= 0 ? normalizeUai(words[uaiAt] ?? '') : null;
  const name = words.filter((_, i) => i !== uaiAt).join(' ');
  if (uai && /\p{L}{2}/u.test(name)) return { ok: true, value: { by: 'name', name, uai } };
  return { ok: false, retry: AGENT_QUESTION };
}

const describe = (q: LookupQuery): string =>
  q.by === 'identifier' ? q.identifier : q.by === 'email' ? 'cette adresse e-mail' : q.by === 'mobile' ? 'ce numéro' : `« ${q.name} »`;

/** What the steps keep. */
interface PickAccountValues {
  found: PickedAccount[];
}

export class PickAccountDialog extends StaffDialog<PickAccountValues> {
  constructor(deps: DialogDeps) {
    super(PICK_ACCOUNT_DIALOG, deps);
    this.addPrompt(QUERY_PROMPT, textParser(NAME_QUESTION));
    this.addPrompt(AGENT_PROMPT, parseAgentQuery);
    this.addPrompt(DIRECTOR_PROMPT, parseDirectorQuery);
    this.addPrompt(PICK_PROMPT, ({ value }): Parsed<number> => {
      const id = Number(clickedId(value, 'account') ?? NaN);
      return Number.isSafeInteger(id) ? { ok: true, value: id } : { ok: false, retry: 'Merci de cliquer sur le bouton « Choisir » du compte concerné.' };
    });
    this.addSteps(this.queryStep, this.searchStep, this.pickedStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === PICK_PROMPT) return 'Cliquez sur « Choisir » sous le compte concerné.';
    return "Écrivez le nom (ou une partie du nom) du responsable ou de l'élève, par exemple « Dupont ».";
  }

  private async queryStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: PickAccountOptions = step.options;
    if (options.query) return step.next({ ok: true, value: options.query });
    if (options.uai) return this.ask(step, QUERY_PROMPT, NAME_QUESTION);
    if (staffActorOf(step.context).kind === 'director') return this.ask(step, DIRECTOR_PROMPT, DIRECTOR_QUESTION);
    return this.ask(step, AGENT_PROMPT, AGENT_QUESTION);
  }

  private async searchStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const options: PickAccountOptions = step.options;
    const answer = this.answer(step, QUERY_PROMPT);
    if (answer === undefined) return this.giveUp(step);
    const query: LookupQuery = typeof answer === 'string' ? { by: 'name', name: answer, ...(options.uai ? { uai: options.uai } : {}) } : answer;
    const found = await findAccounts(this.deps.ctx, staffActorOf(step.context), query);
    // Working for one school: only the accounts with a child there.
    const accounts = options.uai ? found.accounts.filter((a) => a.children.some((c) => c.uai === options.uai)) : found.accounts;
    const truncated = found.truncated;
    if (accounts.length === 0) {
      const misses = (options.misses ?? 0) + 1;
      await step.context.sendActivity(`Je ne trouve aucun compte pour ${describe(query)}. Vérifiez l'orthographe ou essayez un autre nom.`);
      if (misses >= MAX_ATTEMPTS) return this.giveUp(step);
      return step.replaceDialog(this.id, { ...(options.uai ? { uai: options.uai } : {}), misses } satisfies PickAccountOptions);
    }
    const only = accounts.length === 1 ? accounts[0] : undefined;
    if (only) return step.endDialog(picked(only));
    this.keep(step, 'found', accounts.map(picked));
    return this.askWithCard(step, PICK_PROMPT, (nonce) =>
      accountPickCard({
        question: `${accounts.length} comptes correspondent : lequel ?`,
        truncated,
        nonce,
        accounts: accounts.map((a) => ({ ...a, children: a.children.map((c) => `${c.firstName} ${c.lastName} (${c.className})`) })),
      }),
    );
  }

  private async pickedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const id = this.answer(step, PICK_PROMPT);
    const chosen = this.kept(step, 'found')?.find((a) => a.guardianId === id);
    return chosen ? step.endDialog(chosen) : this.giveUp(step);
  }
}

function picked(a: AccountSummary): PickedAccount {
  return { guardianId: a.guardianId, identifier: a.identifier, name: `${a.firstName} ${a.lastName}` };
}
