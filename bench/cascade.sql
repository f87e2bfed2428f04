-- Cascade deletes, side by side with a plain DELETE under PostgreSQL's own ON DELETE CASCADE.
-- Each timed statement runs in a subtransaction that is rolled back, so every round deletes the
-- same rows; rounds alternate between the two sides, each first in every other round, so machine
-- noise and order hit both alike.
\set QUIET on
CREATE TABLE users (id int PRIMARY KEY, name text);
CREATE TABLE posts (id int PRIMARY KEY, author_id int NOT NULL REFERENCES users ON DELETE CASCADE, title text);
CREATE TABLE comments (id int PRIMARY KEY, post_id int NOT NULL REFERENCES posts ON DELETE CASCADE,
                       author_id int REFERENCES users ON DELETE SET NULL, body text);
CREATE INDEX ON posts (author_id);
CREATE INDEX ON comments (post_id);
CREATE INDEX ON comments (author_id);
INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 100) g;
-- User 1: 2,000 posts with 10 comments each (22,001 rows), commented on by other users; and
-- 2,000 comments of user 1 on other users' posts (SET NULL).
INSERT INTO posts SELECT g, 1, 'post ' || g FROM generate_series(1, 2000) g;
INSERT INTO posts SELECT 2000 + g, 2 + g % 99, 'post' FROM generate_series(1, 2000) g;
INSERT INTO comments SELECT g, 1 + (g - 1) / 10, 2 + g % 99, 'c' FROM generate_series(1, 20000) g;
INSERT INTO comments SELECT 20000 + g, 2000 + g, 1, 'c' FROM generate_series(1, 2000) g;
CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes ON DELETE CASCADE, label text);
CREATE INDEX ON nodes (parent_id);
INSERT INTO nodes SELECT g, NULLIF(g / 2, 0), 'n' FROM generate_series(1, 131071) g;  -- 17 levels
VACUUM ANALYZE;

CREATE FUNCTION pg_temp.time_rolled_back(statement text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
    elapsed double precision;
BEGIN
    BEGIN
        started := clock_timestamp();
        EXECUTE statement;
        elapsed := extract(epoch FROM clock_timestamp() - started) * 1000.0;
        RAISE EXCEPTION USING ERRCODE = 'DBRB1';
    EXCEPTION WHEN SQLSTATE 'DBRB1' THEN
        RETURN elapsed;
    END;
END $$;

CREATE FUNCTION pg_temp.compare(label text, ours text, theirs text, theirs_label text, rounds int)
RETURNS TABLE ("case" text, "data_bridge ms" numeric, "alternative" text, "alternative ms" numeric,
               "ratio (data_bridge / alternative)" numeric)
LANGUAGE plpgsql AS $$
DECLARE
    a double precision := 0;
    b double precision := 0;
BEGIN
    PERFORM pg_temp.time_rolled_back(ours);    -- warm caches and plans
    PERFORM pg_temp.time_rolled_back(theirs);
    FOR r IN 1 .. rounds LOOP  -- each side first in every other round (ABBA): no order bias
        IF r % 2 = 1 THEN
            a := a + pg_temp.time_rolled_back(ours);
            b := b + pg_temp.time_rolled_back(theirs);
        ELSE
            b := b + pg_temp.time_rolled_back(theirs);
            a := a + pg_temp.time_rolled_back(ours);
        END IF;
    END LOOP;
    RETURN QUERY SELECT label, round((a / rounds)::numeric, 1), theirs_label, round((b / rounds)::numeric, 1),
                        round((a / b)::numeric, 2);
END $$;
\set QUIET off

SELECT delete_with_cascade('users', 1) AS rows_deleted_for_user_1 FROM (SELECT 1) x WHERE false;
SELECT sum("rows") FILTER (WHERE action = 'DELETE') AS rows_user_1, sum("rows") FILTER (WHERE action = 'SET NULL') AS set_null_user_1
FROM delete_plan('users', 1);

SELECT * FROM pg_temp.compare('delete_with_cascade(users, 1): 22,001 rows + 2,000 SET NULL',
                              'SELECT delete_with_cascade(''users'', 1)',
                              'DELETE FROM users WHERE id = 1', 'plain DELETE, native ON DELETE CASCADE', 10)
UNION ALL
SELECT * FROM pg_temp.compare('delete_checked(users, 1)',
                              'SELECT delete_checked(''users'', 1)',
                              'DELETE FROM users WHERE id = 1', 'plain DELETE, native ON DELETE CASCADE', 10)
UNION ALL
SELECT * FROM pg_temp.compare('delete_plan(users, 1): the dry run',
                              'SELECT count(*) FROM delete_plan(''users'', 1)',
                              'SELECT delete_with_cascade(''users'', 1)', 'delete_with_cascade itself', 10)
UNION ALL
SELECT * FROM pg_temp.compare('delete_with_cascade(nodes, 1): tree of 131,071 nodes',
                              'SELECT delete_with_cascade(''nodes'', 1)',
                              'DELETE FROM nodes WHERE id = 1', 'plain DELETE, native ON DELETE CASCADE', 4)
UNION ALL
SELECT * FROM pg_temp.compare('delete_plan(nodes, 1)',
                              'SELECT count(*) FROM delete_plan(''nodes'', 1)',
                              'SELECT delete_with_cascade(''nodes'', 1)', 'delete_with_cascade itself', 4);
