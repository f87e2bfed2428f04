-- Seeded random calls of every function of the extension, for the sanitizer run
-- (scripts/sanitize.sh). Arguments are drawn by type from pools of valid, odd and hostile values
-- (random relation specs included); every call runs in a subtransaction that is rolled back, so
-- the data stays as created. A crash ends the session (psql fails); a memory error is reported
-- by the sanitizer. Internal errors (XX000) fail the run: no input may reach one.
-- Usage: psql -v seed=0.42 -v calls=3000 -f random_calls.sql
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fz CASCADE;
CREATE SCHEMA fz;
SET search_path = fz, public;

CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL,
                    manager_id int REFERENCES users ON DELETE SET NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id int REFERENCES users ON DELETE CASCADE,
                    title text, tags text[], created date DEFAULT '2026-01-01');
CREATE TABLE comments (post_id bigint REFERENCES posts ON DELETE CASCADE, n int, body text,
                       PRIMARY KEY (post_id, n));
CREATE TABLE likes (user_id int REFERENCES users ON DELETE RESTRICT,
                    post_id bigint REFERENCES posts ON DELETE CASCADE, PRIMARY KEY (user_id, post_id));
CREATE TABLE "Odd ""Name""" (uid uuid PRIMARY KEY, user_id int REFERENCES users ON DELETE CASCADE);
CREATE TABLE events (id int, user_id int REFERENCES users ON DELETE CASCADE) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (50);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (50) TO (100);
CREATE VIEW post_list AS SELECT id, user_id, title FROM posts;

INSERT INTO users SELECT g, 'user ' || g, NULLIF(g / 3, 0) FROM generate_series(1, 12) g;
INSERT INTO posts SELECT g, 1 + g % 12, 'post ' || g, ARRAY['t' || g % 3] FROM generate_series(1, 40) g;
INSERT INTO comments SELECT 1 + g % 40, g, 'comment ' || g FROM generate_series(1, 80) g;
INSERT INTO likes SELECT DISTINCT 1 + g % 12, 1 + g % 40 FROM generate_series(1, 60) g;
INSERT INTO "Odd ""Name""" SELECT md5(g::text)::uuid, 1 + g % 12 FROM generate_series(1, 10) g;
INSERT INTO events SELECT g, 1 + g % 12 FROM generate_series(0, 99) g;

SELECT setseed(:seed);
SET fz.calls = :calls;

CREATE FUNCTION pick(VARIADIC choices text[]) RETURNS text LANGUAGE sql AS
    $$ SELECT choices[1 + floor(random() * array_length(choices, 1))::int] $$;

-- A random JSON value of the kind a spec holds: mostly well-formed, sometimes wrong.
CREATE FUNCTION random_json(depth int) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    CASE floor(random() * 8)::int
        WHEN 0 THEN RETURN to_jsonb(floor(random() * 50)::int - 5);
        WHEN 1 THEN RETURN to_jsonb(pick('id', 'title', 'name', 'user_id', 'posts', 'x', '', 'DESC'));
        WHEN 2 THEN RETURN pick('null', 'true', '[]', '{}', '1.5', '"a\"b"')::jsonb;
        WHEN 3 THEN RETURN jsonb_build_array(pick('title', 'id', 'name'), pick('ASC', 'DESC', 'up'));
        WHEN 4 THEN RETURN jsonb_build_object(pick('id', 'user_id', 'title', 'nope'),
                                              jsonb_build_object(pick('eq', 'gt', 'in', 'like', 'is', 'bad'),
                                                                 random_json(depth + 1)));
        WHEN 5 THEN IF depth < 4 THEN RETURN jsonb_build_array(random_relation(depth + 1)); END IF;
                    RETURN '[]';
        WHEN 6 THEN RETURN jsonb_build_array(1, 2, 'x', NULL);
        ELSE RETURN to_jsonb(pick('users', 'posts', 'comments', 'likes', 'fz.events', 'post_list',
                                  'Odd "Name"', 'pg_class', 'nope'));
    END CASE;
END $$;

