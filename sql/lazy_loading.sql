-- fetch_referenced() and fetch_related(): the guide's ForeignKeyProxy examples in SQL.
\set SHOW_CONTEXT never
\pset null '(null)'

-- The guide's "Complete Example".
CREATE TABLE users (id serial PRIMARY KEY, name varchar(255) NOT NULL,
                    email varchar(255) UNIQUE NOT NULL);
CREATE TABLE posts (id serial PRIMARY KEY, title varchar(255) NOT NULL,
                    author_id integer REFERENCES users (id));
INSERT INTO users (id, name, email) VALUES (1, 'Alice', 'alice@example.com');
INSERT INTO posts (title, author_id) VALUES ('My First Post', 1);

-- ForeignKeyProxy("users", "id", post["author_id"]).fetch()
SELECT fetch_referenced('users', 'id', author_id) AS author FROM posts WHERE id = 1;
SELECT fetch_referenced('users', 'id', author_id) ->> 'name' AS author_name FROM posts WHERE id = 1;
-- By another unique column, and with a value of another type (cast to the column's type).
SELECT fetch_referenced('users', 'email', 'alice@example.com'::text) ->> 'id' AS id;
SELECT fetch_referenced('users', 'id', 1::bigint) ->> 'name' AS name;
SELECT fetch_referenced('users', 'id', '1'::text) ->> 'name' AS name;
-- Troubleshooting issue 5: a missing row gives NULL, and so does a NULL value (STRICT).
SELECT fetch_referenced('users', 'id', 999) AS missing;
SELECT fetch_referenced('users', 'id', NULL::int) AS null_value;

-- fetch_related: from a row, follow one of its foreign keys, named by column or constraint.
SELECT fetch_related('posts', 1, 'author_id') ->> 'name' AS by_column;
SELECT fetch_related('posts', 1, 'posts_author_id_fkey') ->> 'name' AS by_constraint;
INSERT INTO posts (id, title, author_id) VALUES (2, 'Anonymous', NULL);
SELECT fetch_related('posts', 2, 'author_id') AS null_foreign_key;
SELECT fetch_related('posts', 42, 'author_id') AS no_such_post;

-- Composite keys: the key as a jsonb object; uuid, bigint and text keys; quoted names.
CREATE SCHEMA "Lazy Shop";
CREATE TABLE "Lazy Shop"."Orders" (tenant uuid, "Order No" bigint, total numeric,
                                   PRIMARY KEY (tenant, "Order No"));
CREATE TABLE "Lazy Shop".lines (sku text PRIMARY KEY, tenant uuid, order_no bigint,
    FOREIGN KEY (tenant, order_no) REFERENCES "Lazy Shop"."Orders");
INSERT INTO "Lazy Shop"."Orders" VALUES ('6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01', 7, 19.90);
INSERT INTO "Lazy Shop".lines VALUES ('SKU-1', '6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01', 7);
SELECT fetch_related('"Lazy Shop".lines', 'SKU-1'::text, 'lines_tenant_order_no_fkey') AS the_order;
CREATE TABLE "Lazy Shop".shipments (tenant uuid, order_no bigint, carrier text,
    PRIMARY KEY (tenant, order_no),
    CONSTRAINT shipment_order FOREIGN KEY (tenant, order_no) REFERENCES "Lazy Shop"."Orders");
INSERT INTO "Lazy Shop".shipments VALUES ('6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01', 7, 'Post');
SELECT fetch_related('"Lazy Shop".shipments',
                     '{"tenant": "6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01", "order_no": 7}'::jsonb,
                     'shipment_order') ->> 'total' AS order_total;
-- A bare value for a composite key is refused with a hint.
SELECT fetch_related('"Lazy Shop".shipments', 7, 'shipment_order');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_related('"Lazy Shop".shipments', '{"tenant": "6f1c0a6e-8d1e-4b8a-9d3c-2f2b1c0d9e01"}'::jsonb,
                     'shipment_order');
\echo :LAST_ERROR_SQLSTATE

-- Self-reference.
CREATE TABLE nodes (id bigint PRIMARY KEY, parent_id bigint REFERENCES nodes, label text);
INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'child');
SELECT fetch_related('nodes', 2::bigint, 'parent_id') ->> 'label' AS parent;

