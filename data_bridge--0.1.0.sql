-- data_bridge 0.1.0: foreign-key relationships inside PostgreSQL.
\echo Use "CREATE EXTENSION data_bridge" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Introspection
---------------------------------------------------------------------------------------------

CREATE FUNCTION get_backreferences(target regclass)
RETURNS TABLE (
    constraint_name       name,
    source_schema         name,
    source_table          name,
    source_column         text,
    source_columns        name[],
    target_schema         name,
    target_table          name,
    target_column         text,
    target_columns        name[],
    on_delete             text,
    on_update             text,
    on_delete_set_columns name[],
    match_type            text,
    is_deferrable         boolean,
    initially_deferred    boolean,
    is_validated          boolean,
    is_indexed            boolean,
    source_relid          regclass,
    target_relid          regclass,
    constraint_oid        oid
)
AS 'MODULE_PATHNAME', 'get_backreferences'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION get_backreferences(regclass) IS
'Foreign keys that reference the table: one row per constraint, ordered by referencing schema, table and constraint name';

CREATE FUNCTION get_references(source regclass)
RETURNS TABLE (
    constraint_name       name,
    source_schema         name,
    source_table          name,
    source_column         text,
    source_columns        name[],
    target_schema         name,
    target_table          name,
    target_column         text,
    target_columns        name[],
    on_delete             text,
    on_update             text,
    on_delete_set_columns name[],
    match_type            text,
    is_deferrable         boolean,
    initially_deferred    boolean,
    is_validated          boolean,
    is_indexed            boolean,
    source_relid          regclass,
    target_relid          regclass,
    constraint_oid        oid
)
AS 'MODULE_PATHNAME', 'get_references'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION get_references(regclass) IS
'Foreign keys declared on the table: one row per constraint, ordered by referenced schema, table and constraint name';

---------------------------------------------------------------------------------------------
-- Internal
---------------------------------------------------------------------------------------------

-- Test-only: raises errors across the C++/PostgreSQL boundary. Not part of the public API.
CREATE FUNCTION _boundary_selftest(kind text)
RETURNS integer
AS 'MODULE_PATHNAME', 'data_bridge_boundary_selftest'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION _boundary_selftest(text) IS
'Internal test hook of data_bridge; not part of the public API';

REVOKE ALL ON FUNCTION _boundary_selftest(text) FROM PUBLIC;
