-- fetch_page_with_relations(): pages of a load with signed cursors to the next and previous
-- page. Seeded random orders (NULLs, both directions) and page sizes: walking forward from the
-- first page and back from the last gives exactly the whole ordered list; rows inserted between
-- pages do not shift the pages; a cursor altered, or given to another order, is refused.
CREATE TABLE ep_items (id int PRIMARY KEY, kind text, price numeric(6, 2), made date NOT NULL);
CREATE TABLE ep_parts (id int PRIMARY KEY, item_id int REFERENCES ep_items, name text);
SELECT setseed(0.47);
INSERT INTO ep_items SELECT g, CASE WHEN random() < 0.2 THEN NULL ELSE 'k' || floor(random() * 6)::int END,
    CASE WHEN random() < 0.2 THEN NULL ELSE round((random() * 20)::numeric, 2) END,
    DATE '2026-01-01' + floor(random() * 30)::int FROM generate_series(1, 150) g;
INSERT INTO ep_parts SELECT g, 1 + g % 150, 'part ' || g FROM generate_series(1, 300) g;

-- A first page, the next, and back; select_columns without the order's columns (they are read
-- for the cursor and taken off again).
SELECT page -> 'rows' AS first_rows, page ->> 'previous' IS NULL AS no_previous, page ->> 'next' IS NOT NULL AS has_next
FROM fetch_page_with_relations('{"table": "ep_items", "order_by": ["made"], "limit": 3, "select_columns": ["kind"],
    "relations": [{"name": "parts", "table": "ep_parts", "select_columns": ["name"]}]}') AS page;
CREATE TEMP TABLE ep_first AS SELECT fetch_page_with_relations('{"table": "ep_items", "order_by": ["made"], "limit": 3}') AS page;
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_items', 'order_by', '["made"]'::jsonb,
    'limit', 3, 'after', (SELECT page ->> 'next' FROM ep_first))) -> 'rows', '$[*].id') AS second_ids;
-- Rows inserted before the cursor do not shift the next page.
BEGIN;
INSERT INTO ep_items VALUES (1000, 'new', 1, DATE '2025-12-01');
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_items', 'order_by', '["made"]'::jsonb,
    'limit', 3, 'after', (SELECT page ->> 'next' FROM ep_first))) -> 'rows', '$[*].id') AS second_ids_after_insert;
ROLLBACK;
-- Errors.
SELECT fetch_page_with_relations('{"table": "ep_items"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_items", "limit": 2, "offset": 4}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_items', 'order_by', '["made"]'::jsonb, 'limit', 3,
    'after', (SELECT regexp_replace(page ->> 'next', '^.', 'x') FROM ep_first)));
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_items', 'order_by', '[["made", "desc"]]'::jsonb, 'limit', 3,
    'after', (SELECT page ->> 'next' FROM ep_first)));
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_items', 'order_by', '["made"]'::jsonb, 'limit', 3,
    'before', (SELECT page ->> 'next' FROM ep_first)));
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_items", "limit": 3, "after": "x", "before": "y"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_items", "limit": 3, "after": {"id": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_items", "limit": 3, "after": "bm90IGpzb24.0000"}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_items", "limit": 9223372036854775807}');
\echo :LAST_ERROR_SQLSTATE
-- Pages go by scalar columns: a composite, array, json or jsonb order column is refused by its
-- type, whatever the rows hold (a jsonb null or string would come back from the cursor as SQL
-- NULL or as text: pages skipped or 22P02).
CREATE TYPE ep_pair AS (a int, b int);
CREATE TABLE ep_pairs (id int PRIMARY KEY, p ep_pair, j jsonb, a int[]);
INSERT INTO ep_pairs SELECT g, ROW(g % 3, g)::ep_pair, CASE g WHEN 1 THEN 'null' WHEN 2 THEN '"s"' ELSE to_jsonb(g) END,
    ARRAY[g] FROM generate_series(1, 5) g;
