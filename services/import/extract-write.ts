// Writing one planned batch (extract-plan.ts): set-based SQL, one statement per table and kind
// of change, inside the batch's transaction.
import { searchKey } from '../text.js';
import type { BatchPlan } from './extract-plan.js';
import { classKey, type DbPupil, type GuardianKey } from './extract-run.js';
import { insertGuardians, type Credentials } from './identifiers.js';
import type { Sql } from './sql.js';

export async function writePlan(sql: Sql, plan: BatchPlan, now: string, cursors: Map<string, number>, credentials: Credentials): Promise<void> {
  if (plan.newSchools.size) {
    const s = [...plan.newSchools];
    await sql.execute`
      INSERT INTO "School" (uai, name, academy, degree, "createdAt", "updatedAt")
      SELECT u.uai, u.name, u.academy, u.degree::"Degree", ${now}::timestamp, ${now}::timestamp
      FROM unnest(${s.map(([k]) => k)}::text[], ${s.map(([, v]) => v.name)}::text[], ${s.map(([, v]) => v.academy)}::text[], ${s.map(([, v]) => v.degree)}::text[]) AS u(uai, name, academy, degree)`;
  }
  if (plan.updSchools.size) {
    const s = [...plan.updSchools];
    await sql.execute`
      UPDATE "School" t SET name = u.name, academy = u.academy, degree = u.degree::"Degree", "updatedAt" = ${now}::timestamp
      FROM unnest(${s.map(([k]) => k)}::text[], ${s.map(([, v]) => v.name)}::text[], ${s.map(([, v]) => v.academy)}::text[], ${s.map(([, v]) => v.degree)}::text[]) AS u(uai, name, academy, degree)
      WHERE t.uai = u.uai`;
  }
  if (plan.newClasses.size) {
    const c = [...plan.newClasses.values()];
    const inserted = await sql.query<{ id: number; schoolUai: string; name: string; level: string }>`
      INSERT INTO "SchoolClass" ("schoolUai", name, level)
      SELECT * FROM unnest(${c.map((x) => x.uai)}::text[], ${c.map((x) => x.name)}::text[], ${c.map((x) => x.level)}::text[])
      RETURNING id, "schoolUai", name, level`;
    for (const x of inserted) plan.classes.set(classKey(x.schoolUai, x.name), { id: x.id, level: x.level });
  }
  if (plan.updClasses.size) {
    const c = [...plan.updClasses];
    await sql.execute`
      UPDATE "SchoolClass" t SET level = u.level FROM unnest(${c.map(([k]) => k)}::int[], ${c.map(([, v]) => v)}::text[]) AS u(id, level) WHERE t.id = u.id`;
  }
  const classId = (key: string): number => {
    const c = plan.classes.get(key);
    if (!c) throw new Error(`class not written: ${key}`);
    return c.id;
  };
  if (plan.newPupils.size) {
    const p = [...plan.newPupils];
    const inserted = await sql.query<DbPupil>`
      INSERT INTO "Pupil" (ine, "lastName", "firstName", "searchName", "birthDate", "schoolUai", "classId", "createdAt", "updatedAt")
      SELECT u.ine, u.last, u.first, u.search, u.birth, u.uai, u.class, ${now}::timestamp, ${now}::timestamp
      FROM unnest(${p.map(([k]) => k)}::text[], ${p.map(([, v]) => v.lastName)}::text[], ${p.map(([, v]) => v.firstName)}::text[],
        ${p.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${p.map(([, v]) => v.birthDate)}::date[], ${p.map(([, v]) => v.uai)}::text[],
        ${p.map(([, v]) => classId(v.classKey))}::int[]) AS u(ine, last, first, search, birth, uai, class)
      RETURNING id, ine, "lastName", "firstName", "birthDate"::text AS "birthDate", "schoolUai", "classId"`;
    for (const x of inserted) plan.pupils.set(x.ine, x);
  }
  if (plan.updPupils.size) {
    const p = [...plan.updPupils];
    await sql.execute`
      UPDATE "Pupil" t SET "lastName" = u.last, "firstName" = u.first, "searchName" = u.search, "birthDate" = u.birth, "schoolUai" = u.uai,
        "classId" = u.class, "updatedAt" = ${now}::timestamp
      FROM unnest(${p.map(([k]) => k)}::int[], ${p.map(([, v]) => v.lastName)}::text[], ${p.map(([, v]) => v.firstName)}::text[],
        ${p.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${p.map(([, v]) => v.birthDate)}::date[], ${p.map(([, v]) => v.uai)}::text[],
        ${p.map(([, v]) => classId(v.classKey))}::int[]) AS u(id, last, first, search, birth, uai, class)
      WHERE t.id = u.id`;
  }
  const newGuardianIds = plan.newGuardians.size
    ? await insertGuardians(sql, [...plan.newGuardians.values()], now, cursors, credentials)
    : new Map<string, number>();
  if (plan.updGuardians.size) {
    const g = [...plan.updGuardians];
    await sql.execute`
      UPDATE "Guardian" t SET "lastName" = u.last, "firstName" = u.first, "searchName" = u.search, email = u.email, "emailConfirmed" = u.ec,
        mobile = u.mobile, "mobileConfirmed" = u.mc, "registerEmail" = u.remail, "registerMobile" = u.rmobile, "updatedAt" = ${now}::timestamp
      FROM unnest(${g.map(([k]) => k)}::int[], ${g.map(([, v]) => v.lastName)}::text[], ${g.map(([, v]) => v.firstName)}::text[],
        ${g.map(([, v]) => searchKey(v.lastName, v.firstName))}::text[], ${g.map(([, v]) => v.email)}::text[], ${g.map(([, v]) => v.emailConfirmed)}::boolean[],
        ${g.map(([, v]) => v.mobile)}::text[], ${g.map(([, v]) => v.mobileConfirmed)}::boolean[], ${g.map(([, v]) => v.registerEmail)}::text[],
        ${g.map(([, v]) => v.registerMobile)}::text[]) AS u(id, last, first, search, email, ec, mobile, mc, remail, rmobile)
      WHERE t.id = u.id`;
  }
  const guardianId = (k: GuardianKey): number => {
    const id = 'id' in k ? k.id : newGuardianIds.get(k.ref);
    if (id === undefined) throw new Error('guardian not written');
    return id;
  };
  const pupilId = (ine: string): number => {
    const p = plan.pupils.get(ine);
    if (!p) throw new Error(`pupil not written: ${ine}`);
    return p.id;
  };
  if (plan.newLinks.length) {
    const l = plan.newLinks;
    await sql.execute`
      INSERT INTO "PupilGuardian" ("pupilId", "guardianId", kind, "createdAt")
      SELECT u.p, u.g, u.kind::"LinkKind", ${now}::timestamp
      FROM unnest(${l.map((x) => pupilId(x.ine))}::int[], ${l.map((x) => guardianId(x.guardian))}::int[], ${l.map((x) => x.kind)}::text[]) AS u(p, g, kind)`;
  }
  if (plan.updLinks.length) {
    const l = plan.updLinks;
    await sql.execute`
      UPDATE "PupilGuardian" t SET kind = u.kind::"LinkKind"
      FROM unnest(${l.map((x) => x.pupilId)}::int[], ${l.map((x) => x.guardianId)}::int[], ${l.map((x) => x.kind)}::text[]) AS u(p, g, kind)
      WHERE t."pupilId" = u.p AND t."guardianId" = u.g`;
  }
  plan.newGuardianIds = newGuardianIds;
}
