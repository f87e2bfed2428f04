-- delete_with_cascade(), delete_checked(), delete_plan() and delete_many_with_cascade(): the
-- guide's "Cascade Delete Operations" and Troubleshooting examples in SQL, every action, and the
-- odd cases (self-references, cycles, diamonds, composite keys, partitions, quoting, key types).
\set SHOW_CONTEXT never
\pset null '(null)'

-- The guide's "Complete Example": posts cascade, comments RESTRICT.
CREATE TABLE users (id serial PRIMARY KEY, name varchar(255));
CREATE TABLE posts (id serial PRIMARY KEY, title varchar(255),
                    user_id integer REFERENCES users (id) ON DELETE CASCADE);
CREATE TABLE comments (id serial PRIMARY KEY, content text,
                       user_id integer REFERENCES users (id) ON DELETE RESTRICT);
SELECT insert_one('users', '{"name": "Alice"}') ->> 'id' AS alice \gset
SELECT count(*) FROM (SELECT insert_one('posts', jsonb_build_object('title', t, 'user_id', :alice))
                      FROM unnest(ARRAY['Post 1', 'Post 2']) t) inserted;
SELECT insert_one('comments', jsonb_build_object('content', 'Comment 1', 'user_id', :alice)) IS NOT NULL AS inserted;
SELECT source_table || '.' || source_column AS reference, on_delete FROM get_backreferences('users');
SELECT depth, path, table_name, action, "rows", blocks FROM delete_plan('users', :alice);
-- delete_checked refuses, naming the table, the constraint and the rows.
SELECT delete_checked('users', :alice);
\echo :LAST_ERROR_SQLSTATE
-- delete_with_cascade refuses too, before touching anything.
SELECT delete_with_cascade('users', :alice);
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM comments) AS comments;

-- Troubleshooting issue 2, option 1: delete the referencing rows first.
BEGIN;
DELETE FROM comments WHERE user_id = :alice;
SELECT delete_with_cascade('users', :alice) AS deleted;
ROLLBACK;
-- Option 2: change the constraint to CASCADE; the change is seen at once.
ALTER TABLE comments DROP CONSTRAINT comments_user_id_fkey,
    ADD CONSTRAINT comments_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('users', :alice);
SELECT delete_with_cascade('users', :alice) AS deleted;
SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM posts) AS posts,
       (SELECT count(*) FROM comments) AS comments;
-- A key that does not exist deletes nothing.
SELECT delete_with_cascade('users', 12345) AS deleted, delete_checked('users', 12345) AS checked;
DROP TABLE users, posts, comments;

-- Every action, compared with a plain DELETE on a copy of the same data.
CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE c_cascade (id int PRIMARY KEY, p int REFERENCES parents ON DELETE CASCADE);
CREATE TABLE c_set_null (id int PRIMARY KEY, p int REFERENCES parents ON DELETE SET NULL);
CREATE TABLE c_set_default (id int PRIMARY KEY, p int DEFAULT 0 REFERENCES parents ON DELETE SET DEFAULT);
CREATE TABLE parents_t (tenant int, id int, PRIMARY KEY (tenant, id));
CREATE TABLE c_set_null_cols (id int PRIMARY KEY, tenant int NOT NULL, p int,
    FOREIGN KEY (tenant, p) REFERENCES parents_t ON DELETE SET NULL (p));
