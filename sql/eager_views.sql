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
DROP VIEW ev_invoker_users, ev_post_list;
DROP MATERIALIZED VIEW ev_author_stats;
DROP TABLE ev_posts, ev_users;
DROP OWNED BY ev_reader;
DROP ROLE ev_reader;
