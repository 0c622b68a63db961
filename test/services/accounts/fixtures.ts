// Fixtures for the account-service tests: schools, classes, pupils and guardians created
// directly in the shared test database, plus the actors that act on them.
import type { Actor } from '../../../services/actor.js';
import type { ServiceContext } from '../../../services/context.js';
import type { OutgoingMessage } from '../../../services/delivery/types.js';
import type { AccountOrigin, AccountState, PrismaClient } from '../../../services/db/index.js';
import { encryptSecret, hashPassword } from '../../../services/passwords.js';
import { searchKey } from '../../../services/text.js';
import { testSettings } from '../../helpers/context.js';

export const KEY = testSettings().secretKey;

let ineSeq = 0;

export async function createSchool(db: PrismaClient, uai: string, name = `ECOLE ${uai}`, academy = 'TOULOUSE'): Promise<{ uai: string; name: string }> {
  return db.school.create({ data: { uai, name, academy, degree: 'FIRST' }, select: { uai: true, name: true } });
}

export async function createClass(db: PrismaClient, schoolUai: string, name: string, level: string): Promise<number> {
  const c = await db.schoolClass.create({ data: { schoolUai, name, level }, select: { id: true } });
  return c.id;
}

export async function createPupil(
  db: PrismaClient,
  p: { schoolUai: string; classId: number; lastName: string; firstName: string; birthDate?: string },
): Promise<number> {
  ineSeq += 1;
  const row = await db.pupil.create({
    data: {
      ine: `${String(ineSeq).padStart(10, '0')}X`,
      lastName: p.lastName,
      firstName: p.firstName,
      searchName: searchKey(p.lastName, p.firstName),
      birthDate: new Date(`${p.birthDate ?? '2016-03-14'}T00:00:00Z`),
      schoolUai: p.schoolUai,
      classId: p.classId,
    },
    select: { id: true },
  });
  return row.id;
}

/** A school with a GS class and one pupil, Camille TUOUHN: the pupil's id. */
export async function createSchoolWithPupil(db: PrismaClient, uai: string): Promise<number> {
  await createSchool(db, uai);
  return createPupil(db, { schoolUai: uai, classId: await createClass(db, uai, 'GS', 'GS'), lastName: 'TUOUHN', firstName: 'Camille' });
}

export interface GuardianSpec {
  lastName: string;
  firstName: string;
  identifier?: string;
  email?: string | null;
  mobile?: string | null;
  state?: AccountState;
  origin?: AccountOrigin;
  /** A readable temporary password (encrypted). */
  tempPassword?: string;
  /** A personal password (hashed); the account then has no temporary password. */
  personalPassword?: string;
  pupilIds: number[];
  mergedIntoId?: number;
  deletedAt?: Date;
}

let identSeq = 0;

export async function createGuardian(db: PrismaClient, g: GuardianSpec): Promise<number> {
  identSeq += 1;
  const state = g.state ?? 'NOT_NOTIFIED';
  const row = await db.guardian.create({
    data: {
      identifier: g.identifier ?? `${g.firstName[0]?.toLowerCase() ?? 'x'}.${g.lastName.toLowerCase().replace(/[^a-z]/g, '')}${identSeq}`,
      lastName: g.lastName,
      firstName: g.firstName,
      searchName: searchKey(g.lastName, g.firstName),
      email: g.email ?? null,
      emailConfirmed: state === 'ACTIVATED' && !!g.email,
      mobile: g.mobile ?? null,
      state,
      origin: g.origin ?? (state === 'NOT_NOTIFIED' ? 'UNSET' : 'SCHOOL'),
      distributedAt: state === 'NOT_NOTIFIED' ? null : new Date('2026-09-01T08:00:00Z'),
      mergedIntoId: g.mergedIntoId ?? null,
      deletedAt: g.deletedAt ?? null,
      pupils: { create: g.pupilIds.map((pupilId) => ({ pupilId })) },
    },
    select: { id: true },
  });
  if (g.tempPassword !== undefined || g.personalPassword !== undefined) {
    await db.credential.create({
      data: {
        guardianId: row.id,
        tempPasswordEnc: g.tempPassword !== undefined ? encryptSecret(g.tempPassword, KEY) : null,
        passwordHash: g.personalPassword !== undefined ? await hashPassword(g.personalPassword) : null,
        isTemporary: g.personalPassword === undefined,
      },
    });
  }
  return row.id;
}

export const agent: Actor = { kind: 'agent', staffId: 'agent-1', name: 'Agent Un' };

export function director(...uais: string[]): Actor {
  return { kind: 'director', staffId: `dir-${uais.join('-')}`, name: 'Directrice', uais };
}

export const anonymous: Actor = { kind: 'anonymous', source: 'conv-1' };

/** Every audit row as one JSON string (to search for secrets). */
export async function auditDump(db: PrismaClient): Promise<string> {
  const rows = await db.auditLog.findMany();
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Records every message queued through ctx.messages (still written to the outbox). */
export function recordMessages(ctx: ServiceContext): OutgoingMessage[] {
  const seen: OutgoingMessage[] = [];
  const inner = ctx.messages;
  ctx.messages = {
    enqueue(tx, message, options) {
      seen.push(message);
      return inner.enqueue(tx, message, options);
    },
    enqueueMany(tx, entries) {
      seen.push(...entries.map((e) => e.message));
      return inner.enqueueMany(tx, entries);
    },
  };
  return seen;
}
