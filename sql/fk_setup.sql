-- add_foreign_key() and unindexed_foreign_keys(): the guide's "ForeignKey Setup" examples in SQL,
-- the circular-dependency example, every error case, and the index advisor.
\set SHOW_CONTEXT never
\pset null '∅'

-- The guide's schema, created without foreign keys; add_foreign_key adds them.
CREATE TABLE users (id serial PRIMARY KEY, name varchar(255) NOT NULL, email varchar(255) UNIQUE);
CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author_id integer);
CREATE TABLE comments (id serial PRIMARY KEY, post_id integer, author_id integer, content text);
CREATE TABLE profiles (id serial PRIMARY KEY, user_id integer NOT NULL, bio text);
CREATE TABLE products (id serial PRIMARY KEY, name text);
CREATE TABLE orders (id serial PRIMARY KEY, product_id integer);

-- Column(foreign_key="users"): the table's primary key, NO ACTION.
SELECT add_foreign_key('posts', 'author_id', 'users');
-- Column(foreign_key="users.id", on_delete="CASCADE", on_update="CASCADE", nullable=False)
ALTER TABLE posts DROP CONSTRAINT posts_author_id_fkey;
SELECT add_foreign_key('posts', 'author_id', 'users.id', on_delete => 'CASCADE',
                       on_update => 'CASCADE', nullable => false);
-- Comment.post_id: CASCADE both ways.
SELECT add_foreign_key('comments', ARRAY['post_id'], 'posts.id', 'cascade', 'cascade');
-- Profile.user_id: SET NULL with nullable=True drops the NOT NULL the column had.
SELECT add_foreign_key('profiles', 'user_id', 'users.id', on_delete => 'SET NULL',
                       on_update => 'CASCADE', nullable => true);
-- Order.product_id: RESTRICT both ways, a constraint name of our own, no index wanted.
SELECT add_foreign_key('orders', 'product_id', 'products.id', 'RESTRICT', 'RESTRICT',
                       constraint_name => 'orders_product_fk', create_index => false);

SELECT source_table, source_column, target_table, target_column, on_delete, on_update,
       constraint_name, is_indexed
FROM get_backreferences('users')
UNION ALL
SELECT source_table, source_column, target_table, target_column, on_delete, on_update,
       constraint_name, is_indexed
FROM get_backreferences('posts')
UNION ALL
SELECT source_table, source_column, target_table, target_column, on_delete, on_update,
       constraint_name, is_indexed
FROM get_backreferences('products');

SELECT attname, attnotnull FROM pg_attribute
WHERE attrelid IN ('posts'::regclass, 'profiles'::regclass)
  AND attname IN ('author_id', 'user_id') ORDER BY attname;

SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) AS definition
FROM pg_index WHERE indrelid IN ('posts'::regclass, 'comments'::regclass, 'profiles'::regclass,
                                 'orders'::regclass)
  AND NOT indisprimary ORDER BY 1::text;

-- The guide's Troubleshooting issue 6: circular references, added after both tables exist.
CREATE TABLE accounts (id serial PRIMARY KEY, name text);
CREATE TABLE account_settings (id serial PRIMARY KEY, account_id integer, bio text);
ALTER TABLE accounts ADD COLUMN settings_id integer;
SELECT add_foreign_key('accounts', 'settings_id', 'account_settings');
SELECT add_foreign_key('account_settings', 'account_id', 'accounts',
                       constraint_name => 'fk_settings_accounts');
SELECT source_table, target_table, constraint_name FROM get_references('accounts')
UNION ALL
SELECT source_table, target_table, constraint_name FROM get_references('account_settings');

-- Composite keys, a self-reference, and targets written with schemas and quotes.
CREATE SCHEMA "Shop";
CREATE TABLE "Shop"."Order" (tenant int, "Order No" int, PRIMARY KEY (tenant, "Order No"));
CREATE TABLE "Shop".lines (tenant int, order_no int, line int);
SELECT add_foreign_key('"Shop".lines', ARRAY['tenant', 'order_no'], '"Shop"."Order"',
                       on_delete => 'CASCADE');
CREATE TABLE "Shop".notes (t int, o int);
SELECT add_foreign_key('"Shop".notes', ARRAY['o', 't'], '"Shop"."Order"("Order No", tenant)');
CREATE TABLE "Shop".categories (id int PRIMARY KEY, parent_id int);
-- Unquoted names fold to lower case, as in SQL: Shop.categories means shop.categories.
SELECT add_foreign_key('"Shop".categories', 'parent_id', 'Shop.categories');
SELECT add_foreign_key('"Shop".categories', 'parent_id', '"Shop".categories.id',
                       constraint_name => 'categories_parent_again');
SELECT constraint_name, source_table, source_columns, target_table, target_columns, is_indexed
FROM get_backreferences('"Shop"."Order"')
UNION ALL
SELECT constraint_name, source_table, source_columns, target_table, target_columns, is_indexed
FROM get_backreferences('"Shop".categories');

-- An index that already covers the columns is reused, not duplicated.
CREATE TABLE reviews (id int, product_id int, stars int);
CREATE INDEX reviews_product_stars ON reviews (product_id, stars);
SELECT add_foreign_key('reviews', 'product_id', 'products');
SELECT count(*) AS indexes_on_reviews FROM pg_index WHERE indrelid = 'reviews'::regclass;

