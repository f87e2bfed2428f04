-- The foreign-key model and the remembered call shapes survive invalidations that change
-- nothing they depend on (ANALYZE, VACUUM: statistics), and are refreshed by those that do (a
-- renamed column, a new index, a changed column type, a new foreign key).
\set SHOW_CONTEXT never
\set VERBOSITY terse

CREATE TABLE mi_users (id int PRIMARY KEY, name text);
CREATE TABLE mi_posts (id int PRIMARY KEY, user_id int REFERENCES mi_users, title text);
CREATE TABLE mi_other (id int PRIMARY KEY);
INSERT INTO mi_users VALUES (1, 'Ada');
INSERT INTO mi_posts VALUES (10, 1, 'first');
INSERT INTO mi_other VALUES (1);

SELECT count(*) AS keys_into_users FROM get_backreferences('mi_users');
-- The model's row of cache_usage(): the keys read so far, and their memory (no bound: the model
-- holds the tables calls touch).
SELECT u.entries = s.foreign_keys AS keys_add_up, u.bytes >= u.entries * 200 AS model_measured,
       u.max_entries IS NULL AND u.max_bytes IS NULL AS unbounded
FROM cache_usage() u, cache_stats() s WHERE u.cache = 'foreign-key model';
-- Graphs a transaction replaced are held until it ends (a caller may still use one): counted.
SELECT bytes AS model_bytes FROM cache_usage() WHERE cache = 'foreign-key model' \gset
BEGIN;
CREATE TABLE mi_rebuilt (id int PRIMARY KEY, user_id int);
DO $$ BEGIN FOR i IN 1 .. 4 LOOP
    EXECUTE format('ALTER TABLE mi_rebuilt ADD CONSTRAINT mi_rebuilt_%s FOREIGN KEY (user_id) REFERENCES mi_users', i);
    PERFORM count(*) FROM get_backreferences('mi_users');
END LOOP; END $$;
SELECT bytes > 3 * :model_bytes AS replaced_graphs_counted FROM cache_usage() WHERE cache = 'foreign-key model';
ROLLBACK;
SELECT count(*) FROM get_backreferences('mi_users');
SELECT bytes < 2 * :model_bytes AS freed_at_transaction_end FROM cache_usage() WHERE cache = 'foreign-key model';

-- Planned once, then remembered.
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]');
SELECT graph_builds AS builds, catalog_generation AS generation FROM cache_stats() \gset before_
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]');

-- Statistics only: nothing is rebuilt or dropped.
ANALYZE mi_users;
ANALYZE mi_posts;
VACUUM mi_posts;
ANALYZE mi_other;
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]');
SELECT graph_builds = :before_builds AS graph_kept, catalog_generation = :before_generation AS shapes_kept
FROM cache_stats();

-- A new table without constraints (its row type is a new type) and a new enum type of its own
-- change nothing the shapes depend on: they are kept.
CREATE TABLE mi_scratch (a int, b text);
CREATE TYPE mi_mood AS ENUM ('ok');
DROP TABLE mi_scratch;
DROP TYPE mi_mood;
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]');
SELECT catalog_generation = :before_generation AS shapes_kept_after_unrelated_types FROM cache_stats();
-- A renamed domain that a remembered filter casts its value to: the shapes are refreshed, and
-- the call works under the new name.
CREATE DOMAIN mi_label AS text;
CREATE TABLE mi_tagged (id int, label mi_label);  -- no constraint: the graph is kept
INSERT INTO mi_tagged VALUES (1, 'x');
SELECT fetch_many_with_relations('mi_tagged', filter => '{"label": "x"}') AS by_label;
SELECT fetch_many_with_relations('mi_tagged', filter => '{"label": "x"}') AS by_label_remembered;
SELECT catalog_generation AS generation FROM cache_stats() \gset before_rename_
ALTER DOMAIN mi_label RENAME TO mi_label_renamed;
DISCARD PLANS;  -- kept statement text naming the old type would now fail to parse
SELECT fetch_many_with_relations('mi_tagged', filter => '{"label": "x"}') AS by_label_after_rename;
SELECT catalog_generation > :before_rename_generation AS shapes_dropped_for_a_watched_type FROM cache_stats();
DROP TABLE mi_tagged;
DROP DOMAIN mi_label_renamed;

