-- data_bridge 0.6.0 -> 0.7.0: cache_usage(), each cache's entries and memory.
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.7.0'" to load this file. \quit

CREATE FUNCTION cache_usage(OUT cache text, OUT entries bigint, OUT bytes bigint,
                            OUT max_entries bigint, OUT max_bytes bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cache_usage'
LANGUAGE C VOLATILE ROWS 8;

COMMENT ON FUNCTION cache_usage() IS
'Each cache of this backend (kept plans, each kind of remembered call shape, the foreign-key model): its entries, the memory it takes, and the bounds data_bridge.max_cached_plans, data_bridge.max_remembered_shapes and data_bridge.max_cached_plan_memory set (the shape kinds share one byte bound)';

-- EXECUTE a DBA revoked from PUBLIC on a function of data_bridge does not reach the function
-- this update adds (PostgreSQL grants EXECUTE on a new function to PUBLIC): a warning names
-- both, so the REVOKE can be repeated.
DO $$
DECLARE
    added pg_catalog.regprocedure[] := ARRAY['cache_usage()']::pg_catalog.regprocedure[];
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
