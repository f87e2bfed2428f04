-- Batched eager loading renders columns itself: every type must come out exactly as to_jsonb()
-- renders it, at the top level and in related rows, under any DateStyle, TimeZone or
-- extra_float_digits. Also: keys of other types (uuid, text, bigint, domains, two columns),
-- NULL keys, schemas and names that need quoting, and partitioned tables.
\set SHOW_CONTEXT never
\set VERBOSITY terse
CREATE SCHEMA "Typed Things";
SET search_path = "Typed Things", public;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a int, b text);
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE DOMAIN label AS text;
CREATE DOMAIN stamp AS timestamptz;
CREATE TABLE owners (id int PRIMARY KEY, name text);
CREATE TABLE "All Types" (
    id int PRIMARY KEY, owner_id int REFERENCES owners,
    b bool, i2 int2, i8 int8, num numeric, num2 numeric(6, 2), f4 float4, f8 float8,
    t text, vc varchar(10), c char(5), nm name, ch "char", u uuid,
    d date, ts timestamp, tstz timestamptz, tm time, tmtz timetz, iv interval,
    by bytea, ip inet, cidr_v cidr, mac macaddr, m money, bits bit(3), vbits varbit, o oid,
    tsv tsvector, pt point, bx box, rng int4range, mrng int4multirange,
    j json, jb jsonb, ia int[], ta text[], pr pair, md mood, pos positive, lb label, st stamp,
    "Mixed Case" text, "select" int);
