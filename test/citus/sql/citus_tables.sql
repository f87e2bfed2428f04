-- data_bridge on Citus: a coordinator and two workers (test/citus/cluster.sh). users, posts and
-- comments are distributed by tenant_id and co-located, with composite foreign keys that
-- include it; categories is a reference table. One tenant's eager loads (every statement routed
-- to the tenant's shard) against hand-written SQL; loads across tenants; lazy loads, back
-- references, writes; introspection of the logical tables; what is refused, and how.
\set VERBOSITY terse
CREATE EXTENSION data_bridge;
CREATE TABLE categories (id int PRIMARY KEY, name text);
CREATE TABLE users (tenant_id int, id int, name text, PRIMARY KEY (tenant_id, id));
CREATE TABLE posts (tenant_id int, id int, user_id int, category_id int, title text,
    PRIMARY KEY (tenant_id, id));
CREATE TABLE comments (tenant_id int, id int, post_id int, user_id int, score int,
    PRIMARY KEY (tenant_id, id));
SELECT create_reference_table('categories');
SELECT create_distributed_table('users', 'tenant_id');
SELECT create_distributed_table('posts', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('comments', 'tenant_id', colocate_with => 'users');
-- Citus adds foreign keys between distributed tables once they are distributed.
ALTER TABLE posts ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users ON DELETE CASCADE;
ALTER TABLE posts ADD FOREIGN KEY (category_id) REFERENCES categories;
ALTER TABLE comments ADD FOREIGN KEY (tenant_id, post_id) REFERENCES posts ON DELETE CASCADE;
ALTER TABLE comments ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users;
SELECT setseed(0.17);
INSERT INTO categories SELECT g, 'c' || g FROM generate_series(1, 5) g;
INSERT INTO users SELECT t, g, 'u' || t || '_' || g FROM generate_series(1, 20) t, generate_series(1, 10) g;
INSERT INTO posts SELECT t, g, 1 + floor(random() * 10)::int, 1 + floor(random() * 5)::int, 'p' || g
FROM generate_series(1, 20) t, generate_series(1, 30) g;
INSERT INTO comments SELECT t, g, 1 + floor(random() * 30)::int, 1 + floor(random() * 10)::int,
    floor(random() * 100)::int FROM generate_series(1, 20) t, generate_series(1, 100) g;

-- Introspection shows the logical tables and their foreign keys, no shards.
SELECT constraint_name, source_table, source_columns, target_table FROM get_backreferences('users');
SELECT constraint_name, target_table FROM get_references('comments');
-- The advisor's sizes come from the shards (the coordinator's tables are empty shells): each
-- shard's estimate, summed; a reference table's one shard; against the exact counts.
ANALYZE categories;
ANALYZE users;
ANALYZE posts;
ANALYZE comments;
SELECT a.constraint_name, a.source_table, a.estimated_rows,
       a.estimated_rows = CASE a.source_table WHEN 'posts' THEN (SELECT count(*) FROM posts)
                                              WHEN 'comments' THEN (SELECT count(*) FROM comments) END AS exact
FROM unindexed_foreign_keys() a ORDER BY 1;
CREATE TABLE notes (id int PRIMARY KEY, category_id int REFERENCES categories);
SELECT create_reference_table('notes');
INSERT INTO notes SELECT g, 1 + g % 5 FROM generate_series(1, 7) g;
ANALYZE notes;
SELECT estimated_rows FROM unindexed_foreign_keys() WHERE source_table = 'notes';
DROP TABLE notes;
-- A table that references a reference table becomes a Citus local table, whose shard lives on
-- the coordinator as a table with the same key: the advice is for the logical table only.
CREATE TABLE local_notes (id int PRIMARY KEY, category_id int REFERENCES categories);
SELECT source_table, create_index_statement FROM unindexed_foreign_keys()
WHERE source_table LIKE 'local_notes%' ORDER BY 1;
DROP TABLE local_notes;
-- A name that needs quoting, quotes included, is passed as a value, never spliced into the
-- command the nodes run.
CREATE TABLE "O'Brien; --" (tenant_id int, id int, user_id int, PRIMARY KEY (tenant_id, id));
SELECT create_distributed_table('"O''Brien; --"', 'tenant_id', colocate_with => 'users');
ALTER TABLE "O'Brien; --" ADD FOREIGN KEY (tenant_id, user_id) REFERENCES users;
INSERT INTO "O'Brien; --" SELECT t, g, 1 FROM generate_series(1, 20) t, generate_series(1, 3) g;
ANALYZE "O'Brien; --";
SELECT source_table, estimated_rows FROM unindexed_foreign_keys() WHERE source_table = 'O''Brien; --';
DROP TABLE "O'Brien; --";