-- A renamed column: the shapes are refreshed, and the answer follows (the graph is kept: no
-- foreign key has that column).
ALTER TABLE mi_posts RENAME COLUMN title TO headline;
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]');
SELECT graph_builds = :before_builds AS graph_kept, catalog_generation > :before_generation AS shapes_dropped
FROM cache_stats();
SELECT graph_builds AS builds, catalog_generation AS generation FROM cache_stats() \gset after_rename_

-- A renamed foreign-key column and a new index on it: the graph reads them.
SELECT source_column, is_indexed FROM get_backreferences('mi_users');
ALTER TABLE mi_posts RENAME COLUMN user_id TO author_id;
SELECT source_column, is_indexed FROM get_backreferences('mi_users');
CREATE INDEX ON mi_posts (author_id);
SELECT source_column, is_indexed FROM get_backreferences('mi_users');
SELECT graph_builds > :after_rename_builds AS graph_rebuilt FROM cache_stats();
-- A changed column type: rendered with the new type.
ALTER TABLE mi_users ALTER COLUMN name TYPE varchar(10);
SELECT fetch_one_with_relations('mi_users', 1);
SELECT catalog_generation > :after_rename_generation AS shapes_dropped_again FROM cache_stats();
-- A new foreign key: seen at once.
CREATE TABLE mi_likes (id int PRIMARY KEY, post_id int REFERENCES mi_posts);
SELECT string_agg(source_table::text, ',') FROM get_backreferences('mi_posts');

-- Constraints elsewhere (a new table's primary key, foreign keys between tables the model
-- never read, a new schema) drop nothing: pg_constraint changes reach the model only through
-- the invalidations of the tables they concern.
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]') IS NOT NULL AS loaded;
SELECT graph_builds AS builds, catalog_generation AS generation FROM cache_stats() \gset kept_
CREATE TABLE mi_far_a (id int PRIMARY KEY);
CREATE TABLE mi_far_b (id int PRIMARY KEY, a_id int REFERENCES mi_far_a ON DELETE CASCADE);
ALTER TABLE mi_far_b ADD CONSTRAINT mi_far_b_positive CHECK (id > 0);
ALTER TABLE mi_far_b RENAME CONSTRAINT mi_far_b_a_id_fkey TO mi_far_b_to_a;
ALTER TABLE mi_far_b DROP CONSTRAINT mi_far_b_to_a;
CREATE SCHEMA mi_far_schema;
ALTER SCHEMA mi_far_schema RENAME TO mi_far_schema_2;
DROP SCHEMA mi_far_schema_2;
DROP TABLE mi_far_b, mi_far_a;
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "posts", "table": "mi_posts"}]') IS NOT NULL AS loaded;
SELECT graph_builds = :kept_builds AS graph_kept, catalog_generation = :kept_generation AS shapes_kept
FROM cache_stats();

