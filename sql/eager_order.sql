-- The rows of a relation without a page of their own, ordered by columns it renders, are ordered
-- by the executor, not by a sort per parent key in the statement: compared here with ORDER BY
-- written by hand, for collations (ICU, "C", nondeterministic), NULLs first and last, arrays,
-- descending terms and a parent with many rows (abbreviated values), and a type without an
-- ordering operator, which fails as ORDER BY does.
\set SHOW_CONTEXT never
SELECT setseed(0.4242);

CREATE SCHEMA eo;
CREATE COLLATION eo.case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE eo.parents (id int PRIMARY KEY);
CREATE TABLE eo.children (
    id int PRIMARY KEY,
    parent_id int REFERENCES eo.parents,
    word text COLLATE "sv-x-icu",
    word_c text COLLATE "C",
    word_blind text COLLATE eo.case_blind,
    score int,
    tags int[],
    doc json);
CREATE INDEX ON eo.children (parent_id);
INSERT INTO eo.parents SELECT g FROM generate_series(1, 40) g;
INSERT INTO eo.children
SELECT g, 1 + (random() * 38)::int, w, w, w,
       CASE WHEN random() < 0.2 THEN NULL ELSE (random() * 5)::int END,
       ARRAY[(random() * 3)::int, (random() * 3)::int], '{}'
FROM generate_series(1, 600) g,
     LATERAL (SELECT CASE WHEN random() < 0.1 THEN NULL
                          ELSE (ARRAY['a', 'A', 'b', 'B', 'z', 'ä', 'Ä', 'å', 'ab', 'aB', 'Z', ''])
                               [1 + (random() * 11)::int] END AS w, g AS gg) AS words;
-- One parent with many rows: its sort compares abbreviated values first.
INSERT INTO eo.children
SELECT 1000 + g, 40, w, w, w, (random() * 5)::int, ARRAY[(random() * 3)::int], '{}'
FROM generate_series(1, 300) g,
     LATERAL (SELECT CASE WHEN random() < 0.1 THEN NULL
                          ELSE (ARRAY['a', 'A', 'b', 'B', 'z', 'ä', 'Ä', 'å', 'ab', 'aB', 'Z', ''])
                               [1 + (random() * 11)::int] || repeat('x', (random() * 3)::int) END AS w,
                     g AS gg) AS words;
ANALYZE eo.parents, eo.children;

-- Each parent's children ids, as data_bridge orders them and as ORDER BY does.
CREATE FUNCTION pg_temp.mismatches(term text, descending boolean) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    spec jsonb := jsonb_build_array(jsonb_build_object(
        'name', 'children', 'table', 'eo.children', 'foreign_key', 'parent_id',
        'order_by', jsonb_build_array(jsonb_build_array(term, CASE WHEN descending THEN 'desc' ELSE 'asc' END))));
    wrong bigint;
BEGIN
    EXECUTE format(
        'WITH ours AS (SELECT (p->>''id'')::int AS id, jsonb_path_query_array(p->''children'', ''$[*].id'') AS ids
                         FROM jsonb_array_elements(fetch_many_with_relations(''eo.parents'', $1, NULL, ''"id"'', 100)) p),
              theirs AS (SELECT p.id, coalesce((SELECT jsonb_agg(c.id ORDER BY c.%1$I %2$s, c.id)
                                                FROM eo.children c WHERE c.parent_id = p.id), ''[]'') AS ids
                         FROM eo.parents p)
         SELECT count(*) FROM ours FULL JOIN theirs USING (id) WHERE ours.ids IS DISTINCT FROM theirs.ids',
        term, CASE WHEN descending THEN 'DESC' ELSE 'ASC' END)
    INTO wrong USING spec;
    RETURN wrong;
END $$;

SELECT term, descending, pg_temp.mismatches(term, descending) AS mismatches
FROM unnest(ARRAY['word', 'word_c', 'word_blind', 'score', 'tags']) AS term,
     unnest(ARRAY[false, true]) AS descending
ORDER BY 1, 2;

