-- backref_fetch_all(), backref_fetch_one() and backref_count(): the guide's BackReference
-- examples in SQL, with every option.
\set SHOW_CONTEXT never
\pset null '(null)'

-- The guide's "Complete Example": Bob and his five posts.
CREATE TABLE users (id serial PRIMARY KEY, name varchar(255));
CREATE TABLE posts (id serial PRIMARY KEY, title varchar(255), user_id integer REFERENCES users (id),
                    score int);
SELECT insert_one('users', '{"name": "Bob"}') ->> 'id' AS user_id \gset
SELECT insert_many('posts', (SELECT jsonb_agg(jsonb_build_object('title', 'Post ' || i,
                                                                 'user_id', :user_id, 'score', i % 3))
                             FROM generate_series(1, 5) i)) IS NOT NULL AS inserted;

-- user.posts.fetch_all()
SELECT jsonb_array_length(backref_fetch_all('posts', 'user_id', :user_id)) AS found;
SELECT p ->> 'title' AS title FROM jsonb_array_elements(backref_fetch_all('posts', 'user_id', :user_id)) p;
-- user.posts.fetch_one() and .count()
SELECT backref_fetch_one('posts', 'user_id', :user_id) ->> 'title' AS first_post;
SELECT backref_count('posts', 'user_id', :user_id) AS post_count;

-- order_by, limit, offset.
SELECT backref_fetch_all('posts', 'user_id', :user_id, order_by => '["score", "DESC"]');
SELECT backref_fetch_all('posts', 'user_id', :user_id, '[["score", "desc"], ["id", "DESC"]]', 2, 1);
SELECT backref_fetch_all('posts', 'user_id', :user_id, '"title"', "limit" => 0);
SELECT backref_fetch_one('posts', 'user_id', :user_id, '["score", "DESC"]', 1) ->> 'id' AS second_best;
-- No match, NULL value: empty, NULL, 0.
SELECT backref_fetch_all('posts', 'user_id', 999) AS none,
       backref_fetch_one('posts', 'user_id', 999) AS no_first,
       backref_count('posts', 'user_id', 999) AS zero;
SELECT backref_fetch_all('posts', 'user_id', NULL::int) AS none,
       backref_count('posts', 'user_id', NULL::int) AS zero;
-- Any column may be used, not only foreign-key columns (documented).
SELECT backref_count('posts', 'score', 0) AS score_zero;

-- Errors.
SELECT backref_fetch_all('posts', 'nope', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', 'user_id', 1, '"nope"');
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', 'user_id', 1, '{"score": "desc"}');
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', 'user_id', 1, '[1]');
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', 'user_id', 1, NULL, -1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', 'user_id', 1, NULL, 10, -5);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all(NULL, 'user_id', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all('posts', NULL, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_count('posts', 'user_id', 'x'::text);
\echo :LAST_ERROR_SQLSTATE

-- A scalar jsonb argument (stored as a one-element array) once freed its own value while reading
-- it: a use-after-free that only the sanitizer build (make sanitize-check) reports.
SELECT backref_fetch_all('pg_class', 'relname', 'pg_class'::name, '"relname"') -> 0 ->> 'relname' AS scalar_order_by;
SELECT backref_fetch_all('posts', 'user_id', :user_id, '"title"', 1) -> 0 ->> 'title' AS first_by_title;

DROP TABLE users, posts CASCADE;
