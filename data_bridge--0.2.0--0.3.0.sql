-- data_bridge 0.2.0 -> 0.3.0
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.3.0'" to load this file. \quit

-- Nested writes.
CREATE FUNCTION insert_with_relations(tbl regclass, data jsonb, relations jsonb DEFAULT NULL,
                                      on_conflict jsonb DEFAULT NULL, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'insert_with_relations'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION insert_with_relations(regclass, jsonb, jsonb, jsonb, text) IS
'Inserts an object (or an array of objects) with its related rows: many-to-one rows first (or connected), one-to-many rows and junction rows after, one INSERT per table and level; returns the stored tree';

-- Pages with cursors, and streamed eager loads.
CREATE FUNCTION fetch_page_with_relations(spec jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_page_with_relations'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_page_with_relations(jsonb) IS
'A page of fetch_with_relations(spec) (spec.limit rows, after or before a cursor) as {"rows": [...], "next": cursor, "previous": cursor}';

CREATE FUNCTION fetch_rows_with_relations(spec jsonb)
RETURNS SETOF jsonb
AS 'MODULE_PATHNAME', 'fetch_rows_with_relations'
LANGUAGE C STABLE STRICT ROWS 1000;

COMMENT ON FUNCTION fetch_rows_with_relations(jsonb) IS
'The rows of fetch_with_relations(spec), one jsonb value each, streamed: the top rows are read a chunk at a time and each chunk''s relations loaded for it';

-- The three-argument delete_many_with_cascade, deprecated in 0.2.0, is gone: it is
-- delete_each_with_cascade. A view (or BEGIN ATOMIC function) of yours that calls it stops this
-- update with PostgreSQL's dependency error; a PL/pgSQL function fails when it next calls it.
-- Change such calls to delete_each_with_cascade first.
DROP FUNCTION @extschema@.delete_many_with_cascade(regclass, anyarray, text);

-- EXECUTE a DBA revoked from PUBLIC on a function of data_bridge does not reach the functions
-- this update adds (PostgreSQL grants EXECUTE on a new function to PUBLIC), some of them other
-- forms of a restricted one: a warning names both, so the REVOKE can be repeated.
DO $$
DECLARE
    added pg_catalog.regprocedure[] := ARRAY[
        'fetch_page_with_relations(jsonb)',
        'fetch_rows_with_relations(jsonb)',
        'insert_with_relations(regclass,jsonb,jsonb,jsonb,text)']::pg_catalog.regprocedure[];
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
