-- Aggregates of related rows rendered under the relation's name: count, count_distinct, sum,
-- avg, min, max, each with the relation's own filter, in every entry point; then seeded random
-- cases compared with hand-written aggregates.
CREATE TABLE ag_customers (id int PRIMARY KEY, name text);
CREATE TABLE ag_invoices (id int PRIMARY KEY, customer_id int REFERENCES ag_customers,
                          total numeric(10, 2), billed date, country text);
INSERT INTO ag_customers VALUES (1, 'Ann'), (2, 'Ben'), (3, 'Cy');
INSERT INTO ag_invoices VALUES (1, 1, 10.50, '2026-01-05', 'PT'), (2, 1, 4.00, '2026-02-01', 'PT'),
    (3, 1, NULL, '2026-03-01', 'ES'), (4, 2, 7.25, '2026-01-20', 'FR');

SELECT jsonb_pretty(fetch_many_with_relations('ag_customers', '[
    {"name": "spent", "table": "ag_invoices", "aggregate": {"sum": "total"}},
    {"name": "average", "table": "ag_invoices", "aggregate": {"avg": "total"}},
    {"name": "first", "table": "ag_invoices", "aggregate": {"min": "billed"}},
    {"name": "latest", "table": "ag_invoices", "aggregate": {"max": "billed"}},
    {"name": "invoices", "table": "ag_invoices", "aggregate": {"count": "*"}},
    {"name": "priced", "table": "ag_invoices", "aggregate": {"count": "total"}},
    {"name": "countries", "table": "ag_invoices", "aggregate": {"count_distinct": "country"}},
    {"name": "big", "table": "ag_invoices", "aggregate": {"sum": "total"}, "filter": {"total": {"gt": 5}}}
]', order_by => '"id"'));
-- One row, the spec form, and below a relation.
SELECT fetch_one_with_relations('ag_customers', 2, '[{"name": "spent", "table": "ag_invoices", "aggregate": {"sum": "total"}}]');
SELECT fetch_with_relations('{"table": "ag_invoices", "id": 4, "relations": [{"name": "customer", "table": "ag_customers",
    "relations": [{"name": "spent", "table": "ag_invoices", "aggregate": {"max": "total"}}]}]}');
-- Wrong aggregates name their place.
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"sum": "nope"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"median": "total"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"sum": "*"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"sum": "total"}, "limit": 1}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"sum": "total"}, "count": true}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('ag_customers', 1, '[{"name": "s", "table": "ag_invoices", "aggregate": {"sum": "billed"}}]');
\echo :LAST_ERROR_SQLSTATE

-- Seeded random customers, invoices, functions and filters against hand-written aggregates.
SELECT setseed(0.57);
INSERT INTO ag_customers SELECT g, 'c' || g FROM generate_series(4, 60) g;
INSERT INTO ag_invoices SELECT g, 1 + floor(random() * 60)::int,
    CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 100)::numeric, 2) END,
    DATE '2026-01-01' + floor(random() * 300)::int, (ARRAY['PT', 'ES', 'FR', NULL])[1 + floor(random() * 4)::int]
