-- Many-to-many relations through a junction table ("through"): the far rows of each parent,
-- junction columns rendered with them, keys inferred or named (composite, self-referencing, a
-- view as the junction), counts, aggregates, exists filters, every entry point; the errors; the
-- caller's privileges and policies on the junction; call shapes keyed by what the junction's
-- name resolves to; then seeded random cases against hand-written SQL.
CREATE TABLE et_playlist (id int PRIMARY KEY, name text);
CREATE TABLE et_track (id int PRIMARY KEY, title text, ms int);
-- No unique pair: a track may be on a playlist twice (a duplicate pair comes twice).
CREATE TABLE et_playlist_track (entry_id serial PRIMARY KEY,
                                playlist_id int NOT NULL REFERENCES et_playlist,
                                track_id int NOT NULL REFERENCES et_track, position int);
INSERT INTO et_playlist VALUES (1, 'Road'), (2, 'Rain'), (3, 'Empty');
INSERT INTO et_track VALUES (1, 'Intro', 90), (2, 'Song', 200), (3, 'Outro', 120);
INSERT INTO et_playlist_track (playlist_id, track_id, position)
VALUES (1, 2, 1), (1, 1, 2), (2, 3, 1), (2, 1, 2), (2, 3, 3);

SELECT jsonb_pretty(fetch_with_relations('{"table": "et_playlist", "relations": [
    {"name": "tracks", "table": "et_track", "through": "et_playlist_track",
     "through_columns": ["position"], "order_by": ["et_playlist_track.position"]}]}'));
-- Counts, aggregates and a page per parent; the far rows' own filter and select_columns.
SELECT fetch_many_with_relations('et_playlist', '[
    {"name": "n", "table": "et_track", "through": "et_playlist_track", "count": true},
    {"name": "length", "table": "et_track", "through": "et_playlist_track", "aggregate": {"sum": "ms"}},
    {"name": "longest", "table": "et_track", "through": "et_playlist_track", "select_columns": ["title"],
     "order_by": [["ms", "desc"]], "limit": 1},
    {"name": "short", "table": "et_track", "through": "et_playlist_track", "filter": {"ms": {"lt": 150}},
     "select_columns": ["id"]}]', order_by => '"id"');
-- The other way round, nested, inner join, and one row.
SELECT fetch_with_relations('{"table": "et_track", "order_by": ["id"], "relations": [
    {"name": "playlists", "table": "et_playlist", "through": "et_playlist_track", "join_type": "inner",
     "select_columns": ["name"], "relations": [
        {"name": "size", "table": "et_track", "through": "et_playlist_track", "count": true}]}]}');
SELECT fetch_one_with_relations('et_playlist', 2, '[{"name": "tracks", "table": "et_track",
    "through": {"table": "et_playlist_track", "as": "entry"}, "through_columns": ["position", "entry_id"],
    "order_by": [["entry.position", "desc"]]}]');
-- Filters on far rows through the junction, and ordering by a count through it.
SELECT fetch_with_relations('{"table": "et_playlist", "select_columns": ["name"],
    "filter": {"exists": {"relation": {"table": "et_track", "through": "et_playlist_track"},
                          "filter": {"title": "Outro"}}}}');
SELECT fetch_with_relations('{"table": "et_playlist", "select_columns": ["name"],
    "filter": {"not_exists": {"relation": {"table": "et_track", "through": "et_playlist_track"}}}}');
SELECT fetch_with_relations('{"table": "et_playlist", "select_columns": ["name"],
    "order_by": [["n", "desc"]],
    "relations": [{"name": "n", "table": "et_track", "through": "et_playlist_track", "count": true}]}');

-- Composite keys, and a junction linking a table to itself: one key named, the other inferred.
CREATE TABLE et_doc (tenant int, id int, title text, PRIMARY KEY (tenant, id));
CREATE TABLE et_doc_link (tenant int, from_id int, to_id int, role text,
    FOREIGN KEY (tenant, from_id) REFERENCES et_doc, FOREIGN KEY (tenant, to_id) REFERENCES et_doc);
INSERT INTO et_doc VALUES (1, 1, 'a'), (1, 2, 'b'), (1, 3, 'c'), (2, 1, 'other tenant');
INSERT INTO et_doc_link VALUES (1, 1, 2, 'cites'), (1, 1, 3, 'extends'), (1, 2, 3, 'cites');
SELECT fetch_with_relations('{"table": "et_doc", "order_by": ["tenant", "id"], "relations": [
    {"name": "links", "table": "et_doc", "through": {"table": "et_doc_link", "source_key": ["from_id", "tenant"]},
     "through_columns": ["role"], "select_columns": ["title"]},
    {"name": "linked_from", "table": "et_doc", "through": {"table": "et_doc_link", "target_key": "et_doc_link_tenant_from_id_fkey"},
     "select_columns": ["title"]}]}');