-- One tenant's load: every level of a post, its comments (ordered, paged, each with its
-- author), its author, its category (reference table) and counts.
SELECT jsonb_pretty(fetch_with_relations('{"table": "posts", "filter": {"tenant_id": 3, "id": 1},
    "select_columns": ["id", "title"], "relations": [
    {"name": "comments", "table": "comments", "select_columns": ["id", "score"], "order_by": [["score", "desc"]], "limit": 2,
     "relations": [{"name": "author", "table": "users", "foreign_key": "comments_tenant_id_user_id_fkey", "select_columns": ["name"]}]},
    {"name": "author", "table": "users", "select_columns": ["name"]},
    {"name": "category", "table": "categories", "select_columns": ["name"]},
    {"name": "comment_count", "table": "comments", "count": true}]}'));
-- By key (the key holds the distribution column), nested two levels down.
SELECT fetch_one_with_relations('users', '{"tenant_id": 4, "id": 2}', '[{"name": "posts", "table": "posts",
    "select_columns": ["id"], "order_by": "id", "limit": 2,
    "relations": [{"name": "comments", "table": "comments", "count": true}]}]');
-- The same load called again: plans are made for each call's tenant, never a generic plan
-- Citus cannot route (PostgreSQL switches to one after five calls).
SELECT count(DISTINCT fetch_one_with_relations('users', format('{"tenant_id": %s, "id": 2}', t)::text,
    '[{"name": "posts", "table": "posts", "relations": [{"name": "comments", "table": "comments"}]}]'))
    AS distinct_answers_of_ten_tenants
FROM generate_series(1, 10) t;
-- One row of one tenant by a plain key: remembered by call shape and still planned for each
-- call's key, a tenants table distributed by its own key, called for twelve tenants (twice
-- past PostgreSQL's switch to a generic plan), each against hand-written SQL, in both forms.
CREATE TABLE tenants (id int PRIMARY KEY, name text);
SELECT create_distributed_table('tenants', 'id', colocate_with => 'users');
INSERT INTO tenants SELECT t, 'tenant ' || t FROM generate_series(1, 20) t;
ALTER TABLE users ADD FOREIGN KEY (tenant_id) REFERENCES tenants;
CREATE TABLE tenant_checks (tenant int, same boolean);
DO $$
DECLARE
    relations jsonb := '[{"name": "users", "table": "users", "select_columns": ["id"], "order_by": "id", "limit": 3,
                          "relations": [{"name": "posts", "table": "posts", "count": true}]}]';
    expected jsonb;
BEGIN
    FOR t IN 1 .. 12 LOOP
        EXECUTE format($q$SELECT to_jsonb(tn) || jsonb_build_object('users', (SELECT jsonb_agg(jsonb_build_object('id', u.id,
                              'posts', (SELECT count(*) FROM posts p WHERE p.tenant_id = %1$s AND p.user_id = u.id)) ORDER BY u.id)
                          FROM (SELECT * FROM users WHERE tenant_id = %1$s ORDER BY id LIMIT 3) u))
                          FROM tenants tn WHERE tn.id = %1$s$q$, t) INTO expected;
        INSERT INTO tenant_checks VALUES (t, fetch_one_with_relations('tenants', t, relations) = expected
                                             AND fetch_one_with_relations_json('tenants', t, relations)::jsonb = expected);
    END LOOP;
