-- pgTAP: the introspection functions' signatures and properties, and use by an ordinary role.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS data_bridge;
SELECT plan(20);

SELECT has_function('get_backreferences', ARRAY['regclass']);
SELECT has_function('get_references', ARRAY['regclass']);
SELECT function_returns('get_backreferences', ARRAY['regclass'], 'setof record');
SELECT volatility_is('get_backreferences', ARRAY['regclass'], 'stable');
SELECT volatility_is('get_references', ARRAY['regclass'], 'stable');
SELECT is_strict('get_backreferences', ARRAY['regclass']);
SELECT is_strict('get_references', ARRAY['regclass']);
SELECT ok(obj_description('get_backreferences(regclass)'::regprocedure, 'pg_proc') IS NOT NULL,
          'get_backreferences has a comment');
SELECT ok(obj_description('get_references(regclass)'::regprocedure, 'pg_proc') IS NOT NULL,
          'get_references has a comment');
SELECT volatility_is('data_bridge_internal', '_boundary_selftest', ARRAY['text'], 'volatile');

CREATE TABLE tap_users (id bigint PRIMARY KEY);
CREATE TABLE tap_posts (id bigint PRIMARY KEY,
                        user_id bigint REFERENCES tap_users ON DELETE CASCADE);
CREATE TABLE tap_secret (user_id bigint REFERENCES tap_users ON DELETE RESTRICT);
CREATE ROLE tap_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO tap_reader;

SET LOCAL ROLE tap_reader;
SELECT is((SELECT array_agg(source_table || ' ' || on_delete) FROM get_backreferences('tap_users')),
          ARRAY['tap_posts CASCADE', 'tap_secret RESTRICT'],
          'an ordinary role sees the foreign keys, as it sees them in pg_constraint');
SELECT is((SELECT array_agg(target_table::text) FROM get_references('tap_posts')),
          ARRAY['tap_users'],
          'an ordinary role can list outgoing foreign keys');
SELECT throws_ok($$SELECT data_bridge_internal._boundary_selftest('spi_ok')$$, '42501', NULL,
                 'the internal test hook is not executable by PUBLIC');
SELECT throws_ok($$SELECT * FROM get_backreferences('no_such_table')$$, '42P01', NULL,
                 'unknown table');
RESET ROLE;

SELECT throws_ok($$SELECT * FROM get_backreferences('tap_users_pkey')$$, '42809', NULL,
                 'an index is not a table');
SELECT is((SELECT count(*) FROM get_backreferences('tap_secret')), 0::bigint,
          'a table nobody references gives zero rows');
SELECT is((SELECT count(*) FROM get_backreferences(NULL)), 0::bigint, 'NULL gives zero rows');

ALTER TABLE tap_secret DROP CONSTRAINT tap_secret_user_id_fkey;
SELECT is((SELECT count(*) FROM get_backreferences('tap_users')), 1::bigint,
          'a dropped constraint disappears at once');
ALTER TABLE tap_secret ADD CONSTRAINT secret_fk FOREIGN KEY (user_id) REFERENCES tap_users;
SELECT is((SELECT array_agg(constraint_name::text ORDER BY constraint_name)
           FROM get_backreferences('tap_users')),
          ARRAY['secret_fk', 'tap_posts_user_id_fkey'],
          'an added constraint appears at once');
SELECT is((SELECT is_indexed FROM get_backreferences('tap_users') WHERE constraint_name = 'secret_fk'),
          false, 'the new key has no index');

SELECT * FROM finish();
ROLLBACK;
