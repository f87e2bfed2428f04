-- data_bridge 0.1.0 -> 0.2.0
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.2.0'" to load this file. \quit

-- Internal functions move out of the user's schema.
CREATE SCHEMA data_bridge_internal;
COMMENT ON SCHEMA data_bridge_internal IS 'Internal functions of the data_bridge extension; not an API';
GRANT USAGE ON SCHEMA data_bridge_internal TO PUBLIC;
ALTER FUNCTION @extschema@._eager_row_budget() SET SCHEMA data_bridge_internal;
ALTER FUNCTION @extschema@._boundary_selftest(text) SET SCHEMA data_bridge_internal;

-- One return type per function name: the per-key reports get a name of their own; the
-- three-argument delete_many_with_cascade stays for this release.
CREATE FUNCTION delete_each_with_cascade(tbl regclass, ids anyarray, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'delete_each_with_cascade'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION delete_each_with_cascade(regclass, anyarray, text) IS
'delete_with_cascade for each key, one report per key; on_error => ''skip'' runs each in its own subtransaction';

COMMENT ON FUNCTION @extschema@.delete_many_with_cascade(regclass, anyarray, text) IS
'Deprecated (removed in 0.3.0): the same as delete_each_with_cascade; one name, one return type';

-- delete_plan runs the DELETE it predicts in a subtransaction it rolls back.
ALTER FUNCTION @extschema@.delete_plan(regclass, anyelement) VOLATILE;

COMMENT ON FUNCTION @extschema@.delete_with_cascade(regclass, anyelement) IS
'Deletes the row with primary key id exactly as DELETE FROM tbl WHERE key = id by the caller does (PostgreSQL''s own ON DELETE actions, triggers, rules and policies); returns the rows deleted from the tables the cascade reaches that the caller may read';

COMMENT ON FUNCTION @extschema@.delete_checked(regclass, anyelement) IS
'The guide''s name for delete_with_cascade: PostgreSQL checks every RESTRICT and NO ACTION reference, and a refusal undoes the whole statement';

COMMENT ON FUNCTION @extschema@.delete_many_with_cascade(regclass, anyarray) IS
'delete_with_cascade for many primary keys in one DELETE; returns the rows deleted';

COMMENT ON FUNCTION @extschema@.delete_plan(regclass, anyelement) IS
'Dry run of delete_with_cascade: one row per foreign key reached along each path, with its action, the rows it acts on (for tables the caller may read) and whether PostgreSQL refuses there; the DELETE itself runs in a subtransaction that is rolled back';

---------------------------------------------------------------------------------------------
-- Untyped keys: a text overload of every function that takes a key or a value compared with a
-- column. Drivers that send parameters untyped (node-postgres, Ruby pg, PHP PDO) reach these
-- (an unknown-typed argument prefers text); typed values still reach the polymorphic form. The
-- text is converted by the key column's input function, as the caller; for a composite key it
-- is a JSON object naming the key columns, as the jsonb form takes; for the array forms, an
-- array literal ('{1,2}').
---------------------------------------------------------------------------------------------

CREATE FUNCTION fetch_referenced(target regclass, "column" name, value text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_referenced'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_referenced(regclass, name, text) IS
'fetch_referenced for a value sent as text (or untyped), converted to the column''s type';

CREATE FUNCTION fetch_related(source regclass, id text, fk text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_related'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_related(regclass, text, text) IS
'fetch_related for a key sent as text (or untyped); a composite key as a JSON object';

CREATE FUNCTION backref_fetch_all(source regclass, source_column name, value text,
                                  order_by jsonb DEFAULT NULL, "limit" integer DEFAULT NULL,
                                  "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_all'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_all(regclass, name, text, jsonb, integer, integer) IS
'backref_fetch_all for a value sent as text (or untyped)';

CREATE FUNCTION backref_fetch_one(source regclass, source_column name, value text,
                                  order_by jsonb DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_one'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_one(regclass, name, text, jsonb, integer) IS
'backref_fetch_one for a value sent as text (or untyped)';

CREATE FUNCTION backref_count(source regclass, source_column name, value text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'backref_count'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_count(regclass, name, text) IS
'backref_count for a value sent as text (or untyped)';

CREATE FUNCTION fetch_one_with_relations(tbl regclass, id text, relations jsonb DEFAULT '[]')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_one_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_with_relations(regclass, text, jsonb) IS
'fetch_one_with_relations for a key sent as text (or untyped); a composite key as a JSON object';

CREATE FUNCTION fetch_one_eager(tbl regclass, id text, relations text[])
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_one_eager'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_eager(regclass, text, text[]) IS
'fetch_one_eager for a key sent as text (or untyped)';

CREATE FUNCTION delete_with_cascade(tbl regclass, id text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_with_cascade'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_with_cascade(regclass, text) IS
'delete_with_cascade for a key sent as text (or untyped); a composite key as a JSON object';

CREATE FUNCTION delete_checked(tbl regclass, id text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_checked'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_checked(regclass, text) IS
'delete_checked for a key sent as text (or untyped)';

CREATE FUNCTION delete_plan(tbl regclass, id text)
RETURNS TABLE (
    depth           integer,
    path            name[],
    table_name      regclass,
    constraint_name name,
    action          text,
    "rows"          bigint,
    rows_exist      boolean,
    blocks          boolean
)
AS 'MODULE_PATHNAME', 'delete_plan'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_plan(regclass, text) IS
'delete_plan for a key sent as text (or untyped)';

CREATE FUNCTION delete_many_with_cascade(tbl regclass, ids text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_many_with_cascade'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_many_with_cascade(regclass, text) IS
'delete_many_with_cascade for keys sent as an array literal in text (or untyped), e.g. ''{1,2}''';

CREATE FUNCTION delete_each_with_cascade(tbl regclass, ids text, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'delete_each_with_cascade'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION delete_each_with_cascade(regclass, text, text) IS
'delete_each_with_cascade for keys sent as an array literal in text (or untyped)';

-- The foreign-key model's own statistics.
CREATE FUNCTION cache_stats(OUT graph_builds bigint, OUT foreign_keys bigint,
                            OUT watched_tables bigint, OUT catalog_generation bigint,
                            OUT cached_plans bigint, OUT remembered_shapes bigint)
AS 'MODULE_PATHNAME', 'cache_stats'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION cache_stats() IS
'This backend''s foreign-key model: graph builds since the backend started, foreign keys held, tables whose shape remembered calls depend on, the generation that invalidates them, prepared statements kept and call shapes remembered (bounded by data_bridge.max_cached_plans and data_bridge.max_remembered_shapes)';

-- EXECUTE a DBA revoked from PUBLIC on a function of data_bridge does not reach the functions
-- this update adds (PostgreSQL grants EXECUTE on a new function to PUBLIC), some of them other
-- forms of a restricted one: a warning names both, so the REVOKE can be repeated.
DO $$
DECLARE
    added pg_catalog.regprocedure[] := ARRAY[
        'delete_each_with_cascade(regclass,anyarray,text)',
        'fetch_referenced(regclass,name,text)',
        'fetch_related(regclass,text,text)',
        'backref_fetch_all(regclass,name,text,jsonb,integer,integer)',
        'backref_fetch_one(regclass,name,text,jsonb,integer)',
        'backref_count(regclass,name,text)',
        'fetch_one_with_relations(regclass,text,jsonb)',
        'fetch_one_eager(regclass,text,text[])',
        'delete_with_cascade(regclass,text)',
        'delete_checked(regclass,text)',
        'delete_plan(regclass,text)',
        'delete_many_with_cascade(regclass,text)',
        'delete_each_with_cascade(regclass,text,text)',
        'cache_stats()']::pg_catalog.regprocedure[];
    restricted text;
    opened text;
BEGIN
    SELECT pg_catalog.string_agg(p.oid::pg_catalog.regprocedure::text, ', ' ORDER BY p.oid::pg_catalog.regprocedure::text)
    INTO restricted
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid
        AND d.deptype = 'e'
    JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge'
    WHERE p.pronamespace <> 'data_bridge_internal'::pg_catalog.regnamespace AND p.proacl IS NOT NULL
      AND p.oid::pg_catalog.regprocedure <> ALL (added)
      AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode(p.proacl) a
                      WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE');
    -- Of the added functions, those PUBLIC may execute (default privileges may have said not).
    SELECT pg_catalog.string_agg(f::text, ', ') INTO opened
    FROM pg_catalog.unnest(added) f JOIN pg_catalog.pg_proc p ON p.oid = f
    WHERE p.proacl IS NULL OR EXISTS (SELECT FROM pg_catalog.aclexplode(p.proacl) a
                                      WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE');
    IF restricted IS NOT NULL AND opened IS NOT NULL THEN
        RAISE WARNING 'EXECUTE is revoked from PUBLIC on %, and this update adds functions PUBLIC may execute: %',
            restricted, opened
            USING HINT = 'Revoke EXECUTE on those too where they should be restricted alike (see Upgrading in the README).';
    END IF;
END $$;
