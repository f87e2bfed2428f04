-- data_bridge 0.7.0: foreign-key relationships inside PostgreSQL.
--
-- Functions a user calls live in the schema the extension is created in; internal ones live in
-- data_bridge_internal, a schema the extension creates and owns.
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
-- Foreign-key setup
---------------------------------------------------------------------------------------------

CREATE FUNCTION add_foreign_key(
    source          regclass,
    columns         text[],
    target          text,
    on_delete       text    DEFAULT 'NO ACTION',
    on_update       text    DEFAULT 'NO ACTION',
    nullable        boolean DEFAULT NULL,
    constraint_name name    DEFAULT NULL,
    create_index    boolean DEFAULT true)
RETURNS name
AS 'MODULE_PATHNAME', 'add_foreign_key'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION add_foreign_key(regclass, text[], text, text, text, boolean, name, boolean) IS
'Adds a foreign key from the columns of source to target ("users", "users.id", "schema.users(id, k)") and, unless an index already covers the columns, an index on them; returns the constraint name';

CREATE FUNCTION add_foreign_key(
    source          regclass,
    columns         text,
    target          text,
    on_delete       text    DEFAULT 'NO ACTION',
    on_update       text    DEFAULT 'NO ACTION',
    nullable        boolean DEFAULT NULL,
    constraint_name name    DEFAULT NULL,
    create_index    boolean DEFAULT true)
RETURNS name
AS 'MODULE_PATHNAME', 'add_foreign_key'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION add_foreign_key(regclass, text, text, text, text, boolean, name, boolean) IS
'Adds a one-column foreign key to target and, unless one exists, an index on the column; returns the constraint name';

CREATE FUNCTION unindexed_foreign_keys(schema name DEFAULT NULL)
RETURNS TABLE (
    constraint_name        name,
    source_schema          name,
    source_table           name,
    source_columns         name[],
    target_schema          name,
    target_table           name,
    on_delete              text,
    estimated_rows         bigint,
    create_index_statement text
)
AS 'MODULE_PATHNAME', 'unindexed_foreign_keys'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION unindexed_foreign_keys(name) IS
'Foreign keys whose referencing columns no index covers (optionally in one schema), with the CREATE INDEX statement that fixes each';

