-- Keyset pages and streamed rows, side by side with what a user writes by hand, in one run.
-- Ratios: data_bridge / the alternative.
\set QUIET on
\i bench/common.sql
CREATE TABLE invoices (id int PRIMARY KEY, billed date NOT NULL, customer int NOT NULL, total numeric(10, 2));
CREATE TABLE lines (id int PRIMARY KEY, invoice_id int NOT NULL REFERENCES invoices, item text, qty int);
CREATE INDEX ON invoices (billed, id);
CREATE INDEX ON lines (invoice_id);
INSERT INTO invoices SELECT g, DATE '2020-01-01' + g / 50, g % 997, (g % 1000) / 10.0 FROM generate_series(1, 100000) g;
INSERT INTO lines SELECT g, 1 + (g * 7) % 100000, 'item ' || g % 300, g % 5 FROM generate_series(1, 200000) g;
ANALYZE;
\set QUIET off

-- 1. The page of 50 invoices (with their lines) after the 90,000th in (billed, id) order.
SELECT billed AS after_billed, id AS after_id FROM invoices ORDER BY billed, id OFFSET 89999 LIMIT 1 \gset
PREPARE keyset_data_bridge AS SELECT fetch_with_relations(jsonb_build_object('table', 'invoices',
    'order_by', '["billed", "id"]'::jsonb, 'limit', 50, 'after', jsonb_build_object('billed', :'after_billed', 'id', :after_id),
    'relations', '[{"name": "lines", "table": "lines"}]'::jsonb));
PREPARE offset_data_bridge AS SELECT fetch_with_relations('{"table": "invoices", "order_by": ["billed", "id"],
    "limit": 50, "offset": 90000, "relations": [{"name": "lines", "table": "lines"}]}');
PREPARE keyset_by_hand AS SELECT coalesce(jsonb_agg(to_jsonb(i) || jsonb_build_object('lines', l.lines) ORDER BY i.billed, i.id), '[]')
    FROM (SELECT * FROM invoices WHERE (billed, id) > (:'after_billed'::date, :after_id) ORDER BY billed, id LIMIT 50) i
    CROSS JOIN LATERAL (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]') AS lines FROM lines x WHERE x.invoice_id = i.id) l;

-- 2. All 100,000 invoices with their lines, one row each, consumed by the client. The one value
-- takes more than the default data_bridge.max_load_size (128 MB of rows): no limit here.
SET data_bridge.max_load_size = -1;
PREPARE stream_data_bridge AS SELECT count(*), sum(length(r::text)) FROM (SELECT fetch_rows_with_relations(
    '{"table": "invoices", "order_by": ["billed", "id"], "relations": [{"name": "lines", "table": "lines"}]}') AS r) s;
PREPARE one_value_data_bridge AS SELECT length(fetch_with_relations(
    '{"table": "invoices", "order_by": ["billed", "id"], "relations": [{"name": "lines", "table": "lines"}]}')::text);
PREPARE stream_by_hand AS SELECT count(*), sum(length(r::text)) FROM (
    SELECT to_jsonb(i) || jsonb_build_object('lines', (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.id), '[]')
                                                      FROM lines x WHERE x.invoice_id = i.id)) AS r
    FROM invoices i ORDER BY i.billed, i.id) s;

DO $$
BEGIN
    IF (SELECT fetch_with_relations(jsonb_build_object('table', 'invoices', 'order_by', '["billed", "id"]'::jsonb,
            'limit', 50, 'offset', 90000, 'relations', '[{"name": "lines", "table": "lines"}]'::jsonb)))
       IS DISTINCT FROM (SELECT fetch_with_relations(jsonb_build_object('table', 'invoices', 'order_by', '["billed", "id"]'::jsonb,
            'limit', 50, 'after', (SELECT jsonb_build_object('billed', billed, 'id', id) FROM invoices ORDER BY billed, id OFFSET 89999 LIMIT 1),
            'relations', '[{"name": "lines", "table": "lines"}]'::jsonb))) THEN
        RAISE EXCEPTION 'keyset and offset pages differ';
    END IF;
END $$;
SET data_bridge.max_rows = 0;
SET work_mem = '64MB';
WITH timings AS (
    SELECT 'page of 50 (with lines) after the 90,000th row: keyset vs the same with OFFSET' AS benchmark,
           pg_temp.time_per_call('EXECUTE keyset_data_bridge', 50) AS data_bridge,
           pg_temp.time_per_call('EXECUTE offset_data_bridge', 50) AS alternative
    UNION ALL
    SELECT 'the same keyset page vs hand-written ROW() > ROW() with LATERAL',
           pg_temp.time_per_call('EXECUTE keyset_data_bridge', 50),
           pg_temp.time_per_call('EXECUTE keyset_by_hand', 50)
    UNION ALL
    SELECT '100,000 parents with lines, streamed rows vs hand-written rows',
           pg_temp.time_per_call('EXECUTE stream_data_bridge', 3),
           pg_temp.time_per_call('EXECUTE stream_by_hand', 3)
    UNION ALL
    SELECT '100,000 parents with lines, streamed rows vs one jsonb value',
           pg_temp.time_per_call('EXECUTE stream_data_bridge', 3),
           pg_temp.time_per_call('EXECUTE one_value_data_bridge', 3)
)
SELECT benchmark, round(data_bridge::numeric, 3) AS data_bridge_ms, round(alternative::numeric, 3) AS alternative_ms,
       round((data_bridge / alternative)::numeric, 2) AS ratio
FROM timings;

-- 3. Backend peak memory (VmHWM of a fresh backend) for the whole stream vs the one value.
\c
SET data_bridge.max_rows = 0;
SET data_bridge.max_load_size = -1;
SELECT count(*) AS streamed_rows FROM (SELECT fetch_rows_with_relations(
    '{"table": "invoices", "order_by": ["billed", "id"], "relations": [{"name": "lines", "table": "lines"}]}') AS r) s;
SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s+(\d+)')::bigint / 1024 AS stream_peak_mb;
\c
SET data_bridge.max_rows = 0;
SET data_bridge.max_load_size = -1;
SELECT length(fetch_with_relations(
    '{"table": "invoices", "order_by": ["billed", "id"], "relations": [{"name": "lines", "table": "lines"}]}')::text) AS one_value_chars;
SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s+(\d+)')::bigint / 1024 AS one_value_peak_mb;
\c
SELECT count(*) AS idle FROM invoices WHERE id < 0;
SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s+(\d+)')::bigint / 1024 AS fresh_backend_peak_mb;