-- A view as the junction: no foreign keys, so its columns are named and join the primary keys.
CREATE VIEW et_playlist_track_v AS SELECT playlist_id AS p, track_id AS t FROM et_playlist_track;
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "tracks", "table": "et_track",
    "through": {"table": "et_playlist_track_v", "source_key": "p", "target_key": "t"}, "select_columns": ["title"]}]');
-- Text keys.
CREATE TABLE et_post (id uuid PRIMARY KEY, title text);
CREATE TABLE et_tag (name text PRIMARY KEY);
CREATE TABLE et_post_tag (post uuid REFERENCES et_post, tag text REFERENCES et_tag, PRIMARY KEY (post, tag));
INSERT INTO et_post VALUES ('00000000-0000-0000-0000-000000000001', 'hello');
INSERT INTO et_tag VALUES ('db'), ('c++'), ('unused');
INSERT INTO et_post_tag VALUES ('00000000-0000-0000-0000-000000000001', 'db'), ('00000000-0000-0000-0000-000000000001', 'c++');
SELECT fetch_with_relations('{"table": "et_post", "relations": [{"name": "tags", "table": "et_tag", "through": "et_post_tag",
    "order_by": ["name"]}]}');
SELECT fetch_with_relations('{"table": "et_tag", "order_by": ["name"], "relations": [{"name": "posts", "table": "et_post",
    "through": "et_post_tag", "count": true}]}');

-- Errors name their place.
SELECT fetch_one_with_relations('et_doc', '{"tenant": 1, "id": 1}'::jsonb, '[{"name": "x", "table": "et_doc", "through": "et_doc_link"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_doc", "through": "et_playlist_track"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": {"table": "et_playlist_track", "source_key": "nope"}}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": "et_playlist_track", "through_columns": ["nope"]}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": {"table": "et_playlist_track", "as": "title"}, "through_columns": ["position"]}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": "et_playlist_track", "foreign_key": "track_id"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "et_playlist", "relations": [{"name": "x", "table": "et_track", "through": "et_playlist_track", "join_type": "right"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": "no_such_junction"}]');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "x", "table": "et_track", "through": "et_playlist_track", "order_by": ["et_playlist_track.nope"]}]');
\echo :LAST_ERROR_SQLSTATE

-- The junction is read as the caller: SELECT on it is needed, and its row-level security
-- policies hide the far rows they hide from a plain join.
CREATE ROLE et_reader NOLOGIN;
GRANT SELECT ON et_playlist, et_track TO et_reader;
SET ROLE et_reader;
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "tracks", "table": "et_track", "through": "et_playlist_track"}]');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON et_playlist_track TO et_reader;
ALTER TABLE et_playlist_track ENABLE ROW LEVEL SECURITY;
CREATE POLICY et_first_only ON et_playlist_track FOR SELECT USING (position = 1);
SET ROLE et_reader;
SELECT fetch_with_relations('{"table": "et_playlist", "order_by": ["id"], "relations": [
    {"name": "tracks", "table": "et_track", "through": "et_playlist_track", "select_columns": ["title"]},
    {"name": "n", "table": "et_track", "through": "et_playlist_track", "count": true}]}');
RESET ROLE;
ALTER TABLE et_playlist_track DISABLE ROW LEVEL SECURITY;
DROP POLICY et_first_only ON et_playlist_track;
REVOKE ALL ON et_playlist, et_track, et_playlist_track FROM et_reader;
DROP ROLE et_reader;

-- A remembered call shape is keyed by what the junction's name (and an exists filter's table)
-- resolves to: the same text under another search_path reads the other schema's table.
CREATE SCHEMA et_a;
CREATE SCHEMA et_b;
CREATE TABLE et_a.et_j (playlist_id int REFERENCES et_playlist, track_id int REFERENCES et_track);
CREATE TABLE et_b.et_j (playlist_id int REFERENCES et_playlist, track_id int REFERENCES et_track);
INSERT INTO et_a.et_j VALUES (1, 1);
INSERT INTO et_b.et_j VALUES (1, 3), (2, 2);
SET search_path = et_a, public;
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "t", "table": "et_track", "through": "et_j", "select_columns": ["id"]}]');
SELECT fetch_with_relations('{"table": "et_playlist", "select_columns": ["id"], "filter": {"exists": {"relation": {"table": "et_j"}}}}');
SET search_path = et_b, public;
SELECT fetch_one_with_relations('et_playlist', 1, '[{"name": "t", "table": "et_track", "through": "et_j", "select_columns": ["id"]}]');
SELECT fetch_with_relations('{"table": "et_playlist", "select_columns": ["id"], "filter": {"exists": {"relation": {"table": "et_j"}}}}');
RESET search_path;
DROP SCHEMA et_a, et_b CASCADE;

