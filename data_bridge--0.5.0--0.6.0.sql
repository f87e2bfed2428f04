-- data_bridge 0.5.0 -> 0.6.0: cascades on Citus counted by the workers' own counters.
\echo Use "ALTER EXTENSION data_bridge UPDATE TO '0.6.0'" to load this file. \quit

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