-- Parents whose children differ in order between the collations (the comparison means something).
SELECT count(*) > 10 AS collations_differ
FROM eo.parents p
WHERE (SELECT array_agg(c.id ORDER BY c.word, c.id) FROM eo.children c WHERE c.parent_id = p.id)
      IS DISTINCT FROM (SELECT array_agg(c.id ORDER BY c.word_c, c.id) FROM eo.children c WHERE c.parent_id = p.id);

-- Twice in one session: the second call runs the remembered load.
SELECT pg_temp.mismatches('word', true) AS again;

-- json has no ordering operator: the same error as ORDER BY.
SELECT fetch_many_with_relations('eo.parents',
    '[{"name": "children", "table": "eo.children", "foreign_key": "parent_id", "order_by": "doc"}]', NULL, '"id"', 5);
SELECT id FROM eo.children ORDER BY doc;

-- The check comes before the batch's statement runs, as ORDER BY's did: an error a row would
-- raise does not come first.
CREATE VIEW eo.failing AS SELECT id, parent_id, doc, 1 / (id - 2) AS z FROM eo.children;
SELECT fetch_one_with_relations('eo.parents', (SELECT parent_id FROM eo.children WHERE id = 2),
    '[{"name": "children", "table": "eo.failing", "foreign_key": "parent_id",
       "reference_column": "id", "order_by": "doc"}]');

-- The same when the column is selected only as a nested relation's key (xid has no ordering
-- operator): not a sort column of the executor's, so ORDER BY's own check comes first.
CREATE TABLE eo.boxes (id int PRIMARY KEY, parent_id int REFERENCES eo.parents, x xid, d int);
CREATE VIEW eo.box_view AS SELECT id, parent_id, x, 10 / d AS q FROM eo.boxes;
CREATE TABLE eo.labels (id int PRIMARY KEY, box_x xid);
INSERT INTO eo.boxes VALUES (1, 1, '5', 1), (2, 1, '6', 0);
SELECT fetch_with_relations('{"table": "eo.parents", "filter": {"id": 1}, "relations": [{"name": "boxes",
    "table": "eo.box_view", "foreign_key": "parent_id", "reference_column": "id", "order_by": "x",
    "select_columns": ["id", "q"], "relations": [{"name": "labels", "table": "eo.labels",
    "foreign_key": "box_x", "reference_column": "x", "direction": "one_to_many"}]}]}');

-- A term the rows do not render: the statement sorts (the load reads only what it renders, as
-- data_bridge.max_load_size counts it).
CREATE TABLE eo.revisions (id int PRIMARY KEY, parent_id int REFERENCES eo.parents, title text);
CREATE INDEX ON eo.revisions (parent_id);
INSERT INTO eo.revisions SELECT g, 1, repeat(md5(g::text), 64) FROM generate_series(1, 2000) g;
SET data_bridge.max_load_size = '2MB';
SELECT jsonb_array_length(fetch_one_with_relations('eo.parents', 1,
    '[{"name": "revisions", "table": "eo.revisions", "foreign_key": "parent_id",
       "select_columns": ["id"], "order_by": [["title", "desc"]]}]') -> 'revisions') AS revisions,
       (SELECT (fetch_one_with_relations('eo.parents', 1,
           '[{"name": "revisions", "table": "eo.revisions", "foreign_key": "parent_id",
              "select_columns": ["id"], "order_by": [["title", "desc"]]}]') -> 'revisions' -> 0 -> 'id')::int
        = (SELECT id FROM eo.revisions ORDER BY title DESC LIMIT 1)) AS first_is_last_title;
RESET data_bridge.max_load_size;

-- A term repeated thousands of times is one sort column.
SELECT jsonb_array_length(fetch_one_with_relations('eo.parents', 1, jsonb_build_array(jsonb_build_object(
    'name', 'revisions', 'table', 'eo.revisions', 'foreign_key', 'parent_id', 'select_columns', '["id"]'::jsonb,
    'order_by', (SELECT jsonb_agg('id'::text) FROM generate_series(1, 5000))))) -> 'revisions') AS revisions;

DROP SCHEMA eo CASCADE;
