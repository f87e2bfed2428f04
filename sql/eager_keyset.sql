-- Keyset pages ("after"): the rows after the last row of the previous page, in the order of
-- order_by and the primary key, NULLs placed as ORDER BY places them; no OFFSET scan. Seeded
-- random orders and page sizes: walking every page gives exactly the whole ordered list.
CREATE TABLE ek_invoices (id int PRIMARY KEY, billed date NOT NULL, total numeric(8, 2), note text,
                          customer int NOT NULL);
CREATE INDEX ON ek_invoices (billed, id);
SELECT setseed(0.23);
INSERT INTO ek_invoices SELECT g, DATE '2026-01-01' + floor(random() * 20)::int,
    CASE WHEN random() < 0.2 THEN NULL ELSE round((random() * 50)::numeric, 2) END,
    CASE WHEN random() < 0.3 THEN NULL ELSE 'n' || floor(random() * 10)::int END, floor(random() * 5)::int
FROM generate_series(1, 200) g;

SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": ["billed", "id"], "limit": 3, "select_columns": ["id", "billed"]}');
SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": ["billed", "id"], "limit": 3, "select_columns": ["id", "billed"],
    "after": {"billed": "2026-01-01", "id": 57}}');
-- NULLs: last ascending, first descending, and a page may start after a NULL.
SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": [["note", "desc"]], "limit": 4, "select_columns": ["id", "note"],
    "after": {"note": null, "id": 190}}');
-- With a filter and relations.
CREATE TABLE ek_lines (id int PRIMARY KEY, invoice_id int REFERENCES ek_invoices, qty int);
INSERT INTO ek_lines SELECT g, 1 + g % 200, g % 4 FROM generate_series(1, 400) g;
SELECT fetch_with_relations('{"table": "ek_invoices", "filter": {"customer": 2}, "order_by": [["total", "desc"]], "limit": 2,
    "select_columns": ["id", "total"], "after": {"total": "40.00", "id": 1},
    "relations": [{"name": "lines", "table": "ek_lines", "select_columns": ["qty"]}]}');
-- Errors.
SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": ["billed"], "after": {"billed": "2026-01-01"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": ["billed"], "after": {"billed": "2026-01-01", "id": 1, "total": 2}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ek_invoices", "after": {"id": [1]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ek_invoices", "id": 1, "after": {"id": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ek_invoices", "after": {"id": "x"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ek_invoices", "order_by": [["n", "desc"]], "after": {"id": 1},
    "relations": [{"name": "n", "table": "ek_lines", "count": true}]}');
\echo :LAST_ERROR_SQLSTATE

-- Walk every page of random orders and compare with the whole ordered list.
CREATE TABLE ek_mismatches (order_by jsonb, page_size int, walked jsonb, whole jsonb);
DO $$
DECLARE
    columns text[] := ARRAY['billed', 'total', 'note', 'customer'];
    order_by jsonb;
    picked text[];
    page_size int;
    whole jsonb;
    walked jsonb;
    page jsonb;
    after jsonb;
    last jsonb;
    spec jsonb;
    guard int;
BEGIN
    FOR i IN 1 .. 40 LOOP
        picked := ARRAY[columns[1 + floor(random() * 4)::int]];
        IF random() < 0.5 THEN
            picked := picked || columns[1 + floor(random() * 4)::int];
        END IF;
        IF picked[1] = picked[2] THEN
            picked := picked[1:1];
        END IF;
        order_by := (SELECT jsonb_agg(jsonb_build_array(c, CASE WHEN random() < 0.5 THEN 'asc' ELSE 'desc' END))
                     FROM unnest(picked) c);
        page_size := 1 + floor(random() * 30)::int;
        spec := jsonb_build_object('table', 'ek_invoices', 'order_by', order_by,
                                   'filter', jsonb_build_object('customer', jsonb_build_object('neq', i % 5)));
        whole := fetch_with_relations(spec);
        walked := '[]';
        after := NULL;
        guard := 0;
        LOOP
            page := fetch_with_relations(spec || jsonb_build_object('limit', page_size)
                                              || CASE WHEN after IS NULL THEN '{}' ELSE jsonb_build_object('after', after) END);
            EXIT WHEN jsonb_array_length(page) = 0;
            walked := walked || page;
            last := page -> -1;
            after := (SELECT jsonb_object_agg(c, last -> c) FROM unnest(picked || ARRAY['id']) c);
            guard := guard + 1;
            EXIT WHEN guard > 300;
        END LOOP;
        IF walked IS DISTINCT FROM whole THEN
            INSERT INTO ek_mismatches VALUES (order_by, page_size, walked, whole);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM ek_mismatches;
SELECT order_by, page_size FROM ek_mismatches LIMIT 3;
DROP TABLE ek_mismatches, ek_lines, ek_invoices;
