-- Views and materialized views as the root of an eager load and as relations. Views have no
-- foreign keys: a relation names its columns (foreign_key on the holding side, reference_column
-- on the other, and the direction when both sides have the column). Rows, privileges and
-- row-level security are those of a plain SELECT of the view.
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE TABLE ev_users (id int PRIMARY KEY, name text, tenant text);
CREATE TABLE ev_posts (id int PRIMARY KEY, author_id int REFERENCES ev_users, title text);
INSERT INTO ev_users VALUES (1, 'Ada', 'a'), (2, 'Brian', 'b'), (3, 'Chen', 'a');
INSERT INTO ev_posts VALUES (10, 1, 'first'), (11, 1, 'second'), (20, 2, 'third'), (30, 3, 'fourth');
CREATE VIEW ev_post_list AS
    SELECT p.id, p.title, p.author_id, u.name AS author_name FROM ev_posts p JOIN ev_users u ON u.id = p.author_id;
CREATE MATERIALIZED VIEW ev_author_stats AS SELECT author_id, count(*) AS posts FROM ev_posts GROUP BY author_id;

-- A view as the root, with a table as its relation; the same through plain SQL.
SELECT fetch_many_with_relations('ev_post_list',
    '[{"name": "author", "table": "ev_users", "foreign_key": "author_id", "reference_column": "id", "direction": "many_to_one", "select_columns": ["name"]}]',
    NULL, '"id"')
     = (SELECT jsonb_agg(to_jsonb(v) || jsonb_build_object('author', jsonb_build_object('name', u.name)) ORDER BY v.id)
        FROM ev_post_list v JOIN ev_users u ON u.id = v.author_id) AS same_as_plain_sql;
SELECT fetch_many_with_relations('ev_post_list', '[]', NULL, '"id"', 1);

-- A materialized view as a one-to-many relation of a table.
SELECT fetch_many_with_relations('ev_users',
    '[{"name": "stats", "table": "ev_author_stats", "foreign_key": "author_id", "reference_column": "id", "direction": "one_to_many"}]',
    NULL, '"id"', 2);
-- fetch_with_relations with a view, filtered and paged.
SELECT fetch_with_relations('{"table": "ev_post_list", "filter": {"author_id": 1}, "order_by": [["id", "DESC"]], "limit": 1}');
-- No key on a view: by id is refused, a filter works.
SELECT fetch_one_with_relations('ev_post_list', 10);
\echo :LAST_ERROR_SQLSTATE
-- A view without the named column.
SELECT fetch_many_with_relations('ev_users', '[{"name": "p", "table": "ev_post_list", "foreign_key": "nope", "reference_column": "id"}]');
\echo :LAST_ERROR_SQLSTATE

-- Without named columns, a view's column that is a plain copy of a table's column (through
-- joins too) links by that table's foreign keys (PostgREST's rule): to a table, from a table,
-- view to view. Uniqueness carries over only from a single-table view (a join may repeat rows).
CREATE VIEW ev_user_cards AS SELECT id AS user_id, name FROM ev_users;
SELECT fetch_many_with_relations('ev_post_list', '[{"name": "author", "table": "ev_users", "select_columns": ["name"]}]',
    NULL, '"id"', 2);
SELECT fetch_many_with_relations('ev_users', '[{"name": "posts", "table": "ev_post_list", "select_columns": ["title"]}]',
    NULL, '"id"', 2);
SELECT fetch_many_with_relations('ev_post_list', '[{"name": "card", "table": "ev_user_cards"}]', NULL, '"id"', 2);
SELECT fetch_many_with_relations('ev_user_cards', '[{"name": "posts", "table": "ev_post_list", "select_columns": ["id"]},
    {"name": "stats", "table": "ev_author_stats", "foreign_key": "author_id", "reference_column": "user_id",
     "direction": "one_to_many", "one": true}]', NULL, '"user_id"', 2);
-- The same as plain SQL, and as the same relation spelled out.
SELECT fetch_many_with_relations('ev_posts', '[{"name": "card", "table": "ev_user_cards"}]', NULL, '"id"')
     = fetch_many_with_relations('ev_posts', '[{"name": "card", "table": "ev_user_cards", "foreign_key": "author_id",
           "reference_column": "user_id", "direction": "many_to_one"}]', NULL, '"id"') AS inferred_as_spelled_out;
