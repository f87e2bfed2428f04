-- Errors PostgreSQL raises inside a data_bridge call reach the client unchanged: SQLSTATE,
-- message, detail, and the schema, table, column, type and constraint fields drivers read.
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE SCHEMA ef;
CREATE TABLE ef.accounts (id int PRIMARY KEY, email text UNIQUE, age int CHECK (age >= 0) NOT NULL DEFAULT 0);
CREATE TABLE ef.orders (id int PRIMARY KEY, account_id int NOT NULL REFERENCES ef.accounts ON DELETE RESTRICT);
INSERT INTO ef.accounts VALUES (1, 'a@example.com', 30);
INSERT INTO ef.orders VALUES (1, 1);

-- Every diagnostic field of an error raised by a statement, as one line.
CREATE FUNCTION pg_temp.fields(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    state text; msg text; detail text; schema_name text; table_name text; column_name text;
    datatype text; constraint_name text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
        schema_name = SCHEMA_NAME, table_name = TABLE_NAME, column_name = COLUMN_NAME,
        datatype = PG_DATATYPE_NAME, constraint_name = CONSTRAINT_NAME;
    RETURN format('%s | %s | %s | schema=%s table=%s column=%s type=%s constraint=%s',
                  state, msg, detail, schema_name, table_name, column_name, datatype, constraint_name);
END $$;

-- The same error by the plain statement and by data_bridge: the lines must be equal.
SELECT pg_temp.fields($$INSERT INTO ef.accounts (id, email) VALUES (2, 'a@example.com')$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT insert_one('ef.accounts', '{"id": 2, "email": "a@example.com"}')$$);

SELECT pg_temp.fields($$INSERT INTO ef.accounts (id, age) VALUES (3, -1)$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT insert_one('ef.accounts', '{"id": 3, "age": -1}')$$);

SELECT pg_temp.fields($$INSERT INTO ef.accounts (id, age) VALUES (3, NULL)$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT insert_one('ef.accounts', '{"id": 3, "age": null}')$$);

SELECT pg_temp.fields($$INSERT INTO ef.orders VALUES (2, 99)$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT insert_one('ef.orders', '{"id": 2, "account_id": 99}')$$)
UNION ALL
SELECT pg_temp.fields($$SELECT insert_many('ef.orders', '[{"id": 2, "account_id": 99}]')$$);

SELECT pg_temp.fields($$DELETE FROM ef.accounts WHERE id = 1$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT delete_with_cascade('ef.accounts', 1)$$)
UNION ALL
SELECT pg_temp.fields($$SELECT delete_checked('ef.accounts', 1)$$)
UNION ALL
SELECT pg_temp.fields($$SELECT delete_many_with_cascade('ef.accounts', ARRAY[1])$$);

-- Long texts reach the client whole, in the client's encoding: nothing is cut (a cut in the
-- middle of a character would be an invalid byte sequence).
CREATE TABLE ef.noisy (id int PRIMARY KEY);
INSERT INTO ef.noisy VALUES (1);
CREATE FUNCTION ef.noisy_refusal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', 'ab' || repeat('é', 3000) USING DETAIL = repeat('d', 5000); END $$;
CREATE TRIGGER refuse BEFORE DELETE ON ef.noisy FOR EACH ROW EXECUTE FUNCTION ef.noisy_refusal();
CREATE FUNCTION pg_temp.lengths(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE msg text; detail text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    RETURN format('%s message %s chars, detail %s chars', SQLSTATE, length(msg), length(detail));
END $$;
SELECT pg_temp.lengths('DELETE FROM ef.noisy WHERE id = 1') AS plain,
       pg_temp.lengths('SELECT delete_with_cascade(''ef.noisy'', 1)') AS data_bridge;
SET client_encoding = 'LATIN1';
\set VERBOSITY sqlstate
SELECT delete_with_cascade('ef.noisy', 1) IS NULL AS raised;
\set VERBOSITY terse
RESET client_encoding;

-- The error's context is the caller's: the lines of the caller's own statement and functions,
-- never the text of data_bridge's internal statements.
CREATE FUNCTION pg_temp.context_of(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE context text;
BEGIN
    EXECUTE statement;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS context = PG_EXCEPTION_CONTEXT;
    RETURN context;
END $$;
SELECT regexp_replace(pg_temp.context_of('DELETE FROM ef.accounts WHERE id = 1'),
                      'pg_temp_\d+', 'pg_temp') AS plain;
SELECT regexp_replace(pg_temp.context_of('SELECT delete_with_cascade(''ef.accounts'', 1)'),
                      'pg_temp_\d+', 'pg_temp') AS data_bridge;

-- Errors of data_bridge's own keep the SQLSTATE PostgreSQL would use.
SELECT pg_temp.fields($$SELECT fetch_with_relations('{"table": "ef.nope"}')$$);
SELECT pg_temp.fields($$SELECT fetch_with_relations('{"table": "ef.accounts", "select_columns": ["nope"]}')$$);

-- insert_many: a data error that names its column (a trigger's) passes as it is, whatever other
-- rows hold; one without (a value too long) gains the column the table refuses, its fields kept.
CREATE TABLE ef.notes (id int PRIMARY KEY, n int, v varchar(3));
CREATE FUNCTION ef.refuse_seven() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.n = 7 THEN
        RAISE EXCEPTION 'seven refused' USING ERRCODE = '22023', COLUMN = 'n', TABLE = 'notes',
            SCHEMA = 'ef';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER refuse_seven BEFORE INSERT ON ef.notes FOR EACH ROW EXECUTE FUNCTION ef.refuse_seven();
SELECT pg_temp.fields($$INSERT INTO ef.notes (id, n) VALUES (1, 7)$$) AS plain
UNION ALL
SELECT pg_temp.fields($$SELECT insert_many('ef.notes', '[{"id": 1, "n": 7}, {"id": 2, "n": 1, "v": "abcd"}]')$$);
SELECT pg_temp.fields($$SELECT insert_many('ef.notes', '[{"id": 1, "n": 1}, {"id": 2, "v": "abcd"}]')$$);

-- The column is named only when its values fail with the very error: a bad value of b in the
-- first row is b's (not a's, whose bad value comes later); a CHECK's division by zero names no
-- column, as a plain INSERT's does not.
CREATE TABLE ef.pairs (id serial PRIMARY KEY, a int, b int);
SELECT pg_temp.fields($$INSERT INTO ef.pairs (a, b) VALUES (1, 'xyz'), ('abc', 1)$$) AS plain;
SELECT pg_temp.fields($$SELECT insert_many('ef.pairs', '[{"a": 1, "b": "xyz"}, {"a": "abc", "b": 1}]')$$);
CREATE TABLE ef.ratios (id serial PRIMARY KEY, x int CHECK (1 / x > 0), n int);
SELECT pg_temp.fields($$INSERT INTO ef.ratios (x, n) VALUES (0, 1)$$) AS plain;
SELECT pg_temp.fields($$SELECT insert_many('ef.ratios', '[{"x": 0, "n": 1}, {"x": 1, "n": "abc", "id": 5}]')$$);
DROP TABLE ef.pairs, ef.ratios;
DROP SCHEMA ef CASCADE;