---------------------------------------------------------------------------------------------
-- Lazy loading (the guide's ForeignKeyProxy)
---------------------------------------------------------------------------------------------

CREATE FUNCTION fetch_referenced(target regclass, "column" name, value anyelement)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_referenced'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_referenced(regclass, name, anyelement) IS
'The row of target whose unique column equals value, as to_jsonb(row) renders it; NULL when there is none';

CREATE FUNCTION fetch_related(source regclass, id anyelement, fk text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_related'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_related(regclass, anyelement, text) IS
'From the row of source with primary key id, the row its foreign key fk (a constraint or column name) references; NULL when the key is NULL or the row is missing';

---------------------------------------------------------------------------------------------
-- Back references (the guide's BackReferenceQuery)
---------------------------------------------------------------------------------------------

CREATE FUNCTION backref_fetch_all(source regclass, source_column name, value anyelement,
                                  order_by jsonb DEFAULT NULL, "limit" integer DEFAULT NULL,
                                  "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_all'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_all(regclass, name, anyelement, jsonb, integer, integer) IS
'The rows of source whose source_column equals value, as a jsonb array ordered by order_by then primary key';

CREATE FUNCTION backref_fetch_one(source regclass, source_column name, value anyelement,
                                  order_by jsonb DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'backref_fetch_one'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_fetch_one(regclass, name, anyelement, jsonb, integer) IS
'The first row of source whose source_column equals value (order_by, then primary key), or NULL';

CREATE FUNCTION backref_count(source regclass, source_column name, value anyelement)
RETURNS bigint
AS 'MODULE_PATHNAME', 'backref_count'
LANGUAGE C STABLE;

COMMENT ON FUNCTION backref_count(regclass, name, anyelement) IS
'The number of rows of source whose source_column equals value';

---------------------------------------------------------------------------------------------
-- JSON writes
---------------------------------------------------------------------------------------------

CREATE FUNCTION insert_one(tbl regclass, "row" jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'insert_one'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION insert_one(regclass, jsonb) IS
'Inserts one row from a JSON object and returns it as stored, defaults and generated keys included';

CREATE FUNCTION insert_many(tbl regclass, rows jsonb, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'insert_many'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION insert_many(regclass, jsonb, text) IS
'Inserts rows from a JSON array of objects; on_error => ''raise'' returns the stored rows in input order (all or nothing), ''skip'' runs each row in its own subtransaction and returns a report per row';

CREATE FUNCTION insert_with_relations(tbl regclass, data jsonb, relations jsonb DEFAULT NULL,
                                      on_conflict jsonb DEFAULT NULL, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'insert_with_relations'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION insert_with_relations(regclass, jsonb, jsonb, jsonb, text) IS
'Inserts an object (or an array of objects) with its related rows: many-to-one rows first (or connected), one-to-many rows and junction rows after, one INSERT per table and level; returns the stored tree';

---------------------------------------------------------------------------------------------
-- Eager loading
---------------------------------------------------------------------------------------------

CREATE FUNCTION fetch_with_relations(spec jsonb)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_with_relations'
LANGUAGE C STABLE STRICT;

COMMENT ON FUNCTION fetch_with_relations(jsonb) IS
'Rows of spec.table (one by id, or many by filter/order_by/limit/offset) with their related rows nested to any depth, as jsonb, by one statement';

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

CREATE FUNCTION fetch_one_with_relations(tbl regclass, id anyelement, relations jsonb DEFAULT '[]')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_one_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_with_relations(regclass, anyelement, jsonb) IS
'The row of tbl with primary key id and its relations, or NULL';

CREATE FUNCTION fetch_many_with_relations(tbl regclass, relations jsonb DEFAULT '[]',
                                          filter jsonb DEFAULT NULL, order_by jsonb DEFAULT NULL,
                                          "limit" integer DEFAULT NULL, "offset" integer DEFAULT 0)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_many_with_relations'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_many_with_relations(regclass, jsonb, jsonb, jsonb, integer, integer) IS
'The rows of tbl matching filter, ordered and paged, each with its relations, as a jsonb array';

CREATE FUNCTION fetch_one_eager(tbl regclass, id anyelement, relations text[])
RETURNS jsonb
AS 'MODULE_PATHNAME', 'fetch_one_eager'
LANGUAGE C STABLE;

COMMENT ON FUNCTION fetch_one_eager(regclass, anyelement, text[]) IS
'The guide''s tuple API: the row of tbl with primary key id and, for each (name, fk_column, target_table), the row its foreign key references';

---------------------------------------------------------------------------------------------
-- Cascade deletes
---------------------------------------------------------------------------------------------

CREATE FUNCTION delete_with_cascade(tbl regclass, id anyelement)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_with_cascade'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_with_cascade(regclass, anyelement) IS
'Deletes the row with primary key id exactly as DELETE FROM tbl WHERE key = id by the caller does (PostgreSQL''s own ON DELETE actions, triggers, rules and policies); returns the rows deleted from the tables the cascade reaches that the caller may read';

CREATE FUNCTION delete_checked(tbl regclass, id anyelement)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_checked'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_checked(regclass, anyelement) IS
'The guide''s name for delete_with_cascade: PostgreSQL checks every RESTRICT and NO ACTION reference, and a refusal undoes the whole statement';

CREATE FUNCTION delete_many_with_cascade(tbl regclass, ids anyarray)
RETURNS bigint
AS 'MODULE_PATHNAME', 'delete_many_with_cascade'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION delete_many_with_cascade(regclass, anyarray) IS
'delete_with_cascade for many primary keys in one DELETE; returns the rows deleted';

CREATE FUNCTION delete_each_with_cascade(tbl regclass, ids anyarray, on_error text DEFAULT 'raise')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'delete_each_with_cascade'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION delete_each_with_cascade(regclass, anyarray, text) IS
'delete_with_cascade for each key, one report per key; on_error => ''skip'' runs each in its own subtransaction';

CREATE FUNCTION delete_plan(tbl regclass, id anyelement)
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

COMMENT ON FUNCTION delete_plan(regclass, anyelement) IS
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

---------------------------------------------------------------------------------------------
-- Diagnostics
---------------------------------------------------------------------------------------------

CREATE FUNCTION plan_cache_stats(OUT cached_plans bigint, OUT plans_prepared bigint,
                                 OUT plan_reuses bigint)
AS 'MODULE_PATHNAME', 'plan_cache_stats'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION plan_cache_stats() IS
'This backend''s cache of prepared statements: plans held, plans prepared since the backend started, and calls that reused a plan';

CREATE FUNCTION cache_stats(OUT graph_builds bigint, OUT foreign_keys bigint,
                            OUT watched_tables bigint, OUT catalog_generation bigint,
                            OUT cached_plans bigint, OUT remembered_shapes bigint)
AS 'MODULE_PATHNAME', 'cache_stats'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION cache_stats() IS
'This backend''s foreign-key model: graph builds since the backend started, foreign keys held, tables whose shape remembered calls depend on, the generation that invalidates them, prepared statements kept and call shapes remembered (bounded by data_bridge.max_cached_plans and data_bridge.max_remembered_shapes)';

CREATE FUNCTION cache_memory(OUT cached_plans bigint, OUT plan_bytes bigint,
                             OUT remembered_shapes bigint)
AS 'MODULE_PATHNAME', 'cache_memory'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION cache_memory() IS
'The memory of this backend''s kept plans (their contexts: parse trees, query trees, generic plans; bounded by data_bridge.max_cached_plans), with the count of plans and of remembered call shapes (bounded by data_bridge.max_remembered_shapes)';

CREATE FUNCTION cache_usage(OUT cache text, OUT entries bigint, OUT bytes bigint,
                            OUT max_entries bigint, OUT max_bytes bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'cache_usage'
LANGUAGE C VOLATILE ROWS 8;

COMMENT ON FUNCTION cache_usage() IS
'Each cache of this backend (kept plans, each kind of remembered call shape, the foreign-key model): its entries, the memory it takes, and the bounds data_bridge.max_cached_plans, data_bridge.max_remembered_shapes and data_bridge.max_cached_plan_memory set (the shape kinds share one byte bound)';

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

---------------------------------------------------------------------------------------------
-- Internal: data_bridge_internal, created and owned by the extension
---------------------------------------------------------------------------------------------

CREATE SCHEMA data_bridge_internal;
COMMENT ON SCHEMA data_bridge_internal IS 'Internal functions of the data_bridge extension; not an API';
GRANT USAGE ON SCHEMA data_bridge_internal TO PUBLIC;

-- Counts the rows an eager load renders against data_bridge.max_rows. The eager-loading
-- statements call it as their caller, so PUBLIC keeps EXECUTE: called directly, it only counts.
-- A high cost makes the planner check it after every other condition of a row.
CREATE FUNCTION data_bridge_internal._eager_row_budget()
RETURNS boolean
AS 'MODULE_PATHNAME', '_eager_row_budget'
LANGUAGE C VOLATILE COST 10000;

COMMENT ON FUNCTION data_bridge_internal._eager_row_budget() IS
'Internal to the eager-loading functions of data_bridge: counts rendered rows against data_bridge.max_rows';

-- Counts the rows this transaction deleted from tables, for a cascade on Citus: the coordinator
-- calls it on the worker that runs the tenant's DELETE, in that DELETE's own connection, before
-- and after it. PUBLIC keeps EXECUTE: callers run it as themselves; it tells a transaction only
-- its own deletes, as pg_stat_get_xact_tuples_deleted() does.
CREATE FUNCTION data_bridge_internal._transaction_deleted_rows(tables text[])
RETURNS bigint[]
AS 'MODULE_PATHNAME', '_transaction_deleted_rows'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION data_bridge_internal._transaction_deleted_rows(text[]) IS
'Internal to the cascade deletes of data_bridge on Citus: the rows this transaction deleted from each named table';

-- Test-only: raises errors across the C++/PostgreSQL boundary. Not part of the public API.
CREATE FUNCTION data_bridge_internal._boundary_selftest(kind text)
RETURNS integer
AS 'MODULE_PATHNAME', 'data_bridge_boundary_selftest'
LANGUAGE C VOLATILE STRICT;

COMMENT ON FUNCTION data_bridge_internal._boundary_selftest(text) IS
'Internal test hook of data_bridge; not part of the public API';

REVOKE ALL ON FUNCTION data_bridge_internal._boundary_selftest(text) FROM PUBLIC;
