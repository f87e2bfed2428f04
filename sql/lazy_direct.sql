-- fetch_referenced reads its row through the key's unique index, without the SQL executor, where
-- its statement (SELECT to_jsonb(t.*) FROM t WHERE t.col = $1) would read exactly that row that
-- way; anywhere else it runs the statement. Every answer is compared with the statement's
-- (data_bridge.direct_fetch = off), and whether the direct read ran is seen from the plans
-- prepared: it prepares none.
\set SHOW_CONTEXT never
\set VERBOSITY terse
\pset null '(null)'
SELECT setseed(0.31);
CREATE TABLE kinds (id int PRIMARY KEY, code text UNIQUE, u uuid UNIQUE, n numeric UNIQUE,
                    big bigint, gone int, label text COLLATE "C", arr int[], j jsonb,
                    ts timestamptz, f float8);
ALTER TABLE kinds DROP COLUMN gone;
INSERT INTO kinds SELECT g, 'code ' || g, md5(g::text)::uuid, g / 4.0, g % 7,
    CASE WHEN g % 5 = 0 THEN NULL ELSE 'l"' || g END, ARRAY[g, g + 1], jsonb_build_object('g', g),
    '2024-01-01 00:00+00'::timestamptz + g * interval '37 minutes', g / 3.0
FROM generate_series(1, 200) g;

