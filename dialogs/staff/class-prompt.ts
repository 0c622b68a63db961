// Choosing one class of a school: the classes as buttons (a card), or a class name typed in any
// case, with or without accents, spaces and hyphens ("ce1-a", "CE1 A", "cm1new"). The classes
// offered travel with the prompt's options, so that the answer is read against them.
import type { DialogTurnResult, PromptOptions, PromptRecognizerResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Activity, TurnContext } from 'botbuilder';
import { classesInText, type SchoolClassInfo } from '../../services/accounts/classes.js';
import { choiceFor, clickedId } from '../../cards/staff/choices.js';
import { questionCard } from '../../cards/staff/buttons-card.js';
import { inputText } from '../shared/input.js';
import { ParsedPrompt } from '../shared/prompts.js';
import type { Parsed } from '../shared/validators.js';

/** A class as the prompt keeps it (JSON). */
export type OfferedClass = Pick<SchoolClassInfo, 'classId' | 'name'>;

function offered(options: PromptOptions | undefined): OfferedClass[] {
  const classes: unknown = options?.validations && typeof options.validations === 'object' ? Reflect.get(options.validations, 'classes') : undefined;
  return Array.isArray(classes)
    ? classes.filter(
        (c): c is OfferedClass =>
          typeof c === 'object' && c !== null && typeof Reflect.get(c, 'classId') === 'number' && typeof Reflect.get(c, 'name') === 'string',
      )
    : [];
}

/** The class chosen among those offered: its button, or its name typed. */
export function parseClass(text: string, value: unknown, classes: readonly OfferedClass[]): Parsed<OfferedClass> {
  const clicked = Number(clickedId(value, 'class') ?? NaN);
  const byClick = classes.find((c) => c.classId === clicked);
  if (byClick) return { ok: true, value: byClick };
  const typed = classesInText(text, classes);
  const only = typed.length === 1 ? typed[0] : undefined;
  if (only) return { ok: true, value: only };
  const names = classes.map((c) => c.name).join(', ');
  return { ok: false, retry: `Merci de choisir l'une des classes : ${names}.` };
}

export class ClassPrompt extends ParsedPrompt<OfferedClass> {
  constructor(dialogId: string) {
    super(dialogId, () => ({ ok: false, retry: '' }));
  }

  protected override async onRecognize(
    context: TurnContext,
    state: { retry?: string },
    options?: PromptOptions,
  ): Promise<PromptRecognizerResult<Parsed<OfferedClass>>> {
    const activity: Partial<Activity> = context.activity;
    const parsed = parseClass(inputText(activity), activity.value, offered(options));
    state.retry = parsed.ok ? undefined : parsed.retry;
    return { succeeded: true, value: parsed };
  }
}

/** Asks for one of `classes` with a card of buttons (typed names accepted too). */
export function askClass(step: WaterfallStepContext, promptId: string, question: string, classes: readonly OfferedClass[]): Promise<DialogTurnResult> {
  const options = ParsedPrompt.cardOptions((nonce) =>
    questionCard({
      question,
      hint: 'Vous pouvez aussi écrire le nom de la classe.',
      nonce,
      choices: classes.map((c) => ({ value: choiceFor('class', c.classId), title: c.name })),
    }),
  );
  const kept = classes.map((c) => ({ classId: c.classId, name: c.name }));
  return step.prompt(promptId, { ...options, validations: { ...(typeof options.validations === 'object' ? options.validations : {}), classes: kept } });
}
