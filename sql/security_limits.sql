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

-- delete_plan's walk counts rows the caller may not read. Past data_bridge.max_cascade_rows it
-- must not tell keys apart by how many such rows lie below a row whose DELETE deletes nothing
-- (a policy, a soft-delete trigger): as a plain DELETE, the plan is the root's line alone. Where
-- the caller's DELETE does run the cascade, the limit is its answer, as delete_with_cascade's.
CREATE ROLE lim_eve NOLOGIN;
GRANT USAGE ON SCHEMA public TO lim_eve;
CREATE TABLE lo_root (id int PRIMARY KEY);
CREATE TABLE lo_kid (id int PRIMARY KEY, root_id int REFERENCES lo_root ON DELETE CASCADE);
INSERT INTO lo_root VALUES (1), (2), (3);
INSERT INTO lo_kid SELECT g, 1 FROM generate_series(1, 5) g;   -- key 1: five rows below
INSERT INTO lo_kid SELECT g, 2 FROM generate_series(6, 7) g;   -- key 2: two
INSERT INTO lo_kid SELECT g, 3 FROM generate_series(8, 12) g;  -- key 3: five, deletable
ALTER TABLE lo_root ENABLE ROW LEVEL SECURITY;
CREATE POLICY seen ON lo_root FOR SELECT USING (true);
CREATE POLICY gone ON lo_root FOR DELETE USING (id = 3);
GRANT SELECT, DELETE ON lo_root TO lim_eve;                   -- nothing on lo_kid
CREATE TABLE sd_root (id int PRIMARY KEY, deleted bool NOT NULL DEFAULT false);
CREATE TABLE sd_kid (id int PRIMARY KEY, root_id int REFERENCES sd_root ON DELETE CASCADE);
INSERT INTO sd_root VALUES (1), (2);
INSERT INTO sd_kid SELECT g, CASE WHEN g <= 5 THEN 1 ELSE 2 END FROM generate_series(1, 7) g;
CREATE FUNCTION sd_soft() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN UPDATE sd_root SET deleted = true WHERE id = OLD.id; RETURN NULL; END $$;
CREATE TRIGGER soft BEFORE DELETE ON sd_root FOR EACH ROW EXECUTE FUNCTION sd_soft();
GRANT SELECT, UPDATE, DELETE ON sd_root TO lim_eve;            -- nothing on sd_kid
SET data_bridge.max_cascade_rows = 3;
SET ROLE lim_eve;
SELECT depth, table_name, rows, rows_exist FROM delete_plan('lo_root', 1);
SELECT depth, table_name, rows, rows_exist FROM delete_plan('lo_root', 2);
SELECT depth, table_name, rows, rows_exist FROM delete_plan('sd_root', 1);
SELECT depth, table_name, rows, rows_exist FROM delete_plan('sd_root', 2);
-- Key 3's DELETE runs the cascade: five rows, past the limit, for the plan and the delete alike.
SELECT count(*) FROM delete_plan('lo_root', 3);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('lo_root', 3);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
RESET data_bridge.max_cascade_rows;
SELECT (SELECT count(*) FROM lo_root) AS roots_left, (SELECT count(*) FROM lo_kid) AS kids_left,
       (SELECT count(*) FROM sd_kid) AS soft_kids_left;
DROP TABLE lo_kid, lo_root, sd_kid, sd_root;
DROP FUNCTION sd_soft();
DROP OWNED BY lim_eve;
DROP ROLE lim_eve;
