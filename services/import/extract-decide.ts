// Deciding, set-based, what each staged row (import_row, extract-stage.ts) changes: the table
// import_dec holds the valid rows of the schools not held back, what they find in the database,
// why a row is rejected, and the changes of the accepted ones. Nothing is written to the real
// tables here (extract-merge.ts does); everything is read in the import's transaction, under
// its lock.
//
// Within the file, the first valid row that names a school, a class, a pupil, a guardian_ref or
// a pupil–guardian link sets its data; a later row carrying other data is rejected (with the
// first failing of: school, class, pupil, deleted account, guardian, account_identifier, link
// kind). The changes of an entity are carried by its first accepted row (which the counts
// credit); when two refs lead to one account (merged accounts) its first accepted row updates it.
import { nextContactSql } from './extract-contacts.js';
import type { Sql } from './sql.js';

const email = nextContactSql('j.email', 'j.email_confirmed', 'j.db_email', 'j.db_ec', 'j.db_remail');
const mobile = nextContactSql('j.mobile', 'j.mobile_confirmed', 'j.db_mobile', 'j.db_mc', 'j.db_rmobile');

/** Refs of the file that name an account, followed through merges to the kept account. */
const RESOLVE_REFS = `
  CREATE UNLOGGED TABLE import_ref AS
  WITH RECURSIVE chain AS (
    SELECT r.ref, g.id, g."mergedIntoId", 0 AS depth
    FROM (SELECT DISTINCT ref FROM import_row WHERE ref IS NOT NULL) x
    JOIN "GuardianRef" r ON r.ref = x.ref JOIN "Guardian" g ON g.id = r."guardianId"
    UNION ALL
    SELECT c.ref, g.id, g."mergedIntoId", c.depth + 1 FROM chain c JOIN "Guardian" g ON g.id = c."mergedIntoId" WHERE c.depth < 20
  )
  SELECT ref, id AS g_id FROM chain WHERE "mergedIntoId" IS NULL`;

/**
 * The value of an entity's first row, as the minimum of `line || value` over its rows: the line
 * zero-padded to 10 digits (an int), compared bytewise ("C": no strcoll under the database's
 * C.UTF-8). A hash aggregate: the sorts of DISTINCT ON were most of the statement.
 */
const first = (value: string): string => `(lpad(line::text, 10, '0') || ${value}) COLLATE "C"`;

// The rows judged and grouped are narrow (keys and line); the full rows and what they find in the
// database are joined once, at the end, by line. Two statements, each reading tables analysed
// before it; what the rows find in the database is read by index apart (import_found). An
// entity's data is compared with its first row's as a 64-bit hash of its fields (s_key, p_key,
// g_key, computed while the file is staged: extract-stage.ts), which the judging sorts ~130 bytes
// narrower than the fields (JUDGE 5.8-6.1 s instead of 6.6-7.9 s at 1,000,000 rows).
// The valid rows of the schools applied, with their account when their ref names one (read twice
// by JUDGE: as a table of their own, written then read, they cost 1-1.5 s more at 1,000,000 rows).
const JOINED = `
    SELECT r.line, r.uai, r.class_name, r.ine, r.ref, r.level, r.kind, r.identifier, ir.g_id,
      g."deletedAt" IS NOT NULL AS g_deleted,
      (r.identifier IS NOT NULL AND ir.g_id IS NULL AND EXISTS (SELECT 1 FROM "Guardian" t WHERE t.identifier = r.identifier)) AS id_taken,
      r.s_key, r.p_key, r.g_key, coalesce('g' || ir.g_id, 'r' || r.ref) AS gk
    FROM import_row r
    LEFT JOIN import_ref ir ON ir.ref = r.ref
    LEFT JOIN "Guardian" g ON g.id = ir.g_id
    WHERE r.ok AND r.uai NOT IN (SELECT uai FROM import_held)`;

/** The same rows, without their accounts: enough for schools and classes. */
const APPLIED_ROWS = `SELECT line, uai, class_name, level, s_key FROM import_row WHERE ok AND uai NOT IN (SELECT uai FROM import_held)`;

/**
 * What each valid row finds in the database (by index, from the staged rows: true estimates): only
 * the rows that find something (DECIDE reads the others as finding nothing). A first load finds
 * nothing: at 1,000,000 rows, writing a row of nulls for each, then joining them back, cost ~2 s.
 */
