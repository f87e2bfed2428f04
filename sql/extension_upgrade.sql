-- ALTER EXTENSION data_bridge UPDATE from 0.1.0 (to 0.2.0, 0.3.0, 0.4.0, 0.5.0, 0.6.0, then 0.7.0) keeps objects that depend on the extension
-- working, and leaves exactly the catalog entries a fresh CREATE EXTENSION of the new version
-- makes (functions, arguments, volatility, strictness, parallel labels, security, ACLs,
-- comments, schemas).
\set SHOW_CONTEXT never
\set VERBOSITY terse

-- Every catalog fact of the extension's objects, one row each.
CREATE FUNCTION pg_temp.surface() RETURNS TABLE (fact text) LANGUAGE sql AS $$
    SELECT format('function %s.%s returns %s lang=%s volatile=%s strict=%s parallel=%s secdef=%s acl=%s symbol=%s comment=%s',
                  n.nspname, p.oid::regprocedure, pg_get_function_result(p.oid), l.lanname,
                  p.provolatile, p.proisstrict, p.proparallel, p.prosecdef, p.proacl, p.prosrc,
                  obj_description(p.oid, 'pg_proc'))
    FROM pg_proc p
    JOIN pg_namespace n ON n.oid = p.pronamespace
    JOIN pg_language l ON l.oid = p.prolang
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge'
    UNION ALL
    SELECT format('schema %s acl=%s comment=%s', n.nspname, n.nspacl, obj_description(n.oid, 'pg_namespace'))
    FROM pg_namespace n
    JOIN pg_depend d ON d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e'
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge'
$$;

DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge VERSION '0.1.0';
CREATE TABLE up_users (id int PRIMARY KEY, name text);
CREATE TABLE up_posts (id int PRIMARY KEY, user_id int REFERENCES up_users ON DELETE CASCADE);
INSERT INTO up_users VALUES (1, 'a'), (2, 'b');
INSERT INTO up_posts VALUES (1, 1), (2, 2);
CREATE VIEW up_backrefs AS SELECT source_table, on_delete FROM get_backreferences('up_users');
CREATE FUNCTION up_user(int) RETURNS jsonb LANGUAGE sql
    AS $$ SELECT fetch_with_relations(jsonb_build_object('table', 'up_users', 'id', $1,
          'relations', jsonb_build_array(jsonb_build_object('name', 'posts', 'table', 'up_posts')))) $$;
SELECT * FROM up_backrefs;
SELECT up_user(1);

ALTER EXTENSION data_bridge UPDATE TO '0.2.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
SELECT * FROM up_backrefs;
SELECT up_user(1);
SELECT delete_with_cascade('up_users', 2) AS deleted;
-- 0.3.0 drops the deprecated three-argument delete_many_with_cascade: a view calling it stops
-- the update with PostgreSQL's dependency error, and nothing changes.
CREATE VIEW up_old_call AS SELECT delete_many_with_cascade('up_users', ARRAY[9], 'skip') AS r;
ALTER EXTENSION data_bridge UPDATE TO '0.3.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
DROP VIEW up_old_call;
ALTER EXTENSION data_bridge UPDATE TO '0.3.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
SELECT * FROM up_backrefs;
SELECT up_user(1);
SELECT insert_with_relations('up_users', '{"id": 3, "name": "c", "up_posts": [{"id": 3}]}') AS inserted;
-- 0.4.0 adds back references through a junction.
ALTER EXTENSION data_bridge UPDATE TO '0.4.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
-- 0.5.0 adds the json forms of the eager loads and cache_memory().
ALTER EXTENSION data_bridge UPDATE TO '0.5.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
SELECT fetch_one_with_relations_json('up_users', 1, '[{"name": "posts", "table": "up_posts"}]') AS as_json;
SELECT plan_bytes > 0 AS plans_measured FROM cache_memory();
-- 0.6.0 adds the counters a cascade on Citus reads on the workers.
ALTER EXTENSION data_bridge UPDATE TO '0.6.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
BEGIN;
SELECT delete_with_cascade('up_users', 1) AS deleted,
       data_bridge_internal._transaction_deleted_rows(ARRAY['up_users', 'public.up_posts']) AS counted;
ROLLBACK;
-- 0.7.0 adds cache_usage(), each cache's entries and memory.
ALTER EXTENSION data_bridge UPDATE TO '0.7.0';
SELECT extversion FROM pg_extension WHERE extname = 'data_bridge';
SELECT count(*) > 3 AS caches_listed, bool_and(bytes >= 0) AS measured FROM cache_usage();
CREATE TEMP TABLE updated AS SELECT fact FROM pg_temp.surface();