FROM generate_series(5, 400) g;
CREATE TABLE ag_mismatches (function text, column_name text, threshold int, got jsonb, expected jsonb);
DO $$
DECLARE
    fn text;
    col text;
    threshold int;
    got jsonb;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 60 LOOP
        fn := (ARRAY['count', 'count_distinct', 'sum', 'avg', 'min', 'max'])[1 + floor(random() * 6)::int];
        col := CASE WHEN fn IN ('sum', 'avg') THEN 'total'
                    ELSE (ARRAY['total', 'billed', 'country'])[1 + floor(random() * 3)::int] END;
        threshold := floor(random() * 100)::int;
        got := (SELECT jsonb_agg(c -> 'v' ORDER BY (c ->> 'id')::int)
                FROM jsonb_array_elements(fetch_many_with_relations('ag_customers',
                    jsonb_build_array(jsonb_build_object('name', 'v', 'table', 'ag_invoices',
                        'aggregate', jsonb_build_object(fn, col),
                        'filter', jsonb_build_object('total', jsonb_build_object('gte', threshold)))))) c);
        EXECUTE format($q$SELECT jsonb_agg(coalesce(v, 'null') ORDER BY id) FROM ag_customers c,
            LATERAL (SELECT to_jsonb(%s) AS v FROM ag_invoices i WHERE i.customer_id = c.id AND i.total >= %s) a$q$,
            CASE fn WHEN 'count_distinct' THEN format('count(DISTINCT %I)', col) ELSE format('%s(%I)', fn, col) END,
            threshold) INTO expected;
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO ag_mismatches VALUES (fn, col, threshold, got, expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM ag_mismatches;
SELECT function, column_name, threshold FROM ag_mismatches LIMIT 3;

DROP TABLE ag_mismatches, ag_invoices, ag_customers;

-- Ordering by related values: a column of an at-most-one relation ("name.column"), or a count or
-- aggregate relation by its name; ties broken by the primary key.
CREATE TABLE ag_customers (id int PRIMARY KEY, name text);
CREATE TABLE ag_invoices (id int PRIMARY KEY, customer_id int REFERENCES ag_customers,
                          total numeric(10, 2));
INSERT INTO ag_customers VALUES (1, 'Zoe'), (2, 'Adam'), (3, 'Mia'), (4, 'Bo');
INSERT INTO ag_invoices VALUES (1, 1, 5), (2, 1, 5), (3, 2, 30), (4, 3, 12), (5, 4, NULL), (6, 2, 1);
SELECT jsonb_agg(c ->> 'name') AS by_spent_desc FROM jsonb_array_elements(fetch_many_with_relations('ag_customers',
    '[{"name": "spent", "table": "ag_invoices", "aggregate": {"sum": "total"}}]', NULL, '[["spent", "DESC"]]')) c;
SELECT jsonb_agg(c ->> 'name') AS by_invoice_count FROM jsonb_array_elements(fetch_with_relations('{"table": "ag_customers",
    "relations": [{"name": "n", "table": "ag_invoices", "count": true}], "order_by": ["n", "DESC"]}')) c;
SELECT jsonb_agg(i -> 'id') AS by_customer_name FROM jsonb_array_elements(fetch_with_relations('{"table": "ag_invoices",
    "relations": [{"name": "customer", "table": "ag_customers", "select_columns": ["name"]}],
    "order_by": ["customer.name"], "limit": 4}')) i;
-- Below the top level as on top; then terms that name a relation wrongly.
SELECT fetch_one_with_relations('ag_customers', 2, '[{"name": "invoices", "table": "ag_invoices",
    "select_columns": ["id"], "order_by": ["total", "DESC"]}]') -> 'invoices' AS invoices;
SELECT fetch_with_relations('{"table": "ag_invoices", "order_by": ["invoices.total"], "relations": [{"name": "invoices", "table": "ag_customers"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ag_customers", "order_by": ["invoices.total"], "relations": [{"name": "invoices", "table": "ag_invoices"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "ag_customers", "order_by": ["invoices"], "relations": [{"name": "invoices", "table": "ag_invoices"}]}');
\echo :LAST_ERROR_SQLSTATE
-- Compared with hand-written ORDER BY over correlated subqueries.
SELECT (SELECT jsonb_agg((c ->> 'id')::int) FROM jsonb_array_elements(fetch_many_with_relations('ag_customers',
          '[{"name": "top", "table": "ag_invoices", "aggregate": {"max": "total"}}]', NULL, '[["top", "DESC"]]')) c)
     = (SELECT jsonb_agg(id ORDER BY (SELECT max(total) FROM ag_invoices i WHERE i.customer_id = c.id) DESC, id)
          FROM ag_customers c) AS same_order;
-- Aggregates in the parent's filter (having-style): the relation's name as the filtered
-- "column", its value compared as its SQL type; seeded random cases against hand-written
-- subqueries.
CREATE TABLE ag_h_customers (id int PRIMARY KEY, name text);
CREATE TABLE ag_h_invoices (id int PRIMARY KEY, customer_id int REFERENCES ag_h_customers,
                            total numeric(10, 2), billed date, country text);
SELECT setseed(0.61);
INSERT INTO ag_h_customers SELECT g, 'c' || g FROM generate_series(1, 40) g;
INSERT INTO ag_h_invoices SELECT g, 1 + floor(random() * 36)::int,
    CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 100)::numeric, 2) END,
    DATE '2026-01-01' + floor(random() * 300)::int, (ARRAY['PT', 'ES', 'FR', NULL])[1 + floor(random() * 4)::int]
FROM generate_series(1, 300) g;
SELECT fetch_many_with_relations('ag_h_customers', '[{"name": "invoices", "table": "ag_h_invoices", "count": true}]',
    '{"invoices": {"gt": 12}}', '"id"', 3);
SELECT fetch_with_relations('{"table": "ag_h_customers", "select_columns": ["id"], "order_by": "id", "limit": 4,
    "filter": {"or": [{"spent": {"gte": 400}}, {"spent": {"is": null}}]},
    "relations": [{"name": "spent", "table": "ag_h_invoices", "aggregate": {"sum": "total"}}]}');
SELECT fetch_with_relations('{"table": "ag_h_customers", "filter": {"n": {"like": "1%"}},
    "relations": [{"name": "n", "table": "ag_h_invoices", "count": true}]}');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE ag_having_mismatches (spec jsonb, got jsonb, expected jsonb);