INSERT INTO parents VALUES (0), (1), (2);
INSERT INTO parents_t VALUES (7, 1), (7, 2);
INSERT INTO c_cascade VALUES (1, 1), (2, 1), (3, 2);
INSERT INTO c_set_null VALUES (1, 1), (2, 2);
INSERT INTO c_set_default VALUES (1, 1), (2, 2);
INSERT INTO c_set_null_cols VALUES (1, 7, 1), (2, 7, 2);
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('parents', 1) ORDER BY depth, table_name::text;
SELECT delete_with_cascade('parents', 1) AS deleted;
SELECT delete_checked('parents_t', '{"tenant": 7, "id": 1}'::jsonb) AS deleted;
SELECT 'c_cascade' AS t, jsonb_agg(c ORDER BY id) FROM c_cascade c
UNION ALL SELECT 'c_set_null', jsonb_agg(c ORDER BY id) FROM c_set_null c
UNION ALL SELECT 'c_set_default', jsonb_agg(c ORDER BY id) FROM c_set_default c
UNION ALL SELECT 'c_set_null_cols', jsonb_agg(c ORDER BY id) FROM c_set_null_cols c;
-- NO ACTION blocks like RESTRICT, with SQLSTATE 23503; RESTRICT gives 23001.
CREATE TABLE c_no_action (id int PRIMARY KEY, p int REFERENCES parents);
INSERT INTO c_no_action VALUES (1, 2);
SELECT delete_with_cascade('parents', 2);
\echo :LAST_ERROR_SQLSTATE
-- A deferred NO ACTION check is left to commit, as a plain DELETE leaves it.
ALTER TABLE c_no_action DROP CONSTRAINT c_no_action_p_fkey,
    ADD CONSTRAINT c_no_action_p_fkey FOREIGN KEY (p) REFERENCES parents DEFERRABLE INITIALLY DEFERRED;
BEGIN;
SELECT delete_with_cascade('parents', 2) AS deleted_now;
DELETE FROM c_no_action;  -- fixed before commit
COMMIT;
-- SET NULL into a NOT NULL column is refused before anything changes.
CREATE TABLE c_not_null (id int PRIMARY KEY, p int NOT NULL REFERENCES parents ON DELETE SET NULL);
INSERT INTO c_not_null VALUES (1, 0);
SELECT delete_checked('parents', 0);
\echo :LAST_ERROR_SQLSTATE
DROP TABLE parents, parents_t, c_cascade, c_set_null, c_set_default, c_set_null_cols, c_no_action, c_not_null;

-- Self-reference: a tree, deleted from a middle node.
CREATE TABLE nodes (id bigint PRIMARY KEY, parent_id bigint REFERENCES nodes ON DELETE CASCADE);
CREATE INDEX ON nodes (parent_id);
INSERT INTO nodes SELECT g, CASE WHEN g = 1 THEN NULL ELSE g / 2 END FROM generate_series(1, 1023) g;
SELECT depth, "rows" FROM delete_plan('nodes', 2::bigint) ORDER BY depth;
SELECT delete_with_cascade('nodes', 2::bigint) AS deleted;
SELECT count(*) AS left FROM nodes;
-- A chain 100,000 deep: no recursion on the C stack.
TRUNCATE nodes;
INSERT INTO nodes SELECT g, NULLIF(g - 1, 0) FROM generate_series(1, 100000) g;
SELECT delete_with_cascade('nodes', 1::bigint) AS deleted;
DROP TABLE nodes;

-- A cycle between two tables, and a diamond: each row is processed once.
CREATE TABLE a (id int PRIMARY KEY, b_id int);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a ON DELETE CASCADE);
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b ON DELETE CASCADE;
INSERT INTO a VALUES (1, NULL), (2, NULL);
INSERT INTO b VALUES (10, 1), (11, 1);
UPDATE a SET b_id = 10 WHERE id = 2;
INSERT INTO b VALUES (12, 2);
UPDATE a SET b_id = 12 WHERE id = 1;   -- a1 -> b12 -> a2 -> b10 -> a1: a cycle
SELECT delete_with_cascade('a', 1) AS deleted;
SELECT (SELECT array_agg(id) FROM a) AS a_left, (SELECT array_agg(id ORDER BY id) FROM b) AS b_left;
DROP TABLE a, b CASCADE;
CREATE TABLE top (id int PRIMARY KEY);
CREATE TABLE left_side (id int PRIMARY KEY, top_id int REFERENCES top ON DELETE CASCADE);
CREATE TABLE right_side (id int PRIMARY KEY, top_id int REFERENCES top ON DELETE CASCADE);
CREATE TABLE bottom (id int PRIMARY KEY, l int REFERENCES left_side ON DELETE CASCADE,
                     r int REFERENCES right_side ON DELETE CASCADE);