SELECT fetch_page_with_relations('{"table": "ep_pairs", "order_by": ["p"], "limit": 2}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_pairs", "order_by": ["j"], "limit": 1}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_pairs", "order_by": [["a", "DESC"]], "limit": 1}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE ep_pairs;
-- A float order column while extra_float_digits is below 1: its values would travel rounded
-- (0.30000000000000004 as 0.3; pages repeated without end): refused. An interval's text depends
-- on IntervalStyle: a cursor made under one is refused under another (22023), not read as
-- another interval (a row skipped).
CREATE TABLE ep_floats (id int PRIMARY KEY, x float8, d interval);
INSERT INTO ep_floats VALUES (1, 0.30000000000000004, '-1 day -02:03:04'), (2, 0.3, '-1 day +02:03:04'),
    (3, 0.30000000000000004, '-1 day'), (4, 0.5, '0');
SET extra_float_digits = 0;
SELECT fetch_page_with_relations('{"table": "ep_floats", "order_by": ["x"], "limit": 2}');
\echo :LAST_ERROR_SQLSTATE
RESET extra_float_digits;
SELECT fetch_page_with_relations('{"table": "ep_floats", "order_by": ["x"], "limit": 2}') -> 'rows' AS exact;
SET IntervalStyle = sql_standard;
SELECT fetch_page_with_relations('{"table": "ep_floats", "order_by": ["d"], "limit": 1}') ->> 'next' AS cursor \gset
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_floats', 'order_by', jsonb_build_array('d'),
    'limit', 3, 'after', :'cursor')) -> 'rows', '$[*].id') AS same_style;
RESET IntervalStyle;
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_floats', 'order_by', jsonb_build_array('d'),
    'limit', 3, 'after', :'cursor'));
\echo :LAST_ERROR_SQLSTATE
-- Written under iso_8601, an interval reads back the same under any style: taken.
SET IntervalStyle = iso_8601;
SELECT fetch_page_with_relations('{"table": "ep_floats", "order_by": ["d"], "limit": 1}') ->> 'next' AS cursor \gset
SET IntervalStyle = sql_standard;
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_floats', 'order_by', jsonb_build_array('d'),
    'limit', 3, 'after', :'cursor')) -> 'rows', '$[*].id') AS iso_read_under_sql_standard;
RESET IntervalStyle;
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_floats', 'order_by', jsonb_build_array('d'),
    'limit', 3, 'after', :'cursor')) -> 'rows', '$[*].id') AS iso_read_under_postgres;
DROP TABLE ep_floats;
-- Inside a range an interval is written by IntervalStyle too: bound alike. A reg* type's text
-- follows search_path ("a" is s1.a, then s2.a): refused, as is a type whose text is not known
-- to read back the same (cube, whose numbers follow extra_float_digits).
CREATE TYPE ep_span AS RANGE (subtype = interval);
CREATE TABLE ep_spans (id int PRIMARY KEY, d ep_span, r regclass);
INSERT INTO ep_spans VALUES (1, ep_span('-1 day -02:03:04', '0'), 'ep_spans'), (2, ep_span('-1 day +02:03:04', '0'), 'ep_spans'),
    (3, ep_span('-1 day', '0'), 'ep_spans'), (4, ep_span('0', '1 day'), 'ep_spans');
SET IntervalStyle = sql_standard;
SELECT fetch_page_with_relations('{"table": "ep_spans", "order_by": ["d"], "limit": 1}') ->> 'next' AS cursor \gset
RESET IntervalStyle;
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_spans', 'order_by', jsonb_build_array('d'),
    'limit', 3, 'after', :'cursor'));
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_page_with_relations('{"table": "ep_spans", "order_by": ["r"], "limit": 1}');
\echo :LAST_ERROR_SQLSTATE
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS cube;
RESET client_min_messages;
CREATE TABLE ep_cubes (id int PRIMARY KEY, c cube);
SELECT fetch_page_with_relations('{"table": "ep_cubes", "order_by": ["c"], "limit": 1}');
\echo :LAST_ERROR_SQLSTATE
-- A string type of an extension (citext) and pg_lsn read back the same; a range of timestamptz
-- written under ISO DateStyle carries its offsets, so it reads back under another TimeZone.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS citext;
RESET client_min_messages;
CREATE TABLE ep_texts (id int PRIMARY KEY, email citext, lsn pg_lsn, r tstzrange);
INSERT INTO ep_texts VALUES (1, 'a@x', '0/1', '[2024-01-01,2024-01-02)'), (2, 'B@x', '0/2', '[2024-01-03,2024-01-04)'),
    (3, 'c@x', '0/3', '[2024-01-05,2024-01-06)');
