-- Relations beyond one foreign key, each side by side with the statement a careful user writes
-- by hand, in one run. Ratios: data_bridge / hand.
\set QUIET on
\i bench/common.sql
CREATE TABLE playlist (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE track (id int PRIMARY KEY, title text NOT NULL, ms int NOT NULL, composer text);
CREATE TABLE playlist_track (playlist_id int REFERENCES playlist, track_id int REFERENCES track,
                             PRIMARY KEY (playlist_id, track_id));
CREATE INDEX ON playlist_track (track_id);
INSERT INTO playlist SELECT g, 'playlist ' || g FROM generate_series(1, 1000) g;
INSERT INTO track SELECT g, 'track ' || g, 1000 * (g % 400), 'composer ' || (g % 90) FROM generate_series(1, 5000) g;
-- 20 distinct tracks on every playlist.
INSERT INTO playlist_track SELECT p, 1 + (p * 37 + k * 251) % 5000 FROM generate_series(1, 1000) p, generate_series(1, 20) k;
-- A 10-ary tree of 111,111 nodes (six levels).
CREATE TABLE node (id int PRIMARY KEY, parent_id int REFERENCES node, label text NOT NULL);
INSERT INTO node SELECT g, CASE WHEN g = 1 THEN NULL ELSE (g + 8) / 10 END, 'node ' || g FROM generate_series(1, 111111) g;
CREATE INDEX ON node (parent_id);
-- The usual hand-written way to nest a tree as jsonb: a recursive SQL function, one level a call.
CREATE FUNCTION subtree(p int, depth int) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(to_jsonb(n) || CASE WHEN depth > 1 THEN jsonb_build_object('children', subtree(n.id, depth - 1))
                                                  ELSE '{}' END ORDER BY n.id), '[]')
    FROM node n WHERE n.parent_id = p
$$;
ANALYZE;
\set QUIET off

-- 1. 1,000 playlists, each with its 20 tracks through the junction.
PREPARE through_data_bridge AS SELECT fetch_with_relations('{"table": "playlist", "order_by": "id",
    "relations": [{"name": "tracks", "table": "track", "through": "playlist_track"}]}');
PREPARE through_by_hand AS SELECT coalesce(jsonb_agg(to_jsonb(p) || jsonb_build_object('tracks', t.tracks)
        ORDER BY p.id), '[]')
    FROM playlist p CROSS JOIN LATERAL (
        SELECT coalesce(jsonb_agg(to_jsonb(tr) ORDER BY tr.id), '[]') AS tracks
        FROM playlist_track j JOIN track tr ON tr.id = j.track_id WHERE j.playlist_id = p.id) t;

-- 2. The root of the tree with its descendants four levels down (11,111 nodes).
PREPARE tree_data_bridge AS SELECT fetch_one_with_relations('node', 1, '[{"name": "children", "table": "node",
    "foreign_key": "parent_id", "direction": "one_to_many", "recursive": {"max_depth": 4}}]');
PREPARE tree_by_hand AS SELECT to_jsonb(n) || jsonb_build_object('children', subtree(n.id, 4)) FROM node n WHERE n.id = 1;

DO $$
BEGIN
    IF (SELECT fetch_one_with_relations('node', 1, '[{"name": "children", "table": "node",
        "foreign_key": "parent_id", "direction": "one_to_many", "recursive": {"max_depth": 4}}]'))
       IS DISTINCT FROM (SELECT to_jsonb(n) || jsonb_build_object('children', subtree(n.id, 4)) FROM node n WHERE n.id = 1) THEN
        RAISE EXCEPTION 'tree: answers differ';
    END IF;
    IF (SELECT fetch_with_relations('{"table": "playlist", "order_by": "id",
        "relations": [{"name": "tracks", "table": "track", "through": "playlist_track"}]}'))
       IS DISTINCT FROM (SELECT coalesce(jsonb_agg(to_jsonb(p) || jsonb_build_object('tracks', t.tracks)
        ORDER BY p.id), '[]')
    FROM playlist p CROSS JOIN LATERAL (
        SELECT coalesce(jsonb_agg(to_jsonb(tr) ORDER BY tr.id), '[]') AS tracks
        FROM playlist_track j JOIN track tr ON tr.id = j.track_id WHERE j.playlist_id = p.id) t) THEN
        RAISE EXCEPTION 'through: answers differ';
    END IF;
END $$;

WITH timings AS (
    SELECT '1,000 parents x 20 rows through a junction' AS benchmark,
           pg_temp.time_per_call('EXECUTE through_data_bridge', 20) AS data_bridge,
           pg_temp.time_per_call('EXECUTE through_by_hand', 20) AS by_hand
    UNION ALL
    SELECT 'a tree root with 4 levels below (11,111 of 111,111 nodes)',
           pg_temp.time_per_call('EXECUTE tree_data_bridge', 20),
           pg_temp.time_per_call('EXECUTE tree_by_hand', 20)
)
SELECT benchmark, round(data_bridge::numeric, 3) AS data_bridge_ms, round(by_hand::numeric, 3) AS by_hand_ms,
       round((data_bridge / by_hand)::numeric, 2) AS ratio
FROM timings;
