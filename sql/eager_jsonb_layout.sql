-- The jsonb results are written in their on-disk form as they render (no JsonbValue tree):
-- each compared here with the canonical form PostgreSQL builds from its text (equal, the same
-- size, every node reachable), for arrays and objects past the 32-entry stride of stored
-- offsets, numbers (aligned), embedded jsonb containers and scalars, NULLs, booleans, empty
-- arrays, long strings, chains as arrays (a key left out) and cycle marks (a key added).
CREATE SCHEMA jl;
CREATE TABLE jl.wide AS
SELECT g AS id, g::numeric / 7 AS n, (g % 3 = 0) AS b, CASE WHEN g % 5 = 0 THEN NULL ELSE 'txt' || g END AS t,
       jsonb_build_object('a', g, 'arr', jsonb_build_array(1, 'x', NULL, 2.5)) AS doc, to_jsonb(g::text) AS sdoc,
       1.5::float8 * g AS f, date '2026-01-01' + g AS d, repeat('λ', g * 10) AS long_text,
       g AS c01, g AS c02, g AS c03, g AS c04, g AS c05, g AS c06, g AS c07, g AS c08, g AS c09,
       g AS c10, g AS c11, g AS c12, g AS c13, g AS c14, g AS c15, g AS c16, g AS c17, g AS c18
FROM generate_series(1, 300) g;
ALTER TABLE jl.wide ADD PRIMARY KEY (id);
CREATE TABLE jl.kids (id int PRIMARY KEY, wide_id int REFERENCES jl.wide, body text, amount numeric);
INSERT INTO jl.kids SELECT g, 1 + g % 40, repeat('k', g % 40), g * 1.25 FROM generate_series(1, 2000) g;
CREATE TABLE jl.staff (id int PRIMARY KEY, name text, reports_to int REFERENCES jl.staff);
INSERT INTO jl.staff SELECT g, 'person ' || g, CASE WHEN g = 1 THEN NULL ELSE g / 2 END FROM generate_series(1, 200) g;
UPDATE jl.staff SET reports_to = 7 WHERE id = 1;  -- a cycle: 1 -> 7 -> 3 -> 1

CREATE FUNCTION pg_temp.canonical(v jsonb) RETURNS TABLE (equal boolean, same_size boolean, nodes int)
LANGUAGE sql AS $$
    SELECT v = v::text::jsonb, pg_column_size(v) = pg_column_size(v::text::jsonb),
           jsonb_array_length(jsonb_path_query_array(v, 'strict $.**'))
$$;

SELECT * FROM pg_temp.canonical(fetch_many_with_relations('jl.wide',
    '[{"name": "kids", "table": "jl.kids"}, {"name": "none", "table": "jl.kids", "filter": {"id": -1}}]',
    NULL, '"id"', 300));
SELECT * FROM pg_temp.canonical(fetch_one_with_relations('jl.wide', 1, '[{"name": "kids", "table": "jl.kids"}]'));
SELECT * FROM pg_temp.canonical(fetch_one_with_relations('jl.staff', 1, '[{"name": "reports", "table": "jl.staff",
    "foreign_key": "reports_to", "direction": "one_to_many", "recursive": {"max_depth": null}}]'));
SELECT * FROM pg_temp.canonical(fetch_one_with_relations('jl.staff', 150, '[{"name": "managers", "table": "jl.staff",
    "foreign_key": "reports_to", "recursive": {"as": "array"}, "select_columns": ["name"]}]'));
SELECT fetch_one_with_relations('jl.staff', 3, '[{"name": "managers", "table": "jl.staff",
    "foreign_key": "reports_to", "recursive": {"as": "array"}, "select_columns": ["name"]}]');
-- A scalar jsonb value embedded, and the text of the whole equal to the json form's.
SELECT fetch_one_with_relations('jl.wide', 2, '[]') -> 'sdoc' AS scalar_doc,
       fetch_one_with_relations('jl.wide', 2, '[]') -> 'doc' AS container_doc,
       fetch_many_with_relations('jl.wide', '[{"name": "kids", "table": "jl.kids"}]', NULL, '"id"', 300)::text
       = fetch_many_with_relations_json('jl.wide', '[{"name": "kids", "table": "jl.kids"}]', NULL, '"id"', 300)::text
       AS same_as_json_form;

DROP SCHEMA jl CASCADE;