END $$;
SELECT count(*) FILTER (WHERE same) AS same_as_hand_written, count(*) AS tenants FROM tenant_checks;
SELECT fetch_one_with_relations('tenants', 99) IS NULL AS no_such_tenant;
DROP TABLE tenant_checks;
DROP TABLE tenants CASCADE;

-- A right join of one tenant runs as one statement, whole on the tenant's worker, the row
-- count included: counted per statement there (data_bridge.max_rows as set for the
-- transaction, which Citus passes on), never piling up over the calls of one connection.
BEGIN;
SET LOCAL citus.propagate_set_commands = 'local';
SET LOCAL data_bridge.max_rows = 40;
CREATE TEMP TABLE right_join_sizes ON COMMIT DROP AS
SELECT i, jsonb_array_length(fetch_with_relations('{"table": "users", "filter": {"tenant_id": 3, "id": {"in": [1, 2]}},
    "select_columns": ["id"], "relations": [{"name": "posts", "table": "posts", "foreign_key": "posts_tenant_id_user_id_fkey",
    "join_type": "right", "select_columns": ["id"]}]}')) AS elements
FROM generate_series(1, 1) i;
DO $$ BEGIN FOR i IN 2 .. 12 LOOP
    INSERT INTO right_join_sizes SELECT i, jsonb_array_length(fetch_with_relations('{"table": "users",
        "filter": {"tenant_id": 3, "id": {"in": [1, 2]}}, "select_columns": ["id"], "relations": [{"name": "posts",
        "table": "posts", "foreign_key": "posts_tenant_id_user_id_fkey", "join_type": "right", "select_columns": ["id"]}]}'));
END LOOP; END $$;
SELECT count(*) AS calls, count(DISTINCT elements) AS answers, min(elements) AS elements FROM right_join_sizes;
SET LOCAL data_bridge.max_rows = 10;
SELECT fetch_with_relations('{"table": "users", "filter": {"tenant_id": 3, "id": {"in": [1, 2]}}, "select_columns": ["id"],
    "relations": [{"name": "posts", "table": "posts", "foreign_key": "posts_tenant_id_user_id_fkey", "join_type": "right"}]}');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- Seeded random single-tenant loads against hand-written SQL (run with literal values). The
-- first post again by its key (one statement on the worker) must be the load's first element.
CREATE TABLE mismatches (tenant int, post int, got jsonb, expected jsonb);
DO $$
DECLARE
    tenant int;
    post_min int;
    threshold int;
    lim int;
    spec jsonb;
    got jsonb;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 30 LOOP
        tenant := 1 + floor(random() * 20)::int;
        post_min := floor(random() * 30)::int;
        threshold := floor(random() * 100)::int;
        lim := 1 + floor(random() * 4)::int;
        spec := jsonb_build_object('table', 'posts', 'select_columns', jsonb_build_array('id', 'user_id'),
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'comments', 'table', 'comments', 'select_columns', jsonb_build_array('id', 'score'),
                    'filter', jsonb_build_object('score', jsonb_build_object('gte', threshold)),
                    'order_by', jsonb_build_array(jsonb_build_array('score', 'desc')), 'limit', lim),
                jsonb_build_object('name', 'author', 'table', 'users', 'select_columns', jsonb_build_array('name')),
                jsonb_build_object('name', 'n', 'table', 'comments', 'count', true)));
        got := fetch_with_relations(spec || jsonb_build_object('order_by', jsonb_build_array('id'),
            'filter', jsonb_build_object('tenant_id', tenant, 'id', jsonb_build_object('gte', post_min))));
        EXECUTE format($q$
            SELECT COALESCE(jsonb_agg(jsonb_build_object('id', p.id, 'user_id', p.user_id,
                'comments', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'score', c.score)
                                                       ORDER BY c.score DESC, c.id), '[]')
                             FROM (SELECT * FROM comments c WHERE c.tenant_id = %1$s AND c.post_id = p.id
                                   AND c.score >= %2$s ORDER BY c.score DESC, c.id LIMIT %3$s) c),
                'author', (SELECT jsonb_build_object('name', u.name) FROM users u
                           WHERE u.tenant_id = %1$s AND u.id = p.user_id),
                'n', (SELECT count(*) FROM comments c WHERE c.tenant_id = %1$s AND c.post_id = p.id))
                ORDER BY p.id), '[]')
            FROM posts p WHERE p.tenant_id = %1$s AND p.id >= %4$s$q$, tenant, threshold, lim, post_min)
            INTO expected;
        IF got IS DISTINCT FROM expected THEN
            INSERT INTO mismatches VALUES (tenant, post_min, got, expected);
        END IF;
        IF jsonb_array_length(expected) > 0 THEN
            got := fetch_with_relations(spec || jsonb_build_object('id',
                jsonb_build_object('tenant_id', tenant, 'id', expected -> 0 -> 'id')));
            IF got IS DISTINCT FROM expected -> 0 THEN
                INSERT INTO mismatches VALUES (tenant, post_min, got, expected -> 0);
            END IF;
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS mismatches FROM mismatches;
SELECT * FROM mismatches LIMIT 2;
DROP TABLE mismatches;

