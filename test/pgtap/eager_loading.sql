-- pgTAP: eager loading runs as the caller: privileges and row-level security filter related
-- rows exactly as a plain SELECT by that role would.
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS data_bridge;
SELECT plan(12);

SELECT volatility_is('fetch_with_relations', ARRAY['jsonb'], 'stable');
SELECT volatility_is('fetch_many_with_relations', ARRAY['regclass', 'jsonb', 'jsonb', 'jsonb', 'integer', 'integer'], 'stable');
SELECT volatility_is('fetch_one_eager', ARRAY['regclass', 'anyelement', 'text[]'], 'stable');
SELECT function_returns('fetch_with_relations_json', ARRAY['jsonb'], 'json');
SELECT function_returns('fetch_many_with_relations_json', ARRAY['regclass', 'jsonb', 'jsonb', 'jsonb', 'integer', 'integer'], 'json');

CREATE TABLE tap_authors (id int PRIMARY KEY, name text);
CREATE TABLE tap_books (id int PRIMARY KEY, author_id int REFERENCES tap_authors, title text, public boolean);
CREATE TABLE tap_royalties (id int PRIMARY KEY, book_id int REFERENCES tap_books, amount numeric);
INSERT INTO tap_authors VALUES (1, 'Ann');
INSERT INTO tap_books VALUES (1, 1, 'Open', true), (2, 1, 'Secret', false);
INSERT INTO tap_royalties VALUES (1, 1, 10);
CREATE ROLE tap_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO tap_reader;
GRANT SELECT ON tap_authors, tap_books TO tap_reader;
ALTER TABLE tap_books ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_books ON tap_books USING (public);

SET LOCAL ROLE tap_reader;
SELECT is(jsonb_path_query_array(fetch_one_with_relations('tap_authors', 1,
              '[{"name": "books", "table": "tap_books", "select_columns": ["title"]}]'), '$.books[*].title'),
          '["Open"]', 'related rows are filtered by the policy, as a plain SELECT is');
SELECT is(jsonb_array_length(fetch_with_relations('{"table": "tap_books"}')),
          (SELECT count(*)::int FROM tap_books), 'top-level rows too');
SELECT is(fetch_with_relations('{"table": "tap_authors", "id": 1, "relations": [
              {"name": "n", "table": "tap_books", "count": true}]}') -> 'n', '1', 'and counts');
SELECT throws_ok($$SELECT fetch_with_relations('{"table": "tap_books", "relations": [
                     {"name": "royalties", "table": "tap_royalties"}]}')$$,
                 '42501', NULL, 'a related table without SELECT: permission denied');
SELECT is(jsonb_array_length(fetch_with_relations('{"table": "tap_authors", "relations": [
              {"name": "b", "table": "tap_books", "join_type": "inner", "filter": {"title": "Secret"}}]}')),
          0, 'an inner join cannot reveal a hidden row');
SELECT is(fetch_one_with_relations_json('tap_authors', 1,
              '[{"name": "books", "table": "tap_books", "select_columns": ["title"]}]')::jsonb -> 'books',
          '[{"title": "Open"}]', 'the json form is filtered by the policy as well');
SELECT throws_ok($$SELECT fetch_with_relations_json('{"table": "tap_books", "relations": [
                     {"name": "royalties", "table": "tap_royalties"}]}')$$,
                 '42501', NULL, 'and refused the same way');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
