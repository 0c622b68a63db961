// A request the school must handle (its register is wrong, or another account's letter is
// needed): the child's name, the school, a way to reach the parent, then a case opened for
// that school through services/cases.ts, and its reference shown.
import type { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { CardFactory, MessageFactory } from 'botbuilder';
import { createCase } from '../../services/cases.js';
import { maskEmail, maskPhone } from '../../services/logger.js';
import { caseReferenceCard } from '../../cards/parent/case-reference-card.js';
import { BaseDialog } from '../shared/base-dialog.js';
import { parseBirthDate, parseContact, parseEmail, parseMobile, parseName, type Contact, type Parsed } from '../shared/validators.js';
import { conversationKey } from '../../services/conversation-refs.js';
import { turnActor, type DialogDeps } from '../types.js';
import { SCHOOL_LOOKUP_DIALOG, SchoolLookupDialog, type SchoolLookupOptions, type SchoolLookupResult } from './school-lookup-dialog.js';

export const SCHOOL_REQUEST_DIALOG = 'parent.schoolRequest';
const LAST_NAME = `${SCHOOL_REQUEST_DIALOG}.lastName`;
const FIRST_NAME = `${SCHOOL_REQUEST_DIALOG}.firstName`;
const PARENT_NAME = `${SCHOOL_REQUEST_DIALOG}.parentName`;
const CONTACT = `${SCHOOL_REQUEST_DIALOG}.contact`;
const MOBILE = `${SCHOOL_REQUEST_DIALOG}.mobile`;
const EMAIL = `${SCHOOL_REQUEST_DIALOG}.email`;
const TYPED_DATE = `${SCHOOL_REQUEST_DIALOG}.typedDate`;

export interface SchoolRequestOptions {
  kind: 'BIRTH_DATE' | 'MOBILE' | 'REGROUP' | 'OTHER';
  /** Shown on the card and in the case summary ("Date de naissance refusée à l'activation"). */
  subject: string;
  schoolQuestion: string;
  /** The school changes the parent's own record (mobile, email): ask the parent's name. */
  askParentName: boolean;
  /**
   * How to reach the parent: 'any' (email or mobile), or the 'mobile' / 'email' the school must
   * record (it is also the contact). `question` asks for it.
   */
  contact: { kind: 'any' | 'mobile' | 'email'; question: string };
  /**
   * Ask the birth date the site refused (kept with the case for the school, encrypted). The
   * mobile the school must record is kept that way too when `contact.kind` is 'mobile'.
   */
  askTypedDate?: string;
  nextSteps: string[];
}

const CONTACT_PROMPTS = { any: CONTACT, mobile: MOBILE, email: EMAIL } as const;

export class SchoolRequestDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(SCHOOL_REQUEST_DIALOG, deps);
    this.addPrompt(LAST_NAME, parseName);
    this.addPrompt(FIRST_NAME, parseName);
    this.addPrompt(PARENT_NAME, parseName);
    this.addPrompt(CONTACT, parseContact);
    this.addPrompt(MOBILE, parseMobile);
    this.addPrompt(EMAIL, parseEmail);
    this.addPrompt(TYPED_DATE, parseBirthDate);
    this.addDialog(new SchoolLookupDialog(deps));
    this.addSteps(this.lastNameStep, this.firstNameStep, this.schoolStep, this.parentNameStep, this.typedStep, this.contactStep, this.createStep);
  }

  protected helpText(promptId: string | undefined): string {
    if (promptId === CONTACT) return 'Nous utiliserons cette adresse ou ce numéro uniquement pour vous dire quand réessayer.';
    if (promptId === PARENT_NAME) return "L'école a besoin de votre nom pour retrouver votre fiche de responsable.";
    if (promptId === MOBILE) return "Indiquez le numéro de portable que l'école doit enregistrer : c'est celui qui recevra les codes par SMS.";
    if (promptId === TYPED_DATE) return "L'école compare cette date avec celle de son registre : indiquez exactement celle que vous avez saisie sur le site.";
    if (promptId === EMAIL) return "Indiquez l'adresse e-mail que l'école doit enregistrer : l'e-mail d'activation y sera envoyé.";
    return "J'ai besoin du nom et du prénom de l'enfant tels que l'école les connaît, pour transmettre la demande à la bonne école.";
  }

  private options(step: WaterfallStepContext): SchoolRequestOptions {
    return step.options as SchoolRequestOptions;
  }

  private async lastNameStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, LAST_NAME, "Quel est le nom de famille de l'enfant concerné ?");
  }

  private async firstNameStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lastName = step.result as Parsed<string>;
    if (!lastName.ok) return this.giveUp(step);
    this.remember(step, 'lastName', lastName.value);
    return this.ask(step, FIRST_NAME, 'Et son prénom ?');
  }

  private async schoolStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const firstName = step.result as Parsed<string>;
    if (!firstName.ok) return this.giveUp(step);
    this.remember(step, 'firstName', firstName.value);
    return step.beginDialog(SCHOOL_LOOKUP_DIALOG, { question: this.options(step).schoolQuestion } satisfies SchoolLookupOptions);
  }

  private async parentNameStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const school = step.result as SchoolLookupResult;
    if (!school) return step.endDialog();
    this.remember(step, 'uai', school.uai);
    this.remember(step, 'schoolName', school.name);
    if (!this.options(step).askParentName) return step.next({ ok: true, value: '' } satisfies Parsed<string>);
    return this.ask(step, PARENT_NAME, "Quels sont votre nom et votre prénom, tels que l'école les connaît ?");
  }

  private async typedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const parentName = step.result as Parsed<string>;
    if (!parentName.ok) return this.giveUp(step);
    this.remember(step, 'parentName', parentName.value);
    const question = this.options(step).askTypedDate;
    if (!question) return step.next({ ok: true, value: '' } satisfies Parsed<string>);
    return this.ask(step, TYPED_DATE, question);
  }

  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const typed = step.result as Parsed<string>;
    if (!typed.ok) return this.giveUp(step);
    this.remember(step, 'typed', typed.value);
    const { contact } = this.options(step);
    return this.ask(step, CONTACT_PROMPTS[contact.kind], contact.question);
  }

  private async createStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const answer = step.result as Parsed<Contact | string>;
    if (!answer.ok) return this.giveUp(step);
    const options = this.options(step);
    const contact: Contact =
      typeof answer.value !== 'string' ? answer.value : options.contact.kind === 'email' ? { email: answer.value } : { mobile: answer.value };
    const [lastName, firstName, parentName] = [
      this.recall(step, 'lastName') ?? '',
      this.recall(step, 'firstName') ?? '',
      this.recall(step, 'parentName') ?? '',
    ];
    const typed = this.recall(step, 'typed') || ('mobile' in contact && options.contact.kind === 'mobile' ? contact.mobile : '');
    const { channelId, conversation } = step.context.activity;
    const { reference } = await createCase(this.deps.ctx, turnActor(step.context), {
      kind: options.kind,
      ...(typed ? { typed } : {}),
      ...(channelId && conversation?.id ? { chatRefKey: conversationKey(channelId, conversation.id) } : {}),
      schoolUai: this.recall(step, 'uai') ?? '',
      summary: `${options.subject} (élève : ${firstName} ${lastName.toUpperCase()}${parentName ? ` ; responsable : ${parentName}` : ''}). Demande faite par le responsable sur le chat.`,
      details: { childLastName: lastName, childFirstName: firstName, ...(parentName ? { parentName } : {}), origin: 'chat' },
      named: { childLastName: lastName, childFirstName: firstName, ...(parentName ? { parentName } : {}) },
      ...('email' in contact ? { contactEmail: contact.email } : { contactMobile: contact.mobile }),
    });
    const card = caseReferenceCard({
      reference,
      subject: options.subject,
      schoolName: this.recall(step, 'schoolName') ?? '',
      contact: 'email' in contact ? `par e-mail (${maskEmail(contact.email)})` : `par SMS (${maskPhone(contact.mobile)})`,
      nextSteps: options.nextSteps,
    });
    await step.context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), `Votre demande est enregistrée sous la référence ${reference}.`));
    return step.endDialog({ reference });
  }
}