INSERT INTO owners VALUES (1, 'one'), (2, 'two');
INSERT INTO "All Types" VALUES
    (1, 1, true, -32768, 9223372036854775807, 1.50, 1234.5, 1.5, 0.1,
     E'quote " backslash \\ tab \t newline \n unicode é ✓', 'short', 'ab', 'a name', 'x',
     'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '2024-02-29 13:14:15.123456',
     '2024-02-29 13:14:15+02', '13:14:15', '13:14:15+05:30', '1 year 2 mons 3 days 04:05:06',
     '\xdeadbeef', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', 12.34, B'101', B'1101', 42,
     'a fat cat', '(1,2)', '((0,0),(1,1))', '[1,5)', '{[1,3),[7,9)}',
     '{"b": 1, "a": [1, 2.50], "a": "dup"}', '{"z": null, "n": 1.0, "s": "x"}', '{1,NULL,3}',
     '{{a,b},{c,"d e"}}', '(7,"seven")', 'happy', 5, 'a label', '2020-01-01 00:00:00+00',
     'mixed', 1),
    (2, 1, false, 0, -1, 'NaN', -0.5, 'NaN', 'Infinity', '', '', '', '', '', NULL,
     'infinity', '-infinity', 'infinity', '00:00', '00:00+00', '-1 days', '\x', '::1', '::/0',
     'ff:ff:ff:ff:ff:ff', -1, B'000', B'', 0, '', '(-1.5,1e-10)', '((1,1),(1,1))', 'empty', '{}',
     '[]', '[]', '{}', '{}', '(,)', 'sad', 1, '', '-infinity', '', NULL),
    (3, 2, NULL, 1, 0, 'Infinity', 0, '-0', '-Infinity', 'x', 'x', 'x', 'x', 'x', NULL,
     '0044-03-15 BC', '0044-03-15 12:00:00 BC', '1999-12-31 23:59:59.999999+14', '24:00:00', NULL,
     '00:00:00.000001', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     '"just a string"', '17', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, NULL, NULL, NULL, NULL, '-Infinity', NULL, 3.4028235e38, 1e300, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, 'null', 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (5, 2, true, 7, 12345678901234, 123456789012345678901234567890.123456789, 0.01, 1e-45, 5e-324,
     repeat('long ', 3000), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '[1, "two", {"three": 3}]',
     '[{"deep": [[[]]]}]', '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
ALTER TABLE "All Types" DROP COLUMN "select";  -- a dropped column is never rendered

-- Top level and related rows, each compared as text (so 1.50 and 1.5 differ) with to_jsonb.
-- The json forms print the same text.
CREATE FUNCTION pg_temp.check_types() RETURNS TABLE (top_level_same boolean, related_same boolean,
                                                     json_same boolean)
LANGUAGE sql AS $$
    SELECT fetch_many_with_relations('"Typed Things"."All Types"')::text
             = (SELECT jsonb_agg(to_jsonb(item) ORDER BY id) FROM "Typed Things"."All Types" item)::text,
           fetch_many_with_relations('"Typed Things".owners',
               '[{"name": "items", "table": "\"Typed Things\".\"All Types\""}]')::text
             = (SELECT jsonb_agg(to_jsonb(owner) || jsonb_build_object('items',
                   (SELECT coalesce(jsonb_agg(to_jsonb(item) ORDER BY item.id), '[]')
                    FROM "Typed Things"."All Types" item WHERE item.owner_id = owner.id)) ORDER BY owner.id)
                FROM "Typed Things".owners owner)::text,
           fetch_many_with_relations_json('"Typed Things"."All Types"')::text
             = fetch_many_with_relations('"Typed Things"."All Types"')::text
           AND fetch_many_with_relations_json('"Typed Things".owners',
                 '[{"name": "items", "table": "\"Typed Things\".\"All Types\""}]')::text
             = fetch_many_with_relations('"Typed Things".owners',
                 '[{"name": "items", "table": "\"Typed Things\".\"All Types\""}]')::text
$$;
SELECT * FROM pg_temp.check_types();
SET extra_float_digits = 0;
SET DateStyle = 'SQL, DMY';
SET IntervalStyle = 'sql_standard';
SET TimeZone = 'America/St_Johns';
SET lc_monetary = 'C';
SELECT * FROM pg_temp.check_types();
RESET extra_float_digits;
RESET DateStyle;
RESET IntervalStyle;
RESET TimeZone;
-- select_columns render the same way, and a repeated column once.
SELECT fetch_many_with_relations('"All Types"', filter => '{"id": 1}',
    relations => '[{"name": "owner", "table": "owners", "select_columns": ["name", "name"]}]')
  = (SELECT jsonb_agg(to_jsonb(item) || jsonb_build_object('owner', jsonb_build_object('name', owner.name)))
     FROM "All Types" item JOIN owners owner ON owner.id = item.owner_id WHERE item.id = 1) AS same;
SELECT fetch_with_relations('{"table": "\"Typed Things\".\"All Types\"", "id": 2,
    "select_columns": ["Mixed Case", "f8", "num", "d", "md", "pr"]}');

-- Keys of other types: uuid, text, bigint, a domain, and two columns; NULL keys match nothing.
CREATE TABLE accounts (id uuid PRIMARY KEY, code text UNIQUE, big bigint UNIQUE, pos positive UNIQUE,
                       region text, num int, UNIQUE (region, num));
CREATE TABLE events (id bigint PRIMARY KEY, account_id uuid REFERENCES accounts,
                     account_code text REFERENCES accounts (code),
                     account_big bigint REFERENCES accounts (big),
                     account_pos positive REFERENCES accounts (pos),
                     region text, num int, FOREIGN KEY (region, num) REFERENCES accounts (region, num),
                     what text);
INSERT INTO accounts VALUES
    ('00000000-0000-0000-0000-000000000001', 'A-1', 10000000000, 1, 'eu', 1),
    ('00000000-0000-0000-0000-000000000002', 'B-2', 20000000000, 2, 'us', 1);
INSERT INTO events VALUES
    (1, '00000000-0000-0000-0000-000000000001', 'A-1', 10000000000, 1, 'eu', 1, 'first'),
    (2, '00000000-0000-0000-0000-000000000002', 'B-2', 20000000000, 2, 'us', 1, 'second'),
    (3, '00000000-0000-0000-0000-000000000001', NULL, NULL, NULL, 'eu', NULL, 'no keys'),
    (4, '00000000-0000-0000-0000-000000000002', 'B-2', 20000000000, 2, 'us', 1, 'third');
SELECT (fetch_with_relations('{"table": "accounts", "select_columns": ["code"], "relations": [
    {"name": "by_id", "table": "events", "foreign_key": "account_id", "select_columns": ["id"]},
    {"name": "by_code", "table": "events", "foreign_key": "account_code", "select_columns": ["id"]},
    {"name": "by_big", "table": "events", "foreign_key": "account_big", "select_columns": ["id"]},
    {"name": "by_pos", "table": "events", "foreign_key": "account_pos", "select_columns": ["id"]},
    {"name": "by_pair", "table": "events", "foreign_key": "events_region_num_fkey",
     "select_columns": ["id"], "order_by": [["id", "DESC"]], "limit": 1}]}')) AS accounts;
SELECT (fetch_with_relations('{"table": "events", "select_columns": ["what"], "relations": [
    {"name": "a", "table": "accounts", "foreign_key": "account_id", "select_columns": ["code"]},
    {"name": "b", "table": "accounts", "foreign_key": "account_code", "select_columns": ["code"]},
    {"name": "c", "table": "accounts", "foreign_key": "account_big", "select_columns": ["code"]},
    {"name": "d", "table": "accounts", "foreign_key": "account_pos", "select_columns": ["code"]},
    {"name": "e", "table": "accounts", "foreign_key": "events_region_num_fkey", "select_columns": ["code"]}]}'))
  AS events;

-- Partitioned tables on both sides of a relation.
CREATE TABLE parts (id int PRIMARY KEY, name text) PARTITION BY RANGE (id);
CREATE TABLE parts_low PARTITION OF parts FOR VALUES FROM (0) TO (10);
CREATE TABLE parts_high PARTITION OF parts FOR VALUES FROM (10) TO (100);
CREATE TABLE pieces (id int, part_id int REFERENCES parts, PRIMARY KEY (id, part_id)) PARTITION BY LIST (part_id);
CREATE TABLE pieces_a PARTITION OF pieces FOR VALUES IN (1, 2, 3);
CREATE TABLE pieces_b PARTITION OF pieces DEFAULT;
INSERT INTO parts VALUES (1, 'low'), (50, 'high'), (5, 'lonely');
INSERT INTO pieces VALUES (1, 1), (2, 1), (3, 50), (4, 50);
SELECT fetch_many_with_relations('parts', '[{"name": "pieces", "table": "pieces",
    "relations": [{"name": "part", "table": "parts", "select_columns": ["name"]}]}]') AS parts;
SELECT fetch_many_with_relations('pieces', '[{"name": "part", "table": "parts", "count": false},
    {"name": "siblings", "table": "pieces", "foreign_key": "part_id", "direction": "one_to_many",
     "reference_column": "part_id", "count": true}]') AS pieces;

RESET search_path;
DROP SCHEMA "Typed Things" CASCADE;

-- Keys of a row type (a composite, a domain over one): one-to-many loads, a stream and a
-- cascade's plan, against hand-written SQL.
CREATE TYPE rk_pair AS (a int, b text);
CREATE DOMAIN rk_dpair AS rk_pair CHECK ((VALUE).a > 0);
CREATE TABLE rk_parents (id rk_pair PRIMARY KEY, label text);
CREATE TABLE rk_children (id int PRIMARY KEY, pid rk_pair REFERENCES rk_parents ON DELETE CASCADE);
CREATE TABLE rk_dparents (id rk_dpair PRIMARY KEY);
CREATE TABLE rk_dchildren (id int PRIMARY KEY, pid rk_dpair REFERENCES rk_dparents);
INSERT INTO rk_parents VALUES (ROW(1, 'x'), 'one'), (ROW(2, 'y, "z"'), 'two'), (ROW(3, NULL), 'three');
INSERT INTO rk_children VALUES (1, ROW(1, 'x')), (2, ROW(2, 'y, "z"')), (3, ROW(1, 'x'));
INSERT INTO rk_dparents VALUES (ROW(1, 'x')), (ROW(2, 'y'));
INSERT INTO rk_dchildren VALUES (1, ROW(2, 'y')), (2, ROW(2, 'y'));
SELECT fetch_with_relations('{"table": "rk_parents", "order_by": "label",
    "relations": [{"name": "children", "table": "rk_children"}]}') =
    (SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('children',
        (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM rk_children c
         WHERE c.pid = p.id)) ORDER BY p.label) FROM rk_parents p) AS composite_keys_match;
SELECT fetch_rows_with_relations('{"table": "rk_dparents", "order_by": "id",
    "relations": [{"name": "children", "table": "rk_dchildren"}]}');
CREATE TABLE rk_two (t int, p rk_pair, PRIMARY KEY (t, p));
CREATE TABLE rk_refs (id int PRIMARY KEY, t int, p rk_pair, FOREIGN KEY (t, p) REFERENCES rk_two ON DELETE CASCADE);
INSERT INTO rk_two VALUES (1, ROW(1, 'x'));
INSERT INTO rk_refs VALUES (1, 1, ROW(1, 'x')), (2, 1, ROW(1, 'x'));
SELECT depth, table_name, action, rows FROM delete_plan('rk_two', '{"t": 1, "p": "(1,x)"}'::jsonb);
SELECT depth, table_name, action, rows FROM delete_plan('rk_parents', ROW(1, 'x')::rk_pair);
DROP TABLE rk_refs, rk_two, rk_dchildren, rk_dparents, rk_children, rk_parents;
DROP DOMAIN rk_dpair;
DROP TYPE rk_pair;
