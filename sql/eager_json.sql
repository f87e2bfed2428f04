-- The json forms (fetch_with_relations_json, fetch_many_with_relations_json,
-- fetch_one_with_relations_json) print, character for character, what the jsonb forms print:
-- the batched loads write the text straight from the rows, the one-statement loads (right and
-- full joins) print their jsonb. Every shape of load: nested relations, counts, aggregates,
-- recursion with cycles, chains, absent rows, pages, keys of other types; then seeded random
-- documents in json and jsonb columns.
\set SHOW_CONTEXT never
\set VERBOSITY terse
CREATE TABLE ej_users (id int PRIMARY KEY, name text NOT NULL, boss int REFERENCES ej_users);
CREATE TABLE ej_posts (id bigint PRIMARY KEY, author_id int REFERENCES ej_users, title text,
                       score numeric, meta jsonb, raw json);
CREATE TABLE ej_tags (post_id bigint REFERENCES ej_posts, label text, PRIMARY KEY (post_id, label));
INSERT INTO ej_users VALUES (1, 'Ada "the first"', NULL), (2, E'Ben\n', 1), (3, 'Cy', 2), (4, 'Dee', NULL);
UPDATE ej_users SET boss = 3 WHERE id = 1;  -- a cycle: 1 -> 3 -> 2 -> 1
INSERT INTO ej_posts VALUES (10, 1, 'first', 1.50, '{"b": [1, {"z": null}], "a": "x"}', '{"b": 1,  "a" : [ ]}'),
    (11, 1, NULL, 'NaN', '"scalar"', '"s"'), (12, 2, 'é ✓ \ /', -0.0, '[]', '[1,2]'), (13, NULL, 'orphan', NULL, NULL, NULL);
INSERT INTO ej_tags VALUES (10, 'a'), (10, 'b'), (12, 'c');

CREATE FUNCTION pg_temp.same_text(j json, jb jsonb) RETURNS boolean LANGUAGE sql
    AS $$ SELECT j::text IS NOT DISTINCT FROM jb::text $$;

-- The result is json, and equal as text.
SELECT pg_typeof(fetch_with_relations_json('{"table": "ej_users"}')) AS result_type;
SELECT fetch_many_with_relations_json('ej_users', '[{"name": "posts", "table": "ej_posts"}]', order_by => '"id"', "limit" => 2);
SELECT row_number() OVER () AS case_no, pg_temp.same_text(fetch_with_relations_json(spec), fetch_with_relations(spec)) AS same
FROM (VALUES
    ('{"table": "ej_users"}'::jsonb),
    ('{"table": "ej_users", "id": 99}'),
    ('{"table": "ej_users", "relations": [{"name": "posts", "table": "ej_posts", "count": true,
        "relations": [{"name": "tags", "table": "ej_tags"}]}, {"name": "manager", "table": "ej_users", "foreign_key": "boss"}]}'),
    ('{"table": "ej_posts", "relations": [{"name": "author", "table": "ej_users", "select_columns": ["name"]},
        {"name": "tags", "table": "ej_tags", "order_by": [["label", "DESC"]], "limit": 1}]}'),
    ('{"table": "ej_users", "relations": [{"name": "posts", "table": "ej_posts", "aggregate": {"sum": "score"}},
        {"name": "n", "table": "ej_posts", "aggregate": {"count": "*"}},
        {"name": "newest", "table": "ej_posts", "aggregate": {"max": "title"}}]}'),
    ('{"table": "ej_users", "relations": [{"name": "reports", "table": "ej_users", "foreign_key": "boss",
        "direction": "one_to_many", "recursive": {"max_depth": 5}}]}'),
    ('{"table": "ej_users", "relations": [{"name": "bosses", "table": "ej_users", "foreign_key": "boss",
        "direction": "many_to_one", "recursive": {"as": "array", "max_depth": 6}}]}'),
    ('{"table": "ej_users", "relations": [{"name": "chain", "table": "ej_users", "foreign_key": "boss",
        "direction": "many_to_one", "recursive": {"max_depth": 6, "cycle_mark": "again"}}]}'),
    ('{"table": "ej_users", "relations": [{"name": "posts", "table": "ej_posts", "join_type": "full",
        "select_columns": ["title", "meta", "raw"]}]}'),
    ('{"table": "ej_users", "relations": [{"name": "posts", "table": "ej_posts", "join_type": "right"}]}'),
    ('{"table": "ej_posts", "order_by": [["id", "DESC"]], "limit": 2, "offset": 1}')) AS cases(spec);
-- min/max of an array column is a container: rendered in both forms (the jsonb
-- form raised XX000 "unknown type of jsonb container to convert"), in loads and streams.
CREATE TABLE ej_marks (id int PRIMARY KEY, user_id int REFERENCES ej_users, ia int[], ta text[]);
INSERT INTO ej_marks VALUES (1, 1, '{1,2}', '{x}'), (2, 1, '{3}', '{"y z",w}'), (3, 2, '{}', NULL);
SELECT fetch_with_relations('{"table": "ej_users", "select_columns": ["id"], "relations": [
    {"name": "top", "table": "ej_marks", "aggregate": {"max": "ia"}},
    {"name": "low", "table": "ej_marks", "aggregate": {"min": "ta"}}]}') AS containers;