CREATE TABLE ag_having_cases (kept int);
DO $$
DECLARE
    fn text;
    col text;
    op text;
    threshold text;
    spec jsonb;
    got jsonb;
    expected jsonb;
    sql_op text;
BEGIN
    FOR i IN 1 .. 60 LOOP
        fn := (ARRAY['count', 'count_distinct', 'sum', 'avg', 'min', 'max'])[1 + floor(random() * 6)::int];
        col := CASE WHEN fn IN ('sum', 'avg') THEN 'total' WHEN fn IN ('min', 'max') THEN
                    (ARRAY['total', 'billed'])[1 + floor(random() * 2)::int] ELSE 'country' END;
        op := (ARRAY['gt', 'lt', 'gte', 'eq', 'is'])[1 + floor(random() * 5)::int];
        sql_op := CASE op WHEN 'gt' THEN '>' WHEN 'lt' THEN '<' WHEN 'gte' THEN '>=' WHEN 'eq' THEN '=' END;
        threshold := CASE WHEN col = 'billed' THEN (DATE '2026-01-01' + floor(random() * 300)::int)::text
                          WHEN fn LIKE 'count%' THEN floor(random() * 12)::text
                          ELSE floor(random() * 600)::text END;
        spec := jsonb_build_object('table', 'ag_h_customers', 'select_columns', jsonb_build_array('id'), 'order_by', 'id',
            'filter', jsonb_build_object('v', CASE WHEN op = 'is' THEN '{"is": null}'::jsonb
                                                   ELSE jsonb_build_object(op, threshold) END),
            'relations', jsonb_build_array(jsonb_build_object('name', 'v', 'table', 'ag_h_invoices',
                'aggregate', jsonb_build_object(fn, col),
                'filter', jsonb_build_object('country', jsonb_build_object('neq', 'FR')))));
        got := (SELECT coalesce(jsonb_agg(e -> 'id'), '[]') FROM jsonb_array_elements(fetch_with_relations(spec)) e);
        EXECUTE format($q$SELECT coalesce(jsonb_agg(to_jsonb(c.id) ORDER BY c.id), '[]') FROM ag_h_customers c
                          WHERE (SELECT %s FROM ag_h_invoices i WHERE i.customer_id = c.id AND i.country <> 'FR') %s$q$,
                       CASE fn WHEN 'count_distinct' THEN format('count(DISTINCT i.%I)', col) ELSE format('%s(i.%I)', fn, col) END,
                       CASE WHEN op = 'is' THEN 'IS NULL' ELSE format('%s %L', sql_op, threshold) END) INTO expected;
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO ag_having_mismatches VALUES (spec, got, expected);
        END IF;
        INSERT INTO ag_having_cases VALUES (jsonb_array_length(expected));
    END LOOP;
END $$;
SELECT count(*) AS having_mismatches FROM ag_having_mismatches;
-- The cases kept some customers and not all, most of the time.
SELECT count(*) FILTER (WHERE kept BETWEEN 1 AND 39) > 30 AS discriminating FROM ag_having_cases;
SELECT * FROM ag_having_mismatches LIMIT 2;
DROP TABLE ag_having_mismatches, ag_having_cases, ag_h_invoices, ag_h_customers;
DROP TABLE ag_invoices, ag_customers;
-- min and max of a domain column are values of its base type (as in SQL): a filter or order on
-- them compares base-type values, not values checked against the domain (0 is no posint).
CREATE DOMAIN ag_positive AS int CHECK (VALUE > 0);
CREATE TABLE ag_d_parents (id int PRIMARY KEY);
CREATE TABLE ag_d_children (id int PRIMARY KEY, parent_id int REFERENCES ag_d_parents, d ag_positive);
INSERT INTO ag_d_parents VALUES (1), (2), (3);
INSERT INTO ag_d_children VALUES (1, 1, 1), (2, 1, 3), (3, 2, NULL), (4, 3, 5);
SELECT fetch_with_relations('{"table": "ag_d_parents", "relations": [{"name": "top", "table": "ag_d_children",
    "aggregate": {"max": "d"}}], "filter": {"top": {"gte": 0, "lt": 4}}}') AS max_filtered;
SELECT (SELECT jsonb_agg(jsonb_build_object('id', p.id, 'top', m.top) ORDER BY p.id)
        FROM ag_d_parents p, LATERAL (SELECT max(c.d) AS top FROM ag_d_children c WHERE c.parent_id = p.id) m
        WHERE m.top >= 0 AND m.top < 4) AS hand_written;
SELECT fetch_with_relations('{"table": "ag_d_parents", "relations": [{"name": "low", "table": "ag_d_children",
    "aggregate": {"min": "d"}}], "filter": {"low": {"neq": 0}}, "order_by": [["low", "DESC"]]}') AS min_ordered;
DROP TABLE ag_d_children, ag_d_parents;
DROP DOMAIN ag_positive;