SELECT jsonb_path_query_array(fetch_page_with_relations('{"table": "ep_texts", "order_by": ["email"], "limit": 2}') -> 'rows', '$[*].id') AS by_email,
       jsonb_path_query_array(fetch_page_with_relations('{"table": "ep_texts", "order_by": [["lsn", "DESC"]], "limit": 2}') -> 'rows', '$[*].id') AS by_lsn;
SET DateStyle = 'ISO, MDY';
SET TimeZone = 'UTC';
SELECT fetch_page_with_relations('{"table": "ep_texts", "order_by": ["r"], "limit": 1}') ->> 'next' AS cursor \gset
SET TimeZone = 'Europe/Paris';
SELECT jsonb_path_query_array(fetch_page_with_relations(jsonb_build_object('table', 'ep_texts', 'order_by', jsonb_build_array('r'),
    'limit', 3, 'after', :'cursor')) -> 'rows', '$[*].id') AS other_zone;
-- Other DateStyles write a timestamptz with a zone abbreviation, which reads back ambiguously
-- (IST is India's or Israel's): pages by a range of them need ISO (0A000).
SET DateStyle = 'SQL, DMY';
SELECT fetch_page_with_relations('{"table": "ep_texts", "order_by": ["r"], "limit": 1}');
\echo :LAST_ERROR_SQLSTATE
RESET TimeZone;
RESET DateStyle;
DROP TABLE ep_texts;
DROP EXTENSION citext;
DROP TABLE ep_cubes, ep_spans;
DROP EXTENSION cube;
DROP TYPE ep_span;
DROP TYPE ep_pair;

-- Walk random orders both ways.
CREATE TABLE ep_mismatches (order_by jsonb, page_size int, direction text, walked jsonb, whole jsonb);
DO $$
DECLARE
    columns text[] := ARRAY['kind', 'price', 'made'];
    order_by jsonb;
    picked text[];
    page_size int;
    spec jsonb;
    whole jsonb;
    walked jsonb;
    page jsonb;
    last_page jsonb;
    guard int;
BEGIN
    FOR i IN 1 .. 30 LOOP
        picked := ARRAY[columns[1 + floor(random() * 3)::int]];
        IF random() < 0.5 THEN
            picked := picked || columns[1 + floor(random() * 3)::int];
        END IF;
        IF picked[1] = picked[2] THEN
            picked := picked[1:1];
        END IF;
        order_by := (SELECT jsonb_agg(jsonb_build_array(c, CASE WHEN random() < 0.5 THEN 'asc' ELSE 'desc' END))
                     FROM unnest(picked) c);
        page_size := 1 + floor(random() * 40)::int;
        spec := jsonb_build_object('table', 'ep_items', 'order_by', order_by, 'select_columns', '["id"]'::jsonb);
        whole := fetch_with_relations(spec);
        -- forward
        walked := '[]';
        page := fetch_page_with_relations(spec || jsonb_build_object('limit', page_size));
        guard := 0;
        LOOP
            walked := walked || (page -> 'rows');
            last_page := page;
            EXIT WHEN page ->> 'next' IS NULL OR guard > 200;
            page := fetch_page_with_relations(spec || jsonb_build_object('limit', page_size, 'after', page ->> 'next'));
            guard := guard + 1;
        END LOOP;
        IF walked IS DISTINCT FROM whole THEN
            INSERT INTO ep_mismatches VALUES (order_by, page_size, 'forward', walked, whole);
        END IF;
        -- backward from the last page
        walked := last_page -> 'rows';
        page := last_page;
        guard := 0;
        LOOP
            EXIT WHEN page ->> 'previous' IS NULL OR guard > 200;
            page := fetch_page_with_relations(spec || jsonb_build_object('limit', page_size, 'before', page ->> 'previous'));
            walked := (page -> 'rows') || walked;
            guard := guard + 1;
        END LOOP;
        IF walked IS DISTINCT FROM whole THEN
            INSERT INTO ep_mismatches VALUES (order_by, page_size, 'backward', walked, whole);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM ep_mismatches;
SELECT order_by, page_size, direction FROM ep_mismatches LIMIT 3;
DROP TABLE ep_mismatches, ep_first, ep_parts, ep_items;