-- A key added from a table the model never read, into one whose references it did read: the
-- referenced table's invalidation (its new triggers) brings it in.
SELECT string_agg(source_table::text, ',' ORDER BY source_table::text) AS refs FROM get_backreferences('mi_users');
CREATE TABLE mi_fresh (id int PRIMARY KEY, fan_of int);
ALTER TABLE mi_fresh ADD CONSTRAINT mi_fresh_fan FOREIGN KEY (fan_of) REFERENCES mi_users ON DELETE CASCADE;
SELECT string_agg(source_table::text, ',' ORDER BY source_table::text) AS refs FROM get_backreferences('mi_users');
INSERT INTO mi_fresh VALUES (1, 1);
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "fans", "table": "mi_fresh"}]') -> 'fans' AS fans;
-- Renamed, deferred, dropped: each seen from the referenced side.
ALTER TABLE mi_fresh RENAME CONSTRAINT mi_fresh_fan TO mi_fresh_follows;
SELECT constraint_name FROM get_backreferences('mi_users') WHERE source_table = 'mi_fresh';
ALTER TABLE mi_fresh ALTER CONSTRAINT mi_fresh_follows DEFERRABLE INITIALLY DEFERRED;
SELECT constraint_name, is_deferrable, initially_deferred FROM get_backreferences('mi_users') WHERE source_table = 'mi_fresh';
ALTER TABLE mi_fresh DROP CONSTRAINT mi_fresh_follows;
SELECT count(*) AS fresh_refs FROM get_backreferences('mi_users') WHERE source_table = 'mi_fresh';
-- Dropped and added again with another rule in one transaction: a new key, read as such.
ALTER TABLE mi_fresh ADD CONSTRAINT mi_fresh_fan FOREIGN KEY (fan_of) REFERENCES mi_users ON DELETE CASCADE;
SELECT on_delete FROM get_backreferences('mi_users') WHERE source_table = 'mi_fresh';
BEGIN;
ALTER TABLE mi_fresh DROP CONSTRAINT mi_fresh_fan;
ALTER TABLE mi_fresh ADD CONSTRAINT mi_fresh_fan FOREIGN KEY (fan_of) REFERENCES mi_users ON DELETE SET NULL;
COMMIT;
SELECT on_delete FROM get_backreferences('mi_users') WHERE source_table = 'mi_fresh';
-- A renamed schema of a table the model holds: its names follow.
CREATE SCHEMA mi_side;
CREATE TABLE mi_side.notes (id int PRIMARY KEY, user_id int REFERENCES mi_users);
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "notes", "table": "mi_side.notes"}]') -> 'notes' AS notes;
SELECT source_schema FROM get_backreferences('mi_users') WHERE source_table = 'notes';
ALTER SCHEMA mi_side RENAME TO mi_side_2;
SELECT source_schema FROM get_backreferences('mi_users') WHERE source_table = 'notes';
DISCARD PLANS;  -- kept statement text naming the old schema would now fail to parse
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "notes", "table": "mi_side_2.notes"}]') -> 'notes' AS notes;
DROP SCHEMA mi_side_2 CASCADE;
DROP TABLE mi_fresh;

-- A primary key made of an existing unique index changes only that the index is the primary
-- key: the rows below are ordered by it from then on.
CREATE TABLE mi_par (id int PRIMARY KEY);
CREATE TABLE mi_kids (id int NOT NULL, par_id int REFERENCES mi_par, note text);
CREATE UNIQUE INDEX mi_kids_id_key ON mi_kids (id);
INSERT INTO mi_par VALUES (1);
INSERT INTO mi_kids VALUES (3, 1, 'c'), (1, 1, 'a'), (2, 1, 'b');
SELECT fetch_one_with_relations('mi_par', 1, '[{"name": "kids", "table": "mi_kids"}]') IS NOT NULL AS planned;
SELECT fetch_one_with_relations('mi_par', 1, '[{"name": "kids", "table": "mi_kids"}]') IS NOT NULL AS remembered;
ALTER TABLE mi_kids ADD CONSTRAINT mi_kids_pkey PRIMARY KEY USING INDEX mi_kids_id_key;
SELECT fetch_one_with_relations('mi_par', 1, '[{"name": "kids", "table": "mi_kids"}]') -> 'kids' AS kids_by_key;
DROP TABLE mi_kids, mi_par;

-- A renamed schema of a type that a remembered filter casts its value to (not of a table).
CREATE SCHEMA mi_types;
CREATE DOMAIN mi_types.label AS text;
CREATE TABLE mi_labelled (id int PRIMARY KEY, label mi_types.label);
INSERT INTO mi_labelled VALUES (1, 'x');
SELECT fetch_many_with_relations('mi_labelled', filter => '{"label": "x"}') AS by_label;
SELECT fetch_many_with_relations('mi_labelled', filter => '{"label": "x"}') AS by_label_remembered;
ALTER SCHEMA mi_types RENAME TO mi_types_2;
DISCARD PLANS;  -- kept statement text naming the old schema would now fail to parse
SELECT fetch_many_with_relations('mi_labelled', filter => '{"label": "x"}') AS by_label_after_rename;
DROP TABLE mi_labelled;
DROP SCHEMA mi_types_2 CASCADE;

