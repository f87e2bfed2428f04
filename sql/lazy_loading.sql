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

DROP SCHEMA "Lazy Shop" CASCADE;
DROP TABLE users, posts, nodes, keyless, two_keys CASCADE;