-- Pages and streams of one tenant.
SELECT fetch_page_with_relations('{"table": "posts", "filter": {"tenant_id": 3}, "limit": 2, "order_by": "id",
    "select_columns": ["id"], "relations": [{"name": "comments", "table": "comments", "count": true}]}') -> 'rows' AS first_page;
SELECT count(*) AS streamed, sum(jsonb_array_length(r -> 'comments')) AS with_comments
FROM fetch_rows_with_relations('{"table": "posts", "filter": {"tenant_id": 3},
    "relations": [{"name": "comments", "table": "comments", "select_columns": ["id"]}]}') AS r;
SELECT sum(CASE WHEN c.post_id IS NOT NULL THEN 1 ELSE 0 END) AS comments_of_tenant_3 FROM comments c WHERE c.tenant_id = 3;

-- Across tenants: the top level alone, and reference-table relations, work as plain SELECTs.
SELECT fetch_with_relations('{"table": "posts", "filter": {"id": 1}, "order_by": ["tenant_id"], "limit": 2,
    "select_columns": ["tenant_id", "category_id"], "relations": [{"name": "category", "table": "categories"}]}')
    = (SELECT jsonb_agg(jsonb_build_object('tenant_id', p.tenant_id, 'category_id', p.category_id,
                                           'category', to_jsonb(c)) ORDER BY p.tenant_id)
       FROM (SELECT * FROM posts WHERE id = 1 ORDER BY tenant_id LIMIT 2) p JOIN categories c ON c.id = p.category_id)
    AS across_tenants_same_as_sql;
