-- The filter language: and/or/not groups to any depth and every operator, on the top level and
-- on relations; then seeded random filters compared with independently written SQL.
CREATE TABLE ef_albums (id int PRIMARY KEY, title text NOT NULL);
CREATE TABLE ef_tracks (
    id int PRIMARY KEY,
    album_id int REFERENCES ef_albums,
    name text NOT NULL,
    composer text,
    milliseconds int,
    tags text[],
    lyrics tsvector,
    meta json
);
INSERT INTO ef_albums VALUES (1, 'Led Zeppelin IV'), (2, 'Kind of Blue');
INSERT INTO ef_tracks VALUES
    (1, 1, 'Black Dog', 'Jimmy Page, Robert Plant', 296000, '{rock,live}', to_tsvector('english', 'hey mama said the way you move'), '{}'),
    (2, 1, 'Rock and Roll', NULL, 220000, '{rock}', to_tsvector('english', 'it has been a long time since I rock and rolled'), NULL),
    (3, 1, 'Stairway to Heaven', 'Page', 482000, '{rock,epic}', to_tsvector('english', 'there is a lady who is sure'), NULL),
    (4, 2, 'So What', 'Miles Davis', 562000, '{jazz}', NULL, NULL),
    (5, 2, 'Blue in Green', NULL, 337000, NULL, NULL, NULL),
    (6, 2, 'All Blues', 'miles davis', 693000, '{}', NULL, NULL);
CREATE TABLE ef_plays (track_id int REFERENCES ef_tracks, n int);
INSERT INTO ef_plays VALUES (1, 10), (1, 3), (3, 7), (4, 1), (6, 12);

-- The ids a filter keeps.
CREATE FUNCTION ef_ids(filter jsonb) RETURNS int[] LANGUAGE sql AS $$
    SELECT array_agg((t ->> 'id')::int ORDER BY (t ->> 'id')::int)
    FROM jsonb_array_elements(fetch_many_with_relations('ef_tracks', '[]', filter)) t
$$;

