-- Filters on related rows (exists at depth 2) and aggregates of relations, each side by side
-- with the statement a careful user writes by hand, in one run. Ratios: data_bridge / hand.
\set QUIET on
\i bench/common.sql
SELECT setseed(0.5);
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, country text);
CREATE TABLE invoices (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers,
                       total numeric(10, 2), billed date);
CREATE TABLE lines (id int PRIMARY KEY, invoice_id int NOT NULL REFERENCES invoices,
                    artist text NOT NULL, price numeric(6, 2));
CREATE INDEX ON invoices (customer_id);
CREATE INDEX ON lines (invoice_id);
CREATE INDEX ON lines (artist);
INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['PT', 'ES', 'FR'])[1 + g % 3] FROM generate_series(1, 5000) g;
INSERT INTO invoices SELECT g, 1 + (g * 7919) % 5000, round((random() * 200)::numeric, 2),
                            DATE '2026-01-01' + (g % 300) FROM generate_series(1, 50000) g;
INSERT INTO lines SELECT g, 1 + (g::bigint * 104729) % 50000, 'artist ' || (g % 400), round((random() * 2)::numeric, 2)
    FROM generate_series(1, 250000) g;
ANALYZE;
\set QUIET off

-- 1. Customers who bought a track by one artist (exists at depth 2), first page of 50.
PREPARE exists_data_bridge AS SELECT fetch_with_relations('{"table": "customers", "order_by": "id", "limit": 50,
    "filter": {"exists": {"relation": {"table": "invoices"}, "filter": {"exists": {"relation": {"table": "lines"},
    "filter": {"artist": "artist 7"}}}}}}');
PREPARE exists_by_hand AS SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM (
    SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id
        AND EXISTS (SELECT 1 FROM lines l WHERE l.invoice_id = i.id AND l.artist = 'artist 7'))
    ORDER BY c.id LIMIT 50) c;

-- 2. 100 customers with the sum, count and latest date of their invoices.
PREPARE aggregates_data_bridge AS SELECT fetch_many_with_relations('customers', '[
    {"name": "spent", "table": "invoices", "aggregate": {"sum": "total"}},
    {"name": "invoices", "table": "invoices", "aggregate": {"count": "*"}},
    {"name": "latest", "table": "invoices", "aggregate": {"max": "billed"}}]', NULL, '"id"', 100);
PREPARE aggregates_by_hand AS SELECT coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object(
        'spent', a.spent, 'invoices', a.invoices, 'latest', a.latest) ORDER BY c.id), '[]')
    FROM (SELECT * FROM customers ORDER BY id LIMIT 100) c,
    LATERAL (SELECT sum(total) AS spent, count(*) AS invoices, max(billed) AS latest
             FROM invoices i WHERE i.customer_id = c.id) a;

-- The same answers, or the comparison means nothing.
DO $$
BEGIN
    IF (SELECT fetch_with_relations('{"table": "customers", "order_by": "id", "limit": 50,
        "filter": {"exists": {"relation": {"table": "invoices"}, "filter": {"exists": {"relation": {"table": "lines"},
        "filter": {"artist": "artist 7"}}}}}}')) IS DISTINCT FROM (SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]') FROM (
        SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id
            AND EXISTS (SELECT 1 FROM lines l WHERE l.invoice_id = i.id AND l.artist = 'artist 7'))
        ORDER BY c.id LIMIT 50) c) THEN
        RAISE EXCEPTION 'exists: answers differ';
    END IF;
    IF (SELECT fetch_many_with_relations('customers', '[
        {"name": "spent", "table": "invoices", "aggregate": {"sum": "total"}},
        {"name": "invoices", "table": "invoices", "aggregate": {"count": "*"}},
        {"name": "latest", "table": "invoices", "aggregate": {"max": "billed"}}]', NULL, '"id"', 100))
       IS DISTINCT FROM (SELECT coalesce(jsonb_agg(to_jsonb(c) || jsonb_build_object(
        'spent', a.spent, 'invoices', a.invoices, 'latest', a.latest) ORDER BY c.id), '[]')
        FROM (SELECT * FROM customers ORDER BY id LIMIT 100) c,
        LATERAL (SELECT sum(total) AS spent, count(*) AS invoices, max(billed) AS latest
                 FROM invoices i WHERE i.customer_id = c.id) a) THEN
        RAISE EXCEPTION 'aggregates: answers differ';
    END IF;
END $$;

WITH timings AS (
    SELECT 'exists at depth 2, page of 50' AS benchmark,
           pg_temp.time_per_call('EXECUTE exists_data_bridge', 200) AS data_bridge,
           pg_temp.time_per_call('EXECUTE exists_by_hand', 200) AS by_hand
    UNION ALL
    SELECT '3 aggregates of 100 customers',
           pg_temp.time_per_call('EXECUTE aggregates_data_bridge', 200),
           pg_temp.time_per_call('EXECUTE aggregates_by_hand', 200)
)
SELECT benchmark, round(data_bridge::numeric, 3) AS data_bridge_ms, round(by_hand::numeric, 3) AS by_hand_ms,
       round((data_bridge / by_hand)::numeric, 2) AS ratio
FROM timings;
