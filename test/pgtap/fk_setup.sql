-- pgTAP: add_foreign_key() and unindexed_foreign_keys() signatures, and their use by an
-- ordinary role that owns its tables.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS data_bridge;
SELECT plan(12);

SELECT has_function('add_foreign_key',
    ARRAY['regclass', 'text[]', 'text', 'text', 'text', 'boolean', 'name', 'boolean']);
SELECT has_function('add_foreign_key',
    ARRAY['regclass', 'text', 'text', 'text', 'text', 'boolean', 'name', 'boolean']);
SELECT volatility_is('add_foreign_key',
    ARRAY['regclass', 'text', 'text', 'text', 'text', 'boolean', 'name', 'boolean'], 'volatile');
SELECT has_function('unindexed_foreign_keys', ARRAY['name']);
SELECT volatility_is('unindexed_foreign_keys', ARRAY['name'], 'stable');

CREATE ROLE tap_owner NOLOGIN;
CREATE SCHEMA tap_owned AUTHORIZATION tap_owner;
SET LOCAL ROLE tap_owner;
CREATE TABLE tap_owned.parents (id uuid PRIMARY KEY);
CREATE TABLE tap_owned.children (id bigint PRIMARY KEY, parent_id uuid);
SELECT is(add_foreign_key('tap_owned.children', 'parent_id', 'tap_owned.parents',
                          on_delete => 'cascade', create_index => false),
          'children_parent_id_fkey'::name, 'an owner adds a foreign key to its own table');
SELECT is((SELECT create_index_statement FROM unindexed_foreign_keys('tap_owned')),
          'CREATE INDEX ON tap_owned.children (parent_id)', 'the advisor gives the fix');
SELECT lives_ok($$CREATE INDEX ON tap_owned.children (parent_id)$$, 'the owner applies it');
SELECT is_empty($$SELECT * FROM unindexed_foreign_keys('tap_owned')$$, 'nothing left to fix');
SELECT is((SELECT on_delete FROM get_backreferences('tap_owned.parents')), 'CASCADE',
          'get_backreferences shows the new key');
SELECT throws_ok($$SELECT add_foreign_key('tap_owned.children', 'id', 'tap_owned.parents')$$,
                 '42804', NULL, 'a type mismatch is refused by PostgreSQL, nothing is left');
SELECT is((SELECT count(*) FROM get_references('tap_owned.children')), 1::bigint,
          'only the first key exists');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