-- Seeded random playlists, tracks and junction rows (duplicates and NULL positions included);
-- random filters, orders, pages, counts and nesting against hand-written joins.
SELECT setseed(0.31);
INSERT INTO et_playlist SELECT g, 'p' || g FROM generate_series(4, 40) g;
INSERT INTO et_track SELECT g, 't' || g, floor(random() * 300)::int FROM generate_series(4, 120) g;
INSERT INTO et_playlist_track (playlist_id, track_id, position)
SELECT 1 + floor(random() * 40)::int, 1 + floor(random() * 120)::int,
       CASE WHEN random() < 0.1 THEN NULL ELSE floor(random() * 10)::int END
FROM generate_series(1, 600);
CREATE TABLE et_mismatches (spec jsonb, got jsonb, expected jsonb);
DO $$
DECLARE
    threshold int;
    parent_min int;
    direction text;
    lim int;
    off int;
    spec jsonb;
    got jsonb;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 80 LOOP
        threshold := floor(random() * 300)::int;
        parent_min := floor(random() * 40)::int;
        direction := (ARRAY['asc', 'desc'])[1 + floor(random() * 2)::int];
        lim := 1 + floor(random() * 8)::int;
        off := floor(random() * 3)::int;
        spec := jsonb_build_object('table', 'et_playlist', 'order_by', jsonb_build_array('id'),
            'filter', jsonb_build_object('id', jsonb_build_object('gte', parent_min)),
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'tracks', 'table', 'et_track', 'through', 'et_playlist_track',
                    'through_columns', jsonb_build_array('position'),
                    'filter', jsonb_build_object('ms', jsonb_build_object('gte', threshold)),
                    'order_by', jsonb_build_array(jsonb_build_array('et_playlist_track.position', direction)),
                    'limit', lim, 'offset', off,
                    'relations', jsonb_build_array(jsonb_build_object('name', 'on', 'table', 'et_playlist',
                        'through', 'et_playlist_track', 'count', true))),
                jsonb_build_object('name', 'n', 'table', 'et_track', 'through', 'et_playlist_track', 'count', true,
                    'filter', jsonb_build_object('ms', jsonb_build_object('gte', threshold))),
                jsonb_build_object('name', 'longest', 'table', 'et_track', 'through', 'et_playlist_track',
                    'aggregate', jsonb_build_object('max', 'ms'))));
        got := fetch_with_relations(spec);
        EXECUTE format($q$
            SELECT COALESCE(jsonb_agg(to_jsonb(p) || jsonb_build_object(
                'tracks', (SELECT COALESCE(jsonb_agg(x.doc ORDER BY x.r), '[]')
                           FROM (SELECT to_jsonb(t) || jsonb_build_object(
                                        'et_playlist_track', jsonb_build_object('position', j.position),
                                        'on', (SELECT count(*) FROM et_playlist_track j2
                                               JOIN et_playlist p2 ON p2.id = j2.playlist_id
                                               WHERE j2.track_id = t.id)) AS doc,
                                        row_number() OVER (ORDER BY j.position %1$s, t.id, j.entry_id) AS r
                                 FROM et_playlist_track j JOIN et_track t ON t.id = j.track_id
                                 WHERE j.playlist_id = p.id AND t.ms >= %2$s
                                 ORDER BY j.position %1$s, t.id, j.entry_id LIMIT %3$s OFFSET %4$s) x),
                'n', (SELECT count(*) FROM et_playlist_track j JOIN et_track t ON t.id = j.track_id
                      WHERE j.playlist_id = p.id AND t.ms >= %2$s),
                'longest', (SELECT max(t.ms) FROM et_playlist_track j JOIN et_track t ON t.id = j.track_id
                            WHERE j.playlist_id = p.id))
                ORDER BY p.id), '[]')
            FROM et_playlist p WHERE p.id >= %5$s$q$,
            direction, threshold, lim, off, parent_min) INTO expected;
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO et_mismatches VALUES (spec, got, expected);
        END IF;
        -- exists through the junction, against a hand-written semi-join.
        got := (SELECT jsonb_agg(e -> 'id' ORDER BY (e ->> 'id')::int) FROM jsonb_array_elements(
            fetch_with_relations(jsonb_build_object('table', 'et_playlist', 'select_columns', jsonb_build_array('id'),
                'filter', jsonb_build_object('exists', jsonb_build_object(
                    'relation', jsonb_build_object('table', 'et_track', 'through', 'et_playlist_track'),
                    'filter', jsonb_build_object('ms', jsonb_build_object('lt', threshold / 10))))))) e);
        expected := (SELECT jsonb_agg(to_jsonb(p.id) ORDER BY p.id) FROM et_playlist p WHERE EXISTS (
            SELECT 1 FROM et_playlist_track j JOIN et_track t ON t.id = j.track_id
            WHERE j.playlist_id = p.id AND t.ms < threshold / 10));
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO et_mismatches VALUES (jsonb_build_object('exists', threshold / 10), got, expected);
        END IF;
    END LOOP;
