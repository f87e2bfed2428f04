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
