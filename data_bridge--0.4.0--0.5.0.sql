-- data_bridge 0.4.0 -> 0.5.0: eager loads as json text; the memory of the kept plans.
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.5.0'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Eager loading as json text (0.5.0): the same loads, written as text straight from the rows
---------------------------------------------------------------------------------------------

CREATE FUNCTION fetch_with_relations_json(spec jsonb)
RETURNS json
AS 'MODULE_PATHNAME', 'fetch_with_relations'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_with_relations_json(jsonb) IS
'fetch_with_relations(spec) as json: the same text jsonb prints, written without building jsonb (cheaper for a client)';

CREATE FUNCTION fetch_one_with_relations_json(tbl regclass, id anyelement, relations jsonb DEFAULT '[]')
RETURNS json
AS 'MODULE_PATHNAME', 'fetch_one_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_with_relations_json(regclass, anyelement, jsonb) IS
'fetch_one_with_relations as json: the same text jsonb prints, written without building jsonb';

CREATE FUNCTION fetch_one_with_relations_json(tbl regclass, id text, relations jsonb DEFAULT '[]')
RETURNS json
AS 'MODULE_PATHNAME', 'fetch_one_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_with_relations_json(regclass, text, jsonb) IS
'fetch_one_with_relations_json for a key sent as text (or untyped); a composite key as a JSON object';

CREATE FUNCTION fetch_many_with_relations_json(tbl regclass, relations jsonb DEFAULT '[]',
                                               filter jsonb DEFAULT NULL, order_by jsonb DEFAULT NULL,
                                               "limit" integer DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS json
AS 'MODULE_PATHNAME', 'fetch_many_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_many_with_relations_json(regclass, jsonb, jsonb, jsonb, integer, integer) IS
'fetch_many_with_relations as json: the same text jsonb prints, written without building jsonb';

CREATE FUNCTION cache_memory(OUT cached_plans bigint, OUT plan_bytes bigint,
                             OUT remembered_shapes bigint)
AS 'MODULE_PATHNAME', 'cache_memory'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION cache_memory() IS
'The memory of this backend''s kept plans (their contexts: parse trees, query trees, generic plans; bounded by data_bridge.max_cached_plans), with the count of plans and of remembered call shapes (bounded by data_bridge.max_remembered_shapes)';

-- EXECUTE a DBA revoked from PUBLIC on a function of data_bridge does not reach the functions
-- this update adds (PostgreSQL grants EXECUTE on a new function to PUBLIC), some of them other
-- forms of a restricted one: a warning names both, so the REVOKE can be repeated.
DO $$
DECLARE
    added pg_catalog.regprocedure[] := ARRAY[
        'fetch_with_relations_json(jsonb)',
        'fetch_one_with_relations_json(regclass,anyelement,jsonb)',
        'fetch_one_with_relations_json(regclass,text,jsonb)',
        'fetch_many_with_relations_json(regclass,jsonb,jsonb,jsonb,integer,integer)',
        'cache_memory()']::pg_catalog.regprocedure[];
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