const FIND = `
    SELECT r.line AS f_line, ir.g_id, p.id AS p_id, c.id AS c_id,
      g."lastName" AS db_g_last, g."firstName" AS db_g_first, g.email AS db_email, g."emailConfirmed" AS db_ec,
      g.mobile AS db_mobile, g."mobileConfirmed" AS db_mc, g."registerEmail" AS db_remail, g."registerMobile" AS db_rmobile,
      p."lastName" AS db_p_last, p."firstName" AS db_p_first, p."birthDate" AS db_birth, p."schoolUai" AS db_p_uai, p."classId" AS db_p_class,
      s.uai IS NOT NULL AS s_exists, (s.name, s.academy, s.degree::text) IS DISTINCT FROM (r.school_name, r.academy, r.degree) AS s_differs,
      c.level AS db_c_level, l.kind::text AS db_kind, rl."pupilId" IS NOT NULL AS refused
    FROM import_row r
    LEFT JOIN import_ref ir ON ir.ref = r.ref
    LEFT JOIN "Guardian" g ON g.id = ir.g_id
    LEFT JOIN "Pupil" p ON p.ine = r.ine
    LEFT JOIN "School" s ON s.uai = r.uai
    LEFT JOIN "SchoolClass" c ON c."schoolUai" = r.uai AND c.name = r.class_name
    LEFT JOIN "PupilGuardian" l ON l."pupilId" = p.id AND l."guardianId" = ir.g_id
    LEFT JOIN "RefusedLink" rl ON rl."pupilId" = p.id AND rl."guardianId" = ir.g_id
    WHERE r.ok AND r.uai NOT IN (SELECT uai FROM import_held)
      AND (ir.g_id IS NOT NULL OR p.id IS NOT NULL OR s.uai IS NOT NULL OR c.id IS NOT NULL)`;

// Judging: the first rows of every pupil and link (a sort by pupil, link and line), of every ref
// and account (another by account, ref and line) are read with window functions, one after the
// other over the rows themselves, which give every row whether it is its entity's first and
// differs from the first; keys partitioned bytewise (COLLATE "C"). Hash aggregates of a million
// groups joined back to the rows on text keys were most of the statement (13.8 s of 28 at
// 1,000,000 rows); window functions over narrow rows joined back by line, 7.9-10.1 s against
// 6.7-6.8 s so (back to back, the same judged rows). Schools and classes are few: hash
// aggregates, joined.
const JUDGE = `
  CREATE UNLOGGED TABLE import_judged AS
  WITH joined AS NOT MATERIALIZED (${JOINED}),
  applied AS NOT MATERIALIZED (${APPLIED_ROWS}),
  s_ref AS (SELECT uai, min(line) AS first, substr(min(${first('s_key::text')}), 11) AS s_key FROM applied GROUP BY uai),
  c_ref AS (SELECT uai, class_name, min(line) AS first, substr(min(${first('level')}), 11) AS level FROM applied GROUP BY uai, class_name),
  id_ref AS (
    SELECT identifier, substr(min(${first('ref')}), 11) AS ref FROM joined WHERE g_id IS NULL AND identifier IS NOT NULL GROUP BY identifier
  ),
  by_pupil AS (
    SELECT j.*, line = first_value(line) OVER p AS p_first, p_key <> first_value(p_key) OVER p AS p_differs,
      line = first_value(line) OVER k AS l_first, kind <> first_value(kind) OVER k AS k_differs
    FROM joined j
    WINDOW p AS (PARTITION BY ine COLLATE "C" ORDER BY line), k AS (PARTITION BY ine COLLATE "C", gk COLLATE "C" ORDER BY line)
  ),
  by_account AS (
    SELECT b.*, line = min(line) OVER a AS g_first, g_key <> first_value(g_key) OVER r AS g_differs
    FROM by_pupil b
    WINDOW a AS (PARTITION BY gk COLLATE "C"), r AS (PARTITION BY gk COLLATE "C", ref COLLATE "C" ORDER BY line)
  )
  SELECT line, uai, class_name, ine, gk, reject IS NULL AS accepted, reject, s_first, c_first, p_first, g_first, l_first FROM (
    SELECT j.line, j.uai, j.class_name, j.ine, j.gk, j.line = sr.first AS s_first, j.line = cr.first AS c_first, j.p_first, j.g_first, j.l_first,
      CASE
      WHEN j.s_key::text <> sr.s_key THEN 'école ' || j.uai || ' : nom, académie ou degré différents d''une ligne précédente'
      WHEN j.level <> cr.level THEN 'classe « ' || j.class_name || ' » : niveau différent d''une ligne précédente'
      WHEN j.p_differs THEN 'élève ' || j.ine || ' : nom, date de naissance ou classe différents d''une ligne précédente'
      WHEN j.g_deleted THEN 'le compte du responsable ' || j.ref || ' a été supprimé'
      WHEN j.g_differs THEN 'responsable ' || j.ref || ' : nom ou coordonnées différents d''une ligne précédente'
      WHEN j.g_id IS NULL AND j.identifier IS NOT NULL AND (j.id_taken OR ir.ref <> j.ref)
        THEN 'account_identifier « ' || j.identifier || ' » déjà utilisé par un autre compte'
      WHEN j.k_differs THEN 'lien ' || j.ine || ' – ' || j.ref || ' : type de lien différent d''une ligne précédente'
      END AS reject
    FROM by_account j
    LEFT JOIN s_ref sr ON sr.uai = j.uai
    LEFT JOIN c_ref cr ON cr.uai = j.uai AND cr.class_name = j.class_name
    LEFT JOIN id_ref ir ON ir.identifier = j.identifier
  ) j`;