-- A view column computed from a table's column is no copy: nothing links.
CREATE VIEW ev_shifted AS SELECT id + 0 AS id, name FROM ev_users;
SELECT fetch_many_with_relations('ev_posts', '[{"name": "x", "table": "ev_shifted"}]');
\echo :LAST_ERROR_SQLSTATE
DROP VIEW ev_shifted, ev_user_cards;

-- Privileges as for a plain SELECT of the view: a role may read the view without reading the
-- tables behind it; a security_invoker view applies the caller's rights and policies.
CREATE ROLE ev_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO ev_reader;
GRANT SELECT ON ev_post_list TO ev_reader;
CREATE VIEW ev_invoker_users WITH (security_invoker = true) AS SELECT id, name, tenant FROM ev_users;
GRANT SELECT ON ev_invoker_users TO ev_reader;
ALTER TABLE ev_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_a ON ev_users USING (tenant = 'a');
SET ROLE ev_reader;
SELECT jsonb_array_length(fetch_many_with_relations('ev_post_list')) AS through_definer_view;
SELECT count(*) AS plain_through_definer_view FROM ev_post_list;
SELECT fetch_many_with_relations('ev_invoker_users', '[]', NULL, '"id"');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM ev_invoker_users;
RESET ROLE;
GRANT SELECT ON ev_users TO ev_reader;
SET ROLE ev_reader;
SELECT fetch_many_with_relations('ev_invoker_users', '[]', NULL, '"id"') AS only_tenant_a;
RESET ROLE;

-- "one": true renders a relation as one row (the first in its order) or null: a view's key is
-- unknown to the catalogs. Not with count (22023).
SELECT fetch_many_with_relations('ev_users',
    '[{"name": "stats", "table": "ev_author_stats", "foreign_key": "author_id", "reference_column": "id",
       "direction": "one_to_many", "one": true}]', NULL, '"id"');
SELECT fetch_many_with_relations('ev_users',
    '[{"name": "latest", "table": "ev_post_list", "foreign_key": "author_id", "reference_column": "id",
       "direction": "one_to_many", "one": true, "order_by": [["id", "desc"]], "select_columns": ["title"]}]', NULL, '"id"');
SELECT fetch_many_with_relations('ev_users',
    '[{"name": "stats", "table": "ev_author_stats", "foreign_key": "author_id", "reference_column": "id",
       "direction": "one_to_many", "one": true, "count": true}]', NULL, '"id"');
\echo :LAST_ERROR_SQLSTATE
-- Seeded random data through a view over a join: relations inferred both ways (the view's
-- author_id copies ev_posts.author_id; ev_comments.post_id references ev_posts.id, which the
-- view copies), random filters, orders and pages against hand-written SQL over the view.
CREATE TABLE ev_comments (id int PRIMARY KEY, post_id int REFERENCES ev_posts, score int);
SELECT setseed(0.42);
INSERT INTO ev_users SELECT g, 'u' || g, (ARRAY['a', 'b'])[1 + g % 2] FROM generate_series(4, 30) g;
INSERT INTO ev_posts SELECT g, 1 + floor(random() * 30)::int, 't' || g FROM generate_series(100, 300) g;
INSERT INTO ev_comments SELECT g, 100 + floor(random() * 201)::int, floor(random() * 50)::int FROM generate_series(1, 1500) g;
DO $$
DECLARE
    author_min int;
    threshold int;
    lim int;
    direction text;
    got jsonb;
    expected jsonb;
    bad int := 0;
