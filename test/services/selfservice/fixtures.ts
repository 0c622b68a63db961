// Fixtures of the self-service tests: a school, pupils, guardians with credentials, and a
// context whose outbox also records the messages (to read codes and links as sent).
import { encryptSecret, hashPassword } from '../../../services/passwords.js';
import { searchKey } from '../../../services/text.js';
import type { AccountOrigin, AccountState, PrismaClient } from '../../../services/db/index.js';
import type { OutgoingMessage } from '../../../services/delivery/types.js';
import { testContext, type TestContext } from '../../helpers/context.js';
import type { ServiceSettings } from '../../../services/context.js';

export interface RecordingContext extends TestContext {
  sent: OutgoingMessage[];
}

export function recordingContext(db: PrismaClient, overrides: Partial<ServiceSettings> = {}): RecordingContext {
  const base = testContext(db, overrides);
  const sent: OutgoingMessage[] = [];
  const inner = base.messages;
  return Object.assign(base, {
    sent,
    messages: {
      async enqueue(...args: Parameters<typeof inner.enqueue>) {
        const id = await inner.enqueue(...args);
        sent.push(args[1]);
        return id;
      },
    },
  });
}

let ine = 0;
export async function makeSchool(db: PrismaClient, uai = '0311478N') {
  await db.school.upsert({ where: { uai }, create: { uai, name: 'École des Tilleuls', academy: 'Toulouse', degree: 'FIRST' }, update: {} });
  const cls = await db.schoolClass.upsert({
    where: { schoolUai_name: { schoolUai: uai, name: 'CM1 A' } },
    create: { schoolUai: uai, name: 'CM1 A', level: 'CM1' },
    update: {},
  });
  return { uai, classId: cls.id };
}

export async function makePupil(db: PrismaClient, school: { uai: string; classId: number }, firstName: string, birth: string, lastName = 'Martin') {
  ine += 1;
  return db.pupil.create({
    data: {
      ine: `${Date.now().toString().slice(-6)}${String(ine).padStart(4, '0')}X`.slice(0, 11),
      lastName,
      firstName,
      searchName: searchKey(lastName, firstName),
      birthDate: new Date(`${birth}T00:00:00Z`),
      schoolUai: school.uai,
      classId: school.classId,
    },
  });
}

export interface GuardianSpec {
  identifier: string;
  lastName?: string;
  firstName?: string;
  email?: string | null;
  emailConfirmed?: boolean;
  mobile?: string | null;
  mobileConfirmed?: boolean;
  state?: AccountState;
  origin?: AccountOrigin;
  temporaryPassword?: string;
  personalPassword?: string;
  pupilIds?: number[];
}

export async function makeGuardian(ctx: TestContext, spec: GuardianSpec) {
  const lastName = spec.lastName ?? 'Martin';
  const firstName = spec.firstName ?? 'Claire';
  const g = await ctx.db.guardian.create({
    data: {
      identifier: spec.identifier,
      lastName,
      firstName,
      searchName: searchKey(lastName, firstName),
      email: spec.email ?? null,
      emailConfirmed: spec.emailConfirmed ?? false,
      mobile: spec.mobile ?? null,
      mobileConfirmed: spec.mobileConfirmed ?? false,
      state: spec.state ?? 'NOTIFIED',
      origin: spec.origin ?? 'SCHOOL',
    },
  });
  await ctx.db.credential.create({
    data: spec.personalPassword
      ? { guardianId: g.id, passwordHash: await hashPassword(spec.personalPassword), isTemporary: false }
      : { guardianId: g.id, tempPasswordEnc: encryptSecret(spec.temporaryPassword ?? 'Tmp#Pass7word', ctx.settings.secretKey), isTemporary: true },
  });
  for (const pupilId of spec.pupilIds ?? []) await ctx.db.pupilGuardian.create({ data: { pupilId, guardianId: g.id } });
  return g;
}

/** Every audit row as text must contain none of these secrets. */
export async function auditTexts(db: PrismaClient): Promise<string> {
  const rows = await db.auditLog.findMany();
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The token at the end of a self-service URL. */
export const tokenOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);
