-- Shared relations ("shared": true on a relation that renders one row): each distinct related
-- row once, in the result's "shared" list of the relation's name; the relation's value in a
-- row is the row's place (from 0) in that list. The result is {"data": ..., "shared": {...}}.
-- Putting every row back in its place gives exactly the load without "shared"; checked here
-- for fixed and seeded random specs, json and jsonb forms alike.
\set SHOW_CONTEXT never
\set VERBOSITY terse
CREATE TABLE es_companies (id int PRIMARY KEY, name text);
CREATE TABLE es_users (id int PRIMARY KEY, name text, bio text, company_id int REFERENCES es_companies);
CREATE TABLE es_profiles (user_id int PRIMARY KEY REFERENCES es_users, motto text);
CREATE TABLE es_posts (id int PRIMARY KEY, author_id int REFERENCES es_users, editor_id int REFERENCES es_users, title text);
CREATE TABLE es_comments (id int PRIMARY KEY, post_id int REFERENCES es_posts, author_id int REFERENCES es_users, body text);
INSERT INTO es_companies VALUES (1, 'Acme'), (2, 'Globex');
INSERT INTO es_users SELECT g, 'user ' || g, repeat('b', g % 3), CASE WHEN g % 4 = 0 THEN NULL ELSE 1 + g % 2 END
FROM generate_series(1, 12) g;
INSERT INTO es_profiles SELECT g, 'motto ' || (g % 2) FROM generate_series(1, 12, 2) g;
INSERT INTO es_posts SELECT g, CASE WHEN g = 5 THEN NULL ELSE 1 + g % 4 END, 1 + g % 3, 'post ' || g
FROM generate_series(1, 20) g;
INSERT INTO es_comments SELECT g, 1 + g % 20, 1 + (g * 7) % 12, 'comment ' || g FROM generate_series(1, 60) g;

-- Puts each shared row back in place: a key that names a list and holds a number is a place.
CREATE FUNCTION es_resolve(value jsonb, lists jsonb) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    out jsonb := '{}';
    member record;
BEGIN
    IF jsonb_typeof(value) = 'array' THEN
        SELECT coalesce(jsonb_agg(es_resolve(e, lists) ORDER BY n), '[]') INTO out
        FROM jsonb_array_elements(value) WITH ORDINALITY AS a(e, n);
        RETURN out;
    END IF;
    IF jsonb_typeof(value) IS DISTINCT FROM 'object' THEN
        RETURN value;
    END IF;
    FOR member IN SELECT * FROM jsonb_each(value) LOOP
        IF lists ? member.key AND jsonb_typeof(member.value) = 'number' THEN
            out := out || jsonb_build_object(member.key,
                es_resolve(lists -> member.key -> (member.value::text::int), lists));
        ELSE
            out := out || jsonb_build_object(member.key, es_resolve(member.value, lists));
        END IF;
    END LOOP;
    RETURN out;
END $$;
CREATE FUNCTION es_unshared(result jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE
AS $$ SELECT es_resolve(result -> 'data', result -> 'shared') $$;

-- Posts with author and editor (another list), comments with their authors (the author list
-- again): each user once per list; a post without author has null, not a place.
SELECT jsonb_pretty(fetch_with_relations('{"table": "es_posts", "select_columns": ["id"], "order_by": "id", "limit": 5, "relations": [
    {"name": "author", "table": "es_users", "foreign_key": "author_id", "select_columns": ["id", "name"], "shared": true},
    {"name": "editor", "table": "es_users", "foreign_key": "editor_id", "select_columns": ["id"], "shared": true},
    {"name": "comments", "table": "es_comments", "select_columns": ["id"], "relations": [
        {"name": "author", "table": "es_users", "select_columns": ["id", "name"], "shared": true}]}]}'));
-- The json form prints the same text.
SELECT fetch_many_with_relations_json('es_posts', '[
    {"name": "author", "table": "es_users", "foreign_key": "author_id", "select_columns": ["id", "name"], "shared": true},
    {"name": "comments", "table": "es_comments", "select_columns": ["id"], "relations": [
        {"name": "author", "table": "es_users", "select_columns": ["id", "name"], "shared": true}]}]',
    NULL, '"id"', 20)::text
  = fetch_many_with_relations('es_posts', '[
    {"name": "author", "table": "es_users", "foreign_key": "author_id", "select_columns": ["id", "name"], "shared": true},
    {"name": "comments", "table": "es_comments", "select_columns": ["id"], "relations": [
        {"name": "author", "table": "es_users", "select_columns": ["id", "name"], "shared": true}]}]',
    NULL, '"id"', 20)::text AS json_form_same_text;