-- A schema renamed, then named by a call that records names (insert_one) before any call
-- compares them: the rename is still seen, and a look-alike schema under the old name is not read.
CREATE SCHEMA mi_ms;
CREATE TABLE mi_ms.users (id int PRIMARY KEY, name text);
CREATE TABLE mi_ms.posts (id int PRIMARY KEY, user_id int REFERENCES mi_ms.users, title text);
INSERT INTO mi_ms.users VALUES (1, 'real');
INSERT INTO mi_ms.posts VALUES (10, 1, 'real post');
SELECT fetch_one_with_relations('mi_ms.users', 1, '[{"name": "posts", "table": "mi_ms.posts"}]') AS loaded;
SELECT fetch_one_with_relations('mi_ms.users', 1, '[{"name": "posts", "table": "mi_ms.posts"}]') AS remembered;
ALTER SCHEMA mi_ms RENAME TO mi_ms2;
SELECT insert_one('mi_ms2.users', '{"id": 2, "name": "two"}') ->> 'name' AS inserted;
CREATE SCHEMA mi_ms;
CREATE TABLE mi_ms.users (id int PRIMARY KEY, name text);
CREATE TABLE mi_ms.posts (id int PRIMARY KEY, user_id int, title text);
INSERT INTO mi_ms.users VALUES (1, 'impostor');
INSERT INTO mi_ms.posts VALUES (99, 1, 'impostor post');
SELECT fetch_one_with_relations('mi_ms2.users', 1, '[{"name": "posts", "table": "mi_ms2.posts"}]') AS after_rename;
SELECT source_schema FROM get_references('mi_ms2.posts');
DROP SCHEMA mi_ms CASCADE;
DROP SCHEMA mi_ms2 CASCADE;