// The head of an entity, its first accepted row, carries its changes: its first row, unless that
// row was rejected (rare); then the first accepted row of the entity. `rejected`: whether any row
// was; without one, the planner leaves these out (five scans of the judged rows, ~0.35 s at
// 1,000,000 rows).
const fix = (keys: string, flag: string, rejected: boolean): string =>
  `SELECT ${keys}, min(line) AS line FROM judged WHERE ${rejected} AND accepted
   AND (${keys}) IN (SELECT ${keys} FROM judged WHERE ${flag} AND NOT accepted) GROUP BY ${keys}`;

/** The contacts an account update writes: only on the rows that update one (the others would carry a third copy of the file's). */
const UPDATED_CONTACTS = ['n_email', 'n_ec', 'n_remail', 'n_mobile', 'n_mc', 'n_rmobile'].map((c) => `CASE WHEN g_update THEN ${c} END AS ${c}`).join(', ');

const decide = (rejected: boolean): string => `
  CREATE UNLOGGED TABLE import_dec AS
  WITH judged AS NOT MATERIALIZED (SELECT * FROM import_judged),
  s_fix AS (${fix('uai', 's_first', rejected)}),
  c_fix AS (${fix('uai, class_name', 'c_first', rejected)}),
  p_fix AS (${fix('ine', 'p_first', rejected)}),
  g_fix AS (${fix('gk', 'g_first', rejected)}),
  l_fix AS (${fix('ine, gk', 'l_first', rejected)}),
  -- The whole row, what it finds in the database, and whether it heads its entities.
  found AS (
    SELECT r.*, j.reject, f.g_id, f.p_id, f.c_id, f.db_g_last, f.db_g_first, f.db_email, f.db_ec, f.db_mobile, f.db_mc, f.db_remail,
      f.db_rmobile, f.db_p_last, f.db_p_first, f.db_birth, f.db_p_uai, f.db_p_class, coalesce(f.s_exists, false) AS s_exists,
      coalesce(f.s_differs, true) AS s_differs, f.db_c_level, f.db_kind, coalesce(f.refused, false) AS refused,
      j.accepted AND (j.s_first OR coalesce(j.line = sf.line, false)) AS s_head,
      j.accepted AND (j.c_first OR coalesce(j.line = cf.line, false)) AS c_head,
      j.accepted AND (j.p_first OR coalesce(j.line = pf.line, false)) AS p_head,
      j.accepted AND (j.g_first OR coalesce(j.line = gf.line, false)) AS g_head,
      j.accepted AND (j.l_first OR coalesce(j.line = lf.line, false)) AS l_head
    FROM judged j
    JOIN import_row r ON r.line = j.line
    LEFT JOIN import_found f ON f.f_line = j.line
    LEFT JOIN s_fix sf ON sf.uai = j.uai
    LEFT JOIN c_fix cf ON cf.uai = j.uai AND cf.class_name = j.class_name
    LEFT JOIN p_fix pf ON pf.ine = j.ine
    LEFT JOIN g_fix gf ON gf.gk = j.gk
    LEFT JOIN l_fix lf ON lf.ine = j.ine AND lf.gk = j.gk
  ),
  placed AS (
    SELECT j.*,
      ${email.value} AS n_email, ${email.confirmed} AS n_ec, ${email.register} AS n_remail,
      ${mobile.value} AS n_mobile, ${mobile.confirmed} AS n_mc, ${mobile.register} AS n_rmobile
    FROM found j
  ),
  flagged AS (
    SELECT p.*, reject IS NULL AS accepted,
      reject IS NULL AND s_head AND (NOT s_exists OR s_differs) AS s_change,
      reject IS NULL AND c_head AND (c_id IS NULL OR db_c_level <> level) AS c_change,
      reject IS NULL AND p_head AND (p_id IS NULL OR db_p_last <> p_last OR db_p_first <> p_first OR db_birth <> birth
        OR db_p_uai <> uai OR c_id IS DISTINCT FROM db_p_class) AS p_change,
      reject IS NULL AND p_head AND p_id IS NOT NULL AND db_birth <> birth AS birth_changed,
      reject IS NULL AND g_head AND g_id IS NULL AS g_new,
      reject IS NULL AND g_head AND g_id IS NOT NULL AND (g_last, g_first, n_email, n_ec, n_mobile, n_mc, n_remail, n_rmobile)
        IS DISTINCT FROM (db_g_last, db_g_first, db_email, db_ec, db_mobile, db_mc, db_remail, db_rmobile) AS g_update,
      reject IS NULL AND l_head AND refused AS refused_warning,
      reject IS NULL AND l_head AND NOT refused AND db_kind IS NULL AS l_new,
      reject IS NULL AND l_head AND NOT refused AND db_kind <> kind AS l_update
    FROM placed p
  )
  SELECT line, uai, ine, ref, school_name, academy, degree, p_last, p_first, p_search, birth, level, class_name,
    g_last, g_first, g_search, id_base, email, mobile, kind, identifier, state, origin, email_confirmed, mobile_confirmed, warnings,
    g_id, p_id, refused, reject, accepted, ${UPDATED_CONTACTS}, s_head, c_head, p_head, l_head,
    g_update, g_new, birth_changed, refused_warning,
    g_update AND n_rmobile IS DISTINCT FROM db_rmobile AS mobile_changed,
    CASE WHEN NOT accepted THEN NULL WHEN l_new THEN 'created'
      WHEN s_change OR c_change OR p_change OR g_new OR g_update OR l_update THEN 'updated' ELSE 'unchanged' END AS outcome
  FROM flagged`;

