// Minimal typed Adaptive Card model (schema 1.5: rendered by Teams and Web Chat) and the
// helpers every card builder uses. Builders are pure: data in, card JSON out.
import type { CardSubmission, CaseActionData } from './card-action.js';

export const CARD_VERSION = '1.5';

type Spacing = 'None' | 'Small' | 'Medium';
type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  size?: 'Small' | 'Default' | 'Medium' | 'Large';
  weight?: 'Default' | 'Bolder';
  color?: 'Default' | 'Good' | 'Warning' | 'Attention' | 'Accent';
  isSubtle?: boolean;
  spacing?: Spacing;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
}

/** A column of a ColumnSet; `width` is "auto", "stretch" or a relative weight ("3"). */
export interface Column {
  type: 'Column';
  width: string;
  items: CardElement[];
  style?: ContainerStyle;
  minHeight?: string;
  verticalContentAlignment?: 'Top' | 'Center' | 'Bottom';
}

export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: Spacing;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  separator?: boolean;
  spacing?: Spacing;
}

/** Buttons inside the body (cards with more choices than Teams shows as card actions). */
export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

/** A free text the user may type before clicking a button (its value joins the submission under `id`). */
export interface InputText {
  type: 'Input.Text';
  id: string;
  label: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
}

export type CardElement = TextBlock | FactSet | ColumnSet | Container | ActionSet | InputText;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: CardSubmission | CaseActionData;
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/**
 * A submit whose data is not a prompt's choice: a string is posted as the user's own text by
 * Web Chat and the Emulator (it routes as if typed); an object reaches the bot as `value`.
 */
export interface DataSubmitAction {
  type: 'Action.Submit';
  title: string;
  data: string | Record<string, string | number>;
}

export type CardAction = SubmitAction | OpenUrlAction | DataSubmitAction;

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: typeof CARD_VERSION;
  speak?: string;
  body: CardElement[];
  actions?: CardAction[];
}

export const text = (t: string, style: Omit<TextBlock, 'type' | 'text' | 'wrap'> = {}): TextBlock => ({
  type: 'TextBlock',
  text: t,
  wrap: true,
  ...style,
});

export const title = (t: string): TextBlock => text(t, { size: 'Medium', weight: 'Bolder' });

export const facts = (list: Fact[]): FactSet => ({ type: 'FactSet', facts: list });

export const submit = (label: string, nonce: string, choice: string): SubmitAction => ({
  type: 'Action.Submit',
  title: label,
  data: { nonce, choice },
});

export const submitData = (label: string, data: DataSubmitAction['data']): DataSubmitAction => ({ type: 'Action.Submit', title: label, data });

export const openUrl = (label: string, url: string): OpenUrlAction => ({ type: 'Action.OpenUrl', title: label, url });

export function adaptiveCard(body: CardElement[], actions: CardAction[] = [], speak?: string): AdaptiveCardJson {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    ...(speak ? { speak } : {}),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}
