-- Recursive relations on a self-referencing foreign key: subordinates at any depth (one
-- statement per level), the chain of managers (a join per level), per-level filter, order, page
-- and columns, depth limits, cycles in the data (marked where a row repeats an ancestor), the
-- errors; then seeded random trees and cyclic graphs against hand-written recursive SQL.
CREATE TABLE er_employee (id int PRIMARY KEY, name text NOT NULL, reports_to int REFERENCES er_employee);
INSERT INTO er_employee VALUES (1, 'Ada', NULL), (2, 'Ben', 1), (3, 'Cy', 1), (4, 'Di', 2),
    (5, 'Ed', 4), (6, 'Flo', 4);
-- Every subordinate, at any depth.
SELECT jsonb_pretty(fetch_one_with_relations('er_employee', 1, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": {"max_depth": null},
    "select_columns": ["name"], "order_by": "name"}]'));
-- Two levels; each level ordered and paged on its own; the last level has no "reports" key.
SELECT fetch_with_relations('{"table": "er_employee", "filter": {"reports_to": null}, "select_columns": ["name"],
    "relations": [{"name": "reports", "table": "er_employee", "foreign_key": "reports_to",
        "direction": "one_to_many", "recursive": {"max_depth": 2}, "select_columns": ["name"],
        "order_by": [["name", "desc"]], "limit": 1}]}');
-- A level's other relations repeat at every level: here each subordinate's direct-report count.
SELECT fetch_one_with_relations('er_employee', 2, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": true, "select_columns": ["name"],
    "relations": [{"name": "direct", "table": "er_employee", "foreign_key": "reports_to",
                   "direction": "one_to_many", "count": true}]}]');
-- The chain of managers, to the top (null there) or to a depth.
SELECT fetch_one_with_relations('er_employee', 5, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": true, "select_columns": ["name"]}]');
SELECT fetch_one_with_relations('er_employee', 5, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"max_depth": 2}, "select_columns": ["name"]}]');
-- The chain as one array, nearest first (each row without the key that nests the next).
SELECT fetch_one_with_relations('er_employee', 5, '[{"name": "managers", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"as": "array"}, "select_columns": ["name"]}]');
SELECT fetch_with_relations('{"table": "er_employee", "filter": {"id": {"in": [1, 4]}}, "select_columns": ["name"],
    "relations": [{"name": "managers", "table": "er_employee", "foreign_key": "reports_to",
                   "recursive": {"as": "array", "max_depth": 2}, "select_columns": ["id"]}]}');
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": {"as": "array"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "m", "table": "er_employee", "recursive": {"as": "list"}}]');
\echo :LAST_ERROR_SQLSTATE
-- A cycle in the data never loops: the row met again among its own ancestors (on this relation,
-- from the row the recursion starts at) is rendered once more, marked "is_cycle": true, without
-- its recursive key; its other relations are there; nothing below it is loaded.
INSERT INTO er_employee VALUES (7, 'Gus', NULL), (8, 'Hal', 7);
UPDATE er_employee SET reports_to = 8 WHERE id = 7;
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": {"max_depth": 4}, "select_columns": ["id"]}]');
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"max_depth": 3}, "select_columns": ["id"]}]');
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "managers", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"as": "array"}, "select_columns": ["id"]}]');
-- A cycle that does not pass through the first row; the mark named; other relations kept.
INSERT INTO er_employee VALUES (9, 'Ivy', NULL), (10, 'Jo', 9), (11, 'Kit', 10);
UPDATE er_employee SET reports_to = 11 WHERE id = 9;
INSERT INTO er_employee VALUES (12, 'Lu', 11);
SELECT fetch_one_with_relations('er_employee', 12, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"cycle_mark": "seen_before"}, "select_columns": ["id"],
    "relations": [{"name": "direct", "table": "er_employee", "foreign_key": "reports_to",
                   "direction": "one_to_many", "count": true}]}]');
SELECT fetch_one_with_relations('er_employee', 11, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": true, "select_columns": ["id"],
    "order_by": "id"}]');