-- Across tenants, a relation to a distributed table joined on its distribution column loads
-- per tenant of its parents: a statement per tenant, each on its shard (one-to-many and
-- many-to-one, nested, paged per parent). Seeded random loads against hand-written SQL.
CREATE TABLE cross_mismatches (tenants int[], got jsonb, expected jsonb);
DO $$
DECLARE
    tenants int[];
    post_id int;
    threshold int;
    lim int;
    spec jsonb;
    got jsonb;
    got_json json;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 30 LOOP
        tenants := ARRAY(SELECT DISTINCT 1 + floor(random() * 21)::int FROM generate_series(1, 1 + floor(random() * 6)::int));
        post_id := 1 + floor(random() * 30)::int;
        threshold := floor(random() * 100)::int;
        lim := 1 + floor(random() * 3)::int;
        spec := jsonb_build_object('table', 'posts',
            'order_by', jsonb_build_array('tenant_id', 'id'),
            'filter', jsonb_build_object('tenant_id', jsonb_build_object('in', to_jsonb(tenants)),
                                         'id', jsonb_build_object('lte', post_id)),
            'select_columns', jsonb_build_array('tenant_id', 'id'),
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'comments', 'table', 'comments', 'select_columns', jsonb_build_array('id', 'score'),
                    'filter', jsonb_build_object('score', jsonb_build_object('gte', threshold)),
                    'order_by', jsonb_build_array(jsonb_build_array('score', 'desc'), 'id'), 'limit', lim,
                    'relations', jsonb_build_array(jsonb_build_object('name', 'by', 'table', 'users',
                        'foreign_key', 'comments_tenant_id_user_id_fkey', 'select_columns', jsonb_build_array('name')))),
                jsonb_build_object('name', 'author', 'table', 'users', 'select_columns', jsonb_build_array('name')),
                jsonb_build_object('name', 'category', 'table', 'categories', 'select_columns', jsonb_build_array('name'))));
        got := fetch_with_relations(spec);
        EXECUTE format($q$
            SELECT COALESCE(jsonb_agg(jsonb_build_object('tenant_id', p.tenant_id, 'id', p.id,
                'comments', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', c.id, 'score', c.score, 'by', (
                                 SELECT jsonb_build_object('name', u.name) FROM users u
                                 WHERE u.tenant_id = c.tenant_id AND u.id = c.user_id))
                                 ORDER BY c.score DESC, c.id), '[]')
                             FROM (SELECT * FROM comments c WHERE c.tenant_id = p.tenant_id AND c.post_id = p.id
                                   AND c.score >= %2$s ORDER BY c.score DESC, c.id LIMIT %3$s) c),
                'author', (SELECT jsonb_build_object('name', u.name) FROM users u
                           WHERE u.tenant_id = p.tenant_id AND u.id = p.user_id),
                'category', (SELECT jsonb_build_object('name', g.name) FROM categories g WHERE g.id = p.category_id))
                ORDER BY p.tenant_id, p.id), '[]')
            FROM posts p WHERE p.tenant_id = ANY (%1$L::int[]) AND p.id <= %4$s$q$, tenants, threshold, lim, post_id)
            INTO expected;
        got_json := fetch_with_relations_json(spec);
        IF got IS DISTINCT FROM expected OR got_json::text IS DISTINCT FROM got::text THEN
            INSERT INTO cross_mismatches VALUES (tenants, got, expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS cross_tenant_mismatches FROM cross_mismatches;
SELECT * FROM cross_mismatches LIMIT 2;
DROP TABLE cross_mismatches;
-- Every tenant at once, streamed, with the same rows as one call.
SELECT count(*) AS streamed_posts, sum(jsonb_array_length(r -> 'comments')) AS comments,
       sum(jsonb_array_length(r -> 'comments')) = (SELECT count(*) FROM comments) AS every_comment
FROM fetch_rows_with_relations('{"table": "posts", "select_columns": ["id"],
    "relations": [{"name": "comments", "table": "comments", "select_columns": ["id"]}]}') AS r;
-- A load with no value to bind (no filter at all) runs its statements without parameters (an
-- empty parameter list crashed Citus' executor).
SELECT jsonb_array_length(fetch_with_relations('{"table": "users", "select_columns": ["id"], "relations": [
    {"name": "posts", "table": "posts", "foreign_key": "posts_tenant_id_user_id_fkey", "select_columns": ["id"]}]}'))
    = (SELECT count(*) FROM users) AS every_user;
-- Each run per tenant counts toward data_bridge.max_load_size besides its rows (its plan and
-- result), so a load over many tenants is bounded too.
SET data_bridge.max_load_size = '64kB';
SELECT fetch_with_relations('{"table": "users", "filter": {"id": 1}, "select_columns": ["id"], "relations": [
    {"name": "posts", "table": "posts", "foreign_key": "posts_tenant_id_user_id_fkey", "select_columns": ["id"], "limit": 1}]}') IS NULL;
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_load_size;
-- What needs one tenant's load is refused, naming what to do: inner joins of a distributed table
-- across tenants, an order by a related distributed row; a relation not
-- joined on the distribution column, or on one of a domain type (Citus would not route it).
SELECT fetch_with_relations('{"table": "users", "filter": {"id": 1}, "relations": [{"name": "posts", "table": "posts",
    "foreign_key": "posts_tenant_id_user_id_fkey", "order_by": [["author.name", "asc"]],
    "relations": [{"name": "author", "table": "users", "foreign_key": "posts_tenant_id_user_id_fkey"}]}]}');
