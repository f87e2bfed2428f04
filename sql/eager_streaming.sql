-- fetch_rows_with_relations(): the rows of fetch_with_relations, one jsonb value each, streamed
-- a chunk of top rows at a time (1,000), each chunk's relations loaded for it, each row returned
-- as it is ready. Checked against
-- fetch_with_relations on loads larger than a chunk: plain, ordered both ways, with relations
-- joined into the top statement (many-to-one, counts), nested one-to-many levels, pages,
-- keyset pages, filters, one row by id, and a full join (one statement, emitted row by row).
CREATE TABLE es_authors (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE es_posts (id int PRIMARY KEY, author_id int REFERENCES es_authors, title text, score int);
CREATE TABLE es_comments (id int PRIMARY KEY, post_id int REFERENCES es_posts, body text);
CREATE INDEX ON es_posts (author_id);
CREATE INDEX ON es_comments (post_id);
INSERT INTO es_authors SELECT g, 'author ' || g FROM generate_series(1, 300) g;
INSERT INTO es_posts SELECT g, 1 + g % 300, 'post ' || g, g % 17 FROM generate_series(1, 2600) g;
INSERT INTO es_comments SELECT g, 1 + (g * 7) % 2600, 'comment ' || g FROM generate_series(1, 5000) g;

CREATE FUNCTION es_same(spec jsonb) RETURNS boolean LANGUAGE sql AS $$
    SELECT coalesce((SELECT jsonb_agg(r ORDER BY n) FROM fetch_rows_with_relations(spec) WITH ORDINALITY AS s(r, n)), '[]')
           = fetch_with_relations(spec)
$$;
SELECT es_same('{"table": "es_posts"}') AS plain,
       es_same('{"table": "es_posts", "order_by": [["score", "desc"], ["title", "asc"]]}') AS ordered,
       es_same('{"table": "es_posts", "order_by": [["score", "desc"]], "relations": [
           {"name": "author", "table": "es_authors", "select_columns": ["name"]},
           {"name": "n", "table": "es_comments", "count": true}]}') AS joined,
       es_same('{"table": "es_authors", "relations": [{"name": "posts", "table": "es_posts", "order_by": ["score"],
           "relations": [{"name": "comments", "table": "es_comments", "select_columns": ["body"]}]}]}') AS nested,
       es_same('{"table": "es_posts", "order_by": ["title"], "limit": 1500, "offset": 700, "select_columns": ["id"]}') AS paged,
       es_same('{"table": "es_posts", "order_by": ["score"], "after": {"score": 3, "id": 1000},
           "filter": {"title": {"like": "post 1%"}}}') AS keyset,
       es_same('{"table": "es_posts", "filter": {"score": 99}}') AS empty,
       es_same('{"table": "es_authors", "filter": {"id": {"lt": 4}}, "relations": [{"name": "posts", "table": "es_posts",
           "join_type": "full", "filter": {"score": 16}, "select_columns": ["id"]}]}') AS full_join;
-- In a select list each row is returned as it is ready: a cursor, COPY or LIMIT reads only
-- what it needs.
BEGIN;
DECLARE es_cursor CURSOR FOR SELECT fetch_rows_with_relations('{"table": "es_posts", "order_by": [["id", "desc"]],
    "select_columns": ["id"], "relations": [{"name": "n", "table": "es_comments", "count": true}]}') AS r;
FETCH 2 FROM es_cursor;
FETCH 1 FROM es_cursor;
CLOSE es_cursor;
COMMIT;
-- A rollback to a savepoint set after the stream began closes its cursor: the next chunk is a
-- clean 24000, not an internal error.
BEGIN;
DECLARE es_cursor CURSOR FOR SELECT fetch_rows_with_relations('{"table": "es_posts", "order_by": "id", "select_columns": ["id"]}') AS r;
SAVEPOINT es_savepoint;
FETCH 1 FROM es_cursor;
ROLLBACK TO es_savepoint;
MOVE 998 FROM es_cursor;
FETCH 2 FROM es_cursor;
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- The stream's own cursor has a random name and is not listed in pg_cursors: a client cannot
-- FETCH from it, MOVE it, or close it and put a cursor of its own in its place between the calls
-- that read it.
BEGIN;
DECLARE es_cursor CURSOR FOR SELECT fetch_rows_with_relations('{"table": "es_posts", "order_by": "id",
    "relations": [{"name": "s", "table": "es_comments", "aggregate": {"max": "body"}}]}') AS r;
