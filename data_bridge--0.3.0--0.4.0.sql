-- data_bridge 0.3.0 -> 0.4.0: back references through a junction table.
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.4.0'" to load this file. \quit

CREATE FUNCTION backref_fetch_all_through(source regclass, through regclass, through_column name,
                                          value anyelement, order_by jsonb DEFAULT NULL,
                                          "limit" integer DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_all_through'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_all_through(regclass, regclass, name, anyelement, jsonb, integer, integer) IS
'The rows of source that a row of the junction through with through_column equal to value points at (each once), as a jsonb array ordered by order_by then primary key';

CREATE FUNCTION backref_count_through(source regclass, through regclass, through_column name,
                                      value anyelement)
RETURNS bigint
AS 'MODULE_PATHNAME', 'backref_count_through'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_count_through(regclass, regclass, name, anyelement) IS
'The number of rows of source that a row of the junction through with through_column equal to value points at';

CREATE FUNCTION backref_fetch_all_through(source regclass, through regclass, through_column name,
                                          value text, order_by jsonb DEFAULT NULL,
                                          "limit" integer DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_all_through'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_all_through(regclass, regclass, name, text, jsonb, integer, integer) IS
'backref_fetch_all_through for a value sent as text (or untyped)';

CREATE FUNCTION backref_count_through(source regclass, through regclass, through_column name,
                                      value text)
RETURNS bigint
AS 'MODULE_PATHNAME', 'backref_count_through'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_count_through(regclass, regclass, name, text) IS
'backref_count_through for a value sent as text (or untyped)';

-- EXECUTE a DBA revoked from PUBLIC on a function of data_bridge does not reach the functions
-- this update adds (PostgreSQL grants EXECUTE on a new function to PUBLIC), some of them other
-- forms of a restricted one: a warning names both, so the REVOKE can be repeated.
DO $$
DECLARE
    added pg_catalog.regprocedure[] := ARRAY[
        'backref_count_through(regclass,regclass,name,anyelement)',
        'backref_count_through(regclass,regclass,name,text)',
        'backref_fetch_all_through(regclass,regclass,name,anyelement,jsonb,integer,integer)',
        'backref_fetch_all_through(regclass,regclass,name,text,jsonb,integer,integer)']::pg_catalog.regprocedure[];
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