-- Streamed rows check cycles the same way.
SELECT r FROM fetch_rows_with_relations('{"table": "er_employee", "filter": {"id": {"in": [7, 9]}},
    "order_by": "id", "select_columns": ["id"], "relations": [{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": true, "select_columns": ["id"]}]}') AS r;
-- With a small row budget a cycle still ends at once.
SET data_bridge.max_rows = 10;
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": true}]');
RESET data_bridge.max_rows;
-- A composite key: the cycle is the whole key's.
CREATE TABLE er_part (site int, code text, parent_site int, parent_code text, PRIMARY KEY (site, code),
    FOREIGN KEY (parent_site, parent_code) REFERENCES er_part);
INSERT INTO er_part VALUES (1, 'a', NULL, NULL), (2, 'a', 1, 'a'), (1, 'b', 2, 'a');
UPDATE er_part SET parent_site = 1, parent_code = 'b' WHERE site = 1 AND code = 'a';
SELECT fetch_one_with_relations('er_part', '{"site": 1, "code": "a"}', '[{"name": "parent",
    "table": "er_part", "recursive": {"as": "array"}, "select_columns": ["site", "code"]}]') -> 'parent';
SELECT fetch_one_with_relations('er_part', '{"site": 1, "code": "a"}', '[{"name": "parts",
    "table": "er_part", "direction": "one_to_many", "recursive": true, "select_columns": ["site", "code"]}]');
DROP TABLE er_part;
-- The mark may not take a key the rows have; right and full joins have no cycle checks.
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"cycle_mark": "name"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"cycle_mark": "manager"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 7, '[{"name": "manager", "table": "er_employee",
    "foreign_key": "reports_to", "recursive": {"cycle_mark": ""}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "er_employee", "relations": [{"name": "boss", "table": "er_employee",
    "foreign_key": "reports_to", "join_type": "full"}, {"name": "reports", "table": "er_employee",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": {"max_depth": 2}}]}');
\echo :LAST_ERROR_SQLSTATE
-- Two recursions on one table by different keys: each row is identified per recursion (the
-- start row too), so each cycle is marked where it closes; recursions nested in each other
-- share the depth limit instead of multiplying (four nested: one level each, at once).
CREATE TABLE er_two (id int PRIMARY KEY, code text UNIQUE, a int REFERENCES er_two (id), b text REFERENCES er_two (code));
INSERT INTO er_two VALUES (1, 'x', NULL, NULL), (2, 'y', 1, 'x'), (3, 'z', 2, 'y');
UPDATE er_two SET a = 3, b = 'z' WHERE id = 1;
SELECT fetch_one_with_relations('er_two', 1, '[{"name": "ra", "table": "er_two", "foreign_key": "a", "recursive": {"as": "array"}, "select_columns": ["id"]},
    {"name": "rb", "table": "er_two", "foreign_key": "b", "recursive": {"as": "array"}, "select_columns": ["id"]}]') - 'code' - 'a' - 'b';
SELECT fetch_one_with_relations('er_two', 2, '[{"name": "ra", "table": "er_two", "foreign_key": "a", "recursive": {"max_depth": 1}, "select_columns": ["id"],
    "relations": [{"name": "rb", "table": "er_two", "foreign_key": "b", "recursive": {"as": "array"}, "select_columns": ["id"]}]}]') -> 'ra';
SELECT jsonb_typeof(fetch_one_with_relations('er_two', 2, '[{"name": "ra", "table": "er_two", "foreign_key": "a", "direction": "one_to_many", "recursive": true,
    "relations": [{"name": "rb", "table": "er_two", "foreign_key": "b", "direction": "one_to_many", "recursive": true,
    "relations": [{"name": "rc", "table": "er_two", "foreign_key": "a", "direction": "one_to_many", "recursive": true,
    "relations": [{"name": "rd", "table": "er_two", "foreign_key": "b", "direction": "one_to_many", "recursive": true}]}]}]}]')) AS bounded;
SELECT fetch_one_with_relations('er_two', 2, '[{"name": "ra", "table": "er_two", "foreign_key": "a", "recursive": {"max_depth": 2},
    "relations": [{"name": "rb", "table": "er_two", "foreign_key": "b", "recursive": {"max_depth": 63}}]}]');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE er_two;
-- A recursion starting from a partition into its partitioned table.
CREATE TABLE er_pt (id int PRIMARY KEY, boss int) PARTITION BY RANGE (id);
CREATE TABLE er_pt1 PARTITION OF er_pt FOR VALUES FROM (0) TO (10);
CREATE TABLE er_pt2 PARTITION OF er_pt FOR VALUES FROM (10) TO (20);
ALTER TABLE er_pt ADD FOREIGN KEY (boss) REFERENCES er_pt;
INSERT INTO er_pt VALUES (1, NULL), (11, 1), (2, 11);
UPDATE er_pt SET boss = 2 WHERE id = 1;
SELECT fetch_one_with_relations('er_pt1', 1, '[{"name": "m", "table": "er_pt", "foreign_key": "boss", "direction": "many_to_one",
    "recursive": {"as": "array"}, "select_columns": ["id"]}]') -> 'm';