/**
 * Statistics of the columns the merge and the report filter, join or group on: 21 of the 47, none
 * of the names and contacts (ANALYZE of all of them cost 0.7 s of backend CPU at 200,000 rows,
 * of these 0.3 s).
 */
const ANALYZE_DECISIONS = `ANALYZE import_dec (line, accepted, reject, uai, class_name, ine, ref, identifier, g_id, p_id,
  s_head, c_head, p_head, l_head, g_new, g_update, refused, refused_warning, birth_changed, mobile_changed, warnings)`;

/** Builds import_ref and import_dec for the staged file; `held`: the UAIs held back. */
export async function decideExtract(sql: Sql, held: string[]): Promise<void> {
  await sql.unsafe('CREATE UNLOGGED TABLE import_held (uai text PRIMARY KEY)');
  if (held.length) await sql.execute`INSERT INTO import_held SELECT unnest(${held}::text[])`;
  await sql.unsafe(RESOLVE_REFS);
  await sql.unsafe('ANALYZE import_ref');
  // Without a school nor an account named by the file, rows find nothing (a first load): no reading.
  const [found] = await sql.query<{ some: boolean }>`
    SELECT EXISTS (SELECT 1 FROM "School") OR EXISTS (SELECT 1 FROM import_ref) AS some`;
  await sql.unsafe(`CREATE UNLOGGED TABLE import_found AS ${FIND} ${found?.some === false ? 'WITH NO DATA' : ''}`);
  await sql.unsafe('ANALYZE import_found (f_line)');
  // Judging and deciding join work tables with aggregates of themselves on several keys: the
  // planner multiplies the keys' selectivities and expects a row or two, then picks nested loops
  // that rescan an aggregate for every row (quadratic: 16 s at 5,000 rows, 67 s at 10,000).
  // Hash joins are right at every size there.
  await sql.unsafe('SET LOCAL enable_nestloop = off');
  await sql.unsafe(JUDGE);
  await sql.unsafe('ANALYZE import_judged (line, uai, class_name, ine, gk, accepted, s_first, c_first, p_first, g_first, l_first)');
  const [judged] = await sql.query<{ rejected: boolean }>`SELECT EXISTS (SELECT 1 FROM import_judged WHERE NOT accepted) AS rejected`;
  await sql.unsafe(decide(judged?.rejected ?? true));
  await sql.unsafe('SET LOCAL enable_nestloop = on');
  await sql.unsafe(ANALYZE_DECISIONS);
}
