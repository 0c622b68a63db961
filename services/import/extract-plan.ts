// Planning one batch of an extract: what the rows' schools, classes, pupils, accounts and links
// are in the database, then, row by row, what changes (or why the row is rejected). Nothing is
// written here (see extract-write.ts); the run's state is updated only once the batch committed.
import type { Degree, LinkKind } from '../db/index.js';
import { guardianUpdate as contactsUpdate, newGuardianContacts } from './extract-contacts.js';
import type { ExtractRow, KeptLink, Rejected, RowWarning } from './extract-rows.js';
import {
  classKey,
  guardianHash,
  hash30,
  KIND_CODE,
  linkKey,
  MENTIONED,
  pupilHash,
  REF_BITS,
  type DbGuardian,
  type DbPupil,
  type GuardianData,
  type GuardianKey,
  type NewGuardian,
  type PupilData,
  type RunState,
} from './extract-run.js';
import type { Sql } from './sql.js';

/** Serialises the batches of concurrent imports (their identifier allocation above all). */
const IMPORT_LOCK = 724_310_002;

export interface BatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  rejected: Rejected[];
  refusedLinks: RowWarning[];
  changedBirthDates: number[];
  changedMobiles: number[];
  commit: () => void;
}

/** What one batch transaction changes: read from the database, then decided row by row. */
export class BatchPlan {
  readonly rejected: Rejected[] = [];
  /** Rows whose link the guardian refused: applied without it. */
  readonly refusedLinks: RowWarning[] = [];
  created = 0;
  updated = 0;
  unchanged = 0;
  private readonly schoolsSeen = new Map<string, string>();
  private readonly classesSeen = new Map<string, string>();
  private readonly pupilsSeen = new Map<string, number>();
  private readonly guardiansSeenById = new Map<number, number>();
  private readonly newGuardianSeen = new Map<string, number>();
  private readonly linksSeen = new Map<string, number>();
  private readonly reservedIdentifiers = new Set<string>();

  readonly newSchools = new Map<string, { name: string; academy: string; degree: Degree }>();
  readonly updSchools = new Map<string, { name: string; academy: string; degree: Degree }>();
  readonly newClasses = new Map<string, { uai: string; name: string; level: string }>();
  readonly updClasses = new Map<number, string>();
  readonly newPupils = new Map<string, PupilData>();
  readonly updPupils = new Map<number, PupilData>();
  readonly newGuardians = new Map<string, NewGuardian>();
  readonly updGuardians = new Map<number, GuardianData>();
  readonly newLinks: { ine: string; guardian: GuardianKey; kind: LinkKind }[] = [];
  readonly updLinks: { pupilId: number; guardianId: number; kind: LinkKind }[] = [];
  private readonly changedBirthDates = new Set<number>();
  private readonly changedMobiles = new Set<number>();
  private readonly mentioned: { ine: string; ref: string }[] = [];
  private readonly extracted = new Set<string>();

