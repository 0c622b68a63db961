// The state of one extract import shared by its batches, the keys it is indexed by, and the
// data one batch plans to write.
import type { AccountOrigin, AccountState, LinkKind } from '../db/index.js';
import type { CompactNumberMap } from './compact-map.js';
import type { ExtractRow } from './extract-rows.js';

/** FNV-1a, 30 bits (a small integer in V8). */
export function hash30(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x3fffffff;
}

export const REF_BITS = 2 ** 22;
export const LINK_GUARDIAN_BITS = 2 ** 27;
const LINK_PUPIL_LIMIT = 2 ** 26;

export function linkKey(pupilId: number, guardianId: number): number {
  if (pupilId >= LINK_PUPIL_LIMIT || guardianId >= LINK_GUARDIAN_BITS) throw new Error('identifier too large for the import link map');
  return pupilId * LINK_GUARDIAN_BITS + guardianId;
}

export const KIND_CODE: Record<LinkKind, number> = { LEGAL: 0, IN_CHARGE: 1 };
/** Link map value of a link mentioned by a rejected row: kept, not compared. */
export const MENTIONED = -1;

export const pupilHash = (r: ExtractRow): number => hash30([r.pupilLastName, r.pupilFirstName, r.birthDate, r.uai, r.className].join('\t'));
export const guardianHash = (r: ExtractRow): number =>
  hash30([r.lastName, r.firstName, r.email, r.mobile, r.emailConfirmed, r.mobileConfirmed, r.identifier, r.state, r.origin].join('\t'));
export const classKey = (uai: string, name: string): string => `${uai}\t${name}`;

export interface RunState {
  schools: Map<string, string>;
  classes: Map<string, string>;
  pupils: CompactNumberMap;
  guardians: CompactNumberMap;
  links: CompactNumberMap;
  extracted: Set<string>;
  /** Per identifier base, the first suffix not yet tried in this run. */
  identifierCursors: Map<string, number>;
}

export interface DbPupil {
  id: number;
  ine: string;
  lastName: string;
  firstName: string;
  birthDate: string;
  schoolUai: string;
  classId: number;
}

export interface PupilData {
  lastName: string;
  firstName: string;
  birthDate: string;
  uai: string;
  classKey: string;
}

export interface GuardianData {
  lastName: string;
  firstName: string;
  /** The account's contacts (the parent's once set or confirmed: see extract-contacts.ts). */
  email: string | null;
  emailConfirmed: boolean;
  mobile: string | null;
  mobileConfirmed: boolean;
  /** The register's contacts (the school's). */
  registerEmail: string | null;
  registerMobile: string | null;
}

export interface DbGuardian extends GuardianData {
  ref: string;
  id: number;
  deletedAt: Date | null;
}

export interface NewGuardian extends GuardianData {
  ref: string;
  identifier: string | null;
  state: AccountState;
  origin: AccountOrigin;
}

export type GuardianKey = { id: number } | { ref: string };
