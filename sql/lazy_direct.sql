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

-- delete_plan finds its root rows by the caller's statement (SELECT t.id FROM t AS t WHERE
-- t.id = $1), read the same way through the primary key's index where that reads exactly as the
-- statement would. Each plan is compared with the statement's (direct_fetch off): rows there and
-- not, a policy that hides a root, inheritance children, a role that may read only the key.
CREATE TABLE plan_roots (id int PRIMARY KEY, note text);
CREATE TABLE plan_leaves (id int PRIMARY KEY, root_id int REFERENCES plan_roots ON DELETE CASCADE);
CREATE TABLE plan_pins (id int PRIMARY KEY, root_id int REFERENCES plan_roots);
INSERT INTO plan_roots SELECT g, 'root ' || g FROM generate_series(1, 12) g;
INSERT INTO plan_leaves SELECT g, 1 + g % 12 FROM generate_series(1, 40) g;
INSERT INTO plan_pins SELECT g, 3 * g FROM generate_series(1, 3) g;
CREATE TABLE plan_kids (extra int) INHERITS (plan_roots);
INSERT INTO plan_kids VALUES (5, 'a child with a parent''s key', 1), (50, 'a child alone', 2);
CREATE FUNCTION pg_temp.plans(way text) RETURNS TABLE (way text, k int, plan jsonb)
LANGUAGE sql AS $$
    SELECT way, g, (SELECT jsonb_agg(to_jsonb(p) ORDER BY p.depth, p.table_name::text)
                    FROM delete_plan('plan_roots', g) p)
    FROM generate_series(-1, 52) g
$$;
CREATE TEMP TABLE plan_answers AS SELECT * FROM pg_temp.plans('direct');
SET data_bridge.direct_fetch = off;
INSERT INTO plan_answers SELECT * FROM pg_temp.plans('statement');
RESET data_bridge.direct_fetch;
SELECT count(*) AS keys, count(*) FILTER (WHERE (d.plan -> 0 ->> 'rows')::int = 0) AS no_root,
       count(*) FILTER (WHERE d.plan IS DISTINCT FROM s.plan) AS differ
FROM plan_answers d JOIN plan_answers s USING (k) WHERE d.way = 'direct' AND s.way = 'statement';
-- A key no row of a table without children has: read directly, no statement prepared (one is
-- for the root statement, by the other way).
DROP TABLE plan_kids;
CREATE TABLE plan_other_roots (LIKE plan_roots INCLUDING ALL);
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT table_name, rows FROM delete_plan('plan_other_roots', 2);
SELECT plans_prepared - :before AS plans_for_a_direct_root FROM plan_cache_stats();
SET data_bridge.direct_fetch = off;
SELECT table_name, rows FROM delete_plan('plan_other_roots', 2);
RESET data_bridge.direct_fetch;
SELECT plans_prepared - :before AS plans_for_the_root_statement FROM plan_cache_stats();
-- A policy hiding the root from the caller's SELECT: no root, both ways; a role that may read
-- only the key column: the plan; one that may not read it: the statement's 42501. Each time on
-- a table no plan was prepared for: the statement for the root (one plan) is what ran, where a
-- root read past the policy or the privilege would go on to prepare the walk's.
CREATE ROLE plan_reader;
GRANT SELECT (id), DELETE ON plan_roots TO plan_reader;
GRANT SELECT, DELETE ON plan_leaves TO plan_reader;
GRANT SELECT ON plan_pins TO plan_reader;
SET ROLE plan_reader;
SELECT table_name, rows, blocks FROM delete_plan('plan_roots', 3) ORDER BY depth, table_name;
RESET ROLE;
CREATE TABLE plan_hidden (LIKE plan_roots INCLUDING ALL);
CREATE TABLE plan_hidden_leaves (id int PRIMARY KEY, root_id int REFERENCES plan_hidden ON DELETE CASCADE);
INSERT INTO plan_hidden SELECT g, 'root ' || g FROM generate_series(1, 6) g;
INSERT INTO plan_hidden_leaves SELECT g, 1 + g % 6 FROM generate_series(1, 12) g;
GRANT SELECT, DELETE ON plan_hidden, plan_hidden_leaves TO plan_reader;
ALTER TABLE plan_hidden ENABLE ROW LEVEL SECURITY;
CREATE POLICY odd_roots ON plan_hidden TO plan_reader USING (id % 2 = 1);
SET ROLE plan_reader;
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT table_name, rows FROM delete_plan('plan_hidden', 4) AS hidden_root;
SELECT plans_prepared - :before AS plans_for_a_hidden_root FROM plan_cache_stats();
SELECT table_name, rows FROM delete_plan('plan_hidden', 3) AS visible_root ORDER BY depth;
RESET ROLE;
CREATE TABLE plan_closed (LIKE plan_roots INCLUDING ALL);
CREATE TABLE plan_closed_leaves (id int PRIMARY KEY, root_id int REFERENCES plan_closed ON DELETE CASCADE);
INSERT INTO plan_closed VALUES (3, 'root');
INSERT INTO plan_closed_leaves VALUES (1, 3);
GRANT DELETE ON plan_closed TO plan_reader;
GRANT SELECT, DELETE ON plan_closed_leaves TO plan_reader;
SET ROLE plan_reader;
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT * FROM delete_plan('plan_closed', 3);
\echo :LAST_ERROR_SQLSTATE
SELECT plans_prepared - :before AS plans_for_an_unreadable_key FROM plan_cache_stats();
RESET ROLE;
DROP TABLE plan_closed_leaves, plan_closed, plan_hidden_leaves, plan_hidden;
DROP TABLE plan_pins, plan_leaves, plan_roots, plan_other_roots;
DROP OWNED BY plan_reader;
DROP ROLE plan_reader;
