-- Security: every piece of code a caller supplies (casts on key arguments, operators on the
-- search_path) runs as the caller, never with the table owner's rights, and a call needs the
-- privileges the plain statement needs before any of it runs.
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE ROLE sec_eve NOLOGIN;
CREATE SCHEMA sec_eve AUTHORIZATION sec_eve;
GRANT USAGE ON SCHEMA public TO sec_eve;

-- Tables owned by the superuser running the tests.
CREATE TABLE sec_users (id int PRIMARY KEY, name text);
CREATE TABLE sec_posts (id int PRIMARY KEY, user_id int REFERENCES sec_users ON DELETE CASCADE);
INSERT INTO sec_users VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e');
INSERT INTO sec_posts VALUES (10, 1), (20, 2), (30, 3);

-- The issue's repro: a cast that makes its caller superuser if it ever runs as one, and writes
-- down whose rights it ran with.
SET ROLE sec_eve;
CREATE TABLE sec_eve.ran_as (who name);
CREATE TYPE sec_eve.k AS (v int);
CREATE FUNCTION sec_eve.k_to_int(sec_eve.k) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sec_eve.ran_as VALUES (current_user);
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE 'ALTER ROLE sec_eve SUPERUSER';
    END IF;
    RETURN ($1).v;
END $$;
-- Implicit, so that a plain WHERE id = ROW(1)::sec_eve.k accepts it too (and runs it).
CREATE CAST (sec_eve.k AS int) WITH FUNCTION sec_eve.k_to_int(sec_eve.k) AS IMPLICIT;
-- An equality operator of its own, first on the search_path: never picked.
CREATE FUNCTION sec_eve.int_eq(int, int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sec_eve.ran_as VALUES ('operator:' || current_user);
    RETURN $1 OPERATOR(pg_catalog.=) $2;
END $$;
CREATE OPERATOR sec_eve.= (LEFTARG = int, RIGHTARG = int, FUNCTION = sec_eve.int_eq);
SET search_path = sec_eve, public;

-- Without any privilege on the tables: refused as a plain statement is, before the cast runs.
SELECT delete_plan('public.sec_users', ROW(1)::sec_eve.k);
SELECT delete_with_cascade('public.sec_users', ROW(1)::sec_eve.k);
SELECT delete_checked('public.sec_users', ROW(1)::sec_eve.k);
SELECT delete_many_with_cascade('public.sec_users', ARRAY[ROW(1)::sec_eve.k]);
SELECT delete_each_with_cascade('public.sec_users', ARRAY[ROW(1)::sec_eve.k], 'skip');
SELECT fetch_one_with_relations('public.sec_users', ROW(1)::sec_eve.k);
SELECT fetch_referenced('public.sec_users', 'id', ROW(1)::sec_eve.k);
SELECT fetch_related('public.sec_posts', ROW(10)::sec_eve.k, 'user_id');
SELECT backref_count('public.sec_posts', 'user_id', ROW(1)::sec_eve.k);
SELECT backref_fetch_all('public.sec_posts', 'user_id', ROW(1)::sec_eve.k);
SELECT backref_fetch_one('public.sec_posts', 'user_id', ROW(1)::sec_eve.k);
SELECT fetch_one_eager('public.sec_users', ROW(1)::sec_eve.k, ARRAY[]::text[]);
RESET ROLE;
SELECT rolsuper AS eve_is_superuser FROM pg_roles WHERE rolname = 'sec_eve';
SELECT who, count(*) FROM sec_eve.ran_as GROUP BY who ORDER BY who;

-- With the privileges a plain DELETE and SELECT need: the cast runs, as sec_eve.
GRANT SELECT, DELETE ON sec_users, sec_posts TO sec_eve;
SET ROLE sec_eve;
SET search_path = sec_eve, public;
SELECT "rows" FROM delete_plan('public.sec_users', ROW(1)::sec_eve.k) WHERE depth = 0;
SELECT delete_with_cascade('public.sec_users', ROW(1)::sec_eve.k);
SELECT delete_checked('public.sec_users', ROW(2)::sec_eve.k);
SELECT delete_many_with_cascade('public.sec_users', ARRAY[ROW(3)::sec_eve.k]);
SELECT delete_each_with_cascade('public.sec_users', ARRAY[ROW(4)::sec_eve.k], 'skip');
SELECT fetch_one_with_relations('public.sec_users', ROW(5)::sec_eve.k) ->> 'name' AS name;
SELECT fetch_referenced('public.sec_users', 'id', ROW(5)::sec_eve.k) ->> 'name' AS name;
SELECT backref_count('public.sec_posts', 'user_id', ROW(5)::sec_eve.k);
SELECT fetch_one_eager('public.sec_users', ROW(5)::sec_eve.k, ARRAY[]::text[]) ->> 'name' AS name;
SELECT fetch_with_relations('{"table": "public.sec_users", "filter": {"id": 5}}') -> 0 ->> 'name' AS name;
RESET ROLE;
SELECT rolsuper AS eve_is_superuser FROM pg_roles WHERE rolname = 'sec_eve';
-- Every run of the cast was as sec_eve; the operator on the search_path never ran.
SELECT who, count(*) > 0 AS ran FROM sec_eve.ran_as GROUP BY who ORDER BY who;
SELECT array_agg(id ORDER BY id) AS users_left FROM sec_users;

-- A role with DELETE but no SELECT learns nothing from delete_plan: the same 42501 for a key
-- that exists and one that does not, as for DELETE ... WHERE id = ...
CREATE ROLE sec_deleter NOLOGIN;
GRANT USAGE ON SCHEMA public TO sec_deleter;
GRANT DELETE ON sec_users TO sec_deleter;
INSERT INTO sec_users VALUES (6, 'f');
SET ROLE sec_deleter;
SELECT * FROM delete_plan('sec_users', 6);
SELECT * FROM delete_plan('sec_users', 999);
SELECT delete_with_cascade('sec_users', 6);
SELECT delete_with_cascade('sec_users', 999);
DELETE FROM sec_users WHERE id = 6;
RESET ROLE;

RESET search_path;

-- Column-level SELECT on exactly the columns a spec reads is enough, for every join type, as it
-- is for the same hand-written query; one column more is refused, as there.
CREATE TABLE col_users (id int PRIMARY KEY, name text, secret text);
CREATE TABLE col_posts (id int PRIMARY KEY, user_id int REFERENCES col_users, title text);
INSERT INTO col_users VALUES (1, 'a', 's1'), (2, 'b', 's2');
INSERT INTO col_posts VALUES (1, 1, 'x');
GRANT SELECT (id, user_id) ON col_posts TO sec_deleter;
GRANT SELECT (id, name) ON col_users TO sec_deleter;
SET ROLE sec_deleter;
SELECT fetch_with_relations(jsonb_build_object('table', 'col_posts', 'select_columns', '["id", "user_id"]'::jsonb,
    'relations', jsonb_build_array(jsonb_build_object('name', 'author', 'table', 'col_users',
        'join_type', j, 'select_columns', '["id", "name"]'::jsonb)))) AS loaded
FROM unnest(ARRAY['left', 'inner', 'right', 'full']) AS j;
SELECT fetch_with_relations('{"table": "col_posts", "select_columns": ["id", "title"]}');
SELECT fetch_with_relations('{"table": "col_posts", "select_columns": ["id"], "relations": [{"name": "author", "table": "col_users", "join_type": "full"}]}');
RESET ROLE;
-- Without select_columns, right and full joins render each top-level row exactly as to_jsonb.
SELECT bool_and(row_doc - 'author' = to_jsonb(p)) AS rows_as_to_jsonb
FROM jsonb_array_elements(fetch_many_with_relations('col_posts',
         '[{"name": "author", "table": "col_users", "join_type": "full"}]')) AS d(row_doc)
JOIN col_posts p ON p.id = (row_doc ->> 'id')::int;
DROP TABLE col_posts, col_users;

DROP TABLE sec_posts, sec_users;
DROP SCHEMA sec_eve CASCADE;
DROP OWNED BY sec_eve, sec_deleter;
DROP ROLE sec_eve, sec_deleter;
