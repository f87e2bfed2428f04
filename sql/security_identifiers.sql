-- Names a table owner chooses never become SQL: identifiers with control characters, quotes,
-- dots and what looks like data_bridge's own SQL stay identifiers in every statement built
-- around them (having-style filters, shared aggregate joins, inferred links), so no function of
-- theirs runs when another role loads their tables.
CREATE ROLE si_owner NOLOGIN;
CREATE ROLE si_victim NOLOGIN;
GRANT CREATE, USAGE ON SCHEMA public TO si_owner, si_victim;
CREATE TABLE si_ran (who name);
GRANT INSERT, SELECT ON si_ran TO PUBLIC;
SET ROLE si_owner;
CREATE FUNCTION si_evil() RETURNS boolean LANGUAGE plpgsql AS
    $$ BEGIN INSERT INTO public.si_ran VALUES (current_user); RETURN false; END $$;
CREATE TABLE si_w2 (id int PRIMARY KEY);
CREATE TABLE si_wc (id int PRIMARY KEY, " IS NOT NULL OR public.si_evil() OR " int REFERENCES si_w2);
DO $$ BEGIN EXECUTE format('CREATE TABLE si_wk (id int PRIMARY KEY, %I int REFERENCES si_w2, %I int, %I int)',
    E'X\x01value term 0\x01Y', 'X(SELECT pg_catalog.count(*) FROM public.si_wc AS t2 WHERE t2.',
    left(' OPERATOR(pg_catalog.=) t0.id) OPERATOR(pg_catalog.>) CAST($1 AS bigint)Y', 63)); END $$;
-- A column whose name holds what an alias rename would look for.
CREATE TABLE si_agg (id int PRIMARY KEY, w2_id int REFERENCES si_w2, "v t3.x" int, "v t2.x" int);
INSERT INTO si_w2 VALUES (1), (2);
INSERT INTO si_wc VALUES (1, 1);
INSERT INTO si_wk (id) VALUES (1);
INSERT INTO si_agg VALUES (1, 1, 10, 99);
GRANT SELECT ON si_w2, si_wc, si_wk, si_agg TO PUBLIC;
RESET ROLE;

SET ROLE si_victim;
SELECT fetch_with_relations('{"table": "si_w2", "order_by": "id", "relations": [{"name": "kids", "table": "si_wk", "join_type": "inner"},
    {"name": "n", "table": "si_wc", "count": true}], "filter": {"n": {"gt": 0}}}');
SELECT fetch_with_relations('{"table": "si_w2", "order_by": "id", "select_columns": ["id"],
    "filter": {"exists": {"relation": {"table": "si_wk"}}, "n": {"gte": 0}},
    "relations": [{"name": "n", "table": "si_wc", "count": true}]}');
-- Two aggregates of the same rows share one join; each keeps its own column.
SELECT fetch_with_relations('{"table": "si_w2", "order_by": "id", "select_columns": ["id"], "relations": [
    {"name": "a", "table": "si_agg", "aggregate": {"sum": "v t3.x"}},
    {"name": "b", "table": "si_agg", "aggregate": {"max": "v t2.x"}}]}');
RESET ROLE;
SELECT count(*) AS functions_run_for_others FROM si_ran;

-- Columns named like the names data_bridge gives its own columns ("#n", n, rec, doc, k1):
-- upserts, connects and full joins still read the table's own.
CREATE TABLE si_named (id int PRIMARY KEY, "#n" int, n int, rec text, doc text, k1 int);
CREATE TABLE si_named_kids (id int PRIMARY KEY, named_id int REFERENCES si_named, "#n" text);
SELECT insert_with_relations('si_named', '[{"id": 1, "#n": 10, "n": 11, "rec": "r", "doc": "d", "k1": 12},
    {"id": 1, "#n": 20}]', on_conflict => '"do_nothing"');
SELECT insert_with_relations('si_named_kids', '{"id": 5, "#n": "kid", "si_named": {"connect": {"id": 1}}}')
    -> 'si_named' AS connected;
SELECT fetch_with_relations('{"table": "si_named", "relations": [{"name": "kids", "table": "si_named_kids",
    "join_type": "full", "select_columns": ["#n"]}]}');
DROP TABLE si_named_kids, si_named;

DROP TABLE si_agg, si_wk, si_wc, si_w2, si_ran;
DROP FUNCTION si_evil();
REVOKE ALL ON SCHEMA public FROM si_owner, si_victim;
DROP ROLE si_owner, si_victim;
