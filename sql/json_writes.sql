-- insert_one() and insert_many(): rows from JSON, returned as stored, in input order.
\set SHOW_CONTEXT never
\pset null '(null)'

CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE,
                    age int, active boolean DEFAULT true,
                    created_at timestamp DEFAULT '2025-01-01 00:00', tags text[],
                    settings jsonb DEFAULT '{}');
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title text NOT NULL,
                    user_id integer REFERENCES users (id), slug text GENERATED ALWAYS AS (lower(title)) STORED);

-- Defaults and generated keys are filled in.
SELECT insert_one('users', '{"name": "Alice", "email": "alice@example.com"}');
SELECT insert_one('posts', '{"title": "Hello World", "user_id": 1}');
-- JSON arrays and objects go into array and jsonb columns.
SELECT insert_one('users', '{"name": "Bob", "tags": ["a", "b"], "settings": {"theme": "dark"}, "age": 30}');

-- Many rows, one statement per set of keys, input order kept; a missing key takes the default.
SELECT jsonb_pretty(insert_many('users', '[
    {"name": "Carol", "age": 41},
    {"name": "Dave", "active": false},
    {"name": "Erin", "age": 23}
]'));
SELECT insert_many('users', '[]') AS empty;
SELECT count(*) FROM users;

-- The guide's Pattern 5: users, then three posts each.
SELECT insert_many('posts', (
    SELECT jsonb_agg(jsonb_build_object('title', u.name || '''s Post ' || i, 'user_id', u.id)
                     ORDER BY u.id, i)
    FROM users u, generate_series(1, 3) i WHERE u.name IN ('Alice', 'Bob'))) ->> 0 AS first_of_six;
SELECT count(*) AS posts FROM posts;

-- All or nothing by default: one bad row rolls back the whole call.
SELECT insert_many('users', '[{"name": "Frank"}, {"name": null}]');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS no_frank FROM users WHERE name = 'Frank';

-- on_error => 'skip': each row in its own subtransaction, a report per row.
SELECT jsonb_pretty(insert_many('posts', '[
    {"title": "Kept", "user_id": 1},
    {"title": "Dangling", "user_id": 999},
    {"title": null},
    {"title": "Also kept", "user_id": 2}
]', on_error => 'skip'));
SELECT title FROM posts WHERE title IN ('Kept', 'Also kept', 'Dangling') ORDER BY id;

-- A report carries the fields PostgreSQL's error has (what a driver reads), and a data error
-- the column whose value the table refused, as 'raise' names it; a value two columns refuse
-- alike names none.
CREATE TABLE report_fields (id int PRIMARY KEY, n int CHECK (n > 0), m int, d date NOT NULL);
SELECT jsonb_path_query(insert_many('report_fields', '[
    {"id": 1, "n": -1, "d": "2020-01-01"},
    {"id": 2, "n": "x", "d": "2020-01-01"},
    {"id": 3, "n": "x", "m": "x", "d": "2020-01-01"},
    {"id": 4, "n": 1}
]', on_error => 'skip'), '$[*]') AS report;
SELECT insert_many('report_fields', '[{"id": 2, "n": "x", "d": "2020-01-01"}]');
\echo :LAST_ERROR_SQLSTATE
-- The search tries the row's columns alone and rolls each try back: what a column's domain
-- CHECK writes (code the failed INSERT never reached) does not stay.
CREATE TABLE check_audit (msg text);
CREATE FUNCTION audited_positive(v int) RETURNS bool LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO check_audit VALUES ('checked ' || v); RETURN v > 0; END$$;
CREATE DOMAIN audited_int AS int CHECK (audited_positive(VALUE));
CREATE TABLE audited_rows (id int PRIMARY KEY, a int, d audited_int);
SELECT jsonb_path_query(insert_many('audited_rows', '[{"id": 1, "a": "x", "d": 5}]', 'skip'), '$[*].column') AS refused;
SELECT count(*) AS audit_rows_left FROM check_audit;
DROP TABLE audited_rows, check_audit;
DROP DOMAIN audited_int;
DROP FUNCTION audited_positive(int);
-- Rows that all failed leave no lock on the table behind, as INSERTs in savepoints rolled back
-- do (the search's statements name no table).
BEGIN;
SELECT jsonb_path_query_array(insert_many('report_fields', '[{"id": 5, "n": "x", "d": "2020-01-01"}]', 'skip'), '$[*].sqlstate') AS failed;
SELECT count(*) AS locks_kept FROM pg_locks WHERE relation = 'report_fields'::regclass AND pid = pg_backend_pid();
COMMIT;
-- The column is searched for in the first 100 rows that fail so (each search tries every
-- column of the row alone), not in every row of a large import that fails alike.
SELECT count(*) FILTER (WHERE r ? 'column') AS named, count(*) AS failed
FROM jsonb_array_elements(insert_many('report_fields',
    (SELECT jsonb_agg(jsonb_build_object('id', g, 'n', 'x', 'd', '2020-01-01')) FROM generate_series(10, 111) g),
    on_error => 'skip')) r;
DROP TABLE report_fields;

-- A view is written with INSERT: refused with what the call writes.
CREATE VIEW users_view AS SELECT * FROM users;
SELECT insert_one('users_view', '{"name": "V"}');
\echo :LAST_ERROR_SQLSTATE
DROP VIEW users_view;

-- Bad input, each with the offending place named.
SELECT insert_one('users', '{"name": "X", "nickname": "x"}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('users', '[{"name": "X", "nickname": "x", "shoe": 42}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('users', '{"name": "X", "age": "forty"}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('users', '[{"name": "Y"}, {"name": "Z", "age": "old"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('users', '["name", "X"]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('users', '{"name": "X"}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('users', '[{"name": "X"}, 42]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('users', '[{"name": "X"}]', on_error => 'ignore');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('users', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one(NULL, '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('posts', '{"title": "T", "slug": "s"}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('posts', '{"title": "T", "user_id": 12345}');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('users', '{"name": "X", "ctid": "(0,1)"}');
\echo :LAST_ERROR_SQLSTATE
-- Nothing was left behind by the failures.
SELECT count(*) AS users FROM users;

-- Names that need quoting.
CREATE TABLE "Odd Table" ("Mixed Case" text, "with""quote" int);
SELECT insert_one('"Odd Table"', '{"Mixed Case": "ok", "with\"quote": 1}');

-- Repeated calls with the same keys reuse one plan.
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT count(insert_one('"Odd Table"', jsonb_build_object('Mixed Case', 'row ' || g))) FROM generate_series(1, 20) g;
SELECT plans_prepared - :before AS plans_prepared_for_20_calls FROM plan_cache_stats();

DROP TABLE users, posts, "Odd Table" CASCADE;

-- insert_many_result_outlives_spi: the result array was once built in SPI's memory and freed
-- by SPI_finish before the caller read it (the benchmark crashed on it). A PL/pgSQL caller
-- that keeps and reads a large result must see every row.
CREATE TABLE spi_lifetime (id serial PRIMARY KEY, note text);
DO $$
DECLARE
    stored jsonb;
    reports jsonb;
BEGIN
    stored := insert_many('spi_lifetime', (SELECT jsonb_agg(jsonb_build_object('note', 'n' || g))
                                           FROM generate_series(1, 5000) g));
    PERFORM repeat('x', 100000) FROM generate_series(1, 20);  -- reuse freed memory, if any
    IF jsonb_array_length(stored) <> 5000 OR stored -> 4999 ->> 'note' <> 'n5000' THEN
        RAISE EXCEPTION 'insert_many result damaged';
    END IF;
    reports := insert_many('spi_lifetime', '[{"note": "a"}, {"id": 1}]', on_error => 'skip');
    PERFORM repeat('x', 100000) FROM generate_series(1, 20);
    IF reports -> 0 -> 'row' ->> 'note' <> 'a' OR reports -> 1 ->> 'sqlstate' <> '23505' THEN
        RAISE EXCEPTION 'insert_many reports damaged: %', reports;
    END IF;
    RAISE NOTICE 'insert_many results intact';
END $$;
DROP TABLE spi_lifetime;

-- A BEFORE INSERT trigger that keeps a row out (returns NULL), as a plain INSERT allows: one
-- row comes back as NULL; rows one at a time report null; several at once cannot tell which.
CREATE TABLE kept_out (id int PRIMARY KEY, v text);
CREATE FUNCTION pg_temp.keep_out_odd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF NEW.id % 2 = 1 THEN RETURN NULL; END IF; RETURN NEW; END $$;
CREATE TRIGGER keep_out BEFORE INSERT ON kept_out FOR EACH ROW EXECUTE FUNCTION pg_temp.keep_out_odd();
SELECT insert_one('kept_out', '{"id": 1, "v": "a"}') AS kept_out_row;
SELECT insert_one('kept_out', '{"id": 2, "v": "b"}') AS stored_row;
SELECT insert_many('kept_out', '[{"id": 3}, {"id": 4}]', 'skip');
SELECT insert_many('kept_out', '[{"id": 5}, {"id": 6}]');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_many('kept_out', '[{"id": 8}, {"id": 10}]') AS all_stored;
SELECT array_agg(id ORDER BY id) AS stored FROM kept_out;
DROP TABLE kept_out;

-- A read-only transaction refuses every row alike: 'skip' raises it instead of reporting it per
-- row (as a hot standby does, see test/t/002_hot_standby.pl).
CREATE TABLE ro_rows (id int PRIMARY KEY);
BEGIN READ ONLY;
SELECT insert_many('ro_rows', '[{"id": 1}, {"id": 2}]', 'skip');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
DROP TABLE ro_rows;

-- Only the values an object gives are converted, as a plain INSERT converts only its values: a
-- column of a NOT NULL domain (or a domain whose CHECK refuses NULL) left out takes its default,
-- in every write and in a connect's lookup. Type modifiers apply as in the INSERT.
CREATE DOMAIN jw_status AS text NOT NULL;
CREATE DOMAIN jw_qty AS int CHECK (VALUE IS NOT NULL AND VALUE > 0);
CREATE TABLE jw_orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note varchar(5),
                        status jw_status DEFAULT 'new', qty jw_qty DEFAULT 1, price numeric(5,2));
CREATE TABLE jw_lines (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                       order_id int REFERENCES jw_orders, status jw_status DEFAULT 'open');
INSERT INTO jw_orders (note, price) VALUES ('plain', 1.005) RETURNING *;
SELECT insert_one('jw_orders', '{"note": "one", "price": 2.345}');
SELECT insert_many('jw_orders', '[{"note": "a"}, {"note": "b", "status": "held", "qty": 3}]');
SELECT insert_with_relations('jw_orders', '{"note": "tree", "lines": [{}]}',
    '[{"name": "lines", "table": "jw_lines"}]');
SELECT insert_with_relations('jw_lines', '{"order": {"connect": {"id": 1}}}',
    '[{"name": "order", "table": "jw_orders"}]');
SELECT insert_one('jw_orders', '{"note": "too long"}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO jw_orders (note) VALUES ('too long');
\echo :LAST_ERROR_SQLSTATE
SELECT insert_one('jw_orders', '{"qty": 0}');
\echo :LAST_ERROR_SQLSTATE
SELECT id, note, status, qty, price FROM jw_orders ORDER BY id;
DROP TABLE jw_lines, jw_orders;
DROP DOMAIN jw_status, jw_qty;

-- No type is named in the write statements: a column whose type lives in a schema the caller
-- may not use is written as a plain INSERT writes it (with the same plans kept in the backend).
-- A table with a column named "r" or "rec" writes, upserts and connects as any other. A data
-- error is blamed on the column whose given values the table refuses, not on a column an
-- object leaves out.
CREATE SCHEMA jw_hidden;
CREATE TYPE jw_hidden.mood AS ENUM ('happy', 'sad');
CREATE TABLE jw_moods (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood jw_hidden.mood,
                       r int UNIQUE, rec int, note varchar(3));
CREATE ROLE jw_writer NOLOGIN;
GRANT USAGE ON SCHEMA public TO jw_writer;
GRANT SELECT, INSERT, UPDATE ON jw_moods TO jw_writer;
REVOKE USAGE ON SCHEMA jw_hidden FROM PUBLIC;
SET ROLE jw_writer;
INSERT INTO jw_moods (mood, r) VALUES ('happy', 1) RETURNING mood, r;
SELECT insert_one('jw_moods', '{"mood": "sad", "r": 2, "rec": 3}') - 'id' AS written;
SELECT jsonb_array_length(insert_many('jw_moods', '[{"mood": "happy", "r": 3}, {"r": 4}]')) AS written;
SELECT insert_with_relations('jw_moods', '{"mood": "sad", "r": 2}', '[]',
    '{"update": ["mood"], "constraint": "jw_moods_r_key"}') - 'id' AS upserted;
SELECT insert_with_relations('jw_moods', '{"r": 5}', '[]',
    '{"do_nothing": true, "constraint": "jw_moods_r_key"}') - 'id' AS upserted;
SELECT insert_many('jw_moods', '[{"mood": "happy"}, {"r": 6, "note": "long"}]');
RESET ROLE;
-- ... also after a column it tried was dropped and added again (its search runs unkept plans).
ALTER TABLE jw_moods DROP COLUMN mood;
ALTER TABLE jw_moods ADD COLUMN mood jw_hidden.mood;
SET ROLE jw_writer;
SELECT insert_many('jw_moods', '[{"mood": "happy"}, {"r": 6, "note": "long"}]');
RESET ROLE;
SELECT mood, r, rec FROM jw_moods ORDER BY id;
DROP TABLE jw_moods;
DROP SCHEMA jw_hidden CASCADE;
DROP OWNED BY jw_writer;
DROP ROLE jw_writer;