-- A random relation (or spec) object.
CREATE FUNCTION random_relation(depth int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    result jsonb := jsonb_build_object(
        'name', pick('posts', 'comments', 'author', 'likes', 'events', 'n', ''),
        'table', pick('fz.users', 'fz.posts', 'fz.comments', 'fz.likes', 'fz.events',
                      'fz.post_list', 'fz."Odd ""Name"""', 'users', 'pg_class'));
    key text;
BEGIN
    FOR i IN 1 .. floor(random() * 4)::int LOOP
        key := pick('foreign_key', 'reference_column', 'join_type', 'select_columns', 'filter', 'aggregate',
                    'order_by', 'limit', 'offset', 'count', 'direction', 'relations', 'relations',
                    'filter', 'limit', 'order_by', 'through', 'recursive', 'one', 'through_columns',
                    'on_conflict', CASE WHEN random() < 0.1 THEN 'bogus' ELSE 'count' END);
        result := result || jsonb_build_object(key, CASE key
            WHEN 'join_type' THEN to_jsonb(pick('left', 'inner', 'right', 'full', 'cross'))
            WHEN 'direction' THEN to_jsonb(pick('many_to_one', 'one_to_many', 'sideways'))
            WHEN 'count' THEN to_jsonb(random() < 0.7)
            WHEN 'one' THEN to_jsonb(random() < 0.7)
            WHEN 'through' THEN CASE WHEN random() < 0.6 THEN to_jsonb(pick('fz.likes', 'likes', 'fz.comments', 'nope'))
                ELSE jsonb_build_object('table', pick('fz.likes', 'fz.posts'), 'source_key', pick('user_id', 'post_id', 'x'),
                                        'target_key', random_json(depth + 1), 'as', pick('like', 'id', '')) END
            WHEN 'through_columns' THEN jsonb_build_array(pick('user_id', 'post_id', 'nope'))
            WHEN 'recursive' THEN CASE WHEN random() < 0.7
                THEN jsonb_build_object('max_depth', pick('1', '3', 'null', '64', '65', '0', '"x"')::jsonb)
                ELSE random_json(depth + 1) END
            WHEN 'on_conflict' THEN CASE WHEN random() < 0.5 THEN to_jsonb(pick('do_nothing', 'merge'))
                ELSE jsonb_build_object(pick('update', 'do_nothing', 'constraint'), random_json(depth + 1)) END
            WHEN 'foreign_key' THEN to_jsonb(pick('user_id', 'post_id', 'manager_id', 'posts_user_id_fkey', 'id'))
            WHEN 'filter' THEN CASE floor(random() * 5)::int
                WHEN 0 THEN jsonb_build_object(pick('id', 'user_id', 'title', 'n'), floor(random() * 20)::int)
                WHEN 1 THEN jsonb_build_object(pick('or', 'and', 'not'), CASE WHEN random() < 0.7
                    THEN jsonb_build_array(jsonb_build_object('id', jsonb_build_object('lt', 5)), '{"title": null}'::jsonb)
                    ELSE random_json(depth + 1) END)
                WHEN 2 THEN jsonb_build_object(pick('exists', 'not_exists'), jsonb_build_object(
                    'relation', jsonb_build_object('table', pick('fz.posts', 'fz.users', 'fz.comments', 'fz.likes')),
                    'filter', CASE WHEN random() < 0.5 THEN '{"id": {"gt": 3}}'::jsonb ELSE random_json(depth + 1) END))
                WHEN 3 THEN jsonb_build_object(pick('tags', 'title', 'name', 'id'), jsonb_build_object(
                    pick('not_in', 'is_null', 'not_like', 'not_ilike', 'contains', 'contained_by', 'overlaps', 'match'),
                    random_json(depth + 1)))
                ELSE random_json(depth + 1) END
            WHEN 'order_by' THEN CASE WHEN random() < 0.6
                THEN to_jsonb(pick('id', 'title', 'n', 'posts', 'author.name', 'posts.title', 'likes', 'x.y.z'))
                ELSE random_json(depth + 1) END
            WHEN 'limit' THEN to_jsonb(floor(random() * 5)::int)
            WHEN 'aggregate' THEN CASE WHEN random() < 0.7
                THEN jsonb_build_object(pick('count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median'),
                                        pick('id', 'title', 'n', '*', 'created', 'tags', 'nope'))
                ELSE random_json(depth + 1) END
            WHEN 'select_columns' THEN jsonb_build_array(pick('id', 'title', 'name', 'body', 'nope'))
            WHEN 'relations' THEN CASE WHEN depth < 4 THEN jsonb_build_array(random_relation(depth + 1)) ELSE '[]' END
            ELSE random_json(depth + 1) END);
    END LOOP;
    RETURN result;
END $$;

-- Relations that fit the schema (from users or posts), so that calls get past validation.
CREATE FUNCTION fitting_relations() RETURNS jsonb LANGUAGE sql AS $$
    SELECT pick(
        '[{"name": "posts", "table": "fz.posts", "order_by": ["title", "DESC"], "limit": 3}]',
        '[{"name": "posts", "table": "fz.posts", "relations": [{"name": "comments", "table": "fz.comments"}, {"name": "likes", "table": "fz.likes", "count": true}]}]',
        '[{"name": "author", "table": "fz.users", "foreign_key": "user_id", "relations": [{"name": "boss", "table": "fz.users", "foreign_key": "manager_id"}]}]',
        '[{"name": "reports", "table": "fz.users", "foreign_key": "manager_id", "direction": "one_to_many", "join_type": "inner"}]',
        '[{"name": "events", "table": "fz.events", "filter": {"id": {"lt": 50}}}, {"name": "odd", "table": "fz.\"Odd \"\"Name\"\"\""}]',
        '[{"name": "listed", "table": "fz.post_list", "foreign_key": "user_id", "reference_column": "id", "select_columns": ["title"]}]',
        '[{"name": "comments", "table": "fz.comments", "filter": {"body": {"like": "comment 1%"}}, "offset": 1}]',
        '[{"name": "posts", "table": "fz.posts", "join_type": "full", "filter": {"tags": null}}]',
        '[{"name": "liked", "table": "fz.posts", "through": "fz.likes", "through_columns": ["user_id"], "order_by": "likes.user_id"}]',
        '[{"name": "reports", "table": "fz.users", "foreign_key": "manager_id", "direction": "one_to_many", "recursive": {"max_depth": null}}]',
        '[{"name": "boss", "table": "fz.users", "foreign_key": "manager_id", "recursive": true, "select_columns": ["name"]}]')::jsonb
$$;

-- Documents for insert_with_relations that fit users (and sometimes collide or break a rule).
CREATE FUNCTION fitting_document() RETURNS jsonb LANGUAGE sql AS $$
    SELECT pick(
        format('{"id": %s, "name": "new", "posts": [{"id": %s, "title": "t", "comments": [{"n": 1, "body": "b"}]}]}',
               20 + floor(random() * 10)::int, 100 + floor(random() * 10)::int),
        format('[{"id": %s, "name": "a", "manager": {"connect": {"id": %s}}}, {"id": 3, "name": "dup"}]',
               30 + floor(random() * 10)::int, floor(random() * 14)::int),
        '{"id": 50, "name": null}',
        '{"id": 51, "name": "x", "liked": [{"connect": {"id": 1}}, {"id": 200, "title": "new"}]}',
        '{"id": 52, "name": "y", "posts": {"id": 201}}',
        '{"name": "no id"}')::jsonb
$$;

-- A literal argument of the given type, as SQL text.
CREATE FUNCTION random_argument(type regtype, depth int DEFAULT 0) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    nested text;
BEGIN
    CASE type
        WHEN 'regclass'::regtype THEN
            RETURN quote_literal(pick('fz.users', 'fz.posts', 'fz.users', 'fz.posts', 'fz.comments', 'fz.likes', 'fz.events',
                                      'fz.events_1', 'fz.post_list', 'fz."Odd ""Name"""', 'pg_class'))
                   || '::regclass';
        WHEN 'name'::regtype, 'text'::regtype THEN
            RETURN quote_nullable(pick('id', 'user_id', 'post_id', 'title', 'manager_id', '1', '7', 'abc',
                                       '', 'skip', 'raise', 'report', 'fz', 'posts', 'x"y', NULL,
                                       repeat('long', 40)));
        WHEN 'anyelement'::regtype THEN
            RETURN pick('1', '2::bigint', '7', '''3''::text', 'NULL::int', '''abc''::varchar',
                        '''00000000-0000-0000-0000-000000000000''::uuid', '''{"id": 2}''::jsonb',
                        'ROW(1, 2)', '1.5', '''x''::name');
        WHEN 'anyarray'::regtype THEN
            RETURN pick('ARRAY[1, 2, 3]', '''{}''::int[]', 'ARRAY[''1'', ''x'']', 'ARRAY[NULL]::int[]',
                        'ARRAY[2::bigint, 5]', 'ARRAY[ARRAY[1, 2]]', 'ARRAY[1.5]');
        WHEN 'jsonb'::regtype THEN
            IF random() < 0.02 THEN  -- deeply nested: limits, not the stack, must stop it
                nested := '{"name": "n", "table": "fz.users"}';
                FOR i IN 1 .. 300 + floor(random() * 700)::int LOOP
                    nested := format('{"name": "n", "table": "fz.users", "relations": [%s]}', nested);
                END LOOP;
                RETURN quote_literal('{"table": "fz.users", "relations": [' || nested || ']}') || '::jsonb';
            ELSIF random() < 0.3 THEN
                RETURN quote_literal(fitting_relations()::text) || '::jsonb';
            ELSIF random() < 0.2 THEN
                RETURN quote_literal(fitting_document()::text) || '::jsonb';
            ELSIF random() < 0.3 THEN
                RETURN quote_literal(jsonb_build_object('table', pick('fz.users', 'fz.posts'),
                    'filter', jsonb_build_object('id', jsonb_build_object('lt', 8)), 'order_by', 'id',
                    'relations', fitting_relations())::text) || '::jsonb';
            ELSIF random() < 0.3 THEN  -- a whole spec, for fetch_with_relations
                RETURN quote_literal((random_relation(0) - 'name' || jsonb_build_object('relations',
                    jsonb_build_array(random_relation(1))))::text) || '::jsonb';
            ELSIF random() < 0.4 THEN
                RETURN quote_literal(random_relation(0)::text) || '::jsonb';
            ELSIF random() < 0.5 THEN
                RETURN quote_literal(jsonb_build_array(random_relation(0), random_relation(0))::text) || '::jsonb';
            END IF;
            RETURN quote_nullable(random_json(0)::text) || '::jsonb';
        WHEN 'integer'::regtype THEN
            RETURN pick('0', '1', '5', '-1', '2147483647', 'NULL', '100');
        WHEN 'boolean'::regtype THEN
            RETURN pick('true', 'false', 'NULL');
        WHEN 'text[]'::regtype THEN
            RETURN pick('ARRAY[''posts'']', 'ARRAY[''posts'', ''comments'']', '''{}''::text[]',
                        'ARRAY[NULL]::text[]', 'ARRAY[''nope'']', 'ARRAY[''user_id'']');
        ELSE
            RAISE EXCEPTION 'random_calls.sql: no values for type %', type;
    END CASE;
END $$;

CREATE TABLE outcomes (function regprocedure, sqlstate text, calls int, example text,
                       PRIMARY KEY (function, sqlstate));

DO $$
DECLARE
    functions regprocedure[] := ARRAY(
        SELECT p.oid::regprocedure FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'data_bridge'
        ORDER BY p.oid::regprocedure::text);
    calls int := current_setting('fz.calls')::int;
    fn regprocedure;
    call text;
    state text;
    message text;
BEGIN
    FOR i IN 0 .. calls - 1 LOOP
        fn := functions[1 + i % array_length(functions, 1)];  -- every function, in turn
        SELECT format('SELECT %s.%I(%s)', quote_ident(n.nspname), p.proname,
                      coalesce(string_agg(random_argument(t.type), ', ' ORDER BY t.ord)
                                   FILTER (WHERE t.type IS NOT NULL), ''))
          INTO call
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          LEFT JOIN LATERAL unnest(p.proargtypes::regtype[]) WITH ORDINALITY AS t(type, ord) ON true
         WHERE p.oid = fn GROUP BY n.nspname, p.proname;
        BEGIN
            EXECUTE call;
            RAISE EXCEPTION USING ERRCODE = 'P0999';  -- undo what the call did
        EXCEPTION WHEN OTHERS THEN
            state := CASE SQLSTATE WHEN 'P0999' THEN 'ok' ELSE SQLSTATE END;
            message := CASE SQLSTATE WHEN 'P0999' THEN NULL ELSE SQLERRM END;
        END;
        INSERT INTO outcomes VALUES (fn, state, 1, left(call, 400) || coalesce(' -> ' || message, ''))
            ON CONFLICT (function, sqlstate) DO UPDATE SET calls = outcomes.calls + 1;
    END LOOP;
END $$;

-- What the calls did, by function and outcome; then the verdict.
SELECT function, sqlstate, calls FROM outcomes ORDER BY function::text, sqlstate;
SELECT function, example FROM outcomes WHERE sqlstate = 'XX000';
SELECT count(DISTINCT function) AS functions_called, sum(calls) AS calls,
       sum(calls) FILTER (WHERE sqlstate = 'ok') AS succeeded FROM outcomes;
DO $$ BEGIN
    IF EXISTS (SELECT FROM outcomes WHERE sqlstate = 'XX000') THEN
        RAISE EXCEPTION 'internal errors (XX000) reached by random calls';
    END IF;
END $$;
DROP SCHEMA fz CASCADE;
