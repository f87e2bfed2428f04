-- pgTAP: lazy loading, back references and JSON writes run as the caller: privileges and
-- row-level security apply as for plain SQL; and the per-row reports of on_error => 'skip'.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS data_bridge;
SELECT plan(25);

SELECT volatility_is('fetch_referenced', ARRAY['regclass', 'name', 'anyelement'], 'stable');
SELECT volatility_is('fetch_related', ARRAY['regclass', 'anyelement', 'text'], 'stable');
SELECT volatility_is('backref_fetch_all', ARRAY['regclass', 'name', 'anyelement', 'jsonb', 'integer', 'integer'], 'stable');
SELECT volatility_is('backref_count', ARRAY['regclass', 'name', 'anyelement'], 'stable');
SELECT volatility_is('insert_one', ARRAY['regclass', 'jsonb'], 'volatile');
SELECT volatility_is('insert_many', ARRAY['regclass', 'jsonb', 'text'], 'volatile');
SELECT is_strict('fetch_referenced', ARRAY['regclass', 'name', 'anyelement']);

CREATE TABLE tap_users (id int PRIMARY KEY, name text, tenant text);
CREATE TABLE tap_posts (id int PRIMARY KEY, user_id int REFERENCES tap_users, tenant text, title text NOT NULL);
INSERT INTO tap_users VALUES (1, 'Ann', 'a'), (2, 'Ben', 'b');
INSERT INTO tap_posts VALUES (10, 1, 'a', 'A1'), (11, 1, 'a', 'A2'), (20, 2, 'b', 'B1'), (21, 1, 'b', 'mixed');

CREATE ROLE tap_tenant_a NOLOGIN;
CREATE ROLE tap_nobody NOLOGIN;
GRANT USAGE ON SCHEMA public TO tap_tenant_a, tap_nobody;
GRANT SELECT, INSERT ON tap_users, tap_posts TO tap_tenant_a;
ALTER TABLE tap_posts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tap_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_posts ON tap_posts USING (tenant = 'a') WITH CHECK (tenant = 'a');
CREATE POLICY tenant_users ON tap_users USING (tenant = 'a');

-- Row-level security filters exactly as a plain SELECT by the role does.
SET LOCAL ROLE tap_tenant_a;
SELECT is(backref_count('tap_posts', 'user_id', 1),
          (SELECT count(*) FROM tap_posts WHERE user_id = 1), 'backref_count sees what SELECT sees');
SELECT is(backref_count('tap_posts', 'user_id', 1), 2::bigint, 'the other tenant''s row is hidden');
SELECT is((SELECT array_agg(p ->> 'title') FROM jsonb_array_elements(backref_fetch_all('tap_posts', 'user_id', 1)) p),
          ARRAY['A1', 'A2'], 'backref_fetch_all is filtered by the policy');
SELECT is(fetch_referenced('tap_users', 'id', 2), NULL, 'a row hidden by RLS is not lazily loaded');
SELECT is(fetch_related('tap_posts', 10, 'user_id') ->> 'name', 'Ann', 'a visible row is');
SELECT is(fetch_related('tap_posts', 20, 'user_id'), NULL, 'a hidden source row gives NULL');
SELECT throws_ok($$SELECT insert_one('tap_posts', '{"id": 30, "user_id": 1, "tenant": "b", "title": "x"}')$$,
                 '42501', NULL, 'the WITH CHECK policy refuses a write, as for INSERT');
SELECT is(insert_one('tap_posts', '{"id": 31, "user_id": 1, "tenant": "a", "title": "ok"}') ->> 'title', 'ok',
          'an allowed write goes through');
RESET ROLE;

-- Without privileges: permission denied, as for plain SQL.
SET LOCAL ROLE tap_nobody;
SELECT throws_ok($$SELECT backref_count('tap_posts', 'user_id', 1)$$, '42501', NULL,
                 'no SELECT privilege: permission denied');
SELECT throws_ok($$SELECT fetch_referenced('tap_users', 'id', 1)$$, '42501', NULL,
                 'lazy load without privilege: permission denied');
SELECT throws_ok($$SELECT insert_one('tap_users', '{"id": 3}')$$, '42501', NULL,
                 'insert without privilege: permission denied');
RESET ROLE;

-- Per-row reports of on_error => 'skip'.
CREATE TEMP TABLE report AS
SELECT insert_many('tap_posts', '[{"id": 40, "user_id": 1, "tenant": "a", "title": "ok"},
                                  {"id": 41, "user_id": 99, "tenant": "a", "title": "dangling"},
                                  {"id": 40, "user_id": 1, "tenant": "a", "title": "duplicate"},
                                  {"id": 42, "user_id": 1, "tenant": "a"},
                                  {"id": 43, "user_id": 2, "tenant": "a", "title": "ok too"}]',
                   on_error => 'skip') AS r;
SELECT is((SELECT jsonb_array_length(r) FROM report), 5, 'one report per row');
SELECT is((SELECT array_agg((e ->> 'ok')::boolean ORDER BY (e ->> 'index')::int) FROM report, jsonb_array_elements(r) e),
          ARRAY[true, false, false, false, true], 'which rows went in');
SELECT is((SELECT array_agg(e ->> 'sqlstate' ORDER BY (e ->> 'index')::int) FROM report, jsonb_array_elements(r) e
           WHERE NOT (e ->> 'ok')::boolean),
          ARRAY['23503', '23505', '23502'], 'each failure carries its SQLSTATE');
SELECT is((SELECT r -> 0 -> 'row' ->> 'title' FROM report), 'ok', 'a success carries the stored row');
SELECT is((SELECT array_agg(id ORDER BY id) FROM tap_posts WHERE id >= 40), ARRAY[40, 43],
          'only the good rows are stored');
SELECT throws_ok($$SELECT insert_many('tap_posts', '[{"id": 50, "tenant": "a", "title": "x"}, {"id": 50, "tenant": "a", "title": "y"}]')$$,
                 '23505', NULL, 'on_error => raise: all or nothing');
SELECT is((SELECT count(*) FROM tap_posts WHERE id = 50), 0::bigint, 'nothing of the failed call stays');

SELECT * FROM finish();
ROLLBACK;