DROP TABLE er_pt;
-- Errors.
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "recursive": {"max_depth": 65}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "er_employee", "relations": [{"name": "a", "table": "er_employee",
    "foreign_key": "reports_to", "relations": [{"name": "r", "table": "er_employee", "foreign_key": "reports_to",
    "recursive": {"max_depth": 64}}]}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "recursive": {"max_depth": 0}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "recursive": {"depth": 2}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "recursive": 3}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "foreign_key": "reports_to",
    "direction": "one_to_many", "count": true, "recursive": true}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('er_employee', 1, '[{"name": "r", "table": "er_employee", "foreign_key": "reports_to",
    "recursive": true, "relations": [{"name": "r", "table": "er_employee"}]}]');
\echo :LAST_ERROR_SQLSTATE

-- Seeded random forests against hand-written recursive functions: subtrees with a per-level
-- filter, order and page, and chains of ancestors.
CREATE TABLE er_node (id int PRIMARY KEY, parent int REFERENCES er_node, v int NOT NULL);
CREATE INDEX ON er_node (parent);
SELECT setseed(0.73);
INSERT INTO er_node SELECT g, CASE WHEN g <= 5 OR random() < 0.05 THEN NULL ELSE 1 + floor(random() * (g - 1))::int END,
    floor(random() * 100)::int FROM generate_series(1, 300) g;
CREATE FUNCTION er_subtree(p int, depth int, max_depth int, threshold int, lim int) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(x.doc ORDER BY x.r), '[]') FROM (
        SELECT jsonb_build_object('id', n.id, 'v', n.v) ||
               CASE WHEN depth < max_depth THEN jsonb_build_object('kids', er_subtree(n.id, depth + 1, max_depth, threshold, lim))
                    ELSE '{}' END AS doc,
               row_number() OVER (ORDER BY n.v DESC, n.id) AS r
        FROM er_node n WHERE n.parent = p AND n.v >= threshold ORDER BY n.v DESC, n.id LIMIT lim) x
$$;
CREATE FUNCTION er_chain(p int, depth int, max_depth int) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('id', n.id) ||
           CASE WHEN depth < max_depth THEN jsonb_build_object('up', er_chain(n.parent, depth + 1, max_depth)) ELSE '{}' END
    FROM er_node n WHERE n.id = p
$$;
CREATE TABLE er_mismatches (kind text, spec jsonb, got jsonb, expected jsonb);
DO $$
DECLARE
    max_depth int;
    threshold int;
    lim int;
    spec jsonb;
    got jsonb;
    expected jsonb;
    leaf int;
