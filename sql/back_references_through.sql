-- Back references through a junction table: the rows of source that a junction row holding a
-- value points at (each once), ordered, paged and counted; composite keys, a junction between a
-- table and itself, untyped values, privileges and RLS as a plain SELECT; errors. Seeded random
-- junctions against hand-written EXISTS queries.
CREATE TABLE bt_playlist (id int PRIMARY KEY, name text);
CREATE TABLE bt_track (id int PRIMARY KEY, title text);
CREATE TABLE bt_playlist_track (entry serial PRIMARY KEY, playlist_id int REFERENCES bt_playlist,
    track_id int REFERENCES bt_track);
INSERT INTO bt_playlist VALUES (1, 'Road'), (2, 'Gym'), (3, 'Sleep');
INSERT INTO bt_track VALUES (10, 'A'), (11, 'B'), (12, 'C');
INSERT INTO bt_playlist_track (playlist_id, track_id) VALUES (1, 10), (1, 10), (2, 10), (3, 11), (1, 11);
-- The playlists holding track 10: each once, though playlist 1 holds it twice.
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'track_id', 10);
SELECT backref_count_through('bt_playlist', 'bt_playlist_track', 'track_id', 10) AS playlists;
-- Ordered and paged; the other way round; an untyped value; no match.
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'track_id', 10, '[["name", "desc"]]', 1, 1);
SELECT backref_fetch_all_through('bt_track', 'bt_playlist_track', 'playlist_id', 1);
SELECT backref_fetch_all_through('bt_track', 'bt_playlist_track', 'playlist_id', '3');
SELECT backref_fetch_all_through('bt_track', 'bt_playlist_track', 'playlist_id', 99),
       backref_count_through('bt_track', 'bt_playlist_track', 'playlist_id', NULL::int) AS null_matches_nothing;

-- A junction between a table and itself links through the key that does not hold the value.
CREATE TABLE bt_person (id int PRIMARY KEY, name text);
CREATE TABLE bt_follows (follower int REFERENCES bt_person, followed int REFERENCES bt_person,
    PRIMARY KEY (follower, followed));
INSERT INTO bt_person VALUES (1, 'ann'), (2, 'bo'), (3, 'cy');
INSERT INTO bt_follows VALUES (1, 2), (1, 3), (3, 2);
SELECT backref_fetch_all_through('bt_person', 'bt_follows', 'followed', 2, '"name"') AS followers_of_bo;
SELECT backref_fetch_all_through('bt_person', 'bt_follows', 'follower', 1, '"name"') AS followed_by_ann;

-- Composite keys, a table in another schema with a name that needs quoting.
CREATE SCHEMA "bt Other";
CREATE TABLE "bt Other"."Doc" (tenant int, id int, title text, PRIMARY KEY (tenant, id));
CREATE TABLE bt_doc_tag (tenant int, doc int, tag text, FOREIGN KEY (tenant, doc) REFERENCES "bt Other"."Doc");
INSERT INTO "bt Other"."Doc" VALUES (1, 1, 'one'), (2, 1, 'two'), (1, 2, 'three');
INSERT INTO bt_doc_tag VALUES (1, 1, 'x'), (2, 1, 'x'), (1, 2, 'y');
SELECT backref_fetch_all_through('"bt Other"."Doc"', 'bt_doc_tag', 'tag', 'x'::text);
SELECT backref_count_through('"bt Other"."Doc"', 'bt_doc_tag', 'tag', 'y'::text) AS tagged_y;

-- Junction and source columns of different types join as the foreign key compares them.
CREATE DOMAIN bt_code AS text;
CREATE TABLE bt_src (k text PRIMARY KEY);
CREATE TABLE bt_jn (sk bt_code REFERENCES bt_src (k), tag int);
INSERT INTO bt_src VALUES ('abc'), ('ABC');
INSERT INTO bt_jn VALUES ('ABC', 7);
SELECT backref_fetch_all_through('bt_src', 'bt_jn', 'tag', 7);
DROP TABLE bt_jn, bt_src;
DROP DOMAIN bt_code;

