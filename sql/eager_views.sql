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

-- A relation whose table has a btree or hash index leading with the join column, and no filter:
-- parent rows that repeat a key (each hub below its five items) probe each key with an index
-- scan, with a few rows per key (the kept plan built with bitmap scans off: a bitmap heap scan
-- pays its setup again on every rescan), decided by the statistics when the plan is built: after
-- an ANALYZE too. Parent rows whose keys are all distinct integers or uuids have their rows read
-- by one index scan taking the keys whole (`= ANY`; its plan revalidated on every call with
-- sequential and bitmap scans off). The index's idx_tup_fetch counts rows of plain index scans
-- only. With a filter, the plan is PostgreSQL's own (a bitmap scan here). Results are the same
-- either way, and the caller's settings are untouched.
CREATE TABLE ev_hubs (id int PRIMARY KEY) WITH (autovacuum_enabled = off);
CREATE TABLE ev_items (id int PRIMARY KEY, hub_id int REFERENCES ev_hubs, n int) WITH (autovacuum_enabled = off);
CREATE INDEX ev_items_hub ON ev_items (hub_id);
INSERT INTO ev_hubs SELECT generate_series(1, 20000);
INSERT INTO ev_items SELECT g, 1 + g % 20000, g % 7 FROM generate_series(1, 100000) g;
CREATE TEMP VIEW ev_hub_items AS
SELECT jsonb_agg(jsonb_array_length(i -> 'hub' -> 'items')) AS items_of_each_hub
FROM jsonb_array_elements(fetch_many_with_relations('ev_items',
    '[{"name": "hub", "table": "ev_hubs", "relations": [{"name": "items", "table": "ev_items"}]}]',
    '{"hub_id": {"lte": 2}}', '"id"')) i;
-- No statistics yet: the plan is PostgreSQL's own.
SELECT * FROM ev_hub_items;
SELECT pg_stat_force_next_flush();
CREATE TEMP TABLE ev_fetched AS SELECT idx_tup_fetch FROM pg_stat_user_indexes WHERE indexrelname = 'ev_items_hub';
ANALYZE ev_hubs, ev_items;
SELECT *, current_setting('enable_bitmapscan') AS after_call FROM ev_hub_items;
SELECT pg_stat_force_next_flush();
SELECT s.idx_tup_fetch > f.idx_tup_fetch AS index_scans_after_analyze
FROM pg_stat_user_indexes s, ev_fetched f WHERE s.indexrelname = 'ev_items_hub';
-- Distinct keys.
UPDATE ev_fetched SET idx_tup_fetch = (SELECT idx_tup_fetch FROM pg_stat_user_indexes WHERE indexrelname = 'ev_items_hub');
SELECT jsonb_array_length(fetch_many_with_relations('ev_hubs', '[{"name": "items", "table": "ev_items"}]', NULL, '"id"', 50)
                          -> 0 -> 'items') AS items, current_setting('enable_seqscan') AS after_call;
SELECT pg_stat_force_next_flush();
SELECT s.idx_tup_fetch > f.idx_tup_fetch AS index_scan_of_distinct_keys
FROM pg_stat_user_indexes s, ev_fetched f WHERE s.indexrelname = 'ev_items_hub';
UPDATE ev_fetched SET idx_tup_fetch = (SELECT idx_tup_fetch FROM pg_stat_user_indexes WHERE indexrelname = 'ev_items_hub');
SELECT jsonb_array_length(fetch_many_with_relations('ev_hubs', '[{"name": "items", "table": "ev_items", "filter": {"n": {"gte": 0}}}]', NULL, '"id"', 50)
                          -> 0 -> 'items') AS filtered_items;
SELECT pg_stat_force_next_flush();
SELECT s.idx_tup_fetch = f.idx_tup_fetch AS no_index_scans_filtered
FROM pg_stat_user_indexes s, ev_fetched f WHERE s.indexrelname = 'ev_items_hub';
DROP VIEW ev_hub_items;
-- Without an index leading with the join column, the parents' keys are joined to the table in
-- one join: its 100,000 rows read about once (not once per parent row, 5,000,000).
CREATE TABLE ev_loose_items (id int PRIMARY KEY, hub_id int REFERENCES ev_hubs, n int) WITH (autovacuum_enabled = off);
INSERT INTO ev_loose_items SELECT id, hub_id, n FROM ev_items;
ANALYZE ev_loose_items;
SELECT jsonb_array_length(fetch_many_with_relations('ev_hubs', '[{"name": "items", "table": "ev_loose_items"}]', NULL, '"id"', 50)
                          -> 49 -> 'items') AS items;
SELECT pg_stat_force_next_flush();
SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) <= 200000 AS read_about_once
FROM pg_stat_user_tables WHERE relname = 'ev_loose_items';
-- Counts and aggregates of such a table: one grouped scan joined on the key (a parent without
-- rows still counts 0), not a scan per parent row.
CREATE TEMP TABLE ev_read AS SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'ev_loose_items';
SELECT h -> 'n' AS n, h -> 'top' AS top FROM jsonb_array_elements(fetch_many_with_relations('ev_hubs',
    '[{"name": "n", "table": "ev_loose_items", "count": true}, {"name": "top", "table": "ev_loose_items", "aggregate": {"max": "n"}}]',
    '{"id": {"in": [1, 2]}}', '"id"')) h;
INSERT INTO ev_hubs VALUES (20001);
SELECT fetch_one_with_relations('ev_hubs', 20001, '[{"name": "n", "table": "ev_loose_items", "count": true},
    {"name": "top", "table": "ev_loose_items", "aggregate": {"max": "n"}}]') AS without_rows;
SELECT jsonb_array_length(fetch_many_with_relations('ev_hubs', '[{"name": "n", "table": "ev_loose_items", "count": true}]', NULL, '"id"', 50)) AS hubs;
SELECT pg_stat_force_next_flush();
SELECT s.seq_tup_read - r.seq_tup_read <= 400000 AS read_once_per_call
FROM pg_stat_user_tables s, ev_read r WHERE s.relname = 'ev_loose_items';
DROP TABLE ev_read;
-- A per-parent limit keeps the LATERAL subquery per key.
SELECT jsonb_array_length(fetch_many_with_relations('ev_hubs', '[{"name": "items", "table": "ev_loose_items", "limit": 2}]', NULL, '"id"', 50)
                          -> 49 -> 'items') AS paged_items;
DROP TABLE ev_loose_items, ev_items, ev_hubs, ev_fetched;

DROP VIEW ev_invoker_users, ev_post_list;
DROP MATERIALIZED VIEW ev_author_stats;
DROP TABLE ev_posts, ev_users;
DROP OWNED BY ev_reader;
DROP ROLE ev_reader;
