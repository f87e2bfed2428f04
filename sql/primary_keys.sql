-- A table's primary key as the functions that take a key find it: its columns in the key's order,
-- by their current names, deferrable or not, on partitioned tables too.
CREATE TABLE pk_dropped (gone int, b text, a int, note text, PRIMARY KEY (b, a) INCLUDE (note));
ALTER TABLE pk_dropped DROP COLUMN gone;
INSERT INTO pk_dropped VALUES ('x', 1, 'first'), ('y', 2, 'second');
CREATE TABLE pk_dropped_child (id int PRIMARY KEY, b text, a int, FOREIGN KEY (b, a) REFERENCES pk_dropped ON DELETE CASCADE);
INSERT INTO pk_dropped_child VALUES (1, 'x', 1), (2, 'x', 1), (3, 'y', 2);
-- Key columns in the key's order (b, a), not the table's; the INCLUDE column is not a key column.
SELECT fetch_one_with_relations('pk_dropped', '{"b": "x", "a": 1}'::jsonb, '[{"name": "children", "table": "pk_dropped_child"}]');
SELECT fetch_with_relations('{"table": "pk_dropped", "id": {"a": 2, "b": "y"}}');
SELECT * FROM delete_plan('pk_dropped', '{"b": "x", "a": 1}'::jsonb) ORDER BY table_name;
SELECT fetch_one_with_relations('pk_dropped', '{"b": "x", "a": 1, "note": "first"}'::jsonb);

-- A renamed key column: the next call names it anew.
ALTER TABLE pk_dropped RENAME COLUMN a TO a_renamed;
SELECT fetch_one_with_relations('pk_dropped', '{"b": "x", "a_renamed": 1}'::jsonb);
SELECT fetch_one_with_relations('pk_dropped', '{"b": "x", "a": 1}'::jsonb);

-- A deferrable primary key.
CREATE TABLE pk_deferrable (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, name text);
INSERT INTO pk_deferrable VALUES (1, 'one'), (2, 'two');
SELECT fetch_one_with_relations('pk_deferrable', 1);
SELECT * FROM delete_plan('pk_deferrable', 2);
BEGIN;
SELECT * FROM delete_with_cascade('pk_deferrable', 2);
ROLLBACK;
-- Dropped: no key any more.
ALTER TABLE pk_deferrable DROP CONSTRAINT pk_deferrable_pkey;
SELECT fetch_one_with_relations('pk_deferrable', 2);
-- Made again on another column.
ALTER TABLE pk_deferrable ADD PRIMARY KEY (name);
SELECT fetch_one_with_relations('pk_deferrable', 'two'::text);
SELECT fetch_one_with_relations('pk_deferrable', 2);

-- A partitioned table's key (a partitioned index).
CREATE TABLE pk_parted (region text, id int, v text, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
CREATE TABLE pk_parted_eu PARTITION OF pk_parted FOR VALUES IN ('eu');
INSERT INTO pk_parted VALUES ('eu', 1, 'one');
SELECT fetch_one_with_relations('pk_parted', '{"region": "eu", "id": 1}'::jsonb);
SELECT * FROM delete_plan('pk_parted', '{"region": "eu", "id": 1}'::jsonb);

-- Reading the key takes no lock (the write functions then take their statement's locks, and no
-- weaker one first: test/isolation/specs/write_lock_order.spec): a role with only REFERENCES is
-- refused by the statement itself; with SELECT the lock held is the SELECT's.
CREATE ROLE pk_stranger NOLOGIN;
CREATE TABLE pk_locked (id int PRIMARY KEY);
INSERT INTO pk_locked VALUES (1);
GRANT REFERENCES ON pk_locked TO pk_stranger;
SET ROLE pk_stranger;
SELECT fetch_one_with_relations('pk_locked', 1);
SELECT * FROM delete_plan('pk_locked', 1);
RESET ROLE;
GRANT SELECT ON pk_locked TO pk_stranger;
BEGIN;
SET LOCAL ROLE pk_stranger;
SELECT fetch_one_with_relations('pk_locked', 1);
RESET ROLE;
SELECT mode FROM pg_locks WHERE relation = 'pk_locked'::regclass AND pid = pg_backend_pid();
ROLLBACK;
REVOKE ALL ON pk_locked FROM pk_stranger;
DROP ROLE pk_stranger;

-- One row by key finds more than one: rows of an inheritance child with the same key, or a
-- duplicate a deferred key allows until commit. Refused (21000), not one of them picked.
CREATE TABLE pk_inherited_child (extra int) INHERITS (pk_locked);
INSERT INTO pk_inherited_child VALUES (1, 5);
SELECT fetch_one_with_relations('pk_locked', 1);
SELECT fetch_with_relations('{"table": "pk_locked", "id": 1}');
SELECT fetch_one_with_relations_json('pk_locked', 1);
SELECT fetch_rows_with_relations('{"table": "pk_locked", "id": 1}');
-- Refused before the rows are counted against data_bridge.max_rows.
SET data_bridge.max_rows = 1;
SELECT fetch_one_with_relations('pk_locked', 1);
RESET data_bridge.max_rows;
SELECT fetch_one_with_relations('pk_inherited_child', 1);
-- A list has every row.
SELECT fetch_many_with_relations('pk_locked', '[]', filter => '{"id": 1}');
DROP TABLE pk_inherited_child;
CREATE TABLE pk_deferred (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, v text);
INSERT INTO pk_deferred VALUES (1, 'first');
BEGIN;
INSERT INTO pk_deferred VALUES (1, 'second');
SELECT fetch_one_with_relations('pk_deferred', 1);
ROLLBACK;
SELECT fetch_one_with_relations('pk_deferred', 1);
DROP TABLE pk_deferred;

DROP TABLE pk_locked, pk_parted, pk_deferrable, pk_dropped_child, pk_dropped;