  private schools = new Map<string, { name: string; academy: string; degree: string }>();
  classes = new Map<string, { id: number; level: string }>();
  pupils = new Map<string, DbPupil>();
  private guardians = new Map<string, DbGuardian>();
  private links = new Map<number, string>();
  private refused = new Set<number>();
  private takenIdentifiers = new Set<string>();
  /** Accounts created by this batch, by ref. */
  newGuardianIds = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    private readonly run: RunState,
  ) {}

  /** Reads what the rows touch and decides each row; `kept` are rows not applied whose links stay as they are. */
  async plan(rows: ExtractRow[], kept: KeptLink[]): Promise<void> {
    await this.load(rows, kept);
    for (const row of rows) this.decide(row);
    // Links named by rejected rows (invalid, or contradicting the file) are kept as they are.
    for (const r of [...kept, ...this.rejected]) if (r.ine && r.ref) this.mentioned.push({ ine: r.ine, ref: r.ref });
  }

  private async load(rows: ExtractRow[], rejected: KeptLink[]): Promise<void> {
    const sql = this.sql;
    const uais = [...new Set(rows.map((r) => r.uai))];
    // The first query of the batch takes the import lock (one round trip less).
    const lockedSchools = await sql.query<{ uai: string | null; name: string; academy: string; degree: string }>`
      WITH import_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(${IMPORT_LOCK}::bigint)::text AS locked)
      SELECT s.uai, s.name, s.academy, s.degree::text AS degree FROM import_lock LEFT JOIN "School" s ON s.uai = ANY(${uais}::text[])`;
    this.schools = new Map(lockedSchools.flatMap((s) => (s.uai === null ? [] : [[s.uai, s] as const])));
    const classKeys = [...new Set(rows.map((r) => classKey(r.uai, r.className)))];
    const cu = classKeys.map((k) => k.split('\t')[0] as string);
    const cn = classKeys.map((k) => k.slice(k.indexOf('\t') + 1));
    const classes = await sql.query<{ id: number; schoolUai: string; name: string; level: string }>`
      SELECT c.id, c."schoolUai", c.name, c.level FROM "SchoolClass" c
      JOIN unnest(${cu}::text[], ${cn}::text[]) AS k(uai, name) ON c."schoolUai" = k.uai AND c.name = k.name`;
    this.classes = new Map(classes.map((c) => [classKey(c.schoolUai, c.name), { id: c.id, level: c.level }]));
    const ines = [...new Set([...rows.map((r) => r.ine), ...rejected.flatMap((r) => (r.ine ? [r.ine] : []))])];
    const pupils = await sql.query<DbPupil>`
      SELECT id, ine, "lastName", "firstName", "birthDate"::text AS "birthDate", "schoolUai", "classId"
      FROM "Pupil" WHERE ine = ANY(${ines}::text[])`;
    this.pupils = new Map(pupils.map((p) => [p.ine, p]));
    const refs = [...new Set([...rows.map((r) => r.ref), ...rejected.flatMap((r) => (r.ref ? [r.ref] : []))])];
    // A merged account's refs normally moved to the kept account; follow the chain anyway.
    const guardians = await sql.query<DbGuardian>`
      WITH RECURSIVE chain AS (
        SELECT r.ref, g.id, g."mergedIntoId", 0 AS depth
        FROM "GuardianRef" r JOIN "Guardian" g ON g.id = r."guardianId" WHERE r.ref = ANY(${refs}::text[])
        UNION ALL
        SELECT c.ref, g.id, g."mergedIntoId", c.depth + 1 FROM chain c JOIN "Guardian" g ON g.id = c."mergedIntoId" WHERE c.depth < 20
      )
      SELECT c.ref, g.id, g."lastName", g."firstName", g.email, g."emailConfirmed", g.mobile, g."mobileConfirmed",
        g."registerEmail", g."registerMobile", g."deletedAt"
      FROM chain c JOIN "Guardian" g ON g.id = c.id WHERE c."mergedIntoId" IS NULL`;
    this.guardians = new Map(guardians.map((g) => [g.ref, g]));
    const pupilIds = pupils.map((p) => p.id);
    const links = pupilIds.length
      ? await sql.query<{ pupilId: number; guardianId: number; kind: string; refused: boolean }>`
          SELECT "pupilId", "guardianId", kind::text AS kind, false AS refused FROM "PupilGuardian" WHERE "pupilId" = ANY(${pupilIds}::int[])
          UNION ALL
          SELECT "pupilId", "guardianId", kind::text AS kind, true AS refused FROM "RefusedLink" WHERE "pupilId" = ANY(${pupilIds}::int[])`
      : [];
    this.links = new Map(links.flatMap((l) => (l.refused ? [] : [[linkKey(l.pupilId, l.guardianId), l.kind] as const])));
    this.refused = new Set(links.flatMap((l) => (l.refused ? [linkKey(l.pupilId, l.guardianId)] : [])));
    const explicit = [...new Set(rows.flatMap((r) => (r.identifier && !this.guardians.has(r.ref) ? [r.identifier] : [])))];
    const taken = explicit.length ? await sql.query<{ identifier: string }>`SELECT identifier FROM "Guardian" WHERE identifier = ANY(${explicit}::text[])` : [];
    this.takenIdentifiers = new Set(taken.map((t) => t.identifier));
  }

  /** Decides what one row changes; rejects it (changing nothing) when it contradicts the file or the base. */
  private decide(row: ExtractRow): void {
    const reject = (reason: string): void => {
      this.rejected.push({ line: row.line, reason, ine: row.ine, ref: row.ref });
    };
    const run = this.run;

    // School
    const schoolData = { name: row.schoolName, academy: row.academy, degree: row.degree };
    const schoolKey = `${row.schoolName}\t${row.academy}\t${row.degree}`;
    const schoolSeen = run.schools.get(row.uai) ?? this.schoolsSeen.get(row.uai);
    if (schoolSeen !== undefined && schoolSeen !== schoolKey) return reject(`école ${row.uai} : nom, académie ou degré différents d'une ligne précédente`);
    const dbSchool = this.schools.get(row.uai);
    const schoolAction =
      schoolSeen !== undefined ? null : !dbSchool ? 'new' : `${dbSchool.name}\t${dbSchool.academy}\t${dbSchool.degree}` !== schoolKey ? 'update' : null;

    // Class
    const ck = classKey(row.uai, row.className);
    const classSeen = run.classes.get(ck) ?? this.classesSeen.get(ck);
    if (classSeen !== undefined && classSeen !== row.level) return reject(`classe « ${row.className} » : niveau différent d'une ligne précédente`);
    const dbClass = this.classes.get(ck);
    const classAction = classSeen !== undefined ? null : !dbClass ? 'new' : dbClass.level !== row.level ? 'update' : null;

    // Pupil
    const ph = pupilHash(row);
    const dbPupil = this.pupils.get(row.ine);
    const pupilSeen = (dbPupil ? run.pupils.get(dbPupil.id) : undefined) ?? this.pupilsSeen.get(row.ine);
    if (pupilSeen !== undefined && pupilSeen !== ph) return reject(`élève ${row.ine} : nom, date de naissance ou classe différents d'une ligne précédente`);
    const pupilData: PupilData = { lastName: row.pupilLastName, firstName: row.pupilFirstName, birthDate: row.birthDate, uai: row.uai, classKey: ck };
    let pupilAction: 'new' | 'update' | null = null;
    if (pupilSeen === undefined) {
      if (!dbPupil) pupilAction = 'new';
      else if (
        dbPupil.lastName !== row.pupilLastName ||
        dbPupil.firstName !== row.pupilFirstName ||
        dbPupil.birthDate !== row.birthDate ||
        dbPupil.schoolUai !== row.uai ||
        dbClass?.id !== dbPupil.classId
      ) {
        pupilAction = 'update';
      }
    }

    // Guardian
    const gh = guardianHash(row);
    const refHash = hash30(row.ref) % REF_BITS;
    const dbGuardian = this.guardians.get(row.ref);
    let guardianAction: 'new' | 'update' | null = null;
    let guardianUpdate: GuardianData | null = null;
    if (dbGuardian) {
      if (dbGuardian.deletedAt) return reject(`le compte du responsable ${row.ref} a été supprimé`);
      const seen = run.guardians.get(dbGuardian.id) ?? this.guardiansSeenById.get(dbGuardian.id);
      if (seen !== undefined && seen % REF_BITS === refHash && Math.floor(seen / REF_BITS) !== gh) {
        return reject(`responsable ${row.ref} : nom ou coordonnées différents d'une ligne précédente`);
      }
      if (seen === undefined) {
        guardianUpdate = contactsUpdate(dbGuardian, row);
        if (guardianUpdate) guardianAction = 'update';
      }
    } else {
      const seen = this.newGuardianSeen.get(row.ref);
      if (seen !== undefined && seen !== gh) return reject(`responsable ${row.ref} : nom ou coordonnées différents d'une ligne précédente`);
      if (seen === undefined) {
        if (row.identifier && (this.takenIdentifiers.has(row.identifier) || this.reservedIdentifiers.has(row.identifier))) {
          return reject(`account_identifier « ${row.identifier} » déjà utilisé par un autre compte`);
        }
        guardianAction = 'new';
      }
    }

    // Link
    const guardianKey: GuardianKey = dbGuardian ? { id: dbGuardian.id } : { ref: row.ref };
    const lk = `${row.ine}\t${dbGuardian ? `g${dbGuardian.id}` : `r${row.ref}`}`;
    const numericLink = dbPupil && dbGuardian ? linkKey(dbPupil.id, dbGuardian.id) : undefined;
    const runLink = numericLink !== undefined ? run.links.get(numericLink) : undefined;
    const linkSeen = (runLink === MENTIONED ? undefined : runLink) ?? this.linksSeen.get(lk);
    if (linkSeen !== undefined && linkSeen !== KIND_CODE[row.kind])
      return reject(`lien ${row.ine} – ${row.ref} : type de lien différent d'une ligne précédente`);
    const dbLink = numericLink !== undefined ? this.links.get(numericLink) : undefined;
    // A link the guardian refused is not recreated (until the school or an agent restores it).
    const refused = numericLink !== undefined && this.refused.has(numericLink);
    const linkAction = linkSeen !== undefined || refused ? null : dbLink === undefined ? 'new' : dbLink !== row.kind ? 'update' : null;

    // The row is accepted: record everything it changes.
    this.extracted.add(row.uai);
    if (schoolSeen === undefined) this.schoolsSeen.set(row.uai, schoolKey);
    if (schoolAction === 'new') this.newSchools.set(row.uai, schoolData);
    if (schoolAction === 'update') this.updSchools.set(row.uai, schoolData);
    if (classSeen === undefined) this.classesSeen.set(ck, row.level);
    if (classAction === 'new') this.newClasses.set(ck, { uai: row.uai, name: row.className, level: row.level });
    if (classAction === 'update' && dbClass) this.updClasses.set(dbClass.id, row.level);
    if (pupilSeen === undefined) this.pupilsSeen.set(row.ine, ph);
    if (pupilAction === 'new') this.newPupils.set(row.ine, pupilData);
    if (pupilAction === 'update' && dbPupil) {
      this.updPupils.set(dbPupil.id, pupilData);
      if (dbPupil.birthDate !== row.birthDate) this.changedBirthDates.add(dbPupil.id);
    }
    if (dbGuardian) {
      if (!this.guardiansSeenById.has(dbGuardian.id) && run.guardians.get(dbGuardian.id) === undefined) {
        this.guardiansSeenById.set(dbGuardian.id, gh * REF_BITS + refHash);
      }
      if (guardianAction === 'update' && guardianUpdate) {
        this.updGuardians.set(dbGuardian.id, guardianUpdate);
        if (guardianUpdate.registerMobile !== dbGuardian.registerMobile) this.changedMobiles.add(dbGuardian.id);
      }
    } else if (guardianAction === 'new') {
      this.newGuardianSeen.set(row.ref, gh);
      if (row.identifier) this.reservedIdentifiers.add(row.identifier);
      this.newGuardians.set(row.ref, {
        ref: row.ref,
        lastName: row.lastName,
        firstName: row.firstName,
        ...newGuardianContacts(row),
        identifier: row.identifier,
        state: row.state,
        origin: row.origin,
      });
    }
    if (linkSeen === undefined) this.linksSeen.set(lk, KIND_CODE[row.kind]);
    if (refused && linkSeen === undefined) {
      this.refusedLinks.push({
        line: row.line,
        reason: `élève ${row.ine} – responsable ${row.ref} : lien refusé par le responsable, non recréé (l'école ou l'assistance peut le rétablir)`,
      });
    }
    if (linkAction === 'new') this.newLinks.push({ ine: row.ine, guardian: guardianKey, kind: row.kind });
    if (linkAction === 'update' && dbPupil && dbGuardian) this.updLinks.push({ pupilId: dbPupil.id, guardianId: dbGuardian.id, kind: row.kind });

    const changed = schoolAction !== null || classAction !== null || pupilAction !== null || guardianAction !== null || linkAction === 'update';
    if (linkAction === 'new') this.created++;
    else if (changed) this.updated++;
    else this.unchanged++;
  }

  outcome(): BatchOutcome {
    const run = this.run;
    return {
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      rejected: this.rejected,
      refusedLinks: this.refusedLinks,
      changedBirthDates: [...this.changedBirthDates],
      changedMobiles: [...this.changedMobiles],
      // Applied to the run's state only once the transaction committed.
      commit: () => {
        for (const [k, v] of this.schoolsSeen) run.schools.set(k, v);
        for (const [k, v] of this.classesSeen) run.classes.set(k, v);
        for (const u of this.extracted) run.extracted.add(u);
        const pupils = new Map<number, number>();
        for (const [ine, h] of this.pupilsSeen) pupils.set(this.pupils.get(ine)?.id as number, h);
        run.pupils.setAll(pupils);
        const guardians = new Map(this.guardiansSeenById);
        for (const [ref, h] of this.newGuardianSeen) guardians.set(this.newGuardianIds.get(ref) as number, h * REF_BITS + (hash30(ref) % REF_BITS));
        run.guardians.setAll(guardians);
        const links = new Map<number, number>();
        for (const [k, kind] of this.linksSeen) {
          const [ine, g] = k.split('\t') as [string, string];
          const gid = g.startsWith('g') ? Number(g.slice(1)) : (this.newGuardianIds.get(g.slice(1)) as number);
          links.set(linkKey(this.pupils.get(ine)?.id as number, gid), kind);
        }
        for (const m of this.mentioned) {
          const p = this.pupils.get(m.ine);
          const g = this.guardians.get(m.ref);
          if (p && g && this.links.has(linkKey(p.id, g.id))) {
            const key = linkKey(p.id, g.id);
            if (!links.has(key) && run.links.get(key) === undefined) links.set(key, MENTIONED);
          }
        }
        run.links.setAll(links);
      },
    };
  }
}