INSERT INTO top VALUES (1);
INSERT INTO left_side VALUES (1, 1);
INSERT INTO right_side VALUES (1, 1);
INSERT INTO bottom VALUES (1, 1, 1), (2, 1, 1);
SELECT depth, path, table_name, action, "rows" FROM delete_plan('top', 1) ORDER BY depth, path::text;
SELECT delete_with_cascade('top', 1) AS deleted;
DROP TABLE top, left_side, right_side, bottom;

-- Composite keys, MATCH FULL, uuid, text and bigint keys, schemas and quoted names.
CREATE SCHEMA "Del Shop";
CREATE TABLE "Del Shop"."Order" (tenant uuid, "Order No" bigint, PRIMARY KEY (tenant, "Order No"));
CREATE TABLE "Del Shop"."Line" (sku text PRIMARY KEY, tenant uuid, order_no bigint,
    FOREIGN KEY (tenant, order_no) REFERENCES "Del Shop"."Order" MATCH FULL ON DELETE CASCADE);
CREATE TABLE "Del Shop".notes (id int PRIMARY KEY, sku text REFERENCES "Del Shop"."Line" ON DELETE CASCADE);
INSERT INTO "Del Shop"."Order" VALUES ('00000000-0000-0000-0000-000000000001', 1),
                                     ('00000000-0000-0000-0000-000000000001', 2);
INSERT INTO "Del Shop"."Line" VALUES ('A', '00000000-0000-0000-0000-000000000001', 1),
                                    ('B', '00000000-0000-0000-0000-000000000001', 1),
                                    ('C', '00000000-0000-0000-0000-000000000001', 2);
INSERT INTO "Del Shop".notes VALUES (1, 'A'), (2, 'C');
SELECT delete_with_cascade('"Del Shop"."Order"',
                           '{"tenant": "00000000-0000-0000-0000-000000000001", "Order No": 1}'::jsonb) AS deleted;
SELECT sku FROM "Del Shop"."Line" ORDER BY sku;
SELECT delete_with_cascade('"Del Shop"."Line"', 'C'::text) AS deleted_by_text_key;
SELECT delete_with_cascade('"Del Shop"."Order"', 1);
\echo :LAST_ERROR_SQLSTATE
DROP SCHEMA "Del Shop" CASCADE;

-- Partitioned tables on both sides.
CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABLE events (id bigint, account_id bigint REFERENCES accounts ON DELETE CASCADE, day date,
                     PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE event_notes (event_id bigint, day date, note text,
    FOREIGN KEY (event_id, day) REFERENCES events ON DELETE CASCADE);
INSERT INTO accounts VALUES (1), (2);
INSERT INTO events VALUES (1, 1, '2024-05-01'), (2, 1, '2025-05-01'), (3, 2, '2025-06-01');
INSERT INTO event_notes VALUES (1, '2024-05-01', 'x'), (2, '2025-05-01', 'y'), (3, '2025-06-01', 'z');
SELECT depth, table_name, action, "rows" FROM delete_plan('accounts', 1::bigint) ORDER BY depth;
SELECT delete_with_cascade('accounts', 1::bigint) AS deleted;
SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM event_notes) AS notes;
DROP TABLE accounts, events, event_notes;