\echo :LAST_ERROR_SQLSTATE
CREATE DOMAIN tenant_ref AS int;
CREATE TABLE domain_parents (t tenant_ref, id int, PRIMARY KEY (t, id));
CREATE TABLE domain_children (t tenant_ref, id int, parent_id int, PRIMARY KEY (t, id));
SELECT create_distributed_table('domain_parents', 't');
SELECT create_distributed_table('domain_children', 't', colocate_with => 'domain_parents');
ALTER TABLE domain_children ADD FOREIGN KEY (t, parent_id) REFERENCES domain_parents;
SELECT fetch_with_relations('{"table": "domain_parents", "relations": [{"name": "children", "table": "domain_children"}]}');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE domain_children, domain_parents;
DROP DOMAIN tenant_ref;
-- Across tenants, a count or aggregate of a distributed table is a batch of values of its own
-- (one per parent key, run per tenant), nested too; seeded random loads against hand-written SQL.
CREATE TABLE value_mismatches (tenants int[], got jsonb, expected jsonb);
DO $$
DECLARE
    tenants int[];
    post_id int;
    threshold int;
    spec jsonb;
    got jsonb;
    got_json json;
    expected jsonb;
BEGIN
    FOR i IN 1 .. 15 LOOP
        tenants := ARRAY(SELECT DISTINCT 1 + floor(random() * 21)::int FROM generate_series(1, 1 + floor(random() * 5)::int));
        post_id := 1 + floor(random() * 30)::int;
        threshold := floor(random() * 100)::int;
        spec := jsonb_build_object('table', 'posts',
            'order_by', jsonb_build_array('tenant_id', 'id'),
            'filter', jsonb_build_object('tenant_id', jsonb_build_object('in', to_jsonb(tenants)),
                                         'id', jsonb_build_object('lte', post_id)),
            'select_columns', jsonb_build_array('tenant_id', 'id'),
            'relations', jsonb_build_array(
                jsonb_build_object('name', 'n', 'table', 'comments', 'count', true,
                    'filter', jsonb_build_object('score', jsonb_build_object('gte', threshold))),
                jsonb_build_object('name', 'top', 'table', 'comments', 'aggregate', jsonb_build_object('max', 'score')),
                jsonb_build_object('name', 'total', 'table', 'comments', 'aggregate', jsonb_build_object('sum', 'score'),
                    'filter', jsonb_build_object('score', jsonb_build_object('gte', threshold))),
                jsonb_build_object('name', 'author', 'table', 'users', 'select_columns', jsonb_build_array('name'),
                    'relations', jsonb_build_array(jsonb_build_object('name', 'posts', 'table', 'posts',
                        'foreign_key', 'posts_tenant_id_user_id_fkey', 'count', true)))));
        got := fetch_with_relations(spec);
        EXECUTE format($q$
            SELECT COALESCE(jsonb_agg(jsonb_build_object('tenant_id', p.tenant_id, 'id', p.id,
                'n', (SELECT count(*) FROM comments c WHERE c.tenant_id = p.tenant_id AND c.post_id = p.id AND c.score >= %2$s),
                'top', (SELECT to_jsonb(max(c.score)) FROM comments c WHERE c.tenant_id = p.tenant_id AND c.post_id = p.id),
                'total', (SELECT to_jsonb(sum(c.score)) FROM comments c WHERE c.tenant_id = p.tenant_id AND c.post_id = p.id AND c.score >= %2$s),
                'author', (SELECT jsonb_build_object('name', u.name, 'posts',
                               (SELECT count(*) FROM posts q WHERE q.tenant_id = u.tenant_id AND q.user_id = u.id))
                           FROM users u WHERE u.tenant_id = p.tenant_id AND u.id = p.user_id))
                ORDER BY p.tenant_id, p.id), '[]')
            FROM posts p WHERE p.tenant_id = ANY (%1$L::int[]) AND p.id <= %3$s$q$, tenants, threshold, post_id)
            INTO expected;
        got_json := fetch_with_relations_json(spec);
        IF got IS DISTINCT FROM expected OR got_json::text IS DISTINCT FROM got::text THEN
            INSERT INTO value_mismatches VALUES (tenants, got, expected);
        END IF;
    END LOOP;