BEGIN
    FOR i IN 1 .. 40 LOOP
        author_min := floor(random() * 30)::int;
        threshold := floor(random() * 50)::int;
        lim := 1 + floor(random() * 5)::int;
        direction := (ARRAY['asc', 'desc'])[1 + floor(random() * 2)::int];
        got := fetch_with_relations(jsonb_build_object('table', 'ev_post_list', 'order_by', jsonb_build_array('id'),
            'filter', jsonb_build_object('author_id', jsonb_build_object('gte', author_min)), 'limit', 30,
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'comments', 'table', 'ev_comments', 'select_columns', jsonb_build_array('id', 'score'),
                    'filter', jsonb_build_object('score', jsonb_build_object('gte', threshold)),
                    'order_by', jsonb_build_array(jsonb_build_array('score', direction)), 'limit', lim),
                jsonb_build_object('name', 'author', 'table', 'ev_users', 'select_columns', jsonb_build_array('tenant')),
                jsonb_build_object('name', 'n', 'table', 'ev_comments', 'count', true))));
        EXECUTE format($q$
            SELECT COALESCE(jsonb_agg(to_jsonb(v) || jsonb_build_object(
                'comments', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'score', c.score) ORDER BY c.score %1$s, c.id), '[]')
                             FROM (SELECT * FROM ev_comments c WHERE c.post_id = v.id AND c.score >= %2$s
                                   ORDER BY c.score %1$s, c.id LIMIT %3$s) c),
                'author', (SELECT jsonb_build_object('tenant', u.tenant) FROM ev_users u WHERE u.id = v.author_id),
                'n', (SELECT count(*) FROM ev_comments c WHERE c.post_id = v.id)) ORDER BY v.id), '[]')
            FROM (SELECT * FROM ev_post_list WHERE author_id >= %4$s ORDER BY id LIMIT 30) v$q$,
            direction, threshold, lim, author_min) INTO expected;
        IF got IS DISTINCT FROM expected THEN
            bad := bad + 1;
        END IF;
    END LOOP;
    RAISE NOTICE 'random loads through a view over a join, mismatches: %', bad;
END $$;
DROP TABLE ev_comments;

-- A probe of each parent key by a btree or hash index is planned with bitmap scans off (an
-- index scan: a bitmap heap scan pays its setup again on every rescan). A row-level security
-- policy's immutable function, folded while the probe is planned, tells the setting then; the
-- caller's setting is untouched, and a table without such an index (BRIN only) or a caller
-- who turned index scans off gets PostgreSQL's own choice.
CREATE FUNCTION ev_planning_setting() RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RAISE NOTICE 'planned with enable_bitmapscan = %', current_setting('enable_bitmapscan');
    RETURN true;
END $$;
CREATE TABLE ev_notes (id int PRIMARY KEY, user_id int REFERENCES ev_users);
CREATE INDEX ON ev_notes (user_id);
CREATE TABLE ev_brin_notes (id int PRIMARY KEY, user_id int REFERENCES ev_users);
CREATE INDEX ON ev_brin_notes USING brin (user_id);
INSERT INTO ev_notes VALUES (1, 1), (2, 1), (3, 2);
INSERT INTO ev_brin_notes SELECT id, user_id FROM ev_notes;
ALTER TABLE ev_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE ev_brin_notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY ev_notes_all ON ev_notes USING (ev_planning_setting());
CREATE POLICY ev_brin_notes_all ON ev_brin_notes USING (ev_planning_setting());
GRANT SELECT ON ev_users, ev_notes, ev_brin_notes TO ev_reader;
SET ROLE ev_reader;
SELECT fetch_many_with_relations('ev_users', '[{"name": "notes", "table": "ev_notes", "select_columns": ["id"]}]',
    NULL, '"id"', 2) AS by_index, current_setting('enable_bitmapscan') AS after_call;
-- Kept: planned once.
SELECT fetch_many_with_relations('ev_users', '[{"name": "notes", "table": "ev_notes", "select_columns": ["id"]}]',
    NULL, '"id"', 2) = fetch_many_with_relations('ev_users', '[{"name": "notes", "table": "ev_notes", "select_columns": ["id"]}]',
    NULL, '"id"', 2) AS kept;
SELECT fetch_many_with_relations('ev_users', '[{"name": "notes", "table": "ev_brin_notes", "select_columns": ["id"]}]',
    NULL, '"id"', 2) AS brin_only;
RESET ROLE;
DISCARD PLANS;
SET enable_indexscan = off;
SET ROLE ev_reader;
SELECT fetch_many_with_relations_json('ev_users', '[{"name": "notes", "table": "ev_notes", "select_columns": ["id"]}]',
    NULL, '"id"', 2) AS without_index_scans;
RESET ROLE;
RESET enable_indexscan;
DROP TABLE ev_notes, ev_brin_notes;
DROP FUNCTION ev_planning_setting();

DROP VIEW ev_invoker_users, ev_post_list;
DROP MATERIALIZED VIEW ev_author_stats;
DROP TABLE ev_posts, ev_users;
DROP OWNED BY ev_reader;
DROP ROLE ev_reader;