-- Pages refuse what they cannot walk without losing a row, naming why:
-- a table with inheritance children (a child's row may have its parent's key: rows equal in the
-- whole order would meet at a page's boundary, and the next page would leave one out), pages
-- and after objects alike;
CREATE TABLE ep_parent (id int PRIMARY KEY, v int);
CREATE TABLE ep_child () INHERITS (ep_parent);
INSERT INTO ep_parent VALUES (1, 5), (2, 3);
INSERT INTO ep_child VALUES (1, 4), (3, 5);
\set VERBOSITY default
SELECT fetch_page_with_relations('{"table": "ep_parent", "order_by": "id", "limit": 1}');
SELECT fetch_with_relations('{"table": "ep_parent", "order_by": "id", "after": {"id": 1}}');
\set VERBOSITY terse
SELECT count(*) AS rows_in_the_hierarchy FROM jsonb_array_elements(fetch_with_relations('{"table": "ep_parent", "order_by": "id"}'));
DROP TABLE ep_child;
-- refused also when the load was remembered before the child came (it is not planned again).
SELECT fetch_with_relations('{"table": "ep_parent", "order_by": "v", "after": {"v": 3, "id": 2}}') AS remembered;
CREATE TABLE ep_child () INHERITS (ep_parent);
SELECT fetch_with_relations('{"table": "ep_parent", "order_by": "v", "after": {"v": 3, "id": 2}}') AS remembered;
SELECT count(*) FROM fetch_rows_with_relations('{"table": "ep_parent", "order_by": "v", "after": {"v": 3, "id": 2}}');
DROP TABLE ep_child, ep_parent;
-- Repeated order terms are found in one pass: 100,000 names parse at once (then the first
-- unknown column is 42703), not in quadratic time past statement_timeout.
CREATE TABLE ep_wide (id int PRIMARY KEY);
SET statement_timeout = '10s';
SELECT fetch_with_relations(jsonb_build_object('table', 'ep_wide', 'limit', 1,
    'order_by', (SELECT jsonb_agg('c' || g) FROM generate_series(1, 100000) g)));
RESET statement_timeout;
DROP TABLE ep_wide;
-- A column ordered twice is ordered once (as in ORDER BY a, a): its cursor works.
CREATE TABLE ep_twice (id int PRIMARY KEY, a int);
INSERT INTO ep_twice VALUES (1, 1), (2, 1), (3, 2);
SELECT fetch_page_with_relations('{"table": "ep_twice", "order_by": ["a", ["a", "DESC"]], "limit": 2}') AS page \gset
SELECT :'page'::jsonb -> 'rows' AS first_page,
       fetch_page_with_relations(jsonb_build_object('table', 'ep_twice', 'order_by', '["a", ["a", "DESC"]]'::jsonb, 'limit', 2,
                                                    'after', :'page'::jsonb -> 'next')) -> 'rows' AS second_page;
-- Refused: an empty cursor (no cursor is the key left out), and a signed cursor that holds no
-- JSON.
SELECT fetch_page_with_relations('{"table": "ep_twice", "order_by": "a", "limit": 2, "before": ""}');
SELECT fetch_page_with_relations('{"table": "ep_twice", "order_by": "a", "limit": 2, "after": ""}');
-- Without data_bridge.page_cursor_secret anyone can sign a cursor (HMAC-SHA256 with an empty
-- key over "page <table oid> <length>:<column><direction>…", a NUL, and the payload): one
-- whose payload is no JSON is not a cursor either (not the JSON parser's 22P02).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
RESET client_min_messages;
SELECT rtrim(translate(encode('abc'::bytea, 'base64'), '+/', '-_'), '=') || '.' ||
       left(encode(hmac(convert_to('page ' || 'ep_twice'::regclass::oid || ' 1:aa 2:ida', 'UTF8') || '\x00'::bytea || 'abc'::bytea,
                        ''::bytea, 'sha256'), 'hex'), 32) AS forged \gset
SELECT fetch_page_with_relations(jsonb_build_object('table', 'ep_twice', 'order_by', 'a', 'limit', 2, 'after', :'forged'));
DROP EXTENSION pgcrypto;
DROP TABLE ep_twice;