END $$;
SELECT count(*) AS value_mismatches FROM value_mismatches;
SELECT * FROM value_mismatches LIMIT 2;
DROP TABLE value_mismatches;
-- A parent without a tenant (a reference table's row with a NULL key) gets the values over no
-- related rows: a count of 0, a max of null.
CREATE TABLE boards (id int PRIMARY KEY, tenant_id int UNIQUE);
SELECT create_reference_table('boards');
INSERT INTO boards SELECT g, g FROM generate_series(1, 25) g;
INSERT INTO boards VALUES (100, NULL);
ALTER TABLE posts ADD CONSTRAINT posts_board FOREIGN KEY (tenant_id) REFERENCES boards (tenant_id);
SELECT fetch_with_relations('{"table": "boards", "filter": {"id": {"in": [2, 5, 100]}}, "select_columns": ["id"],
    "relations": [{"name": "posts", "table": "posts", "foreign_key": "posts_board", "count": true},
                  {"name": "latest", "table": "posts", "foreign_key": "posts_board", "aggregate": {"max": "id"}}]}');
-- With no parent of a tenant no batch runs: the value over no rows is read all the same, and
-- so are the caller's rights on the table (42501 without SELECT, as in SQL).
CREATE ROLE board_reader LOGIN;
GRANT SELECT ON boards TO board_reader;
SET ROLE board_reader;
SELECT fetch_with_relations('{"table": "boards", "filter": {"id": 100}, "select_columns": ["id"],
    "relations": [{"name": "posts", "table": "posts", "foreign_key": "posts_board", "count": true}]}');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
DROP OWNED BY board_reader;
DROP ROLE board_reader;
-- The parent's statement spans tenants: a filter or order on such a value is refused.
SELECT fetch_with_relations('{"table": "posts", "filter": {"id": 1, "n": {"gt": 2}}, "relations": [{"name": "n", "table": "comments", "count": true}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "posts", "filter": {"id": 1}, "order_by": ["n"], "relations": [{"name": "n", "table": "comments", "count": true}]}');
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE posts DROP CONSTRAINT posts_board;
DROP TABLE boards;
-- A load remembered while its tables were local is planned again once they are distributed
-- (how Citus places a table is part of what a remembered load depends on).
CREATE TABLE local_parents (tenant_id int, id int, PRIMARY KEY (tenant_id, id));
CREATE TABLE local_children (tenant_id int, id int, parent_id int, PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES local_parents);
INSERT INTO local_parents SELECT t, 1 FROM generate_series(1, 4) t;
INSERT INTO local_children SELECT t, g, 1 FROM generate_series(1, 4) t, generate_series(1, t) g;
SELECT fetch_with_relations('{"table": "local_parents", "select_columns": ["tenant_id"], "order_by": ["tenant_id"],
    "relations": [{"name": "n", "table": "local_children", "count": true}]}') AS while_local;
SELECT create_distributed_table('local_parents', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('local_children', 'tenant_id', colocate_with => 'users');
SELECT fetch_with_relations('{"table": "local_parents", "select_columns": ["tenant_id"], "order_by": ["tenant_id"],
    "relations": [{"name": "n", "table": "local_children", "count": true}]}') AS once_distributed;
DROP TABLE local_children, local_parents;
SELECT fetch_with_relations('{"table": "posts", "filter": {"id": 1}, "relations": [{"name": "c", "table": "comments", "join_type": "inner"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT fetch_with_relations('{"table": "categories", "relations": [{"name": "posts", "table": "posts"}]}');
\echo :LAST_ERROR_SQLSTATE

-- Lazy loads and back references.
-- (A call inside a query over a distributed table would be pushed to a worker, where Citus
-- refuses to run a distributed query: call data_bridge in a statement of its own.)
SELECT fetch_related('posts', '{"tenant_id": 3, "id": 1}', 'posts_tenant_id_user_id_fkey') AS related \gset
SELECT :'related'::jsonb = (SELECT to_jsonb(u) FROM users u JOIN posts p ON p.tenant_id = u.tenant_id
    AND p.user_id = u.id WHERE p.tenant_id = 3 AND p.id = 1) AS fetch_related_same;
SELECT fetch_referenced('categories', 'id', 2) ->> 'name' AS reference_table_row;
SELECT backref_count('posts', 'category_id', 2) = (SELECT count(*) FROM posts WHERE category_id = 2) AS backref_count_same;
SELECT backref_fetch_all('comments', 'post_id', 7, '"id"', 3) -> 0 ->> 'id' IS NOT NULL AS backref_rows;

-- Writes into distributed tables.
SELECT insert_one('users', '{"tenant_id": 21, "id": 1, "name": "new"}') ->> 'name' AS inserted;
SELECT insert_with_relations('users', '{"tenant_id": 21, "id": 2, "name": "nested",
    "posts": [{"id": 1, "title": "first", "category_id": 1}]}') -> 'posts' -> 0 ->> 'title' AS nested_insert;
SELECT count(*) AS tenant_21_posts FROM posts WHERE tenant_id = 21;

-- Cascades: tenant_cascades.sql.
-- A many-to-many relation through a distributed junction: refused, naming the junction; its
-- rows load as a relation of their own, with the far table as theirs.
CREATE TABLE tags (id int PRIMARY KEY, name text);
SELECT create_reference_table('tags');
CREATE TABLE post_tags (tenant_id int, post_id int, tag_id int REFERENCES tags,
    PRIMARY KEY (tenant_id, post_id, tag_id));
SELECT create_distributed_table('post_tags', 'tenant_id', colocate_with => 'users');
ALTER TABLE post_tags ADD FOREIGN KEY (tenant_id, post_id) REFERENCES posts;
INSERT INTO tags VALUES (1, 'a'), (2, 'b');
INSERT INTO post_tags VALUES (3, 1, 2), (3, 1, 1), (4, 1, 1);
SELECT fetch_with_relations('{"table": "posts", "filter": {"tenant_id": 3, "id": 1},
    "relations": [{"name": "tags", "table": "tags", "through": "post_tags"}]}');
\echo :LAST_ERROR_SQLSTATE
SELECT jsonb_path_query_array(fetch_with_relations('{"table": "posts", "filter": {"tenant_id": 3, "id": 1},
    "relations": [{"name": "post_tags", "table": "post_tags", "order_by": ["tag_id"],
                   "relations": [{"name": "tag", "table": "tags"}]}]}'), '$[*].post_tags[*].tag.name') AS tag_names;
DROP TABLE post_tags, tags;

DROP TABLE comments, posts, users, categories;
DROP EXTENSION data_bridge;
