-- fetch_with_relations() and the guide's fetch_* functions: the guide's "Eager Loading" and
-- "Common Patterns" examples in SQL, the options, and the errors.
\set SHOW_CONTEXT never
\pset null '(null)'

CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, status text DEFAULT 'active');
CREATE TABLE categories (id serial PRIMARY KEY, name text UNIQUE NOT NULL, slug text UNIQUE NOT NULL);
CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author_id int REFERENCES users ON DELETE CASCADE,
                    category_id int REFERENCES categories ON DELETE SET NULL, score int DEFAULT 0);
CREATE TABLE comments (id serial PRIMARY KEY, post_id int REFERENCES posts ON DELETE CASCADE,
                       user_id int REFERENCES users ON DELETE SET NULL, content text);
CREATE TABLE profiles (id serial PRIMARY KEY, user_id int UNIQUE REFERENCES users, bio text);
INSERT INTO users (name, status) VALUES ('Alice', 'active'), ('Bob', 'active'), ('Carol', 'away');
INSERT INTO categories (name, slug) VALUES ('Tech', 'tech'), ('Travel', 'travel');
INSERT INTO posts (title, author_id, category_id, score) VALUES
    ('AI News', 1, 1, 5), ('Lisbon', 2, 2, 3), ('Rust in Postgres', 1, 1, 8), ('Draft', 3, NULL, 0);
INSERT INTO comments (post_id, user_id, content) VALUES
    (1, 2, 'Great'), (1, 3, 'Sources?'), (3, 2, 'Nice'), (2, 1, 'Jealous');
INSERT INTO profiles (user_id, bio) VALUES (1, 'Writes code');

-- Method 1: fetch_one_eager, the tuple API.
SELECT jsonb_pretty(fetch_one_eager('posts', 1, ARRAY[['author', 'author_id', 'users'],
                                                      ['category', 'category_id', 'categories']]));
