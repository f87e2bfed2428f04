-- Security: a cascade ends exactly where a native DELETE by the same role ends, and delete_plan
-- predicts it: same rows, same triggers and rules, same row-level security, same refusal with
-- the same SQLSTATE. Each case runs the native DELETE and data_bridge's call on the same data.
\set SHOW_CONTEXT never
\set VERBOSITY terse

-- Runs a statement in a savepoint and says what happened: 'ok <rows left per table>' or
-- 'error <sqlstate>'.
CREATE FUNCTION pg_temp.outcome(statement text, tables text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text := 'ok';
    t text;
    n bigint;
BEGIN
    BEGIN
        EXECUTE statement;
        FOREACH t IN ARRAY tables LOOP
            EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
            result := result || ' ' || t || '=' || n;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'P0004', MESSAGE = result;
    EXCEPTION WHEN assert_failure THEN
        RETURN SQLERRM;
    WHEN OTHERS THEN
        RETURN 'error ' || SQLSTATE;
    END;
END $$;

-- The same for a data_bridge call: 'returned N, M went' (rows counted against the tables'
-- row counts before and after).
CREATE FUNCTION pg_temp.returned_count(statement text, tables text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    returned bigint;
    before bigint := 0;
    after bigint := 0;
    n bigint;
    t text;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
        before := before + n;
    END LOOP;
    BEGIN
        EXECUTE statement INTO returned;
        FOREACH t IN ARRAY tables LOOP
            EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
            after := after + n;
        END LOOP;
        RAISE EXCEPTION USING ERRCODE = 'P0004', MESSAGE = format('returned %s, %s went', returned, before - after);
    EXCEPTION WHEN assert_failure THEN
        RETURN SQLERRM;
    WHEN OTHERS THEN
        RETURN 'error ' || SQLSTATE;
    END;
END $$;

-- The issue's repro: RESTRICT reached through a deeper path. PostgreSQL checks t3's RESTRICT
-- reference before the actions the cascade queues itself.
CREATE TABLE t0 (id int PRIMARY KEY);
CREATE TABLE t1 (id int PRIMARY KEY, f1 int REFERENCES t0 ON DELETE CASCADE);
CREATE TABLE t3 (id int PRIMARY KEY, f1 int REFERENCES t0 ON DELETE RESTRICT,
                 f2 int REFERENCES t1 ON DELETE CASCADE);
INSERT INTO t0 VALUES (4); INSERT INTO t1 VALUES (3, 4); INSERT INTO t3 VALUES (2, 4, 3);
SELECT pg_temp.outcome('DELETE FROM t0 WHERE id = 4', '{t0,t1,t3}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''t0'', 4)', '{t0,t1,t3}') AS cascade,
       pg_temp.outcome('SELECT delete_checked(''t0'', 4)', '{t0,t1,t3}') AS checked;
SELECT depth, table_name, constraint_name, action, "rows", blocks FROM delete_plan('t0', 4) ORDER BY depth, constraint_name;
SELECT delete_with_cascade('t0', 4);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE t3, t1, t0;

-- A parent protected by a BEFORE DELETE trigger that returns NULL: nothing is deleted, the
-- children neither, and the count says so.
CREATE TABLE guarded_parent (id int PRIMARY KEY);
CREATE TABLE guarded_child (id int PRIMARY KEY, p int REFERENCES guarded_parent ON DELETE CASCADE);
INSERT INTO guarded_parent VALUES (1);
INSERT INTO guarded_child VALUES (1, 1), (2, 1);
CREATE FUNCTION pg_temp.keep_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER keep BEFORE DELETE ON guarded_parent FOR EACH ROW EXECUTE FUNCTION pg_temp.keep_row();
SELECT pg_temp.outcome('DELETE FROM guarded_parent WHERE id = 1', '{guarded_parent,guarded_child}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''guarded_parent'', 1)', '{guarded_parent,guarded_child}') AS cascade;
SELECT delete_with_cascade('guarded_parent', 1) AS deleted;
SELECT action, blocks FROM delete_plan('guarded_parent', 1) ORDER BY depth;
DROP TRIGGER keep ON guarded_parent;
-- A DO INSTEAD NOTHING rule: the same.
CREATE RULE keep_rule AS ON DELETE TO guarded_parent DO INSTEAD NOTHING;
SELECT pg_temp.outcome('DELETE FROM guarded_parent WHERE id = 1', '{guarded_parent,guarded_child}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''guarded_parent'', 1)', '{guarded_parent,guarded_child}') AS cascade;
SELECT delete_with_cascade('guarded_parent', 1) AS deleted;
DROP RULE keep_rule ON guarded_parent;
-- A trigger on the child that refuses: the refusal is the trigger's, as native.
CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'children are kept' USING ERRCODE = 'P0001'; END $$;
CREATE TRIGGER refuse BEFORE DELETE ON guarded_child FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse();
SELECT pg_temp.outcome('DELETE FROM guarded_parent WHERE id = 1', '{guarded_parent,guarded_child}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''guarded_parent'', 1)', '{guarded_parent,guarded_child}') AS cascade;
SELECT * FROM delete_plan('guarded_parent', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE guarded_child, guarded_parent;

-- delete_plan predicts the refusals a native DELETE raises: SET NULL into a NOT NULL column
-- (23502), SET DEFAULT whose default is missing (23503) or is the row being deleted (23503).
CREATE TABLE sp (id int PRIMARY KEY);
CREATE TABLE sp_not_null (id int PRIMARY KEY, p int NOT NULL REFERENCES sp ON DELETE SET NULL);
INSERT INTO sp VALUES (1), (2), (3);
INSERT INTO sp_not_null VALUES (1, 1);
SELECT pg_temp.outcome('DELETE FROM sp WHERE id = 1', '{sp}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''sp'', 1)', '{sp}') AS cascade;
SELECT table_name, action, blocks FROM delete_plan('sp', 1) ORDER BY depth;
CREATE TABLE sp_default (id int PRIMARY KEY, p int DEFAULT 99 REFERENCES sp ON DELETE SET DEFAULT);
CREATE TABLE sp_default_self (id int PRIMARY KEY, p int DEFAULT 2 REFERENCES sp ON DELETE SET DEFAULT);
INSERT INTO sp_default VALUES (1, 3);
INSERT INTO sp_default_self VALUES (1, 2);
SELECT pg_temp.outcome('DELETE FROM sp WHERE id = 3', '{sp}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''sp'', 3)', '{sp}') AS cascade;
SELECT table_name, action, blocks FROM delete_plan('sp', 3) ORDER BY depth;
SELECT pg_temp.outcome('DELETE FROM sp WHERE id = 2', '{sp}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''sp'', 2)', '{sp}') AS cascade;
SELECT table_name, action, blocks FROM delete_plan('sp', 2) ORDER BY depth;
-- The refusals keep PostgreSQL's SQLSTATE: 23502 and 23503, never data_bridge's own.
SELECT delete_with_cascade('sp', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_checked('sp', 3);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE sp_default_self, sp_default, sp_not_null, sp;

-- Row-level security on a table of the cascade: rows the caller's policies hide are deleted by
-- PostgreSQL's own cascade (as its owner), as a plain DELETE deletes them, and never counted.
CREATE ROLE sec_tenant NOLOGIN;
GRANT USAGE ON SCHEMA public TO sec_tenant;
CREATE TABLE rls_parent (id int PRIMARY KEY);
CREATE TABLE rls_child (id int PRIMARY KEY, p int REFERENCES rls_parent ON DELETE CASCADE, tenant text);
INSERT INTO rls_parent VALUES (1), (2);
INSERT INTO rls_child VALUES (1, 1, 'mine'), (2, 1, 'theirs'), (3, 1, 'theirs'), (4, 2, 'mine');
ALTER TABLE rls_child ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON rls_child USING (tenant = 'mine');
GRANT SELECT, DELETE ON rls_parent, rls_child TO sec_tenant;
SET ROLE sec_tenant;
SELECT depth, table_name, "rows", rows_exist FROM delete_plan('rls_parent', 1) ORDER BY depth;
SELECT delete_with_cascade('rls_parent', 1) AS counted;
RESET ROLE;
SELECT count(*) AS children_left FROM rls_child;
DROP TABLE rls_child, rls_parent;

-- Row-level security on the root: a row hidden by the caller's policy is not deleted, as with a
-- plain DELETE (0, no error).
CREATE TABLE rls_root (id int PRIMARY KEY, tenant text);
INSERT INTO rls_root VALUES (1, 'mine'), (2, 'theirs');
ALTER TABLE rls_root ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON rls_root USING (tenant = 'mine');
GRANT SELECT, DELETE ON rls_root TO sec_tenant;
SET ROLE sec_tenant;
SELECT delete_with_cascade('rls_root', 2) AS hidden, delete_with_cascade('rls_root', 1) AS visible;
SELECT "rows" FROM delete_plan('rls_root', 2);
RESET ROLE;
SELECT array_agg(id) AS left FROM rls_root;
DROP TABLE rls_root;

-- An array-typed primary key referenced by a foreign key.
CREATE TABLE arr_parent (k int[] PRIMARY KEY);
CREATE TABLE arr_child (id int PRIMARY KEY, k int[] REFERENCES arr_parent ON DELETE CASCADE);
INSERT INTO arr_parent VALUES ('{1,2}'), ('{3}');
INSERT INTO arr_child VALUES (1, '{1,2}'), (2, '{1,2}'), (3, '{3}');
SELECT depth, table_name, "rows" FROM delete_plan('arr_parent', '{1,2}'::int[]) ORDER BY depth;
SELECT delete_with_cascade('arr_parent', '{1,2}'::int[]) AS deleted;
SELECT count(*) AS children_left FROM arr_child;
DROP TABLE arr_child, arr_parent;

-- Triggers on every table of a cascade fire as they do for a plain DELETE.
CREATE TABLE trig_log (what text);
CREATE TABLE trig_a (id int PRIMARY KEY);
CREATE TABLE trig_b (id int PRIMARY KEY, a int REFERENCES trig_a ON DELETE CASCADE);
CREATE TABLE trig_c (id int PRIMARY KEY, b int REFERENCES trig_b ON DELETE SET NULL);
CREATE FUNCTION pg_temp.log_it() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trig_log VALUES (TG_TABLE_NAME || ' ' || TG_WHEN || ' ' || TG_OP);
    IF TG_OP = 'UPDATE' THEN RETURN NEW; END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER log_a BEFORE DELETE ON trig_a FOR EACH ROW EXECUTE FUNCTION pg_temp.log_it();
CREATE TRIGGER log_b AFTER DELETE ON trig_b FOR EACH ROW EXECUTE FUNCTION pg_temp.log_it();
CREATE TRIGGER log_c BEFORE UPDATE ON trig_c FOR EACH ROW EXECUTE FUNCTION pg_temp.log_it();
INSERT INTO trig_a VALUES (1), (2);
INSERT INTO trig_b VALUES (1, 1), (2, 2);
INSERT INTO trig_c VALUES (1, 1), (2, 2);
DELETE FROM trig_a WHERE id = 1;
SELECT delete_with_cascade('trig_a', 2) AS deleted;
SELECT what, count(*) FROM trig_log GROUP BY what ORDER BY what;
SELECT * FROM trig_c ORDER BY id;
-- delete_plan's trial run leaves nothing behind.
INSERT INTO trig_a VALUES (3); INSERT INTO trig_b VALUES (3, 3);
TRUNCATE trig_log;
SELECT count(*) AS plan_lines FROM delete_plan('trig_a', 3);
SELECT count(*) AS log_rows, (SELECT count(*) FROM trig_b) AS b_rows FROM trig_log;
DROP TABLE trig_c, trig_b, trig_a, trig_log;

DROP OWNED BY sec_tenant;
DROP ROLE sec_tenant;

-- A key of another type is compared as a plain WHERE compares it, never rounded by a cast:
-- 1.5 matches no integer key, a bigint past int4's range matches none (no 22003).
CREATE TABLE lossy (id int PRIMARY KEY);
CREATE TABLE lossy_child (id int PRIMARY KEY, p int REFERENCES lossy ON DELETE CASCADE);
INSERT INTO lossy VALUES (1), (2), (3);
INSERT INTO lossy_child VALUES (1, 2), (2, 3);
SELECT pg_temp.outcome('DELETE FROM lossy WHERE id = 1.5', '{lossy,lossy_child}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''lossy'', 1.5)', '{lossy,lossy_child}') AS cascade,
       pg_temp.outcome('SELECT delete_many_with_cascade(''lossy'', ARRAY[1.5, 2.5])', '{lossy,lossy_child}') AS many,
       pg_temp.outcome('SELECT delete_each_with_cascade(''lossy'', ARRAY[1.5], ''raise'')', '{lossy,lossy_child}') AS each;
SELECT pg_temp.outcome('DELETE FROM lossy WHERE id = 4294967298::int8', '{lossy}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''lossy'', 4294967298::int8)', '{lossy}') AS cascade;
SELECT pg_temp.outcome('DELETE FROM lossy WHERE id = 2::int8', '{lossy,lossy_child}') AS native,
       pg_temp.outcome('SELECT delete_with_cascade(''lossy'', 2::int8)', '{lossy,lossy_child}') AS cascade,
       pg_temp.outcome('SELECT delete_with_cascade(''lossy'', ''2''::text)', '{lossy,lossy_child}') AS as_text;
SELECT count(*) AS plan_lines FROM delete_plan('lossy', 2.5);
SELECT fetch_one_with_relations('lossy', 2.6) AS none, fetch_one_with_relations('lossy', 3.0) ->> 'id' AS three,
       fetch_referenced('lossy', 'id', 2.6) AS none_either;
-- An array-typed key: delete_many_with_cascade refuses (its argument would be flattened).
CREATE TABLE arr_key (k int[] PRIMARY KEY);
SELECT delete_many_with_cascade('arr_key', ARRAY['{1}'::int[]]);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE arr_key, lossy_child, lossy;

-- delete_plan's lines do not depend on rows the caller cannot read: a child table the caller
-- has no privilege on shows no line whether it has referencing rows or not.
CREATE ROLE sec_planner NOLOGIN;
GRANT USAGE ON SCHEMA public TO sec_planner;
CREATE TABLE plan_parent (id int PRIMARY KEY);
CREATE TABLE plan_secret (id int PRIMARY KEY, pid int REFERENCES plan_parent ON DELETE CASCADE);
CREATE TABLE plan_secret_nulls (id int PRIMARY KEY, pid int REFERENCES plan_parent ON DELETE SET NULL);
INSERT INTO plan_parent VALUES (1), (2), (3);
INSERT INTO plan_secret VALUES (10, 1);
INSERT INTO plan_secret_nulls VALUES (10, 1);
GRANT SELECT, DELETE ON plan_parent TO sec_planner;
SET ROLE sec_planner;
SELECT depth, table_name, "rows" FROM delete_plan('plan_parent', 1) ORDER BY depth, table_name::text;
SELECT depth, table_name, "rows" FROM delete_plan('plan_parent', 3) ORDER BY depth, table_name::text;
RESET ROLE;

-- delete_plan counts what the DELETE does, not what the walk reaches: a DELETE policy that
-- refuses the row, a BEFORE trigger that keeps some children.
CREATE TABLE pol (id int PRIMARY KEY, locked bool);
CREATE TABLE pol_child (id int PRIMARY KEY, pid int REFERENCES pol ON DELETE CASCADE);
INSERT INTO pol VALUES (1, true), (2, false);
INSERT INTO pol_child VALUES (1, 1), (2, 1), (3, 2), (4, 2);
ALTER TABLE pol ENABLE ROW LEVEL SECURITY;
CREATE POLICY see ON pol FOR SELECT USING (true);
CREATE POLICY del ON pol FOR DELETE USING (NOT locked);
GRANT SELECT, DELETE ON pol, pol_child TO sec_planner;
CREATE FUNCTION pg_temp.keep_odd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF OLD.id % 2 = 1 THEN RETURN NULL; END IF; RETURN OLD; END $$;
CREATE TRIGGER keep_odd BEFORE DELETE ON pol_child FOR EACH ROW EXECUTE FUNCTION pg_temp.keep_odd();
SET ROLE sec_planner;
SELECT depth, table_name, "rows" FROM delete_plan('pol', 1) ORDER BY depth;
SELECT delete_with_cascade('pol', 1) AS deleted_locked;
SELECT depth, table_name, "rows" FROM delete_plan('pol', 2) ORDER BY depth;
SELECT delete_with_cascade('pol', 2) AS deleted_open;
RESET ROLE;
SELECT array_agg(id ORDER BY id) AS children_left FROM pol_child;
DROP TABLE pol_child, pol, plan_secret_nulls, plan_secret, plan_parent;
DROP OWNED BY sec_planner;
DROP ROLE sec_planner;

-- The count is of rows deleted for good: a trigger's subtransaction that deleted rows and rolled
-- back does not count.
CREATE TABLE q (id int PRIMARY KEY);
CREATE TABLE q_child (id int PRIMARY KEY, q_id int REFERENCES q ON DELETE CASCADE);
INSERT INTO q VALUES (1), (2);
INSERT INTO q_child VALUES (1, 1), (2, 2);
CREATE FUNCTION pg_temp.undone_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        DELETE FROM q_child WHERE q_id = OLD.id;
        RAISE EXCEPTION 'undo';
    EXCEPTION WHEN raise_exception THEN NULL;
    END;
    RETURN OLD;
END $$;
CREATE TRIGGER undone BEFORE DELETE ON q FOR EACH ROW EXECUTE FUNCTION pg_temp.undone_delete();
SELECT pg_temp.outcome('DELETE FROM q WHERE id = 1', '{q,q_child}') AS native,
       pg_temp.returned_count('SELECT delete_with_cascade(''q'', 1)', '{q,q_child}') AS cascade;
DROP TABLE q_child, q;

-- Keys of a type PostgreSQL does not compare with the column are refused as a plain WHERE
-- refuses them (42883), never converted by an explicit cast ("char" '1' is not 49, true not 1;
-- "char", which both the polymorphic and the text form accept, is ambiguous: 42725).
CREATE TABLE m (id int PRIMARY KEY);
INSERT INTO m VALUES (1), (2), (5), (49);
SELECT delete_with_cascade('m', '1'::"char");
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('m', B'101');
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('m', true);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_many_with_cascade('m', ARRAY['1.5'::jsonb]);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_each_with_cascade('m', ARRAY['2'::jsonb], 'skip') -> 0 ->> 'sqlstate' AS each_sqlstate;
SELECT fetch_one_with_relations('m', true);
\echo :LAST_ERROR_SQLSTATE
SELECT array_agg(id ORDER BY id) AS m_left FROM m;
DROP TABLE m;

-- The walk compares referencing columns with key values as PostgreSQL's foreign-key triggers
-- do: an integer key referencing a numeric or bigint key is never rounded nor overflows.
CREATE TABLE np (id numeric PRIMARY KEY);
CREATE TABLE nc (id int PRIMARY KEY, p int REFERENCES np ON DELETE CASCADE);
CREATE TABLE ngc (id int PRIMARY KEY, c int REFERENCES nc ON DELETE RESTRICT);
INSERT INTO np VALUES (1.5), (2), ('NaN');
INSERT INTO nc VALUES (1, 2);
INSERT INTO ngc VALUES (1, 1);
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('np', 1.5) ORDER BY depth;
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('np', 'NaN'::numeric) ORDER BY depth;
CREATE TABLE bp (id bigint PRIMARY KEY);
CREATE TABLE bc (id int PRIMARY KEY, p int REFERENCES bp ON DELETE CASCADE);
INSERT INTO bp VALUES (5000000000), (3);
INSERT INTO bc VALUES (1, 3);
SELECT depth, table_name, "rows" FROM delete_plan('bp', 5000000000) ORDER BY depth;
SELECT depth, table_name, "rows" FROM delete_plan('bp', 3) ORDER BY depth;
DROP TABLE bc, bp, ngc, nc, np;

-- A refusal's line through a table the caller cannot read shows that PostgreSQL refuses there,
-- and no count.
CREATE ROLE sec_hidden NOLOGIN;
GRANT USAGE ON SCHEMA public TO sec_hidden;
CREATE TABLE ha (id int PRIMARY KEY);
CREATE TABLE hh (id int PRIMARY KEY, a_id int REFERENCES ha ON DELETE CASCADE);
CREATE TABLE hv (id int PRIMARY KEY, h_id int REFERENCES hh ON DELETE RESTRICT);
INSERT INTO ha VALUES (1);
INSERT INTO hh VALUES (10, 1), (11, 1);
INSERT INTO hv VALUES (1, 10), (2, 11);
GRANT SELECT, DELETE ON ha, hv TO sec_hidden;
SET ROLE sec_hidden;
SELECT depth, path, table_name, action, "rows", rows_exist, blocks FROM delete_plan('ha', 1) ORDER BY depth;
RESET ROLE;
DROP TABLE hv, hh, ha;
DROP OWNED BY sec_hidden;
DROP ROLE sec_hidden;

-- A row a BEFORE DELETE trigger keeps by updating it instead is not counted as deleted.
CREATE TABLE tp (id int PRIMARY KEY);
CREATE TABLE tc (id int PRIMARY KEY, p int REFERENCES tp ON DELETE CASCADE, archived bool DEFAULT false);
INSERT INTO tp VALUES (1);
INSERT INTO tc VALUES (1, 1), (2, 1);
CREATE FUNCTION pg_temp.archive_instead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.id = 2 THEN
        UPDATE tc SET archived = true WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER archive BEFORE DELETE ON tc FOR EACH ROW EXECUTE FUNCTION pg_temp.archive_instead();
SELECT depth, table_name, "rows" FROM delete_plan('tp', 1) ORDER BY depth;
SELECT pg_temp.returned_count('SELECT delete_with_cascade(''tp'', 1)', '{tp,tc}') AS cascade;
DROP TABLE tc, tp;

-- A root key in an inheritance parent and its child: each root row once.
CREATE TABLE ip (id int PRIMARY KEY);
CREATE TABLE ipc (id int PRIMARY KEY) INHERITS (ip);
INSERT INTO ip VALUES (1);
INSERT INTO ipc VALUES (1);
SELECT depth, table_name, "rows" FROM delete_plan('ip', 1) ORDER BY depth;
SELECT pg_temp.returned_count('SELECT delete_with_cascade(''ip'', 1)', '{ip}') AS cascade;
DROP TABLE ipc, ip;

-- A deferred NO ACTION reference is checked at commit, after the call: blocks is NULL there.
CREATE TABLE dp (id int PRIMARY KEY);
CREATE TABLE dc (id int PRIMARY KEY, p int REFERENCES dp DEFERRABLE INITIALLY DEFERRED);
INSERT INTO dp VALUES (1);
INSERT INTO dc VALUES (1, 1);
SELECT depth, table_name, action, "rows", blocks IS NULL AS decided_at_commit FROM delete_plan('dp', 1) ORDER BY depth;
DROP TABLE dc, dp;

-- A key type with its own equality (citext): a key passed as citext or as text compares as a
-- plain WHERE k = 'abc' compares it (case-insensitively), and the walk follows a foreign key
-- from a domain over citext with citext's equality, as the foreign key's own operator does.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE DOMAIN ci_domain AS citext;
CREATE TABLE ci (k citext PRIMARY KEY);
CREATE TABLE cic (id int PRIMARY KEY, k ci_domain REFERENCES ci ON DELETE CASCADE);
INSERT INTO ci VALUES ('ABC');
INSERT INTO cic VALUES (1, 'abc');
SELECT fetch_referenced('ci', 'k', 'abc'::citext) AS as_citext, fetch_referenced('ci', 'k', 'abc'::text) AS as_text,
       fetch_one_with_relations('ci', 'abc') AS untyped;
SELECT backref_count('cic', 'k', 'ABC'::ci_domain) AS through_domain;
SELECT depth, table_name, "rows" FROM delete_plan('ci', 'ABC') ORDER BY depth;
SELECT pg_temp.outcome('DELETE FROM ci WHERE k = ''abc''::citext', '{ci,cic}') AS native,
       pg_temp.returned_count('SELECT delete_with_cascade(''ci'', ''abc''::citext)', '{ci,cic}') AS cascade;
DROP TABLE cic, ci;
DROP DOMAIN ci_domain;
DROP EXTENSION citext;

-- A one-column key of a domain over jsonb takes a jsonb value as the key itself.
CREATE DOMAIN json_key AS jsonb;
CREATE TABLE djk (id json_key PRIMARY KEY, note text);
INSERT INTO djk VALUES ('{"a": 1}', 'object key');
SELECT fetch_one_with_relations('djk', '{"a": 1}'::jsonb) ->> 'note' AS note;
DROP TABLE djk;
DROP DOMAIN json_key;
