-- Incremental statistics (issue #12): per-school counter rows kept by the database itself.
-- Not Prisma models: services/stats-counters.ts reads them with SQL.
--
-- Every statement that changes what the statistics count (a guardian's state, merge or
-- deletion; a pupil-guardian link; a pupil's school or class; a class's level; a school's
-- academy) records the schools concerned in "StatsDirty", in the same transaction, by the
-- statement-level triggers below (set-based: a bulk import marks each school once). Before
-- figures are read, the dirty schools of the scope are recounted by stats_refresh(), which
-- rewrites their rows in "StatsCounter" (one row per school, per class and per level of a
-- school). National and academy figures then add up hundreds of rows instead of scanning
-- millions of links.
--
-- A guardian counts once in a school, once in each class and level of their children, and
-- once nationally / once per academy: the national ("nat*") and academy ("aca*") columns of a
-- school (or school-level) row count only the guardians whose first school (smallest UAI,
-- among the schools of their children, at that level for level rows) is this one, so the
-- sums over schools count each guardian once.

CREATE TABLE "StatsCounter" (
    "schoolUai" VARCHAR(8) NOT NULL REFERENCES "School"(uai) ON DELETE CASCADE,
    "academy" TEXT NOT NULL,
    "dim" TEXT NOT NULL,          -- 'school' | 'class' | 'level'
    "key" TEXT NOT NULL,          -- '' | class id | level
    "notNotified" INTEGER NOT NULL DEFAULT 0,
    "notified" INTEGER NOT NULL DEFAULT 0,
    "activating" INTEGER NOT NULL DEFAULT 0,
    "activated" INTEGER NOT NULL DEFAULT 0,
    "natNotNotified" INTEGER NOT NULL DEFAULT 0,
    "natNotified" INTEGER NOT NULL DEFAULT 0,
    "natActivating" INTEGER NOT NULL DEFAULT 0,
    "natActivated" INTEGER NOT NULL DEFAULT 0,
    "acaNotNotified" INTEGER NOT NULL DEFAULT 0,
    "acaNotified" INTEGER NOT NULL DEFAULT 0,
    "acaActivating" INTEGER NOT NULL DEFAULT 0,
    "acaActivated" INTEGER NOT NULL DEFAULT 0,
    "pupils" INTEGER NOT NULL DEFAULT 0,
    "pupilsWithActivated" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "StatsCounter_pkey" PRIMARY KEY ("schoolUai", "dim", "key")
);
CREATE INDEX "StatsCounter_dim_academy_idx" ON "StatsCounter" ("dim", "academy");

-- Append-only (no key): marking never waits for another transaction.
CREATE TABLE "StatsDirty" ("schoolUai" VARCHAR(8) NOT NULL);
CREATE INDEX "StatsDirty_schoolUai_idx" ON "StatsDirty" ("schoolUai");

-- Recounts the rows of these schools. Refreshes of one school are serialised by a row lock
-- on the school (NO KEY UPDATE: inserts of pupils referencing it are not blocked).
-- A refresh reads a few thousand links by key. Only nested loops over indexes keep its cost
-- proportional to the schools refreshed (the planner otherwise scans whole tables for
-- hash or merge joins), so the function plans without them; its own steps need no join
-- (first schools by window functions, figures merged by UNION ALL + GROUP BY).
CREATE FUNCTION stats_refresh(uais TEXT[]) RETURNS INTEGER
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
DECLARE
  locked TEXT[];
  pupil_ids INTEGER[];
BEGIN
  SELECT array_agg(uai ORDER BY uai) INTO locked FROM (SELECT uai FROM "School" WHERE uai = ANY(uais) ORDER BY uai FOR NO KEY UPDATE) s;
  DELETE FROM "StatsDirty" WHERE "schoolUai" = ANY(uais);
  DELETE FROM "StatsCounter" WHERE "schoolUai" = ANY(uais);
  IF locked IS NULL THEN
    RETURN 0;
  END IF;
  SELECT array_agg(id) INTO pupil_ids FROM "Pupil" WHERE "schoolUai" = ANY(locked);
  INSERT INTO "StatsCounter"
  WITH live AS MATERIALIZED (
    -- the live guardians of these schools' pupils
    SELECT DISTINCT g.id, g.state::text AS state
    FROM "PupilGuardian" pg JOIN "Guardian" g ON g.id = pg."guardianId"
    WHERE pg."pupilId" = ANY(pupil_ids) AND g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL
  ),
  theirs AS (
    -- every child of those guardians, in any school, with each guardian's first schools
    SELECT l.id AS guardian, l.state, p.id AS pupil, p."schoolUai" AS school, s.academy, p."classId"::text AS class, c.level,
           min(p."schoolUai") OVER (PARTITION BY l.id) AS nat_first,
           min(p."schoolUai") OVER (PARTITION BY l.id, s.academy) AS aca_first,
           min(p."schoolUai") OVER (PARTITION BY l.id, c.level) AS natl_first,
           min(p."schoolUai") OVER (PARTITION BY l.id, s.academy, c.level) AS acal_first
    FROM live l
    JOIN "PupilGuardian" pg ON pg."guardianId" = l.id
    JOIN "Pupil" p ON p.id = pg."pupilId"
    JOIN "School" s ON s.uai = p."schoolUai"
    JOIN "SchoolClass" c ON c.id = p."classId"
  ),
  mine AS MATERIALIZED (SELECT * FROM theirs WHERE school = ANY(locked)),
  owned AS (
    SELECT DISTINCT school, academy, 'school' AS dim, '' AS key, guardian, state, nat_first = school AS nat, aca_first = school AS aca FROM mine
    UNION ALL
    SELECT DISTINCT school, academy, 'level', level, guardian, state, natl_first = school, acal_first = school FROM mine
    UNION ALL
    SELECT DISTINCT school, academy, 'class', class, guardian, state, false, false FROM mine
  ),
  figures AS (
    SELECT school, academy, dim, key,
           count(*) FILTER (WHERE state = 'NOT_NOTIFIED') AS nn, count(*) FILTER (WHERE state = 'NOTIFIED') AS nt,
           count(*) FILTER (WHERE state = 'ACTIVATING') AS ai, count(*) FILTER (WHERE state = 'ACTIVATED') AS ad,
           count(*) FILTER (WHERE nat AND state = 'NOT_NOTIFIED') AS n_nn, count(*) FILTER (WHERE nat AND state = 'NOTIFIED') AS n_nt,
           count(*) FILTER (WHERE nat AND state = 'ACTIVATING') AS n_ai, count(*) FILTER (WHERE nat AND state = 'ACTIVATED') AS n_ad,
           count(*) FILTER (WHERE aca AND state = 'NOT_NOTIFIED') AS a_nn, count(*) FILTER (WHERE aca AND state = 'NOTIFIED') AS a_nt,
           count(*) FILTER (WHERE aca AND state = 'ACTIVATING') AS a_ai, count(*) FILTER (WHERE aca AND state = 'ACTIVATED') AS a_ad,
           0 AS pupils, 0 AS pa
    FROM owned GROUP BY school, academy, dim, key
    UNION ALL
    -- pupils with at least one activated guardian
    SELECT school, academy,
           CASE WHEN GROUPING(class) = 0 THEN 'class' WHEN GROUPING(level) = 0 THEN 'level' ELSE 'school' END,
           COALESCE(class, level, ''), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(DISTINCT pupil)
    FROM mine WHERE state = 'ACTIVATED'
    GROUP BY GROUPING SETS ((school, academy), (school, academy, class), (school, academy, level))
    UNION ALL
    -- every pupil (with or without a guardian)
    SELECT p."schoolUai", s.academy,
           CASE WHEN GROUPING(p."classId") = 0 THEN 'class' WHEN GROUPING(c.level) = 0 THEN 'level' ELSE 'school' END,
           COALESCE(p."classId"::text, c.level, ''), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0
    FROM "Pupil" p JOIN "School" s ON s.uai = p."schoolUai" JOIN "SchoolClass" c ON c.id = p."classId"
    WHERE p.id = ANY(pupil_ids)
    GROUP BY GROUPING SETS ((p."schoolUai", s.academy), (p."schoolUai", s.academy, p."classId"), (p."schoolUai", s.academy, c.level))
  )
  SELECT school, academy, dim, key, sum(nn), sum(nt), sum(ai), sum(ad), sum(n_nn), sum(n_nt), sum(n_ai), sum(n_ad),
         sum(a_nn), sum(a_nt), sum(a_ai), sum(a_ad), sum(pupils), sum(pa)
  FROM figures GROUP BY school, academy, dim, key;
  RETURN array_length(locked, 1);
END;
$$;

-- Marking: the schools of these guardians' children.
CREATE FUNCTION stats_mark_guardians(ids INTEGER[]) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "StatsDirty" ("schoolUai")
  SELECT DISTINCT p."schoolUai" FROM "PupilGuardian" pg JOIN "Pupil" p ON p.id = pg."pupilId" WHERE pg."guardianId" = ANY(ids);
$$;

-- A guardian's state alone changed (the common case: notification, activation): the
-- counter rows of their schools are adjusted at once, in this transaction, without a
-- recount. Locks: FOR SHARE on the schools waits for a refresh under way and keeps a new one
-- from reading before this transaction ends; counter rows are locked in key order.
CREATE FUNCTION stats_apply_states(changed JSONB) RETURNS VOID
LANGUAGE plpgsql SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off AS $$
BEGIN
  IF to_regclass('pg_temp.stats_delta') IS NULL THEN
    CREATE TEMP TABLE stats_delta (
      "schoolUai" VARCHAR(8), dim TEXT, key TEXT,
      nn INT, nt INT, ai INT, ad INT, n_nn INT, n_nt INT, n_ai INT, n_ad INT, a_nn INT, a_nt INT, a_ai INT, a_ad INT, pa INT
    ) ON COMMIT DELETE ROWS;
  END IF;
  DELETE FROM stats_delta;
  INSERT INTO stats_delta
  WITH c AS (
    SELECT (e->>'id')::int AS guardian, e->>'old' AS old, e->>'new' AS new FROM jsonb_array_elements(changed) e
  ),
  theirs AS (
    SELECT c.guardian, c.old, c.new, p.id AS pupil, p."schoolUai" AS school, p."classId"::text AS class, cl.level,
           min(p."schoolUai") OVER (PARTITION BY c.guardian) AS nat_first,
           min(p."schoolUai") OVER (PARTITION BY c.guardian, s.academy) AS aca_first,
           min(p."schoolUai") OVER (PARTITION BY c.guardian, cl.level) AS natl_first,
           min(p."schoolUai") OVER (PARTITION BY c.guardian, s.academy, cl.level) AS acal_first
    FROM c
    JOIN "PupilGuardian" pg ON pg."guardianId" = c.guardian
    JOIN "Pupil" p ON p.id = pg."pupilId"
    JOIN "School" s ON s.uai = p."schoolUai"
    JOIN "SchoolClass" cl ON cl.id = p."classId"
  ),
  units AS (
    SELECT DISTINCT school, 'school' AS dim, '' AS key, guardian, old, new, nat_first = school AS nat, aca_first = school AS aca FROM theirs
    UNION ALL SELECT DISTINCT school, 'level', level, guardian, old, new, natl_first = school, acal_first = school FROM theirs
    UNION ALL SELECT DISTINCT school, 'class', class, guardian, old, new, false, false FROM theirs
  ),
  -- pupils whose "at least one activated guardian" changes
  pupils AS (
    SELECT t.pupil, t.school, t.class, t.level,
           bool_or(t.old = 'ACTIVATED') AS was_by_changed, bool_or(t.new = 'ACTIVATED') AS is_by_changed
    FROM theirs t GROUP BY t.pupil, t.school, t.class, t.level
  ),
  flips AS (
    SELECT p.school, p.class, p.level, (CASE WHEN p.is_by_changed THEN 1 ELSE 0 END) - (CASE WHEN p.was_by_changed THEN 1 ELSE 0 END) AS d
    FROM pupils p
    WHERE p.was_by_changed <> p.is_by_changed
      AND NOT EXISTS (
        SELECT 1 FROM "PupilGuardian" pg JOIN "Guardian" g ON g.id = pg."guardianId"
        WHERE pg."pupilId" = p.pupil AND g.state = 'ACTIVATED' AND g."mergedIntoId" IS NULL AND g."deletedAt" IS NULL
          AND NOT (g.id = ANY(ARRAY(SELECT guardian FROM c))))
  ),
  d AS (
    SELECT school, dim, key,
           (new = 'NOT_NOTIFIED')::int - (old = 'NOT_NOTIFIED')::int AS nn, (new = 'NOTIFIED')::int - (old = 'NOTIFIED')::int AS nt,
           (new = 'ACTIVATING')::int - (old = 'ACTIVATING')::int AS ai, (new = 'ACTIVATED')::int - (old = 'ACTIVATED')::int AS ad,
           nat, aca, 0 AS pa
    FROM units
  )
  SELECT school, dim, key, sum(nn), sum(nt), sum(ai), sum(ad),
         sum(nn) FILTER (WHERE nat), sum(nt) FILTER (WHERE nat), sum(ai) FILTER (WHERE nat), sum(ad) FILTER (WHERE nat),
         sum(nn) FILTER (WHERE aca), sum(nt) FILTER (WHERE aca), sum(ai) FILTER (WHERE aca), sum(ad) FILTER (WHERE aca), 0
  FROM d GROUP BY school, dim, key
  UNION ALL
  SELECT school, x.dim, x.key, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, d
  FROM flips, LATERAL (VALUES ('school', ''), ('class', class), ('level', level)) AS x(dim, key);

  PERFORM 1 FROM "School" WHERE uai IN (SELECT "schoolUai" FROM stats_delta) ORDER BY uai FOR SHARE;
  PERFORM 1 FROM "StatsCounter" c
    WHERE ("schoolUai", dim, key) IN (SELECT "schoolUai", dim, key FROM stats_delta)
    ORDER BY "schoolUai", dim, key FOR UPDATE;
  -- A school without its rows is dirty: its refresh will count everything.
  UPDATE "StatsCounter" c SET
    "notNotified" = c."notNotified" + t.nn, notified = c.notified + t.nt, activating = c.activating + t.ai, activated = c.activated + t.ad,
    "natNotNotified" = c."natNotNotified" + t.n_nn, "natNotified" = c."natNotified" + t.n_nt,
    "natActivating" = c."natActivating" + t.n_ai, "natActivated" = c."natActivated" + t.n_ad,
    "acaNotNotified" = c."acaNotNotified" + t.a_nn, "acaNotified" = c."acaNotified" + t.a_nt,
    "acaActivating" = c."acaActivating" + t.a_ai, "acaActivated" = c."acaActivated" + t.a_ad,
    "pupilsWithActivated" = c."pupilsWithActivated" + t.pa
  FROM (
    SELECT "schoolUai", dim, key, sum(nn) AS nn, sum(nt) AS nt, sum(ai) AS ai, sum(ad) AS ad,
           COALESCE(sum(n_nn), 0) AS n_nn, COALESCE(sum(n_nt), 0) AS n_nt, COALESCE(sum(n_ai), 0) AS n_ai, COALESCE(sum(n_ad), 0) AS n_ad,
           COALESCE(sum(a_nn), 0) AS a_nn, COALESCE(sum(a_nt), 0) AS a_nt, COALESCE(sum(a_ai), 0) AS a_ai, COALESCE(sum(a_ad), 0) AS a_ad,
           sum(pa) AS pa
    FROM stats_delta GROUP BY "schoolUai", dim, key
  ) t
  WHERE c."schoolUai" = t."schoolUai" AND c.dim = t.dim AND c.key = t.key;
  DELETE FROM stats_delta;
END;
$$;

CREATE FUNCTION stats_guardian_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  states JSONB;
BEGIN
  -- Merged, deleted or restored: membership changes, the schools are recounted.
  PERFORM stats_mark_guardians(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n."mergedIntoId" IS DISTINCT FROM o."mergedIntoId" OR n."deletedAt" IS DISTINCT FROM o."deletedAt"));
  -- Only the state of a live account: adjusted in place.
  SELECT jsonb_agg(jsonb_build_object('id', n.id, 'old', o.state::text, 'new', n.state::text)) INTO states
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE n.state IS DISTINCT FROM o.state
    AND n."mergedIntoId" IS NULL AND o."mergedIntoId" IS NULL AND n."deletedAt" IS NULL AND o."deletedAt" IS NULL;
  IF states IS NOT NULL THEN
    PERFORM stats_apply_states(states);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_guardian_update AFTER UPDATE ON "Guardian"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_guardian_changed();

