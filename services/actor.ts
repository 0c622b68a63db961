// Who is asking. Every service call that reads or changes an account takes an Actor and
// checks its scope itself; callers (dialogs, pages, Teams) are never trusted for that.

export type Actor =
  /** A parent on the web chat or a page, not verified. `source` keys rate limits (conversation, IP). */
  | { kind: 'anonymous'; source: string }
  /** A parent proven to own `guardianId` (logged in on a page, or holder of a valid token). */
  | { kind: 'guardian'; guardianId: number; source: string }
  | { kind: 'director'; staffId: string; name: string; uais: string[] }
  | { kind: 'agent'; staffId: string; name: string }
  | { kind: 'admin'; staffId: string; name: string }
  | { kind: 'system'; job: string };

export type StaffActor = Extract<Actor, { kind: 'director' | 'agent' | 'admin' }>;

export function isStaff(actor: Actor): actor is StaffActor {
  return actor.kind === 'director' || actor.kind === 'agent' || actor.kind === 'admin';
}

/** Agents and admins act on any school; a director only on their own UAIs. */
export function canActOnSchool(actor: Actor, uai: string): boolean {
  switch (actor.kind) {
    case 'agent':
    case 'admin':
    case 'system':
      return true;
    case 'director':
      return actor.uais.includes(uai);
    default:
      return false;
  }
}

/** A stable string for audit rows and file ownership. Never contains a secret. */
export function actorId(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return `anonymous:${actor.source}`;
    case 'guardian':
      return `guardian:${actor.guardianId}`;
    case 'system':
      return `system:${actor.job}`;
    default:
      return `${actor.kind}:${actor.staffId}`;
  }
}