-- Each way, every row by each unique column and some keys no row has.
CREATE TEMP TABLE answers (way text, kind text, k text, got jsonb);
CREATE FUNCTION fetch_all(way text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answers SELECT way, 'id', g::text, fetch_referenced('kinds', 'id', g) FROM generate_series(-2, 203) g;
    INSERT INTO answers SELECT way, 'code', c, fetch_referenced('kinds', 'code', c)
        FROM (SELECT code FROM kinds UNION ALL SELECT 'code 0' UNION ALL SELECT 'CODE 1') s(c);
    INSERT INTO answers SELECT way, 'u', v::text, fetch_referenced('kinds', 'u', v)
        FROM (SELECT u FROM kinds UNION ALL SELECT md5('x')::uuid) s(v);
    -- 1.0 and 1.00 are equal numerics: both find the row, each way.
    INSERT INTO answers SELECT way, 'n', v::text, fetch_referenced('kinds', 'n', v)
        FROM (SELECT n FROM kinds UNION ALL VALUES (1.00), (1.000001)) s(v);
    -- Another type than the column's: the statement compares across types.
    INSERT INTO answers SELECT way, 'id bigint', g::text, fetch_referenced('kinds', 'id', g::bigint) FROM generate_series(1, 5) g;
END $$;
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT fetch_all('direct');
SELECT plans_prepared - :before AS plans_for_direct_reads FROM plan_cache_stats();
SET data_bridge.direct_fetch = off;
SELECT fetch_all('statement');
RESET data_bridge.direct_fetch;
SELECT count(*) AS answers, count(*) FILTER (WHERE d.got IS NULL) AS no_row,
       count(*) FILTER (WHERE d.got IS DISTINCT FROM s.got) AS differ
FROM answers d JOIN answers s USING (kind, k) WHERE d.way = 'direct' AND s.way = 'statement';
SELECT fetch_referenced('kinds', 'id', 7);

-- The same snapshot as the statement: a data-modifying CTE's own update is not seen.
WITH changed AS (UPDATE kinds SET label = 'new' WHERE id = 3 RETURNING id)
SELECT fetch_referenced('kinds', 'id', id) ->> 'label' AS label_in_the_same_statement FROM changed;
SELECT fetch_referenced('kinds', 'id', 3) ->> 'label' AS label_after;
-- A row updated in this transaction, then deleted: each read sees what a SELECT would.
BEGIN;
UPDATE kinds SET code = 'moved' WHERE id = 4;
SELECT fetch_referenced('kinds', 'code', 'code 4'::text) AS old_code, fetch_referenced('kinds', 'code', 'moved'::text) ->> 'id' AS new_code;
DELETE FROM kinds WHERE id = 4;
SELECT fetch_referenced('kinds', 'id', 4) AS deleted;
ROLLBACK;

-- fetch_related by a one-column key to a one-column key: the source row, then the row it
-- references, each by its unique index; a NULL reference, a missing source row, a reference of
-- another type (the statement's join compares across types).
CREATE TABLE authors (id int PRIMARY KEY, name text, born date);
CREATE TABLE books (id int PRIMARY KEY, author_id int REFERENCES authors, title text);
CREATE TABLE citations (id bigint PRIMARY KEY, book_id bigint REFERENCES books);
INSERT INTO authors SELECT g, 'author ' || g, date '1900-01-01' + g FROM generate_series(1, 30) g;
INSERT INTO books SELECT g, CASE WHEN g % 6 = 0 THEN NULL ELSE 1 + g % 30 END, 'book ' || g FROM generate_series(1, 100) g;
INSERT INTO citations SELECT g, 1 + g % 100 FROM generate_series(1, 20) g;
CREATE FUNCTION related_all(way text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answers SELECT way, 'books', g::text, fetch_related('books', g, 'author_id') FROM generate_series(0, 101) g;
    INSERT INTO answers SELECT way, 'citations', g::text, fetch_related('citations', g::bigint, 'book_id') FROM generate_series(1, 21) g;
END $$;
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT related_all('direct');
SELECT plans_prepared - :before AS plans_for_related FROM plan_cache_stats();
SET data_bridge.direct_fetch = off;
SELECT related_all('statement');
RESET data_bridge.direct_fetch;
SELECT kind, count(*) AS answers, count(*) FILTER (WHERE d.got IS NULL) AS no_row,
       count(*) FILTER (WHERE d.got IS DISTINCT FROM s.got) AS differ
FROM answers d JOIN answers s USING (kind, k) WHERE d.way = 'direct' AND s.way = 'statement'
  AND kind IN ('books', 'citations') GROUP BY kind ORDER BY kind;
-- The statement reads the source's key and reference and every column of the related row: a
-- role with just those reads directly; one without them gets the statement's own error.
CREATE ROLE related_reader;
GRANT SELECT (id, author_id) ON books TO related_reader;
GRANT SELECT ON authors TO related_reader;
SET ROLE related_reader;
SELECT fetch_related('books', 7, 'author_id') ->> 'name' AS related_name;
RESET ROLE;
REVOKE SELECT ON authors FROM related_reader;
GRANT SELECT (id, name) ON authors TO related_reader;
SET ROLE related_reader;
SELECT fetch_related('books', 7, 'author_id');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP TABLE citations, books, authors;
DROP FUNCTION related_all;
DROP OWNED BY related_reader;
DROP ROLE related_reader;

-- An index of another collation than the column's compares by other rules: not used (a
-- case-insensitive unique index does not make 'ABC' find 'abc'). Columns of two collations do not
-- join (the statement's 42P22, both ways).
CREATE COLLATION case_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE handles (id int PRIMARY KEY, name text);
CREATE UNIQUE INDEX handles_name ON handles (name COLLATE case_blind);
INSERT INTO handles VALUES (1, 'abc');
SELECT fetch_referenced('handles', 'name', 'ABC'::text) AS other_case, fetch_referenced('handles', 'name', 'abc'::text) ->> 'id' AS same_case;
CREATE TABLE codes (code text COLLATE "C" PRIMARY KEY);
CREATE TABLE coded (id int PRIMARY KEY, code text COLLATE "POSIX" REFERENCES codes);
INSERT INTO codes VALUES ('x');
INSERT INTO coded VALUES (1, 'x');
SELECT fetch_related('coded', 1, 'code');
\echo :LAST_ERROR_SQLSTATE
-- A replaced index (same facts, another OID) drops the shape; no stale index is read.
CREATE TABLE tokens (id int PRIMARY KEY, token text);
CREATE UNIQUE INDEX tokens_token ON tokens (token);
INSERT INTO tokens VALUES (1, 't1');
SELECT fetch_referenced('tokens', 'token', 't1'::text) ->> 'id' AS before_reindex;
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
REINDEX INDEX CONCURRENTLY tokens_token;
SELECT fetch_referenced('tokens', 'token', 't1'::text) ->> 'id' AS after_reindex;
DROP INDEX tokens_token;
CREATE UNIQUE INDEX tokens_token ON tokens (token);
SELECT fetch_referenced('tokens', 'token', 't1'::text) ->> 'id' AS after_recreate;
-- Read directly through the new indexes each time (a stale index would fall back to the statement).
SELECT plans_prepared - :before AS plans_for_replaced_indexes FROM plan_cache_stats();
-- A char(n) key compared as the statement compares it ('ab' is not cut to 'a').
CREATE TABLE fixed (code char(4) PRIMARY KEY, n int);
INSERT INTO fixed VALUES ('a', 1), ('ab', 2);
SELECT fetch_referenced('fixed', 'code', 'ab'::text) ->> 'n' AS text_key, fetch_referenced('fixed', 'code', 'ab'::char(4)) ->> 'n' AS own_type;
-- What the statement checks besides the table: USAGE on its schema, EXECUTE on to_jsonb.
CREATE SCHEMA closed;
CREATE TABLE closed.vault (id int PRIMARY KEY, s text);
INSERT INTO closed.vault VALUES (1, 'secret');
CREATE ROLE vault_reader;
GRANT SELECT ON closed.vault, tokens TO vault_reader;
SELECT 'closed.vault'::regclass::oid AS vault \gset
SET ROLE vault_reader;
-- (by OID: the name itself would be refused in the caller's own statement)
SELECT fetch_referenced(:vault::oid::regclass, 'id', 1);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE EXECUTE ON FUNCTION pg_catalog.to_jsonb(anyelement) FROM PUBLIC;
SET ROLE vault_reader;
SELECT fetch_referenced('tokens', 'id', 1);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT EXECUTE ON FUNCTION pg_catalog.to_jsonb(anyelement) TO PUBLIC;
DROP TABLE closed.vault, fixed, tokens, coded, codes, handles;
DROP SCHEMA closed;
DROP COLLATION case_blind;
DROP OWNED BY vault_reader;
DROP ROLE vault_reader;

-- Where the direct read does not apply, the statement runs (and prepares a plan): a table with
-- inheritance children (their rows are the parent's too), row-level security, a role that may
-- read only some columns, a deferrable unique key.
CREATE TABLE parent_rows (id int PRIMARY KEY, v text);
CREATE TABLE child_rows (extra int) INHERITS (parent_rows);
INSERT INTO parent_rows VALUES (1, 'parent');
INSERT INTO child_rows VALUES (2, 'child', 9);
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT fetch_referenced('parent_rows', 'id', 2) AS from_a_child, fetch_referenced('parent_rows', 'id', 1) AS own;
SELECT plans_prepared - :before > 0 AS statement_ran FROM plan_cache_stats();
CREATE TABLE deferred_keys (id int, v text, UNIQUE (id) DEFERRABLE INITIALLY DEFERRED);
INSERT INTO deferred_keys VALUES (1, 'a');
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT fetch_referenced('deferred_keys', 'id', 1);
SELECT plans_prepared - :before > 0 AS statement_ran FROM plan_cache_stats();
CREATE ROLE direct_reader;
GRANT SELECT ON kinds TO direct_reader;
GRANT SELECT (id, v) ON parent_rows TO direct_reader;
ALTER TABLE kinds ENABLE ROW LEVEL SECURITY;
CREATE POLICY low_ids ON kinds TO direct_reader USING (id < 10);
SET ROLE direct_reader;
SELECT fetch_referenced('kinds', 'id', 5) ->> 'id' AS visible, fetch_referenced('kinds', 'id', 50) AS hidden_by_policy;
RESET ROLE;
REVOKE SELECT ON parent_rows FROM direct_reader;
GRANT SELECT (id) ON kinds TO direct_reader;
CREATE TABLE narrow (id int PRIMARY KEY, secret text);
INSERT INTO narrow VALUES (1, 's');
GRANT SELECT (id) ON narrow TO direct_reader;
SET ROLE direct_reader;
SELECT fetch_referenced('narrow', 'id', 1);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
ALTER TABLE kinds DISABLE ROW LEVEL SECURITY;
DROP POLICY low_ids ON kinds;
DROP TABLE narrow, deferred_keys, child_rows, parent_rows, kinds;
DROP FUNCTION fetch_all;
DROP ROLE direct_reader;