-- Tracks whose composer IS NULL or matches '%Page%'.
SELECT ef_ids('{"or": [{"composer": null}, {"composer": {"like": "%Page%"}}]}');
SELECT ef_ids('{"composer": {"not_like": "%Page%"}}');           -- NULL composers match neither
SELECT ef_ids('{"composer": {"ilike": "MILES%"}}');
SELECT ef_ids('{"composer": {"not_ilike": "miles%"}}');
SELECT ef_ids('{"id": {"not_in": [1, 2, 3]}}');
SELECT ef_ids('{"composer": {"is_null": false}, "milliseconds": {"gte": 400000}}');
SELECT ef_ids('{"not": {"or": [{"album_id": 1}, {"milliseconds": {"lt": 600000}}]}}');
SELECT ef_ids('{"and": [{"album_id": 1}, {"or": [{"id": 1}, {"not": {"name": {"like": "R%"}}}]}]}');
SELECT ef_ids('{"or": []}') AS empty_or, ef_ids('{"and": []}') AS empty_and;
-- Arrays: containment and overlap, values as JSON arrays or in the type's own syntax.
SELECT ef_ids('{"tags": {"contains": ["rock"]}}');
SELECT ef_ids('{"tags": {"contains": "{rock,epic}"}}');
SELECT ef_ids('{"tags": {"contained_by": ["rock", "live", "jazz"]}}');
SELECT ef_ids('{"tags": {"overlaps": ["jazz", "epic"]}}');
-- jsonb: an object or array is the JSON itself (jsonb's @> and <@), a string its JSON text; a
-- domain over jsonb too, whose CHECK applies to the stored values, not to an operand (as in
-- plain SQL, where a literal compared with a domain's value is of the base type).
CREATE DOMAIN ef_doc AS jsonb CHECK (VALUE IS NULL OR VALUE ? 'by' OR jsonb_typeof(VALUE) = 'array');
ALTER TABLE ef_tracks ADD COLUMN doc ef_doc;
UPDATE ef_tracks SET doc = CASE id WHEN 1 THEN '{"by": "Page", "tags": ["rock", "live"]}'::jsonb
                                   WHEN 3 THEN '{"by": "Page", "tags": ["rock"], "len": 482}'::jsonb
                                   WHEN 4 THEN '["jazz", 1959, {"modal": true}]'::jsonb END;
SELECT ef_ids('{"doc": {"contains": {"by": "Page"}}}') AS by_page,
       ef_ids('{"doc": {"contains": {"tags": ["live"]}}}') AS nested,
       ef_ids('{"doc": {"contains": ["jazz", 1959]}}') AS scalar_array,
       ef_ids('{"doc": {"contains": [{"modal": true}]}}') AS array_of_objects,
       ef_ids(jsonb_build_object('doc', jsonb_build_object('contains', '{"len": 482}'::text))) AS as_text,
       ef_ids('{"doc": {"contained_by": {"by": "Page", "tags": ["rock", "live", "epic"], "len": 482}}}') AS contained_by,
       ef_ids('{"doc": {"neq": "{}"}}') AS not_empty;
-- The same ids as jsonb's own operators give.
SELECT array_agg(id ORDER BY id) FILTER (WHERE doc @> '{"tags": ["live"]}') AS nested,
       array_agg(id ORDER BY id) FILTER (WHERE doc @> '["jazz", 1959]') AS scalar_array,
       array_agg(id ORDER BY id) FILTER (WHERE doc <@ '{"by": "Page", "tags": ["rock", "live", "epic"], "len": 482}') AS contained_by,
       array_agg(id ORDER BY id) FILTER (WHERE doc <> '{}') AS not_empty
FROM ef_tracks;
ALTER TABLE ef_tracks DROP COLUMN doc;
DROP DOMAIN ef_doc;
-- Full text: a tsvector column is searched as it is; other columns through to_tsvector().
SELECT ef_ids('{"lyrics": {"match": "rock"}}');
SELECT ef_ids('{"lyrics": {"match": {"query": "ladies", "config": "english"}}}');
SELECT ef_ids('{"name": {"match": {"query": "blues", "config": "english"}}}');
SELECT ef_ids('{"name": {"match": {"query": "blues", "config": "simple"}}}');
-- On a relation: the album's tracks that are long or have no composer.
SELECT jsonb_pretty(fetch_one_with_relations('ef_albums', 2, '[{"name": "tracks", "table": "ef_tracks",
    "filter": {"or": [{"milliseconds": {"gt": 600000}}, {"composer": {"is_null": true}}]},
    "select_columns": ["name"]}]'));
-- Parents by their children's filter (inner join), with a group in it.
SELECT jsonb_agg(a -> 'title') FROM jsonb_array_elements(fetch_many_with_relations('ef_albums',
    '[{"name": "t", "table": "ef_tracks", "join_type": "inner", "filter": {"not": {"tags": {"overlaps": ["rock"]}}}}]')) a;

-- Filters on related rows, without loading them: exists / not_exists, to any depth, both ways.
SELECT ef_ids('{"exists": {"relation": {"table": "ef_plays"}, "filter": {"n": {"gte": 7}}}}');
SELECT ef_ids('{"not_exists": {"relation": {"table": "ef_plays"}}}');
SELECT ef_ids('{"exists": {"relation": {"table": "ef_albums"}, "filter": {"title": {"like": "%Blue%"}}}}');
-- Albums with a track by a composer like '%Page%' that was played more than 5 times (depth 2).
SELECT jsonb_agg(a -> 'title') FROM jsonb_array_elements(fetch_many_with_relations('ef_albums', '[]',
    '{"exists": {"relation": {"table": "ef_tracks"}, "filter": {"composer": {"like": "%Page%"},
      "exists": {"relation": {"table": "ef_plays"}, "filter": {"n": {"gt": 5}}}}}}')) a;
-- Inside groups, and on a relation's own rows.
SELECT ef_ids('{"or": [{"id": 2}, {"not": {"exists": {"relation": {"table": "ef_plays", "foreign_key": "track_id"}}}}]}');
SELECT jsonb_pretty(fetch_one_with_relations('ef_albums', 1, '[{"name": "played", "table": "ef_tracks",
    "filter": {"exists": {"relation": {"table": "ef_plays"}}}, "select_columns": ["name"]}]'));
SELECT ef_ids('{"exists": {"relation": {"table": "ef_plays"}, "limit": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"exists": {"relation": {"table": "ef_plays", "relations": []}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"exists": {"relation": {"table": "pg_class"}}}');
\echo :LAST_ERROR_SQLSTATE

-- exists reads the related table as the caller: its privileges and policies apply, so it
-- reveals nothing a plain SELECT would not.
CREATE ROLE ef_reader NOLOGIN;
GRANT SELECT ON ef_tracks TO ef_reader;
SET ROLE ef_reader;
SELECT ef_ids('{"exists": {"relation": {"table": "ef_plays"}}}');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON ef_plays TO ef_reader;
ALTER TABLE ef_plays ENABLE ROW LEVEL SECURITY;
CREATE POLICY ef_plays_few ON ef_plays USING (n > 9);
SET ROLE ef_reader;
SELECT ef_ids('{"exists": {"relation": {"table": "ef_plays"}}}') AS visible_plays_only;
RESET ROLE;
ALTER TABLE ef_plays DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON ef_tracks, ef_plays FROM ef_reader;
DROP ROLE ef_reader;

-- in/not_in on an array column compare whole arrays, as IN does.
SELECT ef_ids('{"tags": {"in": ["{rock}", "{jazz}"]}}') AS in_arrays,
       ef_ids('{"tags": {"not_in": ["{rock}", "{}"]}}') AS not_in_arrays;
SELECT array_agg(id ORDER BY id) FILTER (WHERE tags IN ('{rock}', '{jazz}')) AS in_arrays,
       array_agg(id ORDER BY id) FILTER (WHERE tags NOT IN ('{rock}', '{}')) AS not_in_arrays
FROM ef_tracks;
-- Values compared with a domain's are of its base type, as a literal in plain SQL is: no typmod
-- rounds or cuts them, and no CHECK refuses them (one added NOT VALID, which a stored row
-- fails); in filters, in after values, and in text keys.
CREATE DOMAIN ef_pair AS int[] CHECK (cardinality(VALUE) >= 2);
CREATE DOMAIN ef_price AS numeric(5, 2);
CREATE DOMAIN ef_code AS varchar(3);
CREATE DOMAIN ef_level AS int;
CREATE TABLE ef_domains (id ef_price PRIMARY KEY, pair ef_pair, code ef_code NOT NULL, level ef_level NOT NULL);
INSERT INTO ef_domains VALUES (1.23, '{1,2}', 'abc', -5), (1.24, '{3,4}', 'abd', 1), (1.22, '{5,6}', 'abb', 2);
ALTER DOMAIN ef_level ADD CONSTRAINT ef_level_positive CHECK (VALUE > 0) NOT VALID;
SELECT fetch_many_with_relations('ef_domains', '[]', '{"pair": {"in": ["{1,2}", "{9}"]}}', '"id"') -> 0 -> 'id' AS pair_in,
       fetch_many_with_relations('ef_domains', '[]', '{"id": {"in": [1.234]}}') AS rounded_in,
       fetch_many_with_relations('ef_domains', '[]', '{"level": {"in": [-5]}}') -> 0 -> 'id' AS failing_check_in;
SELECT jsonb_agg(r -> 'id') AS after_price
FROM jsonb_array_elements(fetch_with_relations('{"table": "ef_domains", "order_by": [["id", "ASC"]], "after": {"id": "1.225"}}')) r;
SELECT jsonb_agg(r -> 'id') AS after_code
FROM jsonb_array_elements(fetch_with_relations('{"table": "ef_domains", "order_by": [["code", "ASC"]], "after": {"code": "abbb", "id": 0}}')) r;
SELECT jsonb_agg(r -> 'id') AS after_failing_check
FROM jsonb_array_elements(fetch_with_relations('{"table": "ef_domains", "order_by": [["level", "ASC"]], "after": {"level": -5, "id": 1.23}}')) r;
SELECT fetch_one_with_relations('ef_domains', '1.234'::text) AS rounded_key,
       fetch_one_with_relations('ef_domains', '1.23'::text) -> 'code' AS exact_key;
-- The same in plain SQL.
SELECT array_agg(id ORDER BY id) FILTER (WHERE pair IN ('{1,2}', '{9}')) AS pair_in,
       array_agg(id ORDER BY id) FILTER (WHERE id IN (1.234)) AS rounded_in,
       array_agg(id ORDER BY id) FILTER (WHERE id > '1.225') AS after_price,
       array_agg(id ORDER BY code, id) FILTER (WHERE (code, id) > ('abbb', 0)) AS after_code,
       array_agg(id ORDER BY level, id) FILTER (WHERE (level, id) > (-5, 1.23)) AS after_failing_check,
       array_agg(id) FILTER (WHERE id = '1.234') AS rounded_key
FROM ef_domains;
DROP TABLE ef_domains;
DROP DOMAIN ef_pair, ef_price, ef_code, ef_level;
-- Wrong filters name their place.
\set VERBOSITY default
SELECT ef_ids('{"meta": {"lt": "{}"}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"id": {"contains": [1]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"or": {"id": 1}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"or": [{"nope": 1}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"name": {"match": {"query": "x", "config": "klingon"}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"tags": {"contains": [null]}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"tags": {"contains": {"rock": true}}}');
\echo :LAST_ERROR_SQLSTATE
SELECT ef_ids('{"meta": {"contains": {"a": 1}}}');
\echo :LAST_ERROR_SQLSTATE
-- like, is_null and match need no operator of the column's type (json has no equality).
SELECT ef_ids('{"meta": {"is_null": false}}') AS with_meta, ef_ids('{"meta": {"like": "{%"}}') AS meta_like;

-- Seeded random filter trees, each compared with a WHERE clause written independently; on
-- text, integers, numeric, timestamptz, an enum (ordered by its labels), arrays, tsvector and
-- NULLs, with exists to depth 3.
CREATE TYPE ef_mood AS ENUM ('calm', 'happy', 'wild');
ALTER TABLE ef_tracks ADD COLUMN released timestamptz, ADD COLUMN mood ef_mood, ADD COLUMN price numeric(5, 2),
    ADD COLUMN doc jsonb;
UPDATE ef_tracks SET released = CASE id % 3 WHEN 0 THEN NULL ELSE TIMESTAMPTZ '2026-03-01 10:00:00+00' + id * INTERVAL '17 hours' END,
    mood = (ARRAY['calm', 'happy', 'wild', NULL])[1 + id % 4]::ef_mood,
    price = CASE WHEN id = 5 THEN NULL ELSE 0.99 * id END;
UPDATE ef_tracks SET doc = CASE WHEN id = 5 THEN NULL
                                ELSE jsonb_build_object('mood', mood, 'tags', to_jsonb(tags), 'n', id % 3) END;
SELECT setseed(0.31);
CREATE FUNCTION ef_pick(VARIADIC choices text[]) RETURNS text LANGUAGE sql AS
    $$ SELECT choices[1 + floor(random() * array_length(choices, 1))::int] $$;
CREATE TYPE ef_case AS (spec jsonb, sql text);
CREATE FUNCTION ef_random_term() RETURNS ef_case LANGUAGE plpgsql AS $$
DECLARE
    n int := floor(random() * 700000)::int;
    word text := ef_pick('Page', 'miles', 'Blue', 'o', 'Rock', 'x');
    tag text := ef_pick('rock', 'jazz', 'epic', 'live');
BEGIN
    CASE floor(random() * 27)::int
        WHEN 0 THEN RETURN (jsonb_build_object('milliseconds', n), format('milliseconds = %s', n));
        WHEN 1 THEN RETURN (jsonb_build_object('milliseconds', jsonb_build_object('lt', n)), format('milliseconds < %s', n));
        WHEN 2 THEN RETURN (jsonb_build_object('milliseconds', jsonb_build_object('gte', n)), format('milliseconds >= %s', n));
        WHEN 3 THEN RETURN (jsonb_build_object('album_id', jsonb_build_object('neq', 1)), 'album_id <> 1'::text);
        WHEN 4 THEN RETURN ('{"id": {"in": [1, 3, 5]}}'::jsonb, 'id IN (1, 3, 5)'::text);
        WHEN 5 THEN RETURN ('{"id": {"not_in": [2, 3]}}'::jsonb, 'id NOT IN (2, 3)'::text);
        WHEN 6 THEN RETURN (jsonb_build_object('composer', jsonb_build_object('like', '%' || word || '%')), format('composer LIKE %L', '%' || word || '%'));
        WHEN 7 THEN RETURN (jsonb_build_object('composer', jsonb_build_object('not_like', '%' || word || '%')), format('composer NOT LIKE %L', '%' || word || '%'));
        WHEN 8 THEN RETURN (jsonb_build_object('name', jsonb_build_object('ilike', '%' || word || '%')), format('name ILIKE %L', '%' || word || '%'));
        WHEN 9 THEN RETURN (jsonb_build_object('name', jsonb_build_object('not_ilike', '%' || word || '%')), format('name NOT ILIKE %L', '%' || word || '%'));
        WHEN 10 THEN RETURN ('{"composer": null}'::jsonb, 'composer IS NULL'::text);
        WHEN 11 THEN RETURN ('{"tags": {"is_null": false}}'::jsonb, 'tags IS NOT NULL'::text);
        WHEN 12 THEN RETURN (jsonb_build_object('tags', jsonb_build_object('contains', jsonb_build_array(tag))), format('tags @> ARRAY[%L]', tag));
        WHEN 13 THEN RETURN (jsonb_build_object('tags', jsonb_build_object('overlaps', jsonb_build_array(tag, 'live'))), format('tags && ARRAY[%L, ''live'']', tag));
        WHEN 14 THEN RETURN (jsonb_build_object('tags', jsonb_build_object('contained_by', jsonb_build_array(tag, 'rock'))), format('tags <@ ARRAY[%L, ''rock'']', tag));
        WHEN 15 THEN RETURN (jsonb_build_object('exists', jsonb_build_object('relation', '{"table": "ef_plays"}'::jsonb,
                                 'filter', jsonb_build_object('n', jsonb_build_object('gt', n % 12)))),
                             format('EXISTS (SELECT 1 FROM ef_plays p WHERE p.track_id = ef_tracks.id AND p.n > %s)', n % 12));
        WHEN 16 THEN RETURN (jsonb_build_object('not_exists', jsonb_build_object('relation', '{"table": "ef_plays"}'::jsonb,
                                 'filter', jsonb_build_object('n', jsonb_build_object('lt', n % 12)))),
                             format('NOT EXISTS (SELECT 1 FROM ef_plays p WHERE p.track_id = ef_tracks.id AND p.n < %s)', n % 12));
        WHEN 17 THEN RETURN (jsonb_build_object('exists', jsonb_build_object('relation', '{"table": "ef_albums"}'::jsonb,
                                 'filter', jsonb_build_object('title', jsonb_build_object('ilike', '%' || word || '%')))),
                             format('EXISTS (SELECT 1 FROM ef_albums a WHERE a.id = ef_tracks.album_id AND a.title ILIKE %L)', '%' || word || '%'));
        WHEN 19 THEN
            word := ef_pick('lt', 'gte');
            RETURN (jsonb_build_object('released', jsonb_build_object(word, '2026-03-03 05:00:00+02')),
                    format('released %s ''2026-03-03 05:00:00+02''::timestamptz', CASE word WHEN 'lt' THEN '<' ELSE '>=' END));
        WHEN 20 THEN RETURN (jsonb_build_object('mood', jsonb_build_object('gt', 'calm')), 'mood > ''calm''::ef_mood'::text);
        WHEN 21 THEN RETURN (jsonb_build_object('mood', jsonb_build_object('in', '["wild", "calm"]'::jsonb)), 'mood IN (''wild'', ''calm'')'::text);
        WHEN 22 THEN RETURN (jsonb_build_object('price', jsonb_build_object('gte', (n % 6) || '.5')), format('price >= %s.5', n % 6));
        WHEN 23 THEN
            tag := ef_pick('rock', 'lady', 'way', 'time');
            RETURN (jsonb_build_object('lyrics', jsonb_build_object('match', jsonb_build_object('query', tag, 'config', 'english'))),
                    format('lyrics @@ plainto_tsquery(''english'', %L)', tag));
        WHEN 24 THEN RETURN (jsonb_build_object('exists', jsonb_build_object('relation', '{"table": "ef_albums"}'::jsonb,
                                 'filter', jsonb_build_object('exists', jsonb_build_object('relation', '{"table": "ef_tracks"}'::jsonb,
                                     'filter', jsonb_build_object('exists', jsonb_build_object('relation', '{"table": "ef_plays"}'::jsonb,
                                         'filter', jsonb_build_object('n', jsonb_build_object('gt', n % 12)))))))),
                             format('EXISTS (SELECT 1 FROM ef_albums a WHERE a.id = ef_tracks.album_id AND EXISTS (SELECT 1 FROM ef_tracks t2 '
                                    'WHERE t2.album_id = a.id AND EXISTS (SELECT 1 FROM ef_plays p WHERE p.track_id = t2.id AND p.n > %s)))', n % 12));
        WHEN 25 THEN RETURN (jsonb_build_object('doc', jsonb_build_object('contains',
                                 CASE n % 2 WHEN 0 THEN jsonb_build_object('n', n % 3)
                                            ELSE jsonb_build_object('tags', jsonb_build_array(tag)) END)),
                             format('doc @> %L', CASE n % 2 WHEN 0 THEN jsonb_build_object('n', n % 3)
                                                          ELSE jsonb_build_object('tags', jsonb_build_array(tag)) END));
        WHEN 26 THEN
            word := ef_pick('calm', 'happy', 'wild');
            RETURN (jsonb_build_object('doc', jsonb_build_object('contained_by',
                        jsonb_build_object('mood', word, 'tags', jsonb_build_array(tag, 'rock', 'live'), 'n', n % 3))),
                    format('doc <@ %L', jsonb_build_object('mood', word, 'tags', jsonb_build_array(tag, 'rock', 'live'), 'n', n % 3)));
        ELSE RETURN (jsonb_build_object('name', jsonb_build_object('match', jsonb_build_object('query', lower(word), 'config', 'simple'))),
                     format('to_tsvector(''simple'', name) @@ plainto_tsquery(''simple'', %L)', lower(word)));
    END CASE;
END $$;
CREATE FUNCTION ef_random_filter(depth int) RETURNS ef_case LANGUAGE plpgsql AS $$
DECLARE
    kind int := CASE WHEN depth >= 3 THEN 0 ELSE floor(random() * 4)::int END;
    parts ef_case[] := '{}';
    part ef_case;
BEGIN
    IF kind = 0 THEN
        RETURN ef_random_term();
    ELSIF kind = 3 THEN
        part := ef_random_filter(depth + 1);
        RETURN (jsonb_build_object('not', part.spec), format('NOT (%s)', part.sql));
    END IF;
    FOR i IN 1 .. 1 + floor(random() * 3)::int LOOP
        parts := parts || ef_random_filter(depth + 1);
    END LOOP;
    RETURN (jsonb_build_object(CASE kind WHEN 1 THEN 'or' ELSE 'and' END,
                               (SELECT jsonb_agg(p.spec) FROM unnest(parts) p)),
            '(' || (SELECT string_agg(p.sql, CASE kind WHEN 1 THEN ' OR ' ELSE ' AND ' END) FROM unnest(parts) p) || ')');
END $$;
CREATE TABLE ef_mismatches (spec jsonb, sql text, got int[], expected int[]);
DO $$
DECLARE
    c ef_case;
    expected int[];
BEGIN
    FOR i IN 1 .. 300 LOOP
        c := ef_random_filter(0);
        EXECUTE format('SELECT array_agg(id ORDER BY id) FROM ef_tracks WHERE %s', c.sql) INTO expected;
        IF ef_ids(c.spec) IS DISTINCT FROM expected THEN
            INSERT INTO ef_mismatches VALUES (c.spec, c.sql, ef_ids(c.spec), expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM ef_mismatches;
SELECT * FROM ef_mismatches LIMIT 3;

DROP TABLE ef_mismatches, ef_plays, ef_tracks, ef_albums;
DROP FUNCTION ef_random_filter(int), ef_random_term(), ef_pick(text[]), ef_ids(jsonb);
DROP TYPE ef_case, ef_mood;