-- One list, two renderings: rows of the same name with other columns are other objects.
SELECT jsonb_pretty(fetch_one_with_relations('es_posts', 1, '[
    {"name": "author", "table": "es_users", "foreign_key": "author_id", "select_columns": ["name"], "shared": true},
    {"name": "comments", "table": "es_comments", "select_columns": ["id"], "filter": {"id": {"lt": 30}}, "relations": [
        {"name": "author", "table": "es_users", "select_columns": ["id"], "shared": true}]}]') -> 'shared');
-- A shared row with relations of its own (company, shared too; profile, one-to-one) and a
-- one-to-one relation shared by itself.
SELECT fetch_with_relations('{"table": "es_posts", "select_columns": ["id"], "order_by": "id", "filter": {"id": {"lte": 6}}, "relations": [
    {"name": "author", "table": "es_users", "foreign_key": "author_id", "select_columns": ["id"], "shared": true, "relations": [
        {"name": "company", "table": "es_companies", "shared": true},
        {"name": "profile", "table": "es_profiles"}]}]}');
SELECT fetch_with_relations('{"table": "es_users", "select_columns": ["id"], "order_by": "id", "filter": {"id": {"lte": 5}},
    "relations": [{"name": "profile", "table": "es_profiles", "select_columns": ["motto"], "shared": true}]}');
-- No row: NULL, as without "shared"; no related row: an empty list.
SELECT fetch_one_with_relations('es_posts', 999, '[{"name": "author", "table": "es_users", "foreign_key": "author_id", "shared": true}]') IS NULL AS no_row;
SELECT fetch_with_relations('{"table": "es_posts", "select_columns": ["id"], "filter": {"id": 5},
    "relations": [{"name": "author", "table": "es_users", "foreign_key": "author_id", "shared": true}]}');

-- Rows of two tables under one name, with the same keys but swapped types (an int 1 and a
-- true have the same image): two entries, as the load without "shared" renders them.
CREATE TABLE es_ta (id int PRIMARY KEY, a int, b bool);
CREATE TABLE es_tb (id int PRIMARY KEY, b int, a bool);
CREATE TABLE es_p (id int PRIMARY KEY, ta_id int REFERENCES es_ta, tb_id int REFERENCES es_tb);
CREATE TABLE es_c (id int PRIMARY KEY, p_id int REFERENCES es_p, tb_id int REFERENCES es_tb);
INSERT INTO es_ta VALUES (1, 1, true);
INSERT INTO es_tb VALUES (1, 1, true);
INSERT INTO es_p VALUES (1, 1, 1);
INSERT INTO es_c VALUES (1, 1, 1);
SELECT fetch_with_relations('{"table": "es_p", "select_columns": ["id"], "relations": [
    {"name": "owner", "table": "es_ta", "foreign_key": "ta_id", "select_columns": ["a", "b"], "shared": true},
    {"name": "kids", "table": "es_c", "select_columns": ["id"], "relations": [
        {"name": "owner", "table": "es_tb", "foreign_key": "tb_id", "select_columns": ["b", "a"], "shared": true}]}]}');
DROP TABLE es_c, es_p, es_ta, es_tb;