-- A type whose equality operator lives in a schema of its own: moving the operator to another
-- schema drops the remembered statements that name it.
CREATE SCHEMA mi_typs;
CREATE SCHEMA mi_ops;
CREATE TYPE mi_typs.code;
CREATE FUNCTION mi_typs.code_in(cstring) RETURNS mi_typs.code LANGUAGE internal IMMUTABLE STRICT AS 'textin';
CREATE FUNCTION mi_typs.code_out(mi_typs.code) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'textout';
CREATE TYPE mi_typs.code (INPUT = mi_typs.code_in, OUTPUT = mi_typs.code_out, LIKE = text, COLLATABLE = true);
CREATE FUNCTION mi_ops.code_eq(mi_typs.code, mi_typs.code) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'texteq';
CREATE FUNCTION mi_ops.code_lt(mi_typs.code, mi_typs.code) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'text_lt';
CREATE FUNCTION mi_ops.code_le(mi_typs.code, mi_typs.code) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'text_le';
CREATE FUNCTION mi_ops.code_gt(mi_typs.code, mi_typs.code) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'text_gt';
CREATE FUNCTION mi_ops.code_ge(mi_typs.code, mi_typs.code) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'text_ge';
CREATE FUNCTION mi_ops.code_cmp(mi_typs.code, mi_typs.code) RETURNS int LANGUAGE internal IMMUTABLE STRICT AS 'bttextcmp';
CREATE OPERATOR mi_ops.= (LEFTARG = mi_typs.code, RIGHTARG = mi_typs.code, FUNCTION = mi_ops.code_eq,
                          COMMUTATOR = OPERATOR(mi_ops.=), RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR mi_ops.< (LEFTARG = mi_typs.code, RIGHTARG = mi_typs.code, FUNCTION = mi_ops.code_lt);
CREATE OPERATOR mi_ops.<= (LEFTARG = mi_typs.code, RIGHTARG = mi_typs.code, FUNCTION = mi_ops.code_le);
CREATE OPERATOR mi_ops.> (LEFTARG = mi_typs.code, RIGHTARG = mi_typs.code, FUNCTION = mi_ops.code_gt);
CREATE OPERATOR mi_ops.>= (LEFTARG = mi_typs.code, RIGHTARG = mi_typs.code, FUNCTION = mi_ops.code_ge);
CREATE OPERATOR CLASS mi_ops.code_ops DEFAULT FOR TYPE mi_typs.code USING btree AS
  OPERATOR 1 mi_ops.<, OPERATOR 2 mi_ops.<=, OPERATOR 3 mi_ops.=, OPERATOR 4 mi_ops.>=, OPERATOR 5 mi_ops.>,
  FUNCTION 1 mi_ops.code_cmp(mi_typs.code, mi_typs.code);
CREATE TABLE mi_coded (code mi_typs.code PRIMARY KEY, note text);
CREATE TABLE mi_coded_kids (id int PRIMARY KEY, code mi_typs.code REFERENCES mi_coded, v text);
INSERT INTO mi_coded VALUES ('A', 'pa'), ('B', 'pb');
INSERT INTO mi_coded_kids VALUES (1, 'A', 'c1'), (2, 'A', 'c2'), (3, 'B', 'c3');
SELECT fetch_many_with_relations('mi_coded', '[{"name": "kids", "table": "mi_coded_kids"}]', order_by => '"code"') AS loaded;
SELECT fetch_many_with_relations('mi_coded', '[{"name": "kids", "table": "mi_coded_kids"}]', order_by => '"code"') AS remembered;
SELECT catalog_generation AS generation FROM cache_stats() \gset before_move_
CREATE SCHEMA mi_ops3;
ALTER OPERATOR mi_ops.= (mi_typs.code, mi_typs.code) SET SCHEMA mi_ops3;
DISCARD PLANS;  -- kept statement text naming the operator's old schema would now fail to parse
SELECT fetch_many_with_relations('mi_coded', '[{"name": "kids", "table": "mi_coded_kids"}]', order_by => '"code"') AS after_move;
SELECT catalog_generation > :before_move_generation AS shapes_dropped FROM cache_stats();
DROP TABLE mi_coded_kids, mi_coded;
DROP SCHEMA mi_typs, mi_ops, mi_ops3 CASCADE;

-- The caches are bounded per backend: past data_bridge.max_remembered_shapes a kind of shape
-- starts afresh, past data_bridge.max_cached_plans the plans do.
SET data_bridge.max_remembered_shapes = 16;
SET data_bridge.max_cached_plans = 16;
DO $$ BEGIN FOR i IN 1 .. 40 LOOP
    EXECUTE format('CREATE TABLE mi_many_%s (id int PRIMARY KEY)', i);
    EXECUTE format('INSERT INTO mi_many_%s VALUES (1)', i);
END LOOP; END $$;
SELECT count(fetch_referenced(('mi_many_' || g)::regclass, 'id', 1)) AS fetched,
       count(fetch_one_with_relations(('mi_many_' || g)::regclass, 1)) AS loaded
FROM generate_series(1, 40) g;
SELECT remembered_shapes BETWEEN 1 AND 2 * 16 AS shapes_bounded, cached_plans BETWEEN 1 AND 16 AS plans_bounded FROM cache_stats();
-- Their memory is reported: the kept plans' contexts, a few kB to tens of kB each.
SELECT cached_plans BETWEEN 1 AND 16 AS plans_bounded, plan_bytes BETWEEN cached_plans * 1024 AND 16 * 256 * 1024 AS plan_bytes_bounded,
       remembered_shapes BETWEEN 1 AND 2 * 16 AS shapes_bounded FROM cache_memory();
RESET data_bridge.max_remembered_shapes;
RESET data_bridge.max_cached_plans;
DO $$ BEGIN FOR i IN 1 .. 40 LOOP EXECUTE format('DROP TABLE mi_many_%s', i); END LOOP; END $$;

-- And by memory (data_bridge.max_cached_plan_memory): writes to a table of 400 columns, 60
-- shapes, keep about 50 kB a plan (3 MB in all); with 1 MB the cache starts afresh before 60.
DO $$ BEGIN
    EXECUTE (SELECT format('CREATE TABLE mi_wide (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, %s)',
                           string_agg(format('c%s int', g), ', ')) FROM generate_series(1, 400) g);
END $$;
SET data_bridge.max_cached_plan_memory = '1MB';
SELECT count(insert_one('mi_wide', jsonb_build_object('c' || g, g))) AS written
FROM generate_series(1, 60) g;
SELECT cached_plans < 60 AS plans_dropped, plan_bytes < 8 * 1024 * 1024 AS plan_bytes_bounded
FROM cache_memory();
-- The remembered shapes (their keys and SQL text, which grow with the spec) are bounded by the
-- same number of bytes, apart from the plans: 300 shapes of about 10 kB under 1 MB keep a few
-- dozen; a shape larger than a sixteenth of it is built on each call, not kept.
SELECT remembered_shapes AS shapes_before FROM cache_memory() \gset
SELECT count(fetch_with_relations(jsonb_build_object('table', 'mi_wide', 'filter',
    jsonb_build_object('or', (SELECT jsonb_agg(jsonb_build_object('c1', k)) FROM generate_series(1, 200 + n) k)))))
    AS loaded FROM generate_series(1, 300) n;
SELECT remembered_shapes BETWEEN 1 AND 100 AS shapes_bounded_by_bytes FROM cache_memory();
SELECT remembered_shapes AS shapes_now FROM cache_memory() \gset
SELECT count(fetch_with_relations(jsonb_build_object('table', 'mi_wide', 'filter',
    jsonb_build_object('or', (SELECT jsonb_agg(jsonb_build_object('c1', k)) FROM generate_series(1, 5000) k)))))
    AS huge_loaded;
SELECT remembered_shapes = :shapes_now AS huge_shape_not_kept FROM cache_memory();
-- cache_usage() reports each cache on a row of its own, with the bounds in force: the shape
-- kinds together within the byte bound, each within its count, and what they add up to is what
-- cache_memory() counts.
SELECT cache, entries <= max_entries AS within_count, max_bytes = 1024 * 1024 AS byte_bound
FROM cache_usage() WHERE cache <> 'foreign-key model' ORDER BY cache;
SELECT sum(bytes) FILTER (WHERE cache NOT IN ('prepared plans', 'foreign-key model')) <= 1024 * 1024 AS shapes_within_bytes,
       sum(entries) FILTER (WHERE cache NOT IN ('prepared plans', 'foreign-key model')) =
           (SELECT remembered_shapes FROM cache_memory()) AS shapes_add_up,
       sum(bytes) FILTER (WHERE cache NOT IN ('prepared plans', 'foreign-key model')) > 0 AS shapes_measured,
       sum(entries) FILTER (WHERE cache = 'prepared plans') = (SELECT cached_plans FROM cache_memory()) AS plans_add_up,
       sum(bytes) FILTER (WHERE cache = 'prepared plans') = (SELECT plan_bytes FROM cache_memory()) AS plan_bytes_add_up
FROM cache_usage();
-- 1,000 distinct call shapes (filters on two of the 400 columns) under the default byte bound
-- and 100 shapes of a kind: the programs' row stays within both, and says how much it holds.
RESET data_bridge.max_cached_plan_memory;
SET data_bridge.max_remembered_shapes = 100;
SELECT count(fetch_with_relations(jsonb_build_object('table', 'mi_wide', 'filter',
    jsonb_build_object('c' || (1 + n % 40), 1, 'c' || (41 + n / 40), 2)))) AS loaded
FROM generate_series(0, 999) n;
SELECT entries BETWEEN 1 AND 100 AS programs_bounded, bytes BETWEEN entries * 1024 AND max_bytes AS programs_bytes_bounded
FROM cache_usage() WHERE cache = 'eager load programs';
-- Bounds lowered below what is held apply at the next call, even one whose shape is too large
-- to keep under them (these take about 90 kB each, more than a sixteenth of 1 MB).
SET data_bridge.max_remembered_shapes = 16;
SET data_bridge.max_cached_plan_memory = '1MB';
SELECT count(fetch_with_relations(jsonb_build_object('table', 'mi_wide', 'filter',
    jsonb_build_object('c' || (1 + n % 40), 1, 'c' || (41 + n / 40), 2)))) AS loaded
FROM generate_series(0, 3) n;
SELECT entries <= 16 AS lowered_count_applied, bytes <= 1024 * 1024 AS lowered_bytes_applied
FROM cache_usage() WHERE cache = 'eager load programs';
RESET data_bridge.max_cached_plan_memory;
RESET data_bridge.max_remembered_shapes;
DROP TABLE mi_wide;

-- An index attached to a partitioned index: only the index is invalidated, yet the table's
-- backreference becomes indexed, and a unique one turns the remembered "many" into "one".
CREATE TABLE mi_parts (id int, owner_id int REFERENCES mi_users) PARTITION BY RANGE (owner_id);
CREATE TABLE mi_parts_1 PARTITION OF mi_parts FOR VALUES FROM (0) TO (100);
INSERT INTO mi_parts VALUES (7, 1);
CREATE UNIQUE INDEX mi_parts_owner ON ONLY mi_parts (owner_id);
SELECT source_table, is_indexed FROM get_backreferences('mi_users') WHERE source_table = 'mi_parts';
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "parts", "table": "mi_parts"}]') -> 'parts' AS parts;
CREATE UNIQUE INDEX mi_parts_1_owner ON mi_parts_1 (owner_id);
ALTER INDEX mi_parts_owner ATTACH PARTITION mi_parts_1_owner;
SELECT source_table, is_indexed FROM get_backreferences('mi_users') WHERE source_table = 'mi_parts';
SELECT fetch_one_with_relations('mi_users', 1, '[{"name": "parts", "table": "mi_parts"}]') -> 'parts' AS parts;
DROP TABLE mi_parts;