-- Errors.
SELECT fetch_referenced('users', 'name', 'Alice'::text);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_referenced('users', 'nope', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_referenced('users', 'id', 'abc'::text);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_referenced('users', 'id', now());
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_related('posts', 1, 'title');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_related('"Lazy Shop"."Orders"', 7, 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_related('"Lazy Shop".lines', '{"sku": "SKU-1", "extra": 1}'::jsonb, 'lines_tenant_order_no_fkey');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE keyless (a int REFERENCES users);
SELECT fetch_related('keyless', 1, 'a');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE two_keys (a int REFERENCES users, b int REFERENCES users (id), id int PRIMARY KEY);
ALTER TABLE two_keys ADD CONSTRAINT second_a_fkey FOREIGN KEY (a) REFERENCES users;
SELECT fetch_related('two_keys', 1, 'a');
\echo :LAST_ERROR_SQLSTATE

-- Repeated calls reuse one prepared plan.
SELECT plans_prepared AS before FROM plan_cache_stats() \gset
SELECT count(fetch_referenced('nodes', 'id', g % 2 + 1)) FROM generate_series(1, 50) g;
SELECT plans_prepared - :before AS plans_prepared_for_50_calls FROM plan_cache_stats();

-- Several rows with the key, where a plain SELECT by it finds several (an inheritance child's
-- row, a duplicate a deferred unique key allows until commit): 21000, not one of them. A foreign
-- key references the parent's own rows only (PostgreSQL's check reads ONLY the table), so
-- fetch_related never returns a child's row.
CREATE TABLE inh_parent (id int PRIMARY KEY, v text);
CREATE TABLE inh_child (extra int) INHERITS (inh_parent);
INSERT INTO inh_parent VALUES (1, 'parent'), (2, 'parent only');
INSERT INTO inh_child VALUES (1, 'child', 5), (3, 'child only', 5);
SELECT fetch_referenced('inh_parent', 'id', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_referenced('inh_parent', 'id', 2) ->> 'v' AS parent_only,
       fetch_referenced('inh_parent', 'id', 3) ->> 'v' AS child_row_as_select_finds_it;
CREATE TABLE inh_ref (id int PRIMARY KEY, parent_id int,
                      CONSTRAINT inh_ref_fk FOREIGN KEY (parent_id) REFERENCES inh_parent
                      DEFERRABLE INITIALLY DEFERRED);
INSERT INTO inh_ref VALUES (1, 1);
SELECT fetch_related('inh_ref', 1, 'parent_id') ->> 'v' AS referenced;
BEGIN;
DELETE FROM ONLY inh_parent WHERE id = 1;  -- the key is checked at commit; the child's row 1 stays
SELECT fetch_related('inh_ref', 1, 'parent_id') IS NULL AS no_row_referenced;
SET LOCAL data_bridge.direct_fetch = off;
SELECT fetch_related('inh_ref', 1, 'parent_id') IS NULL AS no_row_referenced_by_the_statement;
ROLLBACK;
CREATE TABLE deferred_unique (id int, v text, CONSTRAINT deferred_unique_id UNIQUE (id)
                              DEFERRABLE INITIALLY DEFERRED);
INSERT INTO deferred_unique VALUES (1, 'first');
BEGIN;
INSERT INTO deferred_unique VALUES (1, 'second');
SELECT fetch_referenced('deferred_unique', 'id', 1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- A source row that shares its key with a child's row: as a SELECT by the key finds both.
INSERT INTO inh_child VALUES (7, 'child', 5);
CREATE TABLE inh_source (id int PRIMARY KEY, ref int REFERENCES inh_parent);
CREATE TABLE inh_source_child () INHERITS (inh_source);
INSERT INTO inh_source VALUES (1, 2);
INSERT INTO inh_source_child VALUES (1, 2);
SELECT fetch_related('inh_source', 1, 'ref');
\echo :LAST_ERROR_SQLSTATE

-- A column of a composite key names that key when it belongs to no other; a one-column key on
-- the column comes first.
CREATE TABLE composite_target (a int, b int, v text, PRIMARY KEY (a, b));
INSERT INTO composite_target VALUES (1, 2, 'pair');
CREATE TABLE composite_source (id int PRIMARY KEY, a int, b int REFERENCES users,
                               FOREIGN KEY (a, b) REFERENCES composite_target);
INSERT INTO users (id, name, email) VALUES (2, 'two', 'two@example.com') ON CONFLICT DO NOTHING;
INSERT INTO composite_source VALUES (1, 1, 2);
SELECT fetch_related('composite_source', 1, 'a') ->> 'v' AS by_its_only_key,
       fetch_related('composite_source', 1, 'b') ->> 'name' AS by_the_one_column_key;

DROP SCHEMA "Lazy Shop" CASCADE;
DROP TABLE users, posts, nodes, keyless, two_keys, inh_parent, inh_ref, deferred_unique, inh_source,
           composite_target, composite_source CASCADE;
