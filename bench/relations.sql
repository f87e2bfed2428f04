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

DO $$
BEGIN
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
)
SELECT benchmark, round(data_bridge::numeric, 3) AS data_bridge_ms, round(by_hand::numeric, 3) AS by_hand_ms,
       round((data_bridge / by_hand)::numeric, 2) AS ratio
FROM timings;