BEGIN
    FOR i IN 1 .. 40 LOOP
        max_depth := 1 + floor(random() * 6)::int;
        threshold := floor(random() * 60)::int;
        lim := 1 + floor(random() * 5)::int;
        spec := jsonb_build_object('table', 'er_node', 'filter', jsonb_build_object('parent', NULL),
            'order_by', jsonb_build_array('id'), 'select_columns', jsonb_build_array('id', 'v'),
            'relations', jsonb_build_array(jsonb_build_object('name', 'kids', 'table', 'er_node',
                'foreign_key', 'parent', 'direction', 'one_to_many',
                'recursive', jsonb_build_object('max_depth', max_depth),
                'select_columns', jsonb_build_array('id', 'v'), 'filter', jsonb_build_object('v', jsonb_build_object('gte', threshold)),
                'order_by', jsonb_build_array(jsonb_build_array('v', 'desc')), 'limit', lim)));
        got := fetch_with_relations(spec);
        expected := (SELECT jsonb_agg(jsonb_build_object('id', n.id, 'v', n.v, 'kids', er_subtree(n.id, 1, max_depth, threshold, lim))
                                      ORDER BY n.id) FROM er_node n WHERE n.parent IS NULL);
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO er_mismatches VALUES ('subtree', spec, got, expected);
        END IF;
        leaf := 1 + floor(random() * 300)::int;
        got := fetch_one_with_relations('er_node', leaf, jsonb_build_array(jsonb_build_object('name', 'up',
            'table', 'er_node', 'foreign_key', 'parent', 'recursive', jsonb_build_object('max_depth', max_depth),
            'select_columns', jsonb_build_array('id'))));
        got := got - 'parent' - 'v';
        expected := er_chain(leaf, 0, max_depth);
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO er_mismatches VALUES ('chain', jsonb_build_object('leaf', leaf, 'max_depth', max_depth), got, expected);
        END IF;
        -- the same chain as an array, against a hand-written recursive CTE
        got := fetch_one_with_relations('er_node', leaf, jsonb_build_array(jsonb_build_object('name', 'up',
            'table', 'er_node', 'foreign_key', 'parent', 'recursive', jsonb_build_object('max_depth', max_depth, 'as', 'array'),
            'select_columns', jsonb_build_array('id', 'v')))) -> 'up';
        expected := (WITH RECURSIVE up(id, v, parent, depth) AS (
                         SELECT n.id, n.v, n.parent, 1 FROM er_node n WHERE n.id = (SELECT parent FROM er_node WHERE id = leaf)
                         UNION ALL
                         SELECT n.id, n.v, n.parent, u.depth + 1 FROM er_node n JOIN up u ON n.id = u.parent WHERE u.depth < max_depth)
                     SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'v', v) ORDER BY depth), '[]') FROM up);
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO er_mismatches VALUES ('chain array', jsonb_build_object('leaf', leaf, 'max_depth', max_depth), got, expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM er_mismatches;
SELECT * FROM er_mismatches LIMIT 3;

-- Seeded random graphs where every node has a parent (so every walk meets a cycle): subtrees
-- against a recursive function that carries the path, chains against a recursive CTE with
-- PostgreSQL's own CYCLE clause.
TRUNCATE er_node;
INSERT INTO er_node SELECT g, NULL, floor(random() * 100)::int FROM generate_series(1, 60) g;
UPDATE er_node SET parent = 1 + floor(random() * 60)::int;
CREATE FUNCTION er_cyclic_subtree(p int, path int[], depth int, max_depth int, threshold int, lim int)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT COALESCE(jsonb_agg(x.doc ORDER BY x.r), '[]') FROM (
        SELECT jsonb_build_object('id', n.id, 'v', n.v) ||
               CASE WHEN n.id = ANY (path) THEN jsonb_build_object('is_cycle', true)
                    WHEN depth < max_depth THEN jsonb_build_object('kids',
                        er_cyclic_subtree(n.id, path || n.id, depth + 1, max_depth, threshold, lim))
                    ELSE '{}' END AS doc,
               row_number() OVER (ORDER BY n.v DESC, n.id) AS r
        FROM er_node n WHERE n.parent = p AND n.v >= threshold ORDER BY n.v DESC, n.id LIMIT lim) x
$$;
DO $$
DECLARE
    max_depth int;
    threshold int;
    lim int;
    got jsonb;
    expected jsonb;
    start int;
    marked int := 0;
BEGIN
    FOR i IN 1 .. 40 LOOP
        max_depth := 1 + floor(random() * 12)::int;
        threshold := floor(random() * 40)::int;
        lim := 1 + floor(random() * 4)::int;
        start := 1 + floor(random() * 60)::int;
        got := fetch_one_with_relations('er_node', start, jsonb_build_array(jsonb_build_object('name', 'kids',
            'table', 'er_node', 'foreign_key', 'parent', 'direction', 'one_to_many',
            'recursive', jsonb_build_object('max_depth', max_depth),
            'select_columns', jsonb_build_array('id', 'v'), 'filter', jsonb_build_object('v', jsonb_build_object('gte', threshold)),
            'order_by', jsonb_build_array(jsonb_build_array('v', 'desc')), 'limit', lim))) -> 'kids';
        expected := er_cyclic_subtree(start, ARRAY[start], 1, max_depth, threshold, lim);
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO er_mismatches VALUES ('cyclic subtree', jsonb_build_object('start', start, 'max_depth', max_depth,
                'threshold', threshold, 'limit', lim), got, expected);
        END IF;
        got := fetch_one_with_relations('er_node', start, jsonb_build_array(jsonb_build_object('name', 'up',
            'table', 'er_node', 'foreign_key', 'parent', 'recursive', jsonb_build_object('max_depth', max_depth, 'as', 'array'),
            'select_columns', jsonb_build_array('id', 'v')))) -> 'up';
        expected := (WITH RECURSIVE up(id, v, parent, depth) AS (
                         SELECT n.id, n.v, n.parent, 0 FROM er_node n WHERE n.id = start
                         UNION ALL
                         SELECT n.id, n.v, n.parent, u.depth + 1 FROM er_node n JOIN up u ON n.id = u.parent
                         WHERE u.depth < max_depth) CYCLE id SET is_cycle USING path
                     SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'v', v) ||
                                               CASE WHEN is_cycle THEN '{"is_cycle": true}'::jsonb ELSE '{}' END
                                               ORDER BY depth), '[]')
                     FROM up WHERE depth > 0);
        IF got @> '[{"is_cycle": true}]' THEN
            marked := marked + 1;
        END IF;
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO er_mismatches VALUES ('cyclic chain', jsonb_build_object('start', start, 'max_depth', max_depth),
                got, expected);
        END IF;
    END LOOP;
    RAISE NOTICE 'chains ending in a marked cycle: %', marked;
END $$;
SELECT count(*) AS cyclic_mismatches FROM er_mismatches;
SELECT * FROM er_mismatches LIMIT 3;
DROP TABLE er_mismatches, er_node, er_employee;
DROP FUNCTION er_subtree(int, int, int, int, int), er_chain(int, int, int),
    er_cyclic_subtree(int, int[], int, int, int, int);