-- A key's equality is the default btree operator class's, learned from a primary key's index
-- (the type cache's search is slow on cold caches); a new default class replaces it. A type
-- of its own whose first class's "=" is equality and whose second class's "=" is >= (seen with
-- sequential scans, where the operator filters rows).
CREATE SCHEMA mi_eq_a;
CREATE SCHEMA mi_eq_b;
CREATE TYPE mi_num;
CREATE FUNCTION mi_num_in(cstring) RETURNS mi_num LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
CREATE FUNCTION mi_num_out(mi_num) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'int4out';
CREATE TYPE mi_num (INPUT = mi_num_in, OUTPUT = mi_num_out, LIKE = int4);
CREATE FUNCTION mi_num_cmp(mi_num, mi_num) RETURNS int LANGUAGE internal IMMUTABLE STRICT AS 'btint4cmp';
CREATE FUNCTION mi_num_eq(mi_num, mi_num) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int4eq';
CREATE FUNCTION mi_num_ge(mi_num, mi_num) RETURNS bool LANGUAGE internal IMMUTABLE STRICT AS 'int4ge';
CREATE OPERATOR mi_eq_a.= (LEFTARG = mi_num, RIGHTARG = mi_num, FUNCTION = mi_num_eq);
CREATE OPERATOR mi_eq_b.= (LEFTARG = mi_num, RIGHTARG = mi_num, FUNCTION = mi_num_ge);
CREATE OPERATOR CLASS mi_num_ops DEFAULT FOR TYPE mi_num USING btree AS
    OPERATOR 3 mi_eq_a.=, FUNCTION 1 mi_num_cmp(mi_num, mi_num);
CREATE TABLE mi_k1 (id mi_num PRIMARY KEY);
INSERT INTO mi_k1 VALUES ('5'), ('9');
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT fetch_one_with_relations('mi_k1', '7'::text) AS by_equality, fetch_one_with_relations('mi_k1', '9'::text) AS nine;
DROP TABLE mi_k1;
DROP OPERATOR CLASS mi_num_ops USING btree;
CREATE OPERATOR CLASS mi_num_ops_ge DEFAULT FOR TYPE mi_num USING btree AS
    OPERATOR 3 mi_eq_b.=, FUNCTION 1 mi_num_cmp(mi_num, mi_num);
CREATE TABLE mi_k2 (id mi_num PRIMARY KEY);
INSERT INTO mi_k2 VALUES ('5'), ('9');
-- As a plain WHERE id OPERATOR(mi_eq_b.=) '7' finds it: 9 >= 7.
SELECT fetch_one_with_relations('mi_k2', '7'::text) AS by_new_class;
RESET enable_indexscan;
RESET enable_bitmapscan;
DROP TABLE mi_k2;
DROP TYPE mi_num CASCADE;
DROP SCHEMA mi_eq_a, mi_eq_b CASCADE;

-- A dropped table leaves no entry behind: a session that loads and drops tables over and over
-- (temporary tables, rotated partitions) watches as many tables as it has, not every one it had.
SELECT watched_tables AS watched_before FROM cache_stats() \gset
DO $$
BEGIN
    FOR i IN 1 .. 40 LOOP
        CREATE TEMP TABLE mi_scratch (id int PRIMARY KEY, v text);
        INSERT INTO mi_scratch VALUES (1, 'x');
        PERFORM fetch_one_with_relations('mi_scratch', 1);
        DROP TABLE mi_scratch;
    END LOOP;
END $$;
SELECT watched_tables - :watched_before <= 1 AS bounded FROM cache_stats();

DROP TABLE mi_likes, mi_posts, mi_users, mi_other;