-- Errors, each naming what is wrong.
SELECT add_foreign_key('posts', 'author_id', 'no_such_table');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'author_id', 'users.no_such_column');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'no_such_column', 'users');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'title', 'users.name');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', ARRAY['author_id', 'id'], 'users');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'title', 'users.id');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'author_id', 'users', on_delete => 'DELETE');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'author_id', 'users', on_update => 'cascades');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('posts', 'author_id', 'users', on_delete => 'SET NULL');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'author_id', 'users', on_delete => 'SET NULL', nullable => false);
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'post_id', 'posts', constraint_name => 'comments_post_id_fkey');
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE keyless (id int);
SELECT add_foreign_key('comments', 'author_id', 'keyless');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'author_id', 'users(id');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'author_id', '');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'author_id', 'a.b.c.d');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', ARRAY[]::text[], 'users');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', ARRAY['author_id', 'author_id'], 'users');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', ARRAY['author_id', NULL], 'users');
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key('comments', 'author_id', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT add_foreign_key(NULL, 'author_id', 'users');
\echo :LAST_ERROR_SQLSTATE
CREATE VIEW user_view AS SELECT * FROM users;
SELECT add_foreign_key('comments', 'author_id', 'user_view');
\echo :LAST_ERROR_SQLSTATE
-- None of the failed calls left anything behind.
SELECT constraint_name FROM get_references('comments');

-- Atomic: when the index cannot be built, the constraint is not left behind either.
CREATE TABLE atomic_child (user_id int);
CREATE FUNCTION refuse_indexes() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'no indexes today'; END $$;
CREATE EVENT TRIGGER refuse_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
    EXECUTE FUNCTION refuse_indexes();
SELECT add_foreign_key('atomic_child', 'user_id', 'users');
DROP EVENT TRIGGER refuse_indexes;
SELECT count(*) AS constraints_left FROM get_references('atomic_child');

-- The advisor: before and after add_foreign_key, before and after a manual CREATE INDEX.
SELECT constraint_name, source_table, source_columns, target_table, on_delete, create_index_statement
FROM unindexed_foreign_keys();
SELECT add_foreign_key('atomic_child', 'user_id', 'users', create_index => false);
SELECT constraint_name, create_index_statement FROM unindexed_foreign_keys('public');
SELECT constraint_name, create_index_statement FROM unindexed_foreign_keys('Shop');
CREATE INDEX ON atomic_child (user_id);
SELECT constraint_name FROM unindexed_foreign_keys('public');
-- Its statement, run as given, fixes the key.
SELECT create_index_statement FROM unindexed_foreign_keys('public') \gexec
SELECT count(*) AS still_unindexed FROM unindexed_foreign_keys('public');
-- Estimated rows come from the planner's statistics.
INSERT INTO products SELECT g, 'p' || g FROM generate_series(1, 500) g;
INSERT INTO orders (product_id) SELECT 1 + g % 500 FROM generate_series(1, 2000) g;
DROP INDEX orders_product_id_idx;
ANALYZE orders;
SELECT constraint_name, estimated_rows FROM unindexed_foreign_keys('public');
SELECT count(*) FROM unindexed_foreign_keys('no_such_schema');

-- Runs as the caller: the usual ALTER TABLE ownership rules apply.
CREATE ROLE fk_setup_stranger;
GRANT USAGE ON SCHEMA public TO fk_setup_stranger;
SET ROLE fk_setup_stranger;
SELECT add_foreign_key('comments', 'author_id', 'users');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
REVOKE USAGE ON SCHEMA public FROM fk_setup_stranger;
DROP ROLE fk_setup_stranger;

DROP SCHEMA "Shop" CASCADE;
DROP TABLE users, posts, comments, profiles, products, orders, accounts, account_settings, reviews,
    keyless, atomic_child CASCADE;
DROP FUNCTION refuse_indexes();

-- A BRIN index on the referencing column does not find one key's rows: the key counts as
-- unindexed, and add_foreign_key creates its btree. A hash index on the one column does.
CREATE TABLE brin_parent (id int PRIMARY KEY);
CREATE TABLE brin_child (id int PRIMARY KEY, parent_id int);
CREATE INDEX brin_child_parent_brin ON brin_child USING brin (parent_id);
SELECT add_foreign_key('brin_child', 'parent_id', 'brin_parent');
SELECT indexname FROM pg_indexes WHERE tablename = 'brin_child' ORDER BY indexname;
CREATE TABLE hash_child (id int PRIMARY KEY, parent_id int);
CREATE INDEX hash_child_parent_hash ON hash_child USING hash (parent_id);
SELECT add_foreign_key('hash_child', 'parent_id', 'brin_parent');
SELECT indexname FROM pg_indexes WHERE tablename = 'hash_child' ORDER BY indexname;
-- Nor does an index under another collation than the column's (it cannot find its rows).
CREATE TABLE coll_parent (code text PRIMARY KEY);
CREATE TABLE coll_child (id int PRIMARY KEY, code text);
CREATE INDEX coll_child_code_c ON coll_child (code COLLATE "C");
SELECT add_foreign_key('coll_child', 'code', 'coll_parent');
SELECT indexname FROM pg_indexes WHERE tablename = 'coll_child' ORDER BY indexname;
SELECT source_table, is_indexed FROM get_backreferences('brin_parent') ORDER BY source_table::text;
SELECT source_table, is_indexed FROM get_backreferences('coll_parent');
DROP TABLE brin_child, hash_child, brin_parent, coll_child, coll_parent;
