-- get_backreferences() and get_references(): every output column, every action, composite
-- keys, self-references, partitioned tables, quoting, and cache invalidation.
\set SHOW_CONTEXT never
\pset null '∅'

CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE posts (
    id serial PRIMARY KEY,
    title text,
    author_id integer REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TABLE comments (
    id serial PRIMARY KEY,
    post_id integer REFERENCES posts (id) ON DELETE CASCADE,
    author_id integer REFERENCES users (id) ON DELETE SET NULL ON UPDATE RESTRICT
);
CREATE TABLE profiles (
    user_id integer DEFAULT 0 REFERENCES users (id) ON DELETE SET DEFAULT,
    bio text
);
CREATE TABLE audit (
    user_id integer REFERENCES users (id) ON DELETE RESTRICT,
    reviewer_id integer REFERENCES users (id)   -- NO ACTION, the default
);
CREATE INDEX ON posts (author_id);

-- The guide's view: table.column -> table.column and the rules.
SELECT source_table, source_column, target_table, target_column, on_delete, on_update
FROM get_backreferences('users');

-- Every column, for one constraint.
SELECT constraint_name, source_schema, source_table, source_column, source_columns,
       target_schema, target_table, target_column, target_columns, on_delete, on_update,
       on_delete_set_columns, match_type, is_deferrable, initially_deferred, is_validated,
       is_indexed, source_relid, target_relid,
       constraint_oid = (SELECT oid FROM pg_constraint WHERE conname = 'posts_author_id_fkey')
           AS constraint_oid_matches
FROM get_backreferences('users') WHERE constraint_name = 'posts_author_id_fkey' \gx

-- Going out of a table.
SELECT constraint_name, target_table, target_column, on_delete, is_indexed
FROM get_references('comments');
SELECT count(*) AS none_out_of_users FROM get_references('users');

-- Composite keys, MATCH FULL, deferrable, PostgreSQL 15's SET NULL (columns).
CREATE TABLE orders (tenant_id int, order_no int, PRIMARY KEY (tenant_id, order_no));
CREATE TABLE order_lines (
    tenant_id int NOT NULL,
    order_no int,
    line_no int,
    PRIMARY KEY (tenant_id, order_no, line_no),
    CONSTRAINT order_lines_order_fkey FOREIGN KEY (tenant_id, order_no)
        REFERENCES orders (tenant_id, order_no) MATCH FULL
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE order_notes (
    tenant_id int NOT NULL,
    order_no int,
    note text,
    CONSTRAINT order_notes_order_fkey FOREIGN KEY (order_no, tenant_id)
        REFERENCES orders (order_no, tenant_id) ON DELETE SET NULL (order_no) DEFERRABLE
);
SELECT constraint_name, source_column, source_columns, target_column, target_columns,
       on_delete, on_delete_set_columns, match_type, is_deferrable, initially_deferred,
       is_indexed
FROM get_backreferences('orders');

-- Self-references appear among both the back references and the references.
CREATE TABLE nodes (id bigint PRIMARY KEY, parent_id bigint REFERENCES nodes ON DELETE CASCADE);
SELECT constraint_name, source_table, target_table FROM get_backreferences('nodes');
SELECT constraint_name, source_table, target_table FROM get_references('nodes');

-- Schemas and names that need quoting.
CREATE SCHEMA "Sales Data";
CREATE TABLE "Sales Data"."Customer" ("Customer ID" uuid PRIMARY KEY);
CREATE TABLE "Sales Data"."Invoice" (
    id text PRIMARY KEY,
    "Customer ID" uuid REFERENCES "Sales Data"."Customer" ON DELETE RESTRICT
);
SELECT constraint_name, source_schema, source_table, source_column, target_schema,
       target_table, target_column, source_relid, target_relid
FROM get_backreferences('"Sales Data"."Customer"');

-- Partitioned tables: the constraint is reported once, not per partition.
CREATE TABLE events (id bigint, happened date, PRIMARY KEY (id, happened))
    PARTITION BY RANGE (happened);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_tags (
    event_id bigint, happened date, tag text,
    FOREIGN KEY (event_id, happened) REFERENCES events ON DELETE CASCADE
) PARTITION BY LIST (tag);
CREATE TABLE event_tags_a PARTITION OF event_tags FOR VALUES IN ('a');
CREATE TABLE event_tags_b PARTITION OF event_tags FOR VALUES IN ('b');
SELECT constraint_name, source_table, source_column, target_table, is_indexed
FROM get_backreferences('events');
SELECT count(*) AS clones_hidden FROM get_backreferences('events_2024');
SELECT count(*) AS clones_hidden FROM get_references('event_tags_a');
-- An index on the partitioned table covers the key.
CREATE INDEX ON event_tags (event_id, happened);
SELECT constraint_name, is_indexed FROM get_backreferences('events');

-- Index coverage: leading columns in any order count; trailing, partial and expression do not.
CREATE TABLE coverage_parent (a int, b int, PRIMARY KEY (a, b));
CREATE TABLE coverage_child (x int, y int, z int,
    CONSTRAINT cc_xy_fkey FOREIGN KEY (x, y) REFERENCES coverage_parent (a, b));
CREATE INDEX coverage_child_z_x_y ON coverage_child (z, x, y);
CREATE INDEX coverage_child_x_partial ON coverage_child (x, y) WHERE z > 0;
CREATE INDEX coverage_child_expr ON coverage_child ((x + 1), y);
SELECT constraint_name, is_indexed FROM get_backreferences('coverage_parent');
CREATE INDEX coverage_child_y_x_z ON coverage_child (y, x, z);
SELECT constraint_name, is_indexed FROM get_backreferences('coverage_parent');
DROP INDEX coverage_child_y_x_z;
SELECT constraint_name, is_indexed FROM get_backreferences('coverage_parent');

-- The cache sees DDL at once: in the same session, in the same transaction, and undone by a
-- rolled-back savepoint.
ALTER TABLE audit DROP CONSTRAINT audit_reviewer_id_fkey;
SELECT constraint_name FROM get_backreferences('users');
BEGIN;
ALTER TABLE audit ADD CONSTRAINT audit_reviewer_fkey FOREIGN KEY (reviewer_id) REFERENCES users;
SELECT constraint_name FROM get_backreferences('users') WHERE source_table = 'audit';
SAVEPOINT s;
ALTER TABLE audit DROP CONSTRAINT audit_reviewer_fkey;
ALTER TABLE audit RENAME COLUMN user_id TO owner_id;
SELECT constraint_name, source_column FROM get_backreferences('users') WHERE source_table = 'audit';
ROLLBACK TO SAVEPOINT s;
SELECT constraint_name, source_column FROM get_backreferences('users') WHERE source_table = 'audit';
COMMIT;
ALTER TABLE posts RENAME TO articles;
ALTER SCHEMA "Sales Data" RENAME TO sales;
SELECT source_table FROM get_backreferences('users') WHERE constraint_name = 'posts_author_id_fkey';
SELECT source_schema, source_table FROM get_backreferences('sales."Customer"');
DROP TABLE comments;
SELECT constraint_name FROM get_backreferences('users');

-- Bad input.
SELECT * FROM get_backreferences(NULL);
SELECT * FROM get_backreferences('no_such_table');
SELECT * FROM get_backreferences(0::oid::regclass);
SELECT * FROM get_backreferences(4294967295::oid::regclass);
CREATE VIEW user_names AS SELECT name FROM users;
SELECT * FROM get_backreferences('user_names');
\echo :LAST_ERROR_SQLSTATE
CREATE SEQUENCE counter;
SELECT * FROM get_references('counter');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM get_backreferences('users_pkey');
\echo :LAST_ERROR_SQLSTATE
-- A table nobody references.
SELECT count(*) FROM get_backreferences('audit');

DROP TABLE users, articles, profiles, audit, orders, order_lines, order_notes, nodes, events,
    event_tags, coverage_parent, coverage_child CASCADE;
DROP SCHEMA sales CASCADE;
DROP VIEW IF EXISTS user_names;
DROP SEQUENCE counter;