-- Errors: no key to source besides the value's column, two keys, unknown column, not a table.
SELECT backref_fetch_all_through('bt_track', 'bt_playlist_track', 'track_id', 10);
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE bt_pair (a int REFERENCES bt_person, b int REFERENCES bt_person, c int REFERENCES bt_person);
SELECT backref_fetch_all_through('bt_person', 'bt_pair', 'a', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'nope', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'track_id', 1, NULL, -1);
\echo :LAST_ERROR_SQLSTATE
SELECT backref_fetch_all_through(NULL, 'bt_playlist_track', 'track_id', 1);
\echo :LAST_ERROR_SQLSTATE

-- Privileges and RLS: what a plain SELECT by the same role sees.
CREATE ROLE bt_reader;
GRANT SELECT ON bt_playlist TO bt_reader;
SET ROLE bt_reader;
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'track_id', 10);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON bt_playlist_track TO bt_reader;
ALTER TABLE bt_playlist ENABLE ROW LEVEL SECURITY;
CREATE POLICY bt_not_gym ON bt_playlist USING (name <> 'Gym');
SET ROLE bt_reader;
SELECT backref_fetch_all_through('bt_playlist', 'bt_playlist_track', 'track_id', 10) AS visible,
       backref_count_through('bt_playlist', 'bt_playlist_track', 'track_id', 10) AS visible_count;
RESET ROLE;
ALTER TABLE bt_playlist DISABLE ROW LEVEL SECURITY;

-- Seeded random junctions (duplicate pairs included) against hand-written EXISTS queries.
SELECT setseed(0.31);
CREATE TABLE bt_left (id int PRIMARY KEY, v int);
CREATE TABLE bt_right (id int PRIMARY KEY);
CREATE TABLE bt_link (l int REFERENCES bt_left, r int REFERENCES bt_right);
INSERT INTO bt_left SELECT g, floor(random() * 10)::int FROM generate_series(1, 200) g;
INSERT INTO bt_right SELECT g FROM generate_series(1, 50) g;
INSERT INTO bt_link SELECT 1 + floor(random() * 200)::int, 1 + floor(random() * 50)::int FROM generate_series(1, 1500);
DO $$
DECLARE
    value int;
    lim int;
    skip int;
    bad int := 0;
BEGIN
    FOR i IN 1 .. 60 LOOP
        value := 1 + floor(random() * 55)::int;
        lim := CASE WHEN random() < 0.3 THEN NULL ELSE floor(random() * 8)::int END;
        skip := floor(random() * 4)::int;
        IF backref_fetch_all_through('bt_left', 'bt_link', 'r', value, '[["v", "desc"]]', lim, skip)
           IS DISTINCT FROM (SELECT COALESCE(jsonb_agg(to_jsonb(x) ORDER BY x.v DESC, x.id), '[]') FROM (
                SELECT * FROM bt_left l WHERE EXISTS (SELECT 1 FROM bt_link k WHERE k.l = l.id AND k.r = value)
                ORDER BY l.v DESC, l.id LIMIT lim OFFSET skip) x)
           OR backref_count_through('bt_left', 'bt_link', 'r', value)
              <> (SELECT count(*) FROM bt_left l WHERE EXISTS (SELECT 1 FROM bt_link k WHERE k.l = l.id AND k.r = value)) THEN
            bad := bad + 1;
        END IF;
    END LOOP;
    RAISE NOTICE 'random junction mismatches: %', bad;
END $$;

DROP TABLE bt_link, bt_left, bt_right, bt_pair, bt_doc_tag, "bt Other"."Doc", bt_follows, bt_person,
    bt_playlist_track, bt_track, bt_playlist;
DROP SCHEMA "bt Other";
DROP ROLE bt_reader;