FETCH 1 FROM es_cursor;
SELECT array_agg(name) AS listed_cursors FROM pg_cursors;
MOVE 998 FROM es_cursor;
FETCH 2 FROM es_cursor;
ROLLBACK;
SELECT fetch_rows_with_relations('{"table": "es_posts", "select_columns": ["id"]}') AS r LIMIT 2;
COPY (SELECT fetch_rows_with_relations('{"table": "es_authors", "filter": {"id": {"lt": 3}}, "select_columns": ["name"]}')) TO STDOUT;
SELECT count(*) AS in_select_list, count(DISTINCT r ->> 'id') AS distinct_rows
FROM (SELECT fetch_rows_with_relations('{"table": "es_posts", "select_columns": ["id"]}') AS r) s;
SELECT * FROM fetch_rows_with_relations('{"table": "es_posts", "id": 5, "select_columns": ["title"],
    "relations": [{"name": "author", "table": "es_authors", "select_columns": ["name"]}]}');
SELECT count(*) AS none FROM fetch_rows_with_relations('{"table": "es_posts", "id": 99999}');
-- A stream abandoned inside a rescanned subquery (LIMIT) starts afresh on each rescan.
SELECT count(*) AS rescans FROM generate_series(1, 20) g, LATERAL (
    SELECT x FROM (SELECT fetch_rows_with_relations('{"table": "es_posts", "order_by": ["title", "id"]}') AS x) q
    WHERE g > 0 LIMIT 1) s;
-- Opening the stream plans its statement, which may call data_bridge again (here through an
-- immutable function folded at plan time) and churn the plan cache: nothing it uses is freed.
CREATE TABLE es_churn (id int PRIMARY KEY);
DO $$ BEGIN FOR i IN 1 .. 40 LOOP EXECUTE format('CREATE TABLE es_churn%s (id int PRIMARY KEY)', i); END LOOP; END $$;
CREATE FUNCTION es_churn_plans() RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    FOR i IN 1 .. 40 LOOP
        PERFORM fetch_with_relations(jsonb_build_object('table', 'es_churn' || i));
    END LOOP;
    RETURN true;
END $$;
CREATE VIEW es_churning AS SELECT id, title FROM es_posts WHERE es_churn_plans();
SET data_bridge.max_cached_plans = 16;
SELECT count(*) AS streamed FROM (SELECT fetch_rows_with_relations('{"table": "es_churning"}') AS x) s;
RESET data_bridge.max_cached_plans;
DROP VIEW es_churning;
DROP FUNCTION es_churn_plans();
DO $$ BEGIN FOR i IN 1 .. 40 LOOP EXECUTE format('DROP TABLE es_churn%s', i); END LOOP; END $$;
DROP TABLE es_churn;
-- data_bridge.max_rows keeps its meaning: the rows of the whole call.
SET data_bridge.max_rows = 2600;
SELECT count(*) AS streamed FROM fetch_rows_with_relations('{"table": "es_posts"}');
SET data_bridge.max_rows = 1500;
SELECT count(*) FROM fetch_rows_with_relations('{"table": "es_posts"}');
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_rows;
-- Errors are fetch_with_relations' own.
SELECT * FROM fetch_rows_with_relations('{"table": "es_posts", "limit": -1}');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM fetch_rows_with_relations('{"table": "nope"}');
\echo :LAST_ERROR_SQLSTATE
-- As the caller: without SELECT on a related table, refused.
CREATE ROLE es_reader NOLOGIN;
GRANT SELECT ON es_posts TO es_reader;
SET ROLE es_reader;
SELECT count(*) FROM fetch_rows_with_relations('{"table": "es_posts", "relations": [{"name": "c", "table": "es_comments"}]}');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE ALL ON es_posts FROM es_reader;
DROP ROLE es_reader;
DROP FUNCTION es_same(jsonb);
DROP TABLE es_comments, es_posts, es_authors;