-- Keys of a partition family: one on the partitioned table reaches a partition's rows, one on a
-- partition only that partition's (a partition's own unique key may repeat in another).
CREATE TABLE fam (id int, day date, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE fam_2025 PARTITION OF fam FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE fam_2026 PARTITION OF fam FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE UNIQUE INDEX ON fam_2026 (id);
CREATE TABLE fam_notes (id int PRIMARY KEY, fam_id int, day date,
                        FOREIGN KEY (fam_id, day) REFERENCES fam ON DELETE CASCADE);
CREATE TABLE fam_2026_notes (id int PRIMARY KEY, fam_id int REFERENCES fam_2026 (id) ON DELETE CASCADE);
INSERT INTO fam VALUES (5, '2025-03-01'), (5, '2026-03-01'), (6, '2026-04-01');
INSERT INTO fam_notes VALUES (1, 5, '2025-03-01'), (2, 5, '2026-03-01');
INSERT INTO fam_2026_notes VALUES (1, 5), (2, 6);
SELECT depth, table_name, action, "rows" FROM delete_plan('fam', '{"id": 5, "day": "2026-03-01"}') ORDER BY depth, table_name;
SELECT depth, table_name, action, "rows" FROM delete_plan('fam_2026', '{"id": 5, "day": "2026-03-01"}') ORDER BY depth, table_name;
SELECT depth, table_name, action, "rows" FROM delete_plan('fam', '{"id": 5, "day": "2025-03-01"}') ORDER BY depth, table_name;
SELECT sum("rows") AS planned FROM delete_plan('fam', '{"id": 5, "day": "2026-03-01"}') \gset
BEGIN;
SELECT delete_with_cascade('fam', '{"id": 5, "day": "2026-03-01"}') = :planned AS plan_adds_up;
ROLLBACK;
DROP TABLE fam_notes, fam_2026_notes, fam;
-- A partition's key to its own partitioned table is a self-reference: past 32 levels it is
-- followed in one recursive statement, as a table's own self-reference is.
CREATE TABLE chain (id int, g int, up int, upg int, PRIMARY KEY (id, g)) PARTITION BY LIST (g);
CREATE TABLE chain_0 PARTITION OF chain FOR VALUES IN (0);
CREATE TABLE chain_1 PARTITION OF chain FOR VALUES IN (1);
ALTER TABLE chain_1 ADD FOREIGN KEY (up, upg) REFERENCES chain ON DELETE CASCADE;
INSERT INTO chain VALUES (1, 0, NULL, NULL);
INSERT INTO chain SELECT i, 1, i - 1, CASE WHEN i = 2 THEN 0 ELSE 1 END FROM generate_series(2, 300) i;
SELECT count(*) AS lines, max(depth) AS deepest_line, sum("rows") AS planned
FROM delete_plan('chain', '{"id": 1, "g": 0}') \gset
SELECT :lines < 40 AS few_lines, :deepest_line AS deepest_line, :planned AS planned;
BEGIN;
SELECT delete_with_cascade('chain', '{"id": 1, "g": 0}') = :planned AS plan_adds_up;
ROLLBACK;
DROP TABLE chain;
-- A cycle between two tables thousands of levels deep, walked a level at a time: each line's
-- path would grow with the depth, so past 1,000,000 names in all delete_plan refuses (54000)
-- rather than exhaust memory. The DELETE itself is not bounded so.
CREATE TABLE cyc_a (id int PRIMARY KEY, b int);
CREATE TABLE cyc_b (id int PRIMARY KEY, a int REFERENCES cyc_a ON DELETE CASCADE);
ALTER TABLE cyc_a ADD FOREIGN KEY (b) REFERENCES cyc_b ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
BEGIN;
INSERT INTO cyc_a SELECT g, NULLIF(g - 1, 0) FROM generate_series(1, 1500) g;
INSERT INTO cyc_b SELECT g, g FROM generate_series(1, 1500) g;
COMMIT;
SELECT count(*) FROM delete_plan('cyc_a', 1);
\echo :LAST_ERROR_SQLSTATE
BEGIN;
SELECT delete_with_cascade('cyc_a', 1) AS deleted;
ROLLBACK;
DROP TABLE cyc_a, cyc_b CASCADE;
-- PostgreSQL names what refused on a partition family: a partition's clone of the declared key
-- (..._fkey1), or the partition whose NOT NULL column a SET NULL would fill: the plan marks the
-- declared key's line (blocks) instead of failing.
CREATE TABLE rfam (id int, day date, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE rfam_2025 PARTITION OF rfam FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE rfam_refs (id int PRIMARY KEY, rfam_id int, day date, FOREIGN KEY (rfam_id, day) REFERENCES rfam);
INSERT INTO rfam VALUES (5, '2025-03-01');
INSERT INTO rfam_refs VALUES (1, 5, '2025-03-01');
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('rfam', '{"id": 5, "day": "2025-03-01"}');
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('rfam_2025', '{"id": 5, "day": "2025-03-01"}');
CREATE TABLE nn_parent (id int PRIMARY KEY);
CREATE TABLE nn_child (id int, k int, parent_id int REFERENCES nn_parent ON DELETE SET NULL,
                       PRIMARY KEY (id, k)) PARTITION BY LIST (k);
CREATE TABLE nn_child_2 (id int NOT NULL, k int NOT NULL, parent_id int NOT NULL);
ALTER TABLE nn_child ATTACH PARTITION nn_child_2 FOR VALUES IN (2);
INSERT INTO nn_parent VALUES (2);
INSERT INTO nn_child VALUES (1, 2, 2);
SELECT depth, table_name, action, "rows", blocks FROM delete_plan('nn_parent', 2);
DROP TABLE rfam_refs, rfam, nn_child, nn_parent;

-- Many keys in one pass; and one report per key with on_error => 'skip'.
CREATE TABLE owners (id int PRIMARY KEY);
CREATE TABLE pets (id int PRIMARY KEY, owner_id int REFERENCES owners ON DELETE CASCADE);
CREATE TABLE vet_visits (id int PRIMARY KEY, pet_id int REFERENCES pets ON DELETE RESTRICT);
INSERT INTO owners SELECT generate_series(1, 5);
INSERT INTO pets SELECT g, 1 + g % 5 FROM generate_series(1, 20) g;
INSERT INTO vet_visits VALUES (1, 3);  -- pet 3 belongs to owner 4
SELECT delete_many_with_cascade('owners', ARRAY[1, 2]) AS deleted;
SELECT delete_each_with_cascade('owners', ARRAY[3, 4, 5], 'skip');
SELECT array_agg(id ORDER BY id) AS owners_left FROM owners;
SELECT delete_each_with_cascade('owners', ARRAY[4], 'raise');
\echo :LAST_ERROR_SQLSTATE
SELECT delete_each_with_cascade('owners', ARRAY[4], 'ignore');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE owners, pets, vet_visits;

-- Bad input.
CREATE TABLE keyed (id int PRIMARY KEY);
CREATE TABLE unkeyed (id int);
CREATE VIEW keyed_view AS SELECT * FROM keyed;
SELECT delete_with_cascade('keyed', NULL::int) AS null_key;
SELECT delete_with_cascade('keyed', 'abc'::text);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('unkeyed', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('keyed_view', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT delete_with_cascade('keyed', '{"nope": 1}'::jsonb);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM delete_plan('keyed', 1);
DROP VIEW keyed_view;
DROP TABLE keyed, unkeyed;

-- A runaway cascade stops at data_bridge.max_cascade_rows.
CREATE TABLE big_parent (id int PRIMARY KEY);
CREATE TABLE big_child (id int PRIMARY KEY, p int REFERENCES big_parent ON DELETE CASCADE);
INSERT INTO big_parent VALUES (1);
INSERT INTO big_child SELECT g, 1 FROM generate_series(1, 500) g;
SET data_bridge.max_cascade_rows = 100;
SELECT delete_with_cascade('big_parent', 1);
\echo :LAST_ERROR_SQLSTATE
RESET data_bridge.max_cascade_rows;
SELECT delete_with_cascade('big_parent', 1) AS deleted;
DROP TABLE big_parent, big_child;

-- delete_each_with_cascade: one report per key under a name of its own (the three-argument
-- delete_many_with_cascade, which returned jsonb where its two-argument form returns bigint, is
-- gone since 0.3.0).
CREATE TABLE each_parent (id int PRIMARY KEY);
CREATE TABLE each_child (id int PRIMARY KEY, p int REFERENCES each_parent ON DELETE RESTRICT);
INSERT INTO each_parent VALUES (1), (2), (3);
INSERT INTO each_child VALUES (1, 2);
SELECT delete_each_with_cascade('each_parent', ARRAY[1, 2, 3], 'skip');
SELECT delete_each_with_cascade('each_parent', ARRAY[2]);
\echo :LAST_ERROR_SQLSTATE
SELECT array_agg(id) AS left FROM each_parent;
SELECT delete_many_with_cascade('each_parent', ARRAY[1], 'skip');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE each_child, each_parent;

-- data_bridge_internal._transaction_deleted_rows: what a cascade on Citus reads on the worker.
-- This transaction's deletes from each named table (names as SQL writes them), without those of
-- subtransactions rolled back; a name that resolves to nothing is an error.
CREATE TABLE tdr_parent (id int PRIMARY KEY);
CREATE TABLE "tdr Child" (id int PRIMARY KEY, parent int REFERENCES tdr_parent ON DELETE CASCADE);
INSERT INTO tdr_parent SELECT g FROM generate_series(1, 3) g;
INSERT INTO "tdr Child" SELECT g, 1 + g % 3 FROM generate_series(1, 9) g;
BEGIN;
SELECT data_bridge_internal._transaction_deleted_rows(ARRAY['tdr_parent', 'public."tdr Child"']) AS none_yet;
DELETE FROM tdr_parent WHERE id = 1;
SAVEPOINT undone;
DELETE FROM tdr_parent WHERE id = 2;
ROLLBACK TO SAVEPOINT undone;
SELECT data_bridge_internal._transaction_deleted_rows(ARRAY['tdr_parent', 'public."tdr Child"']) AS one_and_its_three;
SELECT data_bridge_internal._transaction_deleted_rows(ARRAY['tdr_nowhere']);
ROLLBACK;
DROP TABLE "tdr Child", tdr_parent;
-- PostgreSQL's refusal names the referencing table, its schema and the key: a key of the same
-- name in another schema, or on another table, does not block. The plan then matches what
-- the DELETE does (the SET DEFAULT line acts once the RESTRICT rows are gone).
CREATE SCHEMA cd_s1;
CREATE SCHEMA cd_s2;
CREATE TABLE cd_named (id int PRIMARY KEY);
CREATE TABLE cd_s1.kid (id int PRIMARY KEY, a_id int REFERENCES cd_named ON DELETE RESTRICT);
CREATE TABLE cd_s2.kid (id int PRIMARY KEY, a_id int DEFAULT NULL REFERENCES cd_named ON DELETE SET DEFAULT);
INSERT INTO cd_named VALUES (1);
INSERT INTO cd_s1.kid VALUES (1, 1);
INSERT INTO cd_s2.kid VALUES (1, 1);
SELECT table_name::text, action, rows, blocks FROM delete_plan('cd_named', 1) ORDER BY depth, table_name::text;
DELETE FROM cd_s1.kid;
SELECT table_name::text, action, rows, blocks FROM delete_plan('cd_named', 1) ORDER BY depth, table_name::text;
DROP TABLE cd_s1.kid, cd_s2.kid, cd_named;
DROP SCHEMA cd_s1, cd_s2;
-- A SET NULL of some columns of a MATCH FULL key is refused by the updated row's check: the
-- plan marks its line, as for any 23503, rather than failing.
CREATE TABLE cd_full (x int, y int, PRIMARY KEY (x, y));
CREATE TABLE cd_full_refs (id int PRIMARY KEY, x int, y int,
    CONSTRAINT cd_full_fk FOREIGN KEY (x, y) REFERENCES cd_full MATCH FULL ON DELETE SET NULL (x));
INSERT INTO cd_full VALUES (1, 1);
INSERT INTO cd_full_refs VALUES (1, 1, 1);
SELECT table_name::text, action, rows, blocks FROM delete_plan('cd_full', '{"x": 1, "y": 1}'::jsonb) ORDER BY depth;
DROP TABLE cd_full_refs, cd_full;
-- Under a nondeterministic collation of the referenced key the foreign-key triggers compare by
-- it ('ABC' references 'abc'): the walk compares alike, so the plan has the rows the DELETE
-- reaches.
CREATE COLLATION cd_blind (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE cd_codes (id text COLLATE cd_blind PRIMARY KEY);
CREATE TABLE cd_code_uses (id int PRIMARY KEY, code text REFERENCES cd_codes ON DELETE CASCADE);
CREATE TABLE cd_code_pins (id int PRIMARY KEY, code text REFERENCES cd_codes ON DELETE RESTRICT);
INSERT INTO cd_codes VALUES ('abc');
INSERT INTO cd_code_uses VALUES (1, 'ABC');
INSERT INTO cd_code_pins VALUES (1, 'Abc');
SELECT table_name, action, rows, rows_exist, blocks FROM delete_plan('cd_codes', 'abc'::text) ORDER BY depth, table_name::text;
DELETE FROM cd_code_pins;
SELECT table_name, action, rows, blocks FROM delete_plan('cd_codes', 'abc'::text) ORDER BY depth, table_name::text;
DROP TABLE cd_code_pins, cd_code_uses, cd_codes;
DROP COLLATION cd_blind;
-- The caller's DELETE of an inheritance parent (no ONLY) deletes its children's rows too, and
-- the keys referencing a child act on them: the plan follows those keys for the child's rows.
CREATE TABLE cd_ih_parent (id int PRIMARY KEY, v int);
CREATE TABLE cd_ih_child (PRIMARY KEY (id)) INHERITS (cd_ih_parent);
CREATE TABLE cd_ih_cascades (id int PRIMARY KEY, child_id int REFERENCES cd_ih_child ON DELETE CASCADE);
CREATE TABLE cd_ih_nulls (id int PRIMARY KEY, child_id int REFERENCES cd_ih_child ON DELETE SET NULL);
INSERT INTO cd_ih_child VALUES (2, 0);
INSERT INTO cd_ih_parent VALUES (3, 0);
INSERT INTO cd_ih_cascades VALUES (2, 2);
INSERT INTO cd_ih_nulls VALUES (1, 2);
SELECT table_name, action, rows, blocks FROM delete_plan('cd_ih_parent', 2) ORDER BY depth, table_name::text;
SELECT table_name, action, rows FROM delete_plan('cd_ih_parent', 3) AS parent_row_only;
BEGIN;
SELECT delete_with_cascade('cd_ih_parent', 2) AS deleted;
SELECT count(*) AS nulled FROM cd_ih_nulls WHERE child_id IS NULL;
ROLLBACK;
DROP TABLE cd_ih_cascades, cd_ih_nulls, cd_ih_child, cd_ih_parent;
-- Deferral as the transaction has it: a deferrable key made deferred by SET CONSTRAINTS is
-- checked at commit (blocks NULL), as an initially deferred one; made immediate, it blocks.
CREATE TABLE cd_sc_parent (id int PRIMARY KEY);
CREATE TABLE cd_sc_refs (id int PRIMARY KEY, parent_id int,
    CONSTRAINT cd_sc_fk FOREIGN KEY (parent_id) REFERENCES cd_sc_parent DEFERRABLE INITIALLY IMMEDIATE);
INSERT INTO cd_sc_parent VALUES (1);
INSERT INTO cd_sc_refs VALUES (1, 1);
SELECT table_name, action, rows, blocks FROM delete_plan('cd_sc_parent', 1) ORDER BY depth;
BEGIN;
SET CONSTRAINTS cd_sc_fk DEFERRED;
SELECT table_name, action, rows, blocks FROM delete_plan('cd_sc_parent', 1) ORDER BY depth;
ROLLBACK;
DROP TABLE cd_sc_refs, cd_sc_parent;
-- A trigger that truncates a reachable table during the DELETE sets its counters back: counted
-- as no rows deleted there (the TRUNCATE's rows are not the DELETE's), never below zero.
CREATE TABLE cd_tr_parent (id int PRIMARY KEY);
CREATE TABLE cd_tr_refs (id int PRIMARY KEY, parent_id int REFERENCES cd_tr_parent ON DELETE CASCADE);
INSERT INTO cd_tr_parent VALUES (1);
INSERT INTO cd_tr_refs SELECT g, NULL FROM generate_series(1, 5) g;
CREATE FUNCTION cd_tr_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN TRUNCATE cd_tr_refs; RETURN OLD; END $$;
CREATE TRIGGER cd_tr_truncate BEFORE DELETE ON cd_tr_parent FOR EACH ROW EXECUTE FUNCTION cd_tr_truncate();
BEGIN;
DELETE FROM cd_tr_refs WHERE id <= 3;
SELECT delete_with_cascade('cd_tr_parent', 1) AS deleted;
ROLLBACK;
DROP TABLE cd_tr_refs, cd_tr_parent;
DROP FUNCTION cd_tr_truncate();
-- A key on a column only an inheritance child has is beyond a walk through the root: its line
-- is left out (not an error).
CREATE TABLE cd_ih2_parent (id int PRIMARY KEY);
CREATE TABLE cd_ih2_child (code text UNIQUE) INHERITS (cd_ih2_parent);
CREATE TABLE cd_ih2_refs (id int PRIMARY KEY, code text REFERENCES cd_ih2_child (code) ON DELETE CASCADE);
INSERT INTO cd_ih2_child VALUES (1, 'x');
INSERT INTO cd_ih2_refs VALUES (1, 'x');
SELECT table_name, action, rows FROM delete_plan('cd_ih2_parent', 1);
DROP TABLE cd_ih2_refs, cd_ih2_child, cd_ih2_parent;
-- A refusal through a partitioned table names a clone of the key: it is traced to the declared
-- key with its own schema, so another schema's key of the same name does not block.
CREATE SCHEMA cd_u1;
CREATE SCHEMA cd_u2;
CREATE TABLE cd_parts (id int PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE cd_parts_1 PARTITION OF cd_parts FOR VALUES FROM (0) TO (100);
CREATE TABLE cd_u1.kid (id int PRIMARY KEY, a int, CONSTRAINT kfk FOREIGN KEY (a) REFERENCES cd_parts ON DELETE RESTRICT);
CREATE TABLE cd_u2.kid (id int PRIMARY KEY, a int, CONSTRAINT kfk FOREIGN KEY (a) REFERENCES cd_parts ON DELETE SET NULL);
INSERT INTO cd_parts VALUES (1);
INSERT INTO cd_u1.kid VALUES (1, 1);
INSERT INTO cd_u2.kid VALUES (1, 1);
SELECT table_name::text, action, blocks FROM delete_plan('cd_parts', 1) ORDER BY depth, table_name::text;
DROP TABLE cd_u1.kid, cd_u2.kid, cd_parts;
DROP SCHEMA cd_u1, cd_u2;

-- Keys given as text on a domain key are of its base type, as in `id = ANY ('{…}')`: its typmod
-- does not round them (1.234 deletes no 1.23) and a CHECK added NOT VALID does not refuse a
-- stored key; one key, an array, and each key alike.
CREATE DOMAIN cd_price AS numeric(5, 2);
CREATE DOMAIN cd_level AS int;
CREATE TABLE cd_priced (id cd_price PRIMARY KEY);
CREATE TABLE cd_levels (id cd_level PRIMARY KEY);
CREATE TABLE cd_level_kids (id int PRIMARY KEY, level_id cd_level REFERENCES cd_levels ON DELETE CASCADE);
INSERT INTO cd_priced VALUES (1.23);
INSERT INTO cd_levels VALUES (-1), (2), (3);
INSERT INTO cd_level_kids VALUES (1, -1), (2, 2);
ALTER DOMAIN cd_level ADD CONSTRAINT cd_level_positive CHECK (VALUE > 0) NOT VALID;
SELECT delete_with_cascade('cd_priced', '1.234'::text) AS one, delete_many_with_cascade('cd_priced', '{1.234}'::text) AS many,
       delete_each_with_cascade('cd_priced', '{1.234}'::text) AS each;
BEGIN;
SELECT delete_many_with_cascade('cd_levels', '{-1,2}'::text) AS many;
SELECT count(*) AS kids_left FROM cd_level_kids;
ROLLBACK;
BEGIN;
SELECT delete_each_with_cascade('cd_levels', '{-1,2}'::text) AS each;
ROLLBACK;
-- As the DELETE: none for the rounded key; both levels and their kids.
BEGIN;
WITH d AS (DELETE FROM cd_priced WHERE id = ANY ('{1.234}') RETURNING 1) SELECT count(*) AS priced_deleted FROM d;
WITH d AS (DELETE FROM cd_levels WHERE id = ANY ('{-1,2}') RETURNING 1) SELECT count(*) AS levels_deleted FROM d;
SELECT count(*) AS kids_left FROM cd_level_kids;
ROLLBACK;
DROP TABLE cd_level_kids, cd_levels, cd_priced;
DROP DOMAIN cd_price, cd_level;