DROP VIEW up_backrefs;
DROP FUNCTION up_user(int);
DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge;
CREATE TEMP TABLE fresh AS SELECT fact FROM pg_temp.surface();
-- Nothing differs, either way.
SELECT 'only after update' AS side, fact FROM (SELECT fact FROM updated EXCEPT SELECT fact FROM fresh) d
UNION ALL
SELECT 'only when fresh', fact FROM (SELECT fact FROM fresh EXCEPT SELECT fact FROM updated) d;
SELECT count(*) > 20 AS compared_facts FROM fresh;
DROP TABLE up_posts, up_users;
-- EXECUTE revoked from PUBLIC on a function does not reach the functions an update adds (other
-- forms of it among them): each step names both in a warning. Without a REVOKE it is silent
-- (above).
DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge VERSION '0.3.0';
REVOKE EXECUTE ON FUNCTION delete_with_cascade(regclass, anyelement), delete_checked(regclass, text) FROM PUBLIC;
\set VERBOSITY default
ALTER EXTENSION data_bridge UPDATE TO '0.5.0';
\set VERBOSITY terse
-- So does the step to 0.7.0 (cache_usage()), under a REVOKE made on 0.6.0.
ALTER EXTENSION data_bridge UPDATE TO '0.6.0';
REVOKE EXECUTE ON FUNCTION cache_memory() FROM PUBLIC;
\set VERBOSITY default
ALTER EXTENSION data_bridge UPDATE TO '0.7.0';
\set VERBOSITY terse
-- Under objects older than the module (0.1.0 has no data_bridge_internal), a schema of that name
-- another role created is not taken for the extension's: a statement naming its functions (the
-- row budget of a load run as one statement, here a right join) is refused (55000) before it is
-- prepared, and the planted function never runs as the caller; loads that name none still work.
-- The load's statement is prepared and kept first, under the extension's own schema: the kept
-- plan would resolve the name again once invalidated, so every use is checked.
CREATE TABLE up_plain (id int PRIMARY KEY);
CREATE TABLE up_plain_kids (id int PRIMARY KEY, plain_id int REFERENCES up_plain);
INSERT INTO up_plain VALUES (1), (2);
INSERT INTO up_plain_kids VALUES (1, 1);
SELECT fetch_with_relations('{"table": "up_plain", "relations": [{"name": "kids", "table": "up_plain_kids", "join_type": "right"}]}') AS kept;
DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge VERSION '0.1.0';
CREATE ROLE up_planter;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO up_planter', current_database()); END $$;
SET ROLE up_planter;
CREATE SCHEMA data_bridge_internal;
CREATE FUNCTION data_bridge_internal._eager_row_budget() RETURNS boolean LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE 'planted code ran as %', current_user; RETURN true; END $$;
RESET ROLE;
SELECT fetch_with_relations('{"table": "up_plain", "relations": [{"name": "kids", "table": "up_plain_kids", "join_type": "right"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "up_plain", "relations": [{"name": "kids", "table": "up_plain_kids"}]}') AS batched;
DROP SCHEMA data_bridge_internal CASCADE;
ALTER EXTENSION data_bridge UPDATE;
SELECT fetch_with_relations('{"table": "up_plain", "relations": [{"name": "kids", "table": "up_plain_kids", "join_type": "right"}]}') AS updated;
DROP TABLE up_plain_kids, up_plain;
DO $$ BEGIN EXECUTE format('REVOKE CREATE ON DATABASE %I FROM up_planter', current_database()); END $$;
DROP ROLE up_planter;
DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge;
-- Under default privileges that keep EXECUTE from PUBLIC the added functions are not open:
-- no warning. The internal schema is known by membership of the extension, not by its owner:
-- an installer no longer a superuser changes nothing.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
DROP EXTENSION data_bridge;
CREATE EXTENSION data_bridge VERSION '0.3.0';
ALTER EXTENSION data_bridge UPDATE TO '0.4.0';
ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;
DROP EXTENSION data_bridge;
CREATE ROLE up_installer SUPERUSER;
SET ROLE up_installer;
CREATE EXTENSION data_bridge;
RESET ROLE;
ALTER ROLE up_installer NOSUPERUSER;
CREATE TABLE up_demoted (id int PRIMARY KEY);
CREATE TABLE up_demoted_kids (id int PRIMARY KEY, demoted_id int REFERENCES up_demoted);
INSERT INTO up_demoted VALUES (1);
SELECT fetch_with_relations('{"table": "up_demoted", "relations": [{"name": "kids", "table": "up_demoted_kids", "join_type": "right"}]}') AS installer_demoted;
DROP TABLE up_demoted_kids, up_demoted;
DROP EXTENSION data_bridge;
DROP ROLE up_installer;
CREATE EXTENSION data_bridge;