-- Writes take no "shared".
SELECT insert_with_relations('es_posts', '{"id": 100, "author": {"id": 100, "name": "new"}}',
    '[{"name": "author", "table": "es_users", "foreign_key": "author_id", "shared": true}]');
\echo :LAST_ERROR_SQLSTATE

-- Refused: a relation that renders an array, a count, a recursive one; loads returned row by row
-- or page by page; a right join (one statement).
SELECT fetch_many_with_relations('es_users', '[{"name": "posts", "table": "es_posts", "foreign_key": "author_id", "shared": true}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_many_with_relations('es_users', '[{"name": "posts", "table": "es_posts", "foreign_key": "author_id", "count": true, "shared": true}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_many_with_relations('es_users', '[{"name": "boss", "table": "es_users", "recursive": true, "shared": true}]');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM fetch_rows_with_relations('{"table": "es_posts", "relations": [{"name": "author", "table": "es_users", "foreign_key": "author_id", "shared": true}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "es_posts", "limit": 2, "relations": [{"name": "author", "table": "es_users", "foreign_key": "author_id", "shared": true}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "es_posts", "relations": [{"name": "author", "table": "es_users", "foreign_key": "author_id", "join_type": "right", "shared": true}]}');
\echo :LAST_ERROR_SQLSTATE

-- Seeded random specs: shared or not at each place, columns, filters, limits; the load with
-- "shared", its rows put back, is the load without it, and the json form prints the jsonb form's
-- text.
SELECT setseed(0.25);
DO $$
DECLARE
    bad int := 0;
    spec_shared jsonb;
    spec_plain jsonb;
    author_columns jsonb;
    shared_author boolean;
    shared_comment_author boolean;
    shared_company boolean;
    top_limit int;
    got jsonb;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 60 LOOP
        author_columns := (ARRAY['["id"]', '["id", "name"]', '["name", "bio"]', 'null'])[1 + floor(random() * 4)]::jsonb;
        shared_author := random() < 0.7;
        shared_comment_author := random() < 0.7;
        shared_company := random() < 0.5;
        top_limit := 1 + floor(random() * 20);
        spec_shared := jsonb_build_object('table', 'es_posts', 'order_by', 'id', 'limit', top_limit,
            'filter', jsonb_build_object('id', jsonb_build_object('gte', floor(random() * 10))),
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'author', 'table', 'es_users', 'foreign_key', 'author_id',
                    'select_columns', author_columns, 'shared', shared_author,
                    'relations', jsonb_build_array(jsonb_build_object('name', 'company', 'table', 'es_companies', 'shared', shared_company))),
                jsonb_build_object('name', 'editor', 'table', 'es_users', 'foreign_key', 'editor_id', 'select_columns', '["id", "name"]'::jsonb, 'shared', random() < 0.5),
                jsonb_build_object('name', 'comments', 'table', 'es_comments', 'limit', floor(random() * 4),
                    'relations', jsonb_build_array(jsonb_build_object('name', 'author', 'table', 'es_users',
                        'select_columns', author_columns, 'shared', shared_comment_author)))));
        spec_plain := replace(spec_shared::text, '"shared": true', '"shared": false')::jsonb;
        expected := fetch_with_relations(spec_plain);
        got := fetch_with_relations(spec_shared);
        IF spec_shared::text LIKE '%"shared": true%' THEN
            -- Both forms list the same rows in the same order: the same text.
            IF es_unshared(got) IS DISTINCT FROM expected
               OR fetch_with_relations_json(spec_shared)::text IS DISTINCT FROM got::text THEN
                bad := bad + 1;
                RAISE NOTICE 'mismatch for %', spec_shared;
            END IF;
        ELSIF got IS DISTINCT FROM expected THEN
            bad := bad + 1;
        END IF;
    END LOOP;
    RAISE NOTICE 'random shared loads, mismatches: %', bad;
END $$;

DROP FUNCTION es_unshared(jsonb), es_resolve(jsonb, jsonb);
DROP TABLE es_comments, es_posts, es_profiles, es_users, es_companies;
