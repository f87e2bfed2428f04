-- Security: no input crashes or exhausts the backend. Deep and wide specs are refused with a
-- clear error, and the session goes on.
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE TABLE lim_nodes (id int PRIMARY KEY, parent_id int REFERENCES lim_nodes);
INSERT INTO lim_nodes VALUES (1, NULL), (2, 1);

-- The issue's repro: relations nested 6,000 levels deep, in each entry point that takes them.
SELECT fetch_with_relations(('{"table": "lim_nodes", "relations": ' ||
    repeat('[{"name": "r", "table": "lim_nodes", "relations": ', 5999) || '[]' ||
    repeat('}]', 5999) || '}')::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('lim_nodes', 1,
    (repeat('[{"name": "r", "table": "lim_nodes", "relations": ', 6000) || '[]' || repeat('}]', 6000))::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_many_with_relations('lim_nodes',
    (repeat('[{"name": "r", "table": "lim_nodes", "relations": ', 6000) || '[]' || repeat('}]', 6000))::jsonb);
\echo :LAST_ERROR_SQLSTATE
-- Just past the documented depth (64 levels of relations), and just within it.
SELECT fetch_many_with_relations('lim_nodes',
    (repeat('[{"name": "r", "table": "lim_nodes", "foreign_key": "parent_id", "direction": "one_to_many", "relations": ', 65) || '[]' || repeat('}]', 65))::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT length(fetch_many_with_relations('lim_nodes',
    (repeat('[{"name": "r", "table": "lim_nodes", "foreign_key": "parent_id", "direction": "one_to_many", "relations": ', 64) || '[]' || repeat('}]', 64))::jsonb)::text) > 0 AS depth_64_works;
-- Deep JSON anywhere a spec is read: filters, order_by, keys.
SELECT fetch_many_with_relations('lim_nodes', '[]', (repeat('[', 5000) || repeat(']', 5000))::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_many_with_relations('lim_nodes', '[]', NULL, (repeat('[', 5000) || repeat(']', 5000))::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('lim_nodes', 'parent_id', 1, (repeat('[', 5000) || repeat(']', 5000))::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_plan('lim_nodes', (repeat('{"a": ', 5000) || '1' || repeat('}', 5000))::jsonb);
\echo :LAST_ERROR_SQLSTATE

-- Wide: 2,000 relations on one level is planned (or refused by a limit), never a crash.
SELECT fetch_one_with_relations('lim_nodes', 2,
    (SELECT jsonb_agg(jsonb_build_object('name', 'r' || g, 'table', 'lim_nodes', 'foreign_key', 'parent_id'))
     FROM generate_series(1, 2000) g)) -> 'r1999' ->> 'id' AS wide;

-- The session is still here.
SELECT count(*) FROM lim_nodes;

-- data_bridge.max_cascade_rows is checked while reading: the walk stops at the limit.
CREATE TABLE lim_parent (id int PRIMARY KEY);
CREATE TABLE lim_child (id int PRIMARY KEY, p int REFERENCES lim_parent ON DELETE CASCADE);
CREATE INDEX ON lim_child (p);
INSERT INTO lim_parent VALUES (1);
INSERT INTO lim_child SELECT g, 1 FROM generate_series(1, 20000) g;
SET data_bridge.max_cascade_rows = 1000;
SELECT * FROM delete_plan('lim_parent', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('lim_parent', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS children_left FROM lim_child;
RESET data_bridge.max_cascade_rows;
SELECT delete_with_cascade('lim_parent', 1);

-- A long walk honours statement_timeout (57014) and the session goes on.
CREATE TABLE lim_tree (id int PRIMARY KEY, parent_id int REFERENCES lim_tree ON DELETE CASCADE);
CREATE INDEX ON lim_tree (parent_id);
INSERT INTO lim_tree SELECT g, NULLIF(g / 2, 0) FROM generate_series(1, 200000) g;
SET statement_timeout = '30ms';
SELECT count(*) FROM delete_plan('lim_tree', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('lim_tree', 1);
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT count(*) AS tree_left FROM lim_tree;

-- data_bridge.max_rows counts each load's own rows: a nested load run by a policy on every row
-- neither resets nor spends the outer load's budget.
CREATE TABLE bud_parent (id int PRIMARY KEY);
CREATE TABLE bud_child (id int PRIMARY KEY, p int REFERENCES bud_parent);
INSERT INTO bud_parent SELECT generate_series(1, 200);
INSERT INTO bud_child SELECT g, g FROM generate_series(1, 200) g;
CREATE FUNCTION bud_nested() RETURNS boolean LANGUAGE sql
    AS $$ SELECT fetch_many_with_relations('bud_parent', '[]', NULL, NULL, 1) IS NOT NULL $$;
CREATE ROLE bud_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO bud_reader;
GRANT SELECT ON bud_parent, bud_child TO bud_reader;
ALTER TABLE bud_child ENABLE ROW LEVEL SECURITY;
CREATE POLICY nested ON bud_child USING (bud_nested());
SET ROLE bud_reader;
SET data_bridge.max_rows = 50;
SELECT jsonb_array_length(fetch_many_with_relations('bud_parent',
    '[{"name": "child", "table": "bud_child", "join_type": "full"}]'));
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_rows;
SELECT jsonb_array_length(fetch_many_with_relations('bud_parent',
    '[{"name": "child", "table": "bud_child", "join_type": "full"}]')) AS rows_without_limit;
RESET ROLE;
DROP TABLE bud_child, bud_parent;
DROP FUNCTION bud_nested();
DROP OWNED BY bud_reader;
DROP ROLE bud_reader;

DROP TABLE lim_tree, lim_child, lim_parent, lim_nodes;

-- data_bridge.max_cascade_rows counts rows the caller may not read: an ordinary role cannot move
-- it to probe how many there are.
CREATE ROLE lim_prober NOLOGIN;
SET ROLE lim_prober;
SET data_bridge.max_cascade_rows = 7;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP ROLE lim_prober;