-- A link: the pupil's school, and every school of the guardian (their first school may change).
CREATE FUNCTION stats_links_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO "StatsDirty" ("schoolUai") SELECT DISTINCT p."schoolUai" FROM new_rows l JOIN "Pupil" p ON p.id = l."pupilId";
    PERFORM stats_mark_guardians(ARRAY(SELECT DISTINCT "guardianId" FROM new_rows));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    INSERT INTO "StatsDirty" ("schoolUai") SELECT DISTINCT p."schoolUai" FROM old_rows l JOIN "Pupil" p ON p.id = l."pupilId";
    PERFORM stats_mark_guardians(ARRAY(SELECT DISTINCT "guardianId" FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_links_insert AFTER INSERT ON "PupilGuardian"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_links_update AFTER UPDATE ON "PupilGuardian"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();
CREATE TRIGGER stats_links_delete AFTER DELETE ON "PupilGuardian"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_links_changed();

-- A pupil: its school (before and after), and the schools of its guardians when it moves.
CREATE FUNCTION stats_pupils_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "StatsDirty" ("schoolUai") SELECT DISTINCT "schoolUai" FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "StatsDirty" ("schoolUai") SELECT DISTINCT "schoolUai" FROM old_rows;
  ELSE
    INSERT INTO "StatsDirty" ("schoolUai")
    SELECT n."schoolUai" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n."schoolUai" <> o."schoolUai" OR n."classId" <> o."classId"
    UNION SELECT o."schoolUai" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n."schoolUai" <> o."schoolUai" OR n."classId" <> o."classId";
    PERFORM stats_mark_guardians(ARRAY(
      SELECT pg."guardianId" FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN "PupilGuardian" pg ON pg."pupilId" = n.id
      WHERE n."schoolUai" <> o."schoolUai" OR n."classId" <> o."classId"));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_pupils_insert AFTER INSERT ON "Pupil"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_pupils_changed();
CREATE TRIGGER stats_pupils_update AFTER UPDATE ON "Pupil"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_pupils_changed();
CREATE TRIGGER stats_pupils_delete AFTER DELETE ON "Pupil"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_pupils_changed();

-- A class's level, a school's academy: that school and the schools sharing its guardians.
CREATE FUNCTION stats_classes_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatsDirty" ("schoolUai")
  SELECT n."schoolUai" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.level <> o.level OR n."schoolUai" <> o."schoolUai"
  UNION SELECT o."schoolUai" FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.level <> o.level OR n."schoolUai" <> o."schoolUai";
  PERFORM stats_mark_guardians(ARRAY(
    SELECT DISTINCT pg."guardianId" FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN "Pupil" p ON p."classId" = n.id JOIN "PupilGuardian" pg ON pg."pupilId" = p.id
    WHERE n.level <> o.level OR n."schoolUai" <> o."schoolUai"));
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_classes_update AFTER UPDATE ON "SchoolClass"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_classes_changed();

CREATE FUNCTION stats_schools_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StatsDirty" ("schoolUai") SELECT n.uai FROM new_rows n JOIN old_rows o ON o.uai = n.uai WHERE n.academy <> o.academy;
  PERFORM stats_mark_guardians(ARRAY(
    SELECT DISTINCT pg."guardianId" FROM new_rows n JOIN old_rows o ON o.uai = n.uai
    JOIN "Pupil" p ON p."schoolUai" = n.uai JOIN "PupilGuardian" pg ON pg."pupilId" = p.id
    WHERE n.academy <> o.academy));
  RETURN NULL;
END;
$$;
CREATE TRIGGER stats_schools_update AFTER UPDATE ON "School"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stats_schools_changed();

-- Existing data: every school is counted once at the first read.
INSERT INTO "StatsDirty" ("schoolUai") SELECT uai FROM "School";
