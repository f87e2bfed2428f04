-- pgTAP: cascade deletes need exactly what a plain DELETE needs. The caller needs DELETE on the
-- root table (and SELECT on its key, as DELETE ... WHERE needs); the cascaded changes are made
-- by PostgreSQL's own foreign-key triggers, with the rights of the referencing tables' owners;
-- counts never include rows of a table the caller cannot read in full.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS data_bridge;
SELECT plan(17);

SELECT volatility_is('delete_with_cascade', ARRAY['regclass', 'anyelement'], 'volatile');
SELECT volatility_is('delete_checked', ARRAY['regclass', 'anyelement'], 'volatile');
SELECT volatility_is('delete_plan', ARRAY['regclass', 'anyelement'], 'volatile');
SELECT is_strict('delete_with_cascade', ARRAY['regclass', 'anyelement']);

CREATE TABLE tap_accounts (id int PRIMARY KEY);
CREATE TABLE tap_sessions (id int PRIMARY KEY, account_id int REFERENCES tap_accounts ON DELETE CASCADE);
CREATE TABLE tap_audit (id int PRIMARY KEY, account_id int REFERENCES tap_accounts ON DELETE RESTRICT);
INSERT INTO tap_accounts VALUES (1), (2), (3);
INSERT INTO tap_sessions VALUES (10, 1), (11, 1), (20, 2);
INSERT INTO tap_audit VALUES (1, 3), (2, 3);

CREATE ROLE tap_deleter NOLOGIN;
CREATE ROLE tap_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO tap_deleter, tap_reader;
GRANT SELECT, DELETE ON tap_accounts TO tap_deleter;   -- nothing on the referencing tables
GRANT SELECT ON tap_accounts TO tap_reader;

SET LOCAL ROLE tap_reader;
SELECT throws_ok($$SELECT delete_with_cascade('tap_accounts', 2)$$, '42501', NULL,
                 'without DELETE on the root: permission denied');
SELECT throws_ok($$SELECT delete_checked('tap_accounts', 2)$$, '42501', NULL,
                 'delete_checked too');
SELECT throws_ok($$DELETE FROM tap_accounts WHERE id = 2$$, '42501', NULL, 'as for a plain DELETE');
RESET ROLE;

SET LOCAL ROLE tap_deleter;
SELECT throws_ok($$DELETE FROM tap_sessions$$, '42501', NULL, 'the role cannot touch sessions itself');
SELECT is(delete_with_cascade('tap_accounts', 1), 1::bigint,
          'the cascade deletes its sessions with the owner''s rights, as native, but counts only the root');
SELECT is((SELECT "rows" FROM delete_plan('tap_accounts', 3) WHERE action = 'RESTRICT'), NULL,
          'the plan hides how many audit rows there are (no SELECT on tap_audit)');
SELECT is((SELECT blocks FROM delete_plan('tap_accounts', 3) WHERE action = 'RESTRICT'), true,
          'but says that the foreign key blocks, as the DELETE''s own error would');
SELECT throws_ok($$SELECT delete_with_cascade('tap_accounts', 3)$$, '23503',
                 'update or delete on table "tap_accounts" violates foreign key constraint "tap_audit_account_id_fkey" on table "tap_audit"',
                 'the refusal is PostgreSQL''s own');
RESET ROLE;
SELECT is((SELECT count(*) FROM tap_sessions WHERE account_id = 1), 0::bigint, 'the sessions are gone');

SELECT throws_ok($$SELECT delete_with_cascade('tap_accounts', 3)$$, '23503', NULL,
                 'RESTRICT refuses with 23503, as a plain DELETE');

-- Row-level security on the root: a row the caller cannot see is not deleted.
ALTER TABLE tap_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_two ON tap_accounts USING (id = 2);
GRANT UPDATE ON tap_accounts TO tap_deleter;
SET LOCAL ROLE tap_deleter;
SELECT is(delete_with_cascade('tap_accounts', 3), 0::bigint, 'a row hidden by a policy: nothing deleted');
SELECT is(delete_with_cascade('tap_accounts', 2), 1::bigint, 'a visible row: deleted (its sessions too, not counted)');
RESET ROLE;
SELECT is((SELECT array_agg(id ORDER BY id) FROM tap_accounts), ARRAY[3], 'row 3 is still there');

SELECT * FROM finish();
ROLLBACK;