END $$;
-- Seeded random composite-key junctions: (tenant, id) on both sides, duplicate pairs, junction
-- keys named column by column in another order, junction columns, per-parent pages.
CREATE TABLE et_ca (tenant int, id int, PRIMARY KEY (tenant, id));
CREATE TABLE et_cb (tenant int, code text, v int, PRIMARY KEY (tenant, code));
CREATE TABLE et_cab (entry serial PRIMARY KEY, tenant int, a_id int, b_code text, weight int,
    FOREIGN KEY (tenant, a_id) REFERENCES et_ca, FOREIGN KEY (tenant, b_code) REFERENCES et_cb);
INSERT INTO et_ca SELECT t, g FROM generate_series(1, 3) t, generate_series(1, 15) g;
INSERT INTO et_cb SELECT t, 'c' || g, floor(random() * 100)::int FROM generate_series(1, 3) t, generate_series(1, 25) g;
INSERT INTO et_cab (tenant, a_id, b_code, weight)
SELECT t, 1 + floor(random() * 15)::int, 'c' || (1 + floor(random() * 25)::int), floor(random() * 5)::int
FROM generate_series(1, 500) s, LATERAL (SELECT 1 + floor(random() * 3)::int AS t) x;
DO $$
DECLARE
    threshold int;
    lim int;
    got jsonb;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 40 LOOP
        threshold := floor(random() * 100)::int;
        lim := 1 + floor(random() * 6)::int;
        got := fetch_with_relations(jsonb_build_object('table', 'et_ca', 'order_by', jsonb_build_array('tenant', 'id'),
            'relations', jsonb_build_array(jsonb_build_object('name', 'bs', 'table', 'et_cb',
                'through', jsonb_build_object('table', 'et_cab', 'source_key', jsonb_build_array('a_id', 'tenant'),
                                              'target_key', jsonb_build_array('b_code', 'tenant')),
                'through_columns', jsonb_build_array('weight'), 'select_columns', jsonb_build_array('code', 'v'),
                'filter', jsonb_build_object('v', jsonb_build_object('gte', threshold)),
                'order_by', jsonb_build_array(jsonb_build_array('et_cab.weight', 'desc'), 'code'), 'limit', lim))));
        expected := (SELECT jsonb_agg(to_jsonb(a) || jsonb_build_object('bs', (
                        SELECT COALESCE(jsonb_agg(x.doc ORDER BY x.weight DESC, x.code, x.entry), '[]') FROM (
                            SELECT jsonb_build_object('code', b.code, 'v', b.v, 'et_cab', jsonb_build_object('weight', j.weight)) AS doc,
                                   j.weight, b.code, j.entry
                            FROM et_cab j JOIN et_cb b ON b.tenant = j.tenant AND b.code = j.b_code
                            WHERE j.tenant = a.tenant AND j.a_id = a.id AND b.v >= threshold
                            ORDER BY j.weight DESC, b.code, j.entry LIMIT lim) x)) ORDER BY a.tenant, a.id)
                     FROM et_ca a);
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO et_mismatches VALUES (jsonb_build_object('composite', threshold, 'limit', lim), got, expected);
        END IF;
    END LOOP;
END $$;
DROP TABLE et_cab, et_ca, et_cb;
SELECT count(*) AS mismatches FROM et_mismatches;
SELECT * FROM et_mismatches LIMIT 3;
DROP TABLE et_mismatches, et_playlist_track, et_playlist, et_track, et_doc_link, et_doc,
    et_post_tag, et_post, et_tag CASCADE;
