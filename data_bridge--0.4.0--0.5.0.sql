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
