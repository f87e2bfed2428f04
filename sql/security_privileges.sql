-- Security: for every subset of SELECT, INSERT and DELETE on a table (and SELECT on only some
-- columns), each data_bridge function succeeds exactly when the plain statement it stands for
-- succeeds for the same role, and otherwise fails with the same 42501.
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE TABLE priv_users (id int PRIMARY KEY, name text, secret text);
CREATE TABLE priv_posts (id int PRIMARY KEY, user_id int REFERENCES priv_users ON DELETE CASCADE, title text);
INSERT INTO priv_users SELECT g, 'u' || g, 's' || g FROM generate_series(1, 100) g;
INSERT INTO priv_posts SELECT g, g, 't' || g FROM generate_series(1, 100) g;
GRANT SELECT, DELETE ON priv_posts TO PUBLIC;

-- 'ok' or the SQLSTATE; changes are rolled back.
CREATE FUNCTION pg_temp.try(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE statement;
        RAISE EXCEPTION USING ERRCODE = 'DBRB1';
    EXCEPTION WHEN SQLSTATE 'DBRB1' THEN
        RETURN 'ok';
    WHEN OTHERS THEN
        RETURN SQLSTATE;
    END;
END $$;

-- Each data_bridge call with the plain statement it stands for.
CREATE TEMP TABLE pairs (what text, ours text, plain text);
INSERT INTO pairs VALUES
 ('fetch_one_with_relations', $$SELECT fetch_one_with_relations('priv_users', 7)$$,
                              $$SELECT to_jsonb(u) FROM priv_users u WHERE id = 7$$),
 ('fetch_with_relations id',  $$SELECT fetch_with_relations('{"table": "priv_users", "id": 7, "select_columns": ["id", "name"]}')$$,
                              $$SELECT id, name FROM priv_users WHERE id = 7$$),
 ('fetch_many_with_relations',$$SELECT fetch_many_with_relations('priv_users', '[{"name": "posts", "table": "priv_posts"}]', '{"id": 7}')$$,
                              $$SELECT * FROM priv_users u JOIN priv_posts p ON p.user_id = u.id WHERE u.id = 7$$),
 ('fetch_one_with_relations_json', $$SELECT fetch_one_with_relations_json('priv_users', 7)$$,
                              $$SELECT to_jsonb(u) FROM priv_users u WHERE id = 7$$),
 ('fetch_with_relations_json',$$SELECT fetch_with_relations_json('{"table": "priv_users", "id": 7, "select_columns": ["id", "name"]}')$$,
                              $$SELECT id, name FROM priv_users WHERE id = 7$$),
 ('fetch_many_with_relations_json', $$SELECT fetch_many_with_relations_json('priv_users', '[{"name": "posts", "table": "priv_posts"}]', '{"id": 7}')$$,
                              $$SELECT * FROM priv_users u JOIN priv_posts p ON p.user_id = u.id WHERE u.id = 7$$),
 ('fetch_referenced',         $$SELECT fetch_referenced('priv_users', 'id', 7)$$,
                              $$SELECT to_jsonb(u) FROM priv_users u WHERE id = 7$$),
 ('fetch_related',            $$SELECT fetch_related('priv_posts', 7, 'user_id')$$,
                              $$SELECT u FROM priv_posts p JOIN priv_users u ON u.id = p.user_id WHERE p.id = 7$$),
 ('backref_count',            $$SELECT backref_count('priv_users', 'id', 7)$$,
                              $$SELECT count(*) FROM priv_users WHERE id = 7$$),
 ('insert_one',               $$SELECT insert_one('priv_users', '{"id": 1000, "name": "n"}')$$,
                              $$INSERT INTO priv_users (id, name) VALUES (1000, 'n') RETURNING *$$),
 ('insert_many',              $$SELECT insert_many('priv_users', '[{"id": 1000, "name": "n"}]')$$,
                              $$INSERT INTO priv_users (id, name) VALUES (1000, 'n') RETURNING *$$),
 ('delete_with_cascade',      $$SELECT delete_with_cascade('priv_users', 7)$$,
                              $$DELETE FROM priv_users WHERE id = 7$$),
 ('delete_checked',           $$SELECT delete_checked('priv_users', 7)$$,
                              $$DELETE FROM priv_users WHERE id = 7$$),
 ('delete_many_with_cascade', $$SELECT delete_many_with_cascade('priv_users', ARRAY[7, 8])$$,
                              $$DELETE FROM priv_users WHERE id = ANY (ARRAY[7, 8])$$),
 ('delete_plan',              $$SELECT * FROM delete_plan('priv_users', 7)$$,
                              $$DELETE FROM priv_users WHERE id = 7$$),
 -- 'skip' reports a key's failure; a privilege the statement lacks fails the call.
 ('delete_each_with_cascade', $$SELECT delete_each_with_cascade('priv_users', ARRAY[7, 8], 'skip')$$,
                              $$DELETE FROM priv_users WHERE id = 7$$);

-- A role for every subset of the three privileges, and one with SELECT on some columns only.
DO $$
DECLARE
    privileges text[] := ARRAY['SELECT', 'INSERT', 'DELETE'];
BEGIN
    FOR mask IN 0 .. 7 LOOP
        EXECUTE format('CREATE ROLE priv_role_%s NOLOGIN', mask);
        EXECUTE format('GRANT USAGE ON SCHEMA public TO priv_role_%s', mask);
        FOR bit IN 0 .. 2 LOOP
            IF mask & (1 << bit) <> 0 THEN
                EXECUTE format('GRANT %s ON priv_users TO priv_role_%s', privileges[bit + 1], mask);
            END IF;
        END LOOP;
    END LOOP;
    CREATE ROLE priv_role_columns NOLOGIN;
    GRANT USAGE ON SCHEMA public TO priv_role_columns;
    GRANT SELECT (id, name) ON priv_users TO priv_role_columns;
    GRANT INSERT (id, name), DELETE ON priv_users TO priv_role_columns;
END $$;

CREATE TEMP TABLE outcomes (role text, what text, ours text, plain text);
GRANT INSERT ON outcomes TO PUBLIC;
GRANT SELECT ON pairs TO PUBLIC;
DO $$
DECLARE
    r text;
    p record;
BEGIN
    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'priv\_role\_%' ORDER BY 1 LOOP
        FOR p IN SELECT * FROM pairs LOOP
            EXECUTE format('SET LOCAL ROLE %I', r);
            INSERT INTO outcomes VALUES (r, p.what, pg_temp.try(p.ours), pg_temp.try(p.plain));
            RESET ROLE;
        END LOOP;
    END LOOP;
END $$;

SELECT count(*) AS comparisons, count(*) FILTER (WHERE ours = 'ok') AS allowed,
       count(*) FILTER (WHERE ours = '42501') AS refused,
       count(*) FILTER (WHERE ours IS DISTINCT FROM plain) AS disagreements
FROM outcomes;
SELECT * FROM outcomes WHERE ours IS DISTINCT FROM plain ORDER BY role, what;

-- A table given by OID in a schema the role may not use: the call fails as the statement does,
-- in 'skip' mode too (not one report per key).
CREATE SCHEMA priv_hidden;
CREATE TABLE priv_hidden.t (id int PRIMARY KEY);
INSERT INTO priv_hidden.t VALUES (1), (2);
GRANT SELECT, DELETE ON priv_hidden.t TO priv_role_7;
SELECT 'priv_hidden.t'::regclass::oid AS hidden_oid \gset
SET ROLE priv_role_7;
SELECT delete_each_with_cascade(:hidden_oid, ARRAY[1, 2], 'skip');
DELETE FROM priv_hidden.t WHERE id = 1;
RESET ROLE;
DROP SCHEMA priv_hidden CASCADE;

DROP TABLE priv_posts, priv_users;
DO $$
DECLARE
    r text;
BEGIN
    FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE 'priv\_role\_%' LOOP
        EXECUTE format('DROP OWNED BY %I', r);
        EXECUTE format('DROP ROLE %I', r);
    END LOOP;
END $$;