SELECT pg_temp.same_text(fetch_with_relations_json(spec), fetch_with_relations(spec)) AS same,
       fetch_with_relations(spec) = (SELECT jsonb_agg(jsonb_build_object('id', u.id,
           'top', (SELECT to_jsonb(max(m.ia)) FROM ej_marks m WHERE m.user_id = u.id),
           'low', (SELECT to_jsonb(min(m.ta)) FROM ej_marks m WHERE m.user_id = u.id)) ORDER BY u.id) FROM ej_users u) AS as_hand_written,
       (SELECT count(*) FROM fetch_rows_with_relations(spec)) AS streamed
FROM (SELECT '{"table": "ej_users", "select_columns": ["id"], "relations": [
    {"name": "top", "table": "ej_marks", "aggregate": {"max": "ia"}},
    {"name": "low", "table": "ej_marks", "aggregate": {"min": "ta"}}]}'::jsonb AS spec) s;
DROP TABLE ej_marks;
-- One row, by a key of its type, as text, or a composite key's object; none is NULL.
SELECT pg_temp.same_text(fetch_one_with_relations_json('ej_posts', 10::bigint, '[{"name": "tags", "table": "ej_tags"}]'),
                         fetch_one_with_relations('ej_posts', 10::bigint, '[{"name": "tags", "table": "ej_tags"}]')) AS by_key,
       pg_temp.same_text(fetch_one_with_relations_json('ej_posts', '12'), fetch_one_with_relations('ej_posts', '12')) AS by_text,
       pg_temp.same_text(fetch_one_with_relations_json('ej_tags', '{"post_id": 10, "label": "b"}'),
                         fetch_one_with_relations('ej_tags', '{"post_id": 10, "label": "b"}')) AS by_object,
       fetch_one_with_relations_json('ej_posts', 99::bigint) IS NULL AS none;
SELECT fetch_one_with_relations_json('ej_posts', 10::bigint, '[{"name": "author", "table": "ej_users"}]');
-- The same remembered shape serves both forms, in either order.
SELECT pg_temp.same_text(fetch_many_with_relations_json('ej_posts', "limit" => n), fetch_many_with_relations('ej_posts', "limit" => n))
FROM generate_series(0, 4) n;
-- Errors are the jsonb forms' errors.
SELECT fetch_with_relations_json('{"table": "ej_users", "relations": [{"name": "x", "table": "ej_nowhere"}]}');
SELECT fetch_many_with_relations_json('ej_users', "limit" => -1);

-- Seeded random documents (escapes, unicode, numbers of every form, nesting, duplicate keys in
-- json) in jsonb and json columns and as text, top level and related.
SELECT setseed(0.25);
CREATE TABLE ej_docs (id int PRIMARY KEY, user_id int REFERENCES ej_users, doc jsonb, raw json, t text, f float8, n numeric);
CREATE FUNCTION pg_temp.random_doc(depth int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    kind int := (random() * (CASE WHEN depth > 0 THEN 7 ELSE 4 END))::int;
    parts text[] := '{}';
BEGIN
    IF kind = 0 THEN RETURN (ARRAY['null', 'true', 'false'])[1 + (random() * 2)::int]; END IF;
    IF kind = 1 THEN RETURN (ARRAY['0', '-1.50', '1e3', '123456789012345678901234567890', '0.000001', '-0'])[1 + (random() * 5)::int]; END IF;
    IF kind IN (2, 3) THEN
        RETURN to_json((ARRAY['', 'a"b', E'line\nbreak', 'tab	x', 'back\slash', 'é✓', E'\u0001ctl', '</script>', 'x'])[1 + (random() * 8)::int])::text;
    END IF;
    FOR i IN 1 .. (random() * 3)::int LOOP
        IF kind = 4 THEN
            parts := parts || pg_temp.random_doc(depth - 1);
        ELSE
            parts := parts || (to_json((ARRAY['k', 'key', 'a', 'long key', 'é', ''])[1 + (random() * 5)::int])::text
                               || ' :' || pg_temp.random_doc(depth - 1));
        END IF;
    END LOOP;
    IF kind = 4 THEN RETURN '[' || array_to_string(parts, ',') || ']'; END IF;
    RETURN '{' || array_to_string(parts, ',  ') || '}';
END $$;
INSERT INTO ej_docs
SELECT g, 1 + g % 4, d::jsonb, d::json, d, (random() - 0.5) * 10 ^ (random() * 40 - 20), round((random() * 1000)::numeric, (random() * 6)::int)
FROM generate_series(1, 200) g, LATERAL (SELECT pg_temp.random_doc(3) || substr(g::text, 1, 0) AS d) doc;
SELECT count(*) AS documents,
       count(*) FILTER (WHERE pg_temp.same_text(fetch_with_relations_json(jsonb_build_object('table', 'ej_docs', 'id', id)),
                                                fetch_with_relations(jsonb_build_object('table', 'ej_docs', 'id', id)))) AS same
FROM ej_docs;
SET extra_float_digits = 0;
SELECT pg_temp.same_text(fetch_many_with_relations_json('ej_users', '[{"name": "docs", "table": "ej_docs"}]'),
                         fetch_many_with_relations('ej_users', '[{"name": "docs", "table": "ej_docs"}]')) AS related_docs_same;
RESET extra_float_digits;
DROP TABLE ej_docs, ej_tags, ej_posts, ej_users;