-- Method 2: fetch_one_with_relations, one-to-many posts and one-to-one profile.
SELECT jsonb_pretty(fetch_one_with_relations('users', 1, '[
    {"name": "posts", "table": "posts", "foreign_key": "author_id", "reference_column": "id",
     "join_type": "left", "select_columns": ["id", "title"]},
    {"name": "profile", "table": "profiles", "foreign_key": "user_id", "reference_column": "id", "join_type": "left"}
]'));
-- Method 3: fetch_many_with_relations with filter, order_by, limit, offset.
SELECT jsonb_pretty(fetch_many_with_relations('users',
    relations => '[{"name": "posts", "table": "posts", "foreign_key": "author_id", "select_columns": ["title"]}]',
    filter => '{"status": "active"}', order_by => '["name", "DESC"]', "limit" => 10, "offset" => 0));
-- The guide's performance example: 100 posts with their author, one statement.
SELECT p ->> 'title' AS title, p -> 'author' ->> 'name' AS author
FROM jsonb_array_elements(fetch_many_with_relations('posts',
    '[{"name": "author", "table": "users", "foreign_key": "author_id", "reference_column": "id"}]',
    "limit" => 100)) p;
-- Pattern 3: comments with their post and user.
SELECT c ->> 'content' AS comment, c -> 'user' ->> 'name' AS by_user, c -> 'post' ->> 'title' AS on_post
FROM jsonb_array_elements(fetch_many_with_relations('comments', '[
    {"name": "post", "table": "posts", "foreign_key": "post_id", "reference_column": "id"},
    {"name": "user", "table": "users", "foreign_key": "user_id", "reference_column": "id"}]', "limit" => 100)) c;
-- Nested to any depth: users -> posts -> comments -> their author; relation filters, order, count.
SELECT jsonb_pretty(fetch_with_relations('{
    "table": "users", "id": 1, "select_columns": ["id", "name"],
    "relations": [
        {"name": "posts", "table": "posts", "order_by": ["score", "DESC"], "select_columns": ["title", "score"],
         "relations": [
             {"name": "comments", "table": "comments", "select_columns": ["content"],
              "relations": [{"name": "author", "table": "users", "foreign_key": "user_id", "select_columns": ["name"]}]},
             {"name": "comment_count", "table": "comments", "count": true}]},
        {"name": "top_post", "table": "posts", "filter": {"score": {"gte": 8}}, "select_columns": ["title"]}
    ]}'));
-- Inner join: only parents that have a matching related row.
SELECT u ->> 'name' AS has_tech_posts
FROM jsonb_array_elements(fetch_with_relations('{"table": "users", "relations": [
    {"name": "tech", "table": "posts", "join_type": "inner", "filter": {"category_id": 1}, "count": true}]}')) u;
-- Right and full joins (top level of a list): the related rows that no listed parent matches
-- follow the parents, each as {"<relation name>": <row>}, in the related table's order.
-- Posts by active users: Carol is away, so her post matches no listed user.
SELECT jsonb_pretty(fetch_with_relations('{"table": "users", "filter": {"status": "active"}, "select_columns": ["name"],
    "relations": [{"name": "posts", "table": "posts", "join_type": "full", "select_columns": ["title"]}]}'));
-- right: only users with posts, then the unmatched posts (Draft's author is not listed).
SELECT jsonb_pretty(fetch_with_relations('{"table": "users", "filter": {"name": {"neq": "Carol"}}, "select_columns": ["name"],
    "relations": [{"name": "author_of", "table": "posts", "join_type": "right",
                   "select_columns": ["title"]}]}'));
-- A many-to-one right join: the categories no listed post uses.
SELECT jsonb_pretty(fetch_with_relations('{"table": "posts", "filter": {"category_id": 1}, "select_columns": ["title"],
    "relations": [{"name": "category", "table": "categories", "join_type": "right", "select_columns": ["name"]}]}'));

-- Filter operators.
SELECT jsonb_path_query_array(fetch_with_relations(f), '$[*].title') AS titles
FROM (VALUES ('{"table": "posts", "filter": {"score": {"gt": 3, "lte": 8}}}'::jsonb),
             ('{"table": "posts", "filter": {"id": {"in": [1, 4]}}}'),
             ('{"table": "posts", "filter": {"category_id": {"is": null}}}'),
             ('{"table": "posts", "filter": {"title": {"ilike": "%news%"}}}'),
             ('{"table": "posts", "filter": {"title": {"like": "L%"}, "author_id": {"neq": 1}}}'),
             ('{"table": "posts", "filter": {"category_id": null}}'),
             ('{"table": "posts", "order_by": [["author_id", "desc"], "title"], "limit": 2, "offset": 1}')) AS specs(f);
-- One row by id; NULL when there is none; a self-reference in both directions.
SELECT fetch_with_relations('{"table": "users", "id": 99}') AS missing;
CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes, label text);
INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 1, 'b');
SELECT fetch_with_relations('{"table": "nodes", "id": 2, "select_columns": ["label"], "relations": [
    {"name": "parent", "table": "nodes", "foreign_key": "parent_id", "select_columns": ["label"]}]}');
SELECT fetch_with_relations('{"table": "nodes", "id": 1, "select_columns": ["label"], "relations": [
    {"name": "children", "table": "nodes", "foreign_key": "parent_id", "direction": "one_to_many",
     "select_columns": ["label"]}]}');

-- The same shape with other values reuses the remembered batches and binds the new values: one
-- plan per shape here (the author is joined into the posts' statement), 2 plans for 8 calls.
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT fetch_with_relations(jsonb_build_object('table', 'posts', 'id', i, 'select_columns', '["title"]'::jsonb,
           'relations', '[{"name": "author", "table": "users", "select_columns": ["name"]}]'::jsonb)) AS post
FROM generate_series(1, 4) i;
SELECT jsonb_array_length(fetch_with_relations(jsonb_build_object('table', 'posts',
           'filter', jsonb_build_object('score', jsonb_build_object('gte', s)), 'limit', 10))) AS at_least
FROM unnest(ARRAY[0, 4, 6, 9]) s;
SELECT plans_prepared - :before AS plans_prepared_for_8_calls FROM plan_cache_stats();

-- Errors name the place in the spec.
SELECT fetch_with_relations('{"table": "nope"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "p", "table": "a.b.c.d"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "filter": {"exists": {"relation": {"table": "x\"y"}}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "limit": -1}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "colour": "red"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "posts", "table": "posts", "relations": [{"name": "", "table": "comments"}]}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "p", "table": "posts"}, {"name": "p", "table": "posts"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "posts", "table": "posts", "relations": [{"name": "c", "table": "comments", "foreign_key": "nope"}]}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "c", "table": "categories"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "c", "table": "comments"}, {"name": "name", "table": "posts"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "filter": {"age": 3}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "filter": {"id": {"near": 3}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "filter": {"id": "abc"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "id": 1, "relations": [{"name": "p", "table": "posts", "join_type": "full"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "p", "table": "posts", "relations": [
    {"name": "c", "table": "comments", "join_type": "right"}]}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "users", "relations": [{"name": "p", "table": "posts", "join_type": "sideways"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('[1, 2]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_many_with_relations('users', "limit" => -5);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_eager('posts', 1, ARRAY['author', 'author_id', 'users']);
\echo :LAST_ERROR_SQLSTATE

DROP TABLE users, categories, posts, comments, profiles, nodes CASCADE;

-- A runaway load stops at data_bridge.max_rows (rows at every level count), never exhausting
-- memory.
CREATE TABLE big_parent (id int PRIMARY KEY);
CREATE TABLE big_child (id int PRIMARY KEY, parent_id int REFERENCES big_parent);
INSERT INTO big_parent SELECT generate_series(1, 10);
INSERT INTO big_child SELECT g, 1 + g % 10 FROM generate_series(1, 200) g;
SET data_bridge.max_rows = 100;
SELECT fetch_with_relations('{"table": "big_parent", "relations": [{"name": "children", "table": "big_child"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_parent", "limit": 3, "relations": [
    {"name": "children", "table": "big_child", "limit": 5}]}')) AS within_the_limit;
SELECT fetch_with_relations('{"table": "big_parent", "limit": 3, "relations": [
    {"name": "n", "table": "big_child", "count": true}]}') -> 0 AS counts_are_free;
-- A many-to-one row counts too (it is joined into its parent's statement): 8 children and their
-- parents are 16 rows, 7 and theirs 14.
SET data_bridge.max_rows = 15;
SELECT fetch_with_relations('{"table": "big_child", "limit": 8, "relations": [{"name": "parent", "table": "big_parent"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_child", "limit": 7,
    "relations": [{"name": "parent", "table": "big_parent"}]}')) AS seven_and_their_parents;
RESET data_bridge.max_rows;
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_parent", "relations": [{"name": "children", "table": "big_child"}]}')) AS all_ten;
-- data_bridge.max_load_size bounds the bytes of rows a load reads (all levels together),
-- counted as each row arrives, with out-of-line and compressed values at their full size.
SHOW data_bridge.max_load_size;
SHOW data_bridge.max_rows;
CREATE TABLE big_text (id int PRIMARY KEY, parent_id int REFERENCES big_parent, body text);
INSERT INTO big_text SELECT g, 1 + g % 10, (SELECT string_agg(md5(g || '.' || i), '') FROM generate_series(1, 320) i)
FROM generate_series(1, 200) g;  -- 10 kB each, stored out of line
SELECT pg_relation_size('big_text') < 200 * 10240 / 10 AS stored_out_of_line, octet_length(body) FROM big_text WHERE id = 1;
SET data_bridge.max_load_size = '1MB';
SELECT fetch_with_relations('{"table": "big_parent", "relations": [{"name": "texts", "table": "big_text"}]}') IS NULL;
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations_json('{"table": "big_text"}') IS NULL;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM fetch_rows_with_relations('{"table": "big_text", "select_columns": ["id", "body"]}');
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_parent", "relations": [
    {"name": "texts", "table": "big_text", "limit": 5}]}')) AS within_the_size;
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_text", "select_columns": ["id"]}')) AS small_columns_of_many_rows;
SET data_bridge.max_load_size = -1;
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_text"}')) AS no_limit;
-- 0 (and a size that rounds to 0 kB) lets nothing through.
SET data_bridge.max_load_size = '100B';
SHOW data_bridge.max_load_size;
SELECT fetch_with_relations('{"table": "big_text", "limit": 1, "select_columns": ["id"]}');
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_load_size;
SELECT jsonb_array_length(fetch_with_relations('{"table": "big_text"}')) AS within_the_default;
-- Rows of many empty columns read few bytes but render many pairs: each column counts.
CREATE TABLE wide_rows AS SELECT g AS id FROM generate_series(1, 2000) g;
DO $$ BEGIN FOR i IN 1 .. 200 LOOP EXECUTE format('ALTER TABLE wide_rows ADD COLUMN c%s int', i); END LOOP; END $$;
SET data_bridge.max_load_size = '8MB';
SELECT fetch_with_relations('{"table": "wide_rows"}') IS NULL;
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_array_length(fetch_with_relations('{"table": "wide_rows", "select_columns": ["id"]}')) AS narrow_selection;
-- A stream of rows far larger than the budget stops at the first one, not after a chunk.
CREATE VIEW fat_rows AS SELECT id, repeat('x', 2000000) AS body FROM wide_rows WHERE id <= 40;
SET data_bridge.max_load_size = '1MB';
SELECT count(*) FROM fetch_rows_with_relations('{"table": "fat_rows"}');
\echo :LAST_ERROR_SQLSTATE
-- A load that runs as one statement (a key type without an array type, or a right/full join)
-- is bounded by rows while reading and its result held to the size once built.
CREATE TABLE array_keyed (id int[] PRIMARY KEY);
CREATE TABLE array_keyed_items (id int PRIMARY KEY, owner int[] REFERENCES array_keyed, body text);
INSERT INTO array_keyed VALUES ('{1}');
INSERT INTO array_keyed_items SELECT g, '{1}', repeat('y', 10000) FROM generate_series(1, 200) g;
SELECT fetch_with_relations('{"table": "array_keyed", "relations": [{"name": "items", "table": "array_keyed_items"}]}') IS NULL;
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_load_size;
SELECT jsonb_array_length(fetch_with_relations('{"table": "array_keyed", "relations": [{"name": "items", "table": "array_keyed_items"}]}') -> 0 -> 'items') AS within_the_default;
DROP TABLE array_keyed_items, array_keyed;
DROP VIEW fat_rows;
DROP TABLE wide_rows;
DROP TABLE big_text, big_parent, big_child;

-- A long load honours statement_timeout (and query cancel), also while it builds its result.
CREATE TABLE slow_rows AS SELECT g AS id, 'row ' || g AS label FROM generate_series(1, 300000) g;
SET data_bridge.max_rows = 0;
SET statement_timeout = '20ms';
SELECT fetch_many_with_relations('slow_rows') IS NULL;
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;
RESET data_bridge.max_rows;
DROP TABLE slow_rows;

-- A row by a key object ({"tenant_id": .., "id": ..}): remembered like a row by a one-column
-- key, whatever the values and the order of the names; what the planned call refuses (a column
-- missing or extra, a null, an array) is refused the same on a remembered shape.
CREATE TABLE ko_users (tenant_id int, id int, name text, PRIMARY KEY (tenant_id, id));
CREATE TABLE ko_posts (tenant_id int, id int, user_id int, title text, PRIMARY KEY (tenant_id, id),
                       FOREIGN KEY (tenant_id, user_id) REFERENCES ko_users);
INSERT INTO ko_users VALUES (1, 1, 'Ada'), (2, 1, 'Bo'), (2, 2, 'Cy');
INSERT INTO ko_posts VALUES (1, 10, 1, 'a'), (2, 10, 1, 'b'), (2, 11, 2, 'c');
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 1, "id": 10}'::jsonb, '[{"name": "author", "table": "ko_users"}]');
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT fetch_one_with_relations('ko_posts', '{"id": 10, "tenant_id": 2}'::jsonb, '[{"name": "author", "table": "ko_users"}]');
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": "11"}'::jsonb, '[{"name": "author", "table": "ko_users"}]');
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": 12}'::jsonb, '[{"name": "author", "table": "ko_users"}]') AS missing_row;
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": 11}', '[{"name": "author", "table": "ko_users"}]') AS as_text;
SELECT fetch_with_relations('{"table": "ko_posts", "id": {"tenant_id": 1, "id": 10}, "relations": [{"name": "author", "table": "ko_users"}]}');
SELECT fetch_with_relations('{"table": "ko_posts", "id": {"id": 11, "tenant_id": 2}, "relations": [{"name": "author", "table": "ko_users"}]}');
SELECT fetch_with_relations('{"table": "ko_posts", "id": {"id": 11, "tenant_id": 2}, "relations": [{"name": "author", "table": "ko_users"}]}');
SELECT plans_prepared - :before AS plans_prepared_after_the_first_calls FROM plan_cache_stats();
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": 11, "extra": 1}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": null}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": [11]}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "nope": 11}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": "eleven"}'::jsonb);
SELECT fetch_one_with_relations('ko_posts', '{"tenant_id": 2, "id": 11}'::jsonb) AS still_found;
-- A one-column jsonb key takes the jsonb value as the key itself, also when it is an object.
CREATE TABLE ko_docs (doc jsonb PRIMARY KEY, note text);
INSERT INTO ko_docs VALUES ('{"doc": 1}', 'named like its column'), ('{"a": 2}', 'other');
SELECT fetch_one_with_relations('ko_docs', '{"doc": 1}'::jsonb) AS by_value;
SELECT fetch_one_with_relations('ko_docs', '{"doc": 1}'::jsonb) AS by_value_again;
SELECT fetch_one_with_relations('ko_docs', '{"a": 2}'::jsonb) AS other_value;
DROP TABLE ko_docs, ko_posts, ko_users;

