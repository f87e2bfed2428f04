-- Lazy loading and JSON inserts, each side by side with the SQL a user would write instead.
\set QUIET on
\i bench/common.sql
CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, email text, created_at timestamptz DEFAULT now());
INSERT INTO users SELECT g, 'user ' || g, 'user' || g || '@example.com' FROM generate_series(1, 100000) g;
CREATE TABLE events (id bigserial PRIMARY KEY, user_id int REFERENCES users, kind text NOT NULL,
                     payload jsonb, happened timestamptz DEFAULT now());
CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users, title text);
INSERT INTO posts SELECT g, 1 + (g * 7) % 100000, 'post ' || g FROM generate_series(1, 100000) g;
VACUUM ANALYZE users;
VACUUM ANALYZE posts;

-- 1. A lazy fetch by key: fetch_referenced against the prepared SELECT to_jsonb(...) it replaces.
PREPARE lazy(int) AS SELECT fetch_referenced('users', 'id', $1);
PREPARE native_lazy(int) AS SELECT to_jsonb(u) FROM users u WHERE u.id = $1;
PREPARE related(int) AS SELECT fetch_related('posts', $1, 'user_id');
PREPARE native_related(int) AS SELECT to_jsonb(u) FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = $1;

CREATE TEMP TABLE results ("case" text, "data_bridge ms" numeric, "alternative" text,
                           "alternative ms" numeric, "ratio (data_bridge / alternative)" numeric);

DO $$
DECLARE
    rounds int := 5;
    db double precision := 0;
    alt double precision := 0;
BEGIN
    FOR r IN 1 .. rounds LOOP  -- interleaved, so machine noise hits both sides alike
        db := db + pg_temp.time_per_call('EXECUTE lazy(' || (r * 977) || ')', 4000);
        alt := alt + pg_temp.time_per_call('EXECUTE native_lazy(' || (r * 977) || ')', 4000);
    END LOOP;
    INSERT INTO results VALUES ('fetch_referenced(users, id, k), per call', round((db / rounds)::numeric, 4),
                                'prepared SELECT to_jsonb(u) ... WHERE id = $1', round((alt / rounds)::numeric, 4),
                                round((db / alt)::numeric, 2));
    db := 0;
    alt := 0;
    FOR r IN 1 .. rounds LOOP
        db := db + pg_temp.time_per_call('EXECUTE related(' || (r * 977) || ')', 4000);
        alt := alt + pg_temp.time_per_call('EXECUTE native_related(' || (r * 977) || ')', 4000);
    END LOOP;
    INSERT INTO results VALUES ('fetch_related(posts, k, user_id), per call', round((db / rounds)::numeric, 4),
                                'prepared SELECT to_jsonb(u) FROM posts JOIN users ...', round((alt / rounds)::numeric, 4),
                                round((db / alt)::numeric, 2));
END $$;

-- 2. 10,000 rows from JSON: insert_many against one multi-row INSERT ... VALUES ... RETURNING *.
SELECT jsonb_agg(jsonb_build_object('user_id', 1 + g % 1000, 'kind', 'click', 'payload', jsonb_build_object('n', g)))::text AS json_rows,
       'INSERT INTO events (user_id, kind, payload) VALUES ' ||
       string_agg(format('(%s, %L, %L)', 1 + g % 1000, 'click', jsonb_build_object('n', g)), ', ') ||
       ' RETURNING *' AS values_insert
FROM generate_series(1, 10000) g \gset

CREATE FUNCTION pg_temp.time_insert(statement text, json_rows text) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE started timestamptz := clock_timestamp();
BEGIN
    IF json_rows IS NULL THEN EXECUTE statement; ELSE EXECUTE statement USING json_rows; END IF;
    RETURN extract(epoch FROM clock_timestamp() - started) * 1000.0;
END $$;

SELECT set_config('bench.json_rows', :'json_rows', false), set_config('bench.values_insert', :'values_insert', false) \gset
DO $$
DECLARE
    rounds int := 5;
    db double precision := 0;
    alt double precision := 0;
BEGIN
    PERFORM pg_temp.time_insert('SELECT insert_many(''events'', $1::jsonb)', current_setting('bench.json_rows'));
    FOR r IN 1 .. rounds LOOP
        db := db + pg_temp.time_insert('SELECT insert_many(''events'', $1::jsonb)', current_setting('bench.json_rows'));
        alt := alt + pg_temp.time_insert(current_setting('bench.values_insert'), NULL);
    END LOOP;
    INSERT INTO results VALUES ('insert_many, 10,000 rows from JSON text', round((db / rounds)::numeric, 1),
                                'one INSERT ... VALUES (10,000 rows) RETURNING *', round((alt / rounds)::numeric, 1),
                                round((db / alt)::numeric, 2));
END $$;

\set QUIET off
SELECT * FROM results;
