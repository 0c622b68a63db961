// Validates Adaptive Card JSON with the official `adaptivecards` library (as Web Chat and
// Teams parse it): unknown elements, unsupported versions, invalid properties all fail.
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { Activity, Attachment } from 'botbuilder';

type AdaptiveCardsModule = typeof import('adaptivecards');
const require = createRequire(import.meta.url);
const AC: AdaptiveCardsModule = require('adaptivecards/dist/adaptivecards.js');

export interface ParsedCard {
  card: InstanceType<AdaptiveCardsModule['AdaptiveCard']>;
  /** Parse and validation problems (empty for a valid card). */
  problems: string[];
}

export function parseCard(json: unknown): ParsedCard {
  const context = new AC.SerializationContext();
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const version: unknown = typeof json === 'object' && json !== null ? Reflect.get(json, 'version') : undefined;
  if (typeof version !== 'string' || Number(version) > 1.5) problems.push(`version ${String(version)} is above 1.5 (Teams/Web Chat)`);
  return { card, problems };
}

/** Asserts the card is valid and returns it parsed (for getAllInputs, getActionAt…). */
export function expectValidCard(json: unknown): ParsedCard['card'] {
  const parsed = parseCard(json);
  expect(parsed.problems).toEqual([]);
  return parsed.card;
}

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Card attachments of an activity. */
export function adaptiveAttachments(activity: Partial<Activity> | undefined): Attachment[] {
  return (activity?.attachments ?? []).filter((a) => a.contentType === ADAPTIVE);
}

/** Every card of every activity is valid. */
export function expectValidCards(activities: readonly Partial<Activity>[]): void {
  for (const a of activities) for (const att of adaptiveAttachments(a)) expectValidCard(att.content);
}

/**
 * The data of every Action.Submit in a card, or in anything holding cards (attachments,
 * activities), wherever it stands: the card's actions, ActionSets in the body, containers,
 * columns, shown cards.
 */
export function submitData(node: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (typeof n === 'object' && n !== null) {
      const data: unknown = Reflect.get(n, 'data');
      if (Reflect.get(n, 'type') === 'Action.Submit' && typeof data === 'object' && data !== null) found.push(data as Record<string, unknown>);
      Object.values(n).forEach(walk);
    }
  };
  walk(node);
  return found;
}