-- A one-to-one relation by a DEFERRABLE unique constraint: a duplicate the transaction holds
-- until commit is refused (21000) in the batched form and in the single statement, where a plain
-- join shows both rows; without one, the relation is an object as usual.
CREATE TABLE du_users (id int PRIMARY KEY);
CREATE TABLE du_profiles (id int PRIMARY KEY, user_id int REFERENCES du_users, bio text,
                          CONSTRAINT du_one UNIQUE (user_id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE du_badges (id int PRIMARY KEY, user_id int REFERENCES du_users);
INSERT INTO du_users VALUES (1), (2);
INSERT INTO du_profiles VALUES (1, 1, 'a'), (2, 2, 'b');
INSERT INTO du_badges VALUES (1, 1);
SELECT fetch_many_with_relations('du_users', '[{"name": "profile", "table": "du_profiles"}]');
BEGIN;
INSERT INTO du_profiles VALUES (3, 1, 'until commit');
SELECT u.id, count(p.id) AS profiles FROM du_users u JOIN du_profiles p ON p.user_id = u.id
GROUP BY u.id ORDER BY u.id;
SAVEPOINT batched;
SELECT fetch_many_with_relations('du_users', '[{"name": "profile", "table": "du_profiles"}]');
ROLLBACK TO SAVEPOINT batched;
-- A full join makes it one statement.
SELECT fetch_many_with_relations('du_users', '[{"name": "profile", "table": "du_profiles"},
    {"name": "badges", "table": "du_badges", "join_type": "full"}]');
ROLLBACK;
SELECT fetch_one_with_relations('du_users', 1, '[{"name": "profile", "table": "du_profiles"}]');
DROP TABLE du_badges, du_profiles, du_users;
