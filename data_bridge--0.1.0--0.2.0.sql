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

